"""`aligner batch`: every document of a folder, with a progress bar on stderr while it
runs and a table at the end (the library only reports progress through a callback;
drawing it is the CLI's job)."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from aligner.cli.common import (
    Dedupe,
    Device,
    DropUnaligned,
    EmbeddedRun,
    EnCode,
    Fast,
    MaxAlign,
    MinScore,
    Model,
    NoRepair,
    OutputFormat,
    Presegmented,
    Quiet,
    SrcLang,
    TgtLang,
    ToSimplified,
    ToTraditional,
    Types,
    ZhCode,
    export_options,
    fail,
    pipeline_options,
    run_reporting_errors,
    stderr,
)
from aligner.cli.main import app
from aligner.config import AlignConfig, ExportOptions
from aligner.data import AlignerError
from aligner.formats import format_for

if TYPE_CHECKING:
    from aligner.batch import BatchProgress, BatchReport, BatchSettings, Engine


@app.command("batch")
def batch_command(
    input_dir: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="Folder of documents (searched recursively), or a .jsonl/.csv manifest.",
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "-o",
            "--output",
            metavar="FOLDER",
            help="Folder for outputs, corpus, report.json; or an fsspec URL (s3://bucket/run), "
            "written from a local staging folder when the run ends.",
        ),
    ],
    output_format: OutputFormat = "tmx",
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, metavar="N",
            help="Workers (processes, or Ray actors), one model each.",
        ),
    ] = 1,
    presegmented: Presegmented = False,
    src_lang: SrcLang = None,
    tgt_lang: TgtLang = None,
    model: Model = None,
    device: Device = "cpu",
    cache: Annotated[bool, typer.Option(help="Keep embeddings on disk for re-runs.")] = True,
    cache_dir: Annotated[
        Path | None,
        typer.Option(metavar="FOLDER", help="Embedding cache folder (default OUTPUT/.cache)."),
    ] = None,
    max_align: MaxAlign = AlignConfig.max_align,
    embedded_run: EmbeddedRun = AlignConfig.embedded_run,
    fast: Fast = False,
    to_simplified: ToSimplified = False,
    to_traditional: ToTraditional = False,
    no_repair: NoRepair = None,
    min_score: MinScore = 0.0,
    types: Types = None,
    drop_unaligned: DropUnaligned = None,
    dedupe: Dedupe = False,
    zh_code: ZhCode = None,
    en_code: EnCode = ExportOptions.en_code,
    quiet: Quiet = False,
    engine: Annotated[
        str,
        typer.Option(
            metavar="ENGINE", help="local (this machine) or ray (a Ray cluster, aligner[ray])."
        ),
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="With --engine ray: auto, or ray://HOST:PORT (default: start Ray here).",
        ),
    ] = None,
) -> None:
    """Align every document in a folder or manifest; a re-run skips the finished ones."""
    from aligner.batch import BatchSettings
    from aligner.batch.remote import staging_folder, upload
    from aligner.batch.sources import is_url

    remote = is_url(output)
    output_dir = staging_folder(output) if remote else Path(output)

    def run() -> BatchReport:
        if cache_dir is not None and not cache:
            raise AlignerError("--cache-dir has no effect with --no-cache; drop one of them")
        pipeline = pipeline_options(
            presegmented,
            src_lang,
            tgt_lang,
            max_align,
            embedded_run,
            fast,
            to_simplified,
            to_traditional,
            no_repair or [],
        )
        export = export_options(min_score, types, drop_unaligned, dedupe, zh_code, en_code)
        fmt = format_for(output, output_format)
        settings = BatchSettings(pipeline, export, fmt, model, device, jobs, cache, cache_dir)
        chosen = batch_engine(engine, address)
        report = run_with_progress(input_dir, output_dir, settings, stderr, quiet, chosen)
        if remote:
            upload(output_dir, output)
        return report

    report = run_reporting_errors(run)
    if not quiet:
        print_report(report, stderr)
    if report.failures:
        raise fail(
            f"{len(report.failures)} of {len(report.records)} documents failed; "
            f"see {output.rstrip('/')}/report.json"
        )



def batch_engine(name: str, address: str | None) -> Engine:
    """The engine `--engine` names; Ray is imported only when it runs."""
    from aligner.batch import LocalEngine
    from aligner.batch.ray_engine import RayEngine

    if name == "local":
        if address is not None:
            raise AlignerError("--address is for --engine ray")
        return LocalEngine()
    if name == "ray":
        return RayEngine(address)
    raise AlignerError(f"unknown engine {name!r}: use local or ray")


def run_with_progress(
    input_dir: Path,
    output_dir: Path,
    settings: BatchSettings,
    console: Console,
    quiet: bool,
    engine: Engine | None = None,
) -> BatchReport:
    """`run_batch` with a progress bar on `console`, unless quiet or not a terminal."""
    from aligner.batch import run_batch

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
