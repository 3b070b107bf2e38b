"""What `aligner batch` shows on stderr: a progress bar while it runs, a table at the end.

The library only reports progress through a callback; drawing it is the CLI's job.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from aligner.batch import BatchProgress, BatchReport, BatchSettings, Engine, run_batch


def run_with_progress(
    input_dir: Path,
    output_dir: Path,
    settings: BatchSettings,
    console: Console,
    quiet: bool,
    engine: Engine | None = None,
) -> BatchReport:
    """`run_batch` with a progress bar on `console`, unless quiet or not a terminal."""
    with ProgressBar(console, disabled=quiet or not console.is_terminal) as bar:
        return run_batch(input_dir, output_dir, settings, engine, on_progress=bar.update)


class ProgressBar:
    """A rich progress bar over input bytes (a fair ETA for documents of any size)."""

    def __init__(self, console: Console, disabled: bool) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("aligning"),
            BarColumn(),
            TextColumn("{task.fields[documents]}/{task.fields[count]} documents"),
            TextColumn("{task.fields[sentences]} sentences"),
            TimeRemainingColumn(),
            console=console,
            disable=disabled,
            transient=True,
        )
        self.task = self.progress.add_task("batch", total=1, documents=0, count=0, sentences=0)
        self.sentences = 0

    def __enter__(self) -> ProgressBar:
        self.progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.progress.stop()

    def update(self, event: BatchProgress) -> None:
        if event.record is not None:
            self.sentences += event.record.sentences
        self.progress.update(
            self.task,
            total=event.total_bytes or 1,
            completed=event.done_bytes,
            documents=event.done,
            count=event.total,
            sentences=self.sentences,
        )


def print_report(report: BatchReport, console: Console) -> None:
    """The short table on stderr: counts, bead types, mean score and every failure."""
    summary = report.summary()
    table = Table(title="aligner batch", show_header=False, box=None, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row(
        "documents",
        f"{summary['documents']} ({summary['aligned']} aligned, {summary['reused']} reused, "
        f"{summary['failed']} failed)",
    )
    table.add_row("sentences", str(summary["sentences"]))
    table.add_row("beads", ", ".join(f"{kind} {count}" for kind, count in summary["beads"].items()))
    table.add_row("mean score", f"{summary['mean_score']:.3f}")
    table.add_row(
        "embeddings", f"{summary['embedded']} computed, {summary['cache_hits']} from cache"
    )
    table.add_row(
        "corpus",
        f"{report.corpus} ({report.corpus_units} units)" if report.corpus else report.corpus_note,
    )
    table.add_row("time", f"{summary['seconds']:.1f} s")
    console.print(table)
    for failure in report.failures:
        console.print(
            f"[red]failed[/] {failure.name}: {failure.reason}", highlight=False, soft_wrap=True
        )
