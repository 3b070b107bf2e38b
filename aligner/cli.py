"""Command line: a thin typer layer over the pipeline and the export functions.

Data goes to files or stdout; progress, reports and errors go to stderr. An
`AlignerError` becomes one line on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table

from aligner.config import AlignConfig, ExportOptions
from aligner.data import AlignerError, Bead
from aligner.formats import format_for, write_alignments
from aligner.text import Lang, Script, language_of_code
from aligner.version import VERSION

if TYPE_CHECKING:
    from aligner.batch import BatchReport
    from aligner.config import PipelineOptions

app = typer.Typer(
    help="Align Chinese and English text: clean, split, segment, embed, align, export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
stderr = Console(stderr=True)
T = TypeVar("T")


# Options several commands share, declared once so their names and help stay in step.
# Flags are declared by name only, so help shows `--dedupe`, not `--dedupe / --no-dedupe`.
OutputTarget = Annotated[
    str, typer.Option("-o", "--output", metavar="FILE", help="Output file, or - for stdout.")
]
OutputFormat = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", metavar="FORMAT",
        help="tmx, csv, tsv, jsonl, align, moses, parquet (default: from the extension).",
    ),
]
SrcLang = Annotated[
    str | None, typer.Option(metavar="LANG", help="Source language: zh or en (default: zh).")
]
TgtLang = Annotated[str | None, typer.Option(metavar="LANG", help="Target language: zh or en.")]
Presegmented = Annotated[
    bool,
    typer.Option(
        "--presegmented", help="Inputs hold one sentence per line; line numbers are the ids."
    ),
]
Model = Annotated[
    str | None,
    typer.Option(
        metavar="NAME",
        help="A sentence-transformers model name or path (default: the offline USE model).",
    ),
]
Device = Annotated[str, typer.Option(metavar="DEVICE", help="cpu, cuda, cuda:1, mps.")]
MaxAlign = Annotated[
    int, typer.Option(min=1, metavar="N", help="Most sentences on one side of a bead.")
]
EmbeddedRun = Annotated[
    int,
    typer.Option(
        min=1,
        metavar="N",
        help="Longest run of sentences embedded as text; longer runs combine vectors. "
        "2 embeds about 3x less text than 4 (for very large inputs), at some accuracy cost.",
    ),
]
MinScore = Annotated[
    float,
    typer.Option(
        metavar="SCORE",
        help="Leave out aligned pairs scoring below this (0-1). Unaligned sentences have no "
        "score and are kept unless --drop-unaligned.",
    ),
]
Types = Annotated[
    str | None,
    typer.Option(metavar="TYPES", help="Keep only these bead types, e.g. 1-1,1-2."),
]
DropUnaligned = Annotated[
    bool, typer.Option("--drop-unaligned", help="Leave out unaligned sentences.")
]
Dedupe = Annotated[bool, typer.Option("--dedupe", help="Write each distinct pair once.")]
ZhCode = Annotated[
    str | None,
    typer.Option(metavar="CODE", help="Chinese language code in TMX (default: zh-CN or zh-TW)."),
]
EnCode = Annotated[str, typer.Option(metavar="CODE", help="English language code in TMX.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")]
ToSimplified = Annotated[
    bool,
    typer.Option("--to-simplified", help="Convert the Chinese text to Simplified characters."),
]
ToTraditional = Annotated[
    bool,
    typer.Option("--to-traditional", help="Convert the Chinese text to Traditional characters."),
]
REPAIR_CHOICES = (
    "pinyin-glosses, big5-mojibake, encoding-mojibake, pdf-hyphens, html-residue, "
    "invisible-chars, whitespace"
)
"""`aligner.clean.REPAIR_NAMES`, spelled out so `--help` need not import the cleaners."""
NoRepair = Annotated[
    list[str] | None,
    typer.Option(
        metavar="REPAIR",
        help=f"Switch a cleaning repair off (repeatable): {REPAIR_CHOICES}.",
    ),
]


def fail(message: str) -> typer.Exit:
    """Print one error line on stderr; the caller raises the returned Exit."""
    stderr.print(f"[bold red]aligner: error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(1)


def run_reporting_errors(action: Callable[[], T]) -> T:
    """Run a command body, turning user-fixable problems into one stderr line.

    A reader that stops early (`aligner … -o - | head`) ends the run quietly with the
    status a process killed by SIGPIPE has, as Unix tools do.
    """
    try:
        return action()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(128 + signal.SIGPIPE) from None
    except AlignerError as error:
        raise fail(str(error)) from None
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        raise fail(f"{error.strerror or error}{where}") from None


@contextmanager
def status(message: str, quiet: bool) -> Iterator[None]:
    """A spinner on stderr while a stage runs; silent when quiet or not a terminal."""
    if quiet or not stderr.is_terminal:
        yield
        return
    with stderr.status(message):
        yield


def version_callback(show: bool) -> None:
    if show:
        typer.echo(f"aligner {VERSION}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True)
    ] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose", "-v", count=True, help="Say what each stage does (-vv: in detail)."
        ),
    ] = 0,
) -> None:
    """Chinese–English parallel-text aligner."""
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(
        level=level,
        format="%(message)s",
        handlers=[RichHandler(console=stderr, show_path=False, show_time=verbose > 1)],
        force=True,
    )


@app.command("align")
def align_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT", help="One mixed zh/en document, or SRC and TGT files."
        ),
    ],
    output: OutputTarget,
    output_format: OutputFormat = None,
    src_lang: SrcLang = None,
    tgt_lang: TgtLang = None,
    presegmented: Presegmented = False,
    model: Model = None,
    device: Device = "cpu",
    max_align: MaxAlign = AlignConfig.max_align,
    embedded_run: EmbeddedRun = AlignConfig.embedded_run,
    min_score: MinScore = 0.0,
    types: Types = None,
    drop_unaligned: DropUnaligned = False,
    dedupe: Dedupe = False,
    zh_code: ZhCode = None,
    en_code: EnCode = ExportOptions.en_code,
    to_simplified: ToSimplified = False,
    to_traditional: ToTraditional = False,
    no_repair: NoRepair = None,
    report: Annotated[
        bool,
        typer.Option("--report", help="Print what cleaning repaired and what reading left out."),
    ] = False,
    glossary: Annotated[
        str | None,
        typer.Option(metavar="FILE", help="Also write a glossary of term pairs to this file."),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Align one mixed document, or a source and a target file."""
    from aligner.embed import load_embedder
    from aligner.pipeline import align_inputs

    def run() -> None:
        check_outputs(inputs, [output, glossary] if glossary else [output])
        fmt = format_for(output, output_format)
        export = export_options(min_score, types, drop_unaligned, dedupe, zh_code, en_code)
        if glossary:
            from aligner.formats import glossary_format

            glossary_format(glossary)
        options = pipeline_options(
            presegmented,
            src_lang,
            tgt_lang,
            max_align,
            embedded_run,
            to_simplified,
            to_traditional,
            no_repair or [],
        )
        embedder = load_embedder(model, device)
        with status("Aligning…", quiet):
            document = align_inputs(list(inputs), embedder, options)
        if report:
            print_repairs(document.repairs)
            print_dropped(document.dropped)
        written = write_alignments([document.alignment], output, fmt, export)
        warn_if_nothing_written(written, document.alignment.beads)
        if glossary:
            from aligner.glossary import extract_glossary, write_glossary

            with status("Extracting terms…", quiet):
                write_glossary(extract_glossary([document.alignment], embedder), glossary)
        if not quiet:
            print_summary(document.alignment.beads, written, output)

    run_reporting_errors(run)


@app.command("convert")
def convert_command(
    source: Annotated[
        str, typer.Argument(metavar="FILE", help="A tmx, csv, tsv, jsonl or parquet file.")
    ],
    output: OutputTarget,
    output_format: OutputFormat = None,
    min_score: MinScore = 0.0,
    types: Types = None,
    drop_unaligned: DropUnaligned = False,
    dedupe: Dedupe = False,
    zh_code: ZhCode = None,
    en_code: EnCode = ExportOptions.en_code,
) -> None:
    """Convert aligned pairs between formats, e.g. TMX to JSONL."""
    from aligner.formats import convert

    def run() -> int:
        options = export_options(min_score, types, drop_unaligned, dedupe, zh_code, en_code)
        return convert(source, output, output_format, options)

    written = run_reporting_errors(run)
    stderr.print(f"wrote {written} units to {'stdout' if output == '-' else output}")


@app.command("merge")
def merge_command(
    sources: Annotated[
        list[str],
        typer.Argument(metavar="FILE", help="tmx, csv, tsv, jsonl or parquet files."),
    ],
    output: OutputTarget,
    output_format: OutputFormat = None,
    dedupe: Dedupe = False,
) -> None:
    """Merge several files of aligned pairs into one."""
    from aligner.formats import merge

    written = run_reporting_errors(
        lambda: merge(sources, output, output_format, ExportOptions(dedupe=dedupe))
    )
    stderr.print(f"wrote {written} units to {'stdout' if output == '-' else output}")


@app.command("evaluate")
def evaluate_command(
    gold: Annotated[
        Path, typer.Option(metavar="PATH", help="Gold ladder file, or a folder of them.")
    ],
    test: Annotated[
        Path, typer.Option(metavar="PATH", help="Test ladder file, or a folder of them.")
    ],
) -> None:
    """Score test alignments against gold ones (strict/lax links and exact beads)."""
    from aligner.evaluate import evaluate_files

    run_reporting_errors(lambda: Console().print(metrics_table(evaluate_files(gold, test))))


def metrics_table(scores: dict[str, float]) -> Table:
    """The scores as a precision/recall/F1 by strict/lax/bead table, for the terminal."""
    table = Table("", "strict", "lax", "bead")
    for measure in ("precision", "recall", "f1"):
        table.add_row(
            measure.capitalize() if measure != "f1" else "F1",
            *(f"{scores[f'{measure}_{kind}']:.4f}" for kind in ("strict", "lax", "bead")),
        )
    return table


@app.command("glossary")
def glossary_command(
    source: Annotated[
        str,
        typer.Argument(metavar="FILE", help="Aligned pairs: tmx, csv, tsv, jsonl or parquet."),
    ],
    output: Annotated[
        str,
        typer.Option(
            "-o", "--output", metavar="FILE", help="Glossary: .csv, .tsv, .tbx or .txt (OmegaT)."
        ),
    ],
    output_format: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="FORMAT", help="csv, tsv, tbx or omegat."),
    ] = None,
    top: Annotated[
        int | None, typer.Option(metavar="N", help="Keep only the N best pairs.")
    ] = None,
    min_freq: Annotated[
        int, typer.Option("--min-freq", metavar="N", help="Fewest aligned beads a pair must share.")
    ] = 2,
    model: Annotated[
        str | None,
        typer.Option(metavar="NAME", help="Embedding model that checks the pairs (default: USE)."),
    ] = None,
    embed: Annotated[bool, typer.Option(help="Check pairs by embedding similarity.")] = True,
) -> None:
    """Extract bilingual term pairs from aligned text into a glossary."""
    from aligner.embed import load_embedder
    from aligner.glossary import glossary_file

    def run() -> int:
        embedder = load_embedder(model) if embed else None
        return glossary_file(source, output, embedder, top, min_freq, output_format)

    stderr.print(f"wrote {run_reporting_errors(run)} term pairs to {output}")


@app.command("batch")
def batch_command(
    input_dir: Annotated[
        Path,
        typer.Argument(metavar="FOLDER", help="Folder of documents, searched recursively."),
    ],
    output_dir: Annotated[
        Path,
        typer.Option(
            "-o", "--output", metavar="FOLDER", help="Folder for outputs, corpus, report.json."
        ),
    ],
    output_format: OutputFormat = "tmx",
    jobs: Annotated[
        int,
        typer.Option("--jobs", "-j", min=1, metavar="N", help="Worker processes, one model each."),
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
    to_simplified: ToSimplified = False,
    to_traditional: ToTraditional = False,
    no_repair: NoRepair = None,
    min_score: MinScore = 0.0,
    types: Types = None,
    drop_unaligned: DropUnaligned = False,
    dedupe: Dedupe = False,
    zh_code: ZhCode = None,
    en_code: EnCode = ExportOptions.en_code,
    quiet: Quiet = False,
) -> None:
    """Align every document in a folder; a re-run skips the finished ones."""
    from aligner.batch import BatchSettings, print_report, run_batch

    def run() -> BatchReport:
        if cache_dir is not None and not cache:
            raise AlignerError("--cache-dir has no effect with --no-cache; drop one of them")
        pipeline = pipeline_options(
            presegmented,
            src_lang,
            tgt_lang,
            max_align,
            embedded_run,
            to_simplified,
            to_traditional,
            no_repair or [],
        )
        export = export_options(min_score, types, drop_unaligned, dedupe, zh_code, en_code)
        fmt = format_for(str(output_dir), output_format)
        settings = BatchSettings(
            pipeline, export, fmt, model, device, jobs, cache, cache_dir, quiet
        )
        return run_batch(input_dir, output_dir, settings, console=stderr)

    report = run_reporting_errors(run)
    if not quiet:
        print_report(report, stderr)
    if report.failures:
        raise fail(
            f"{len(report.failures)} of {len(report.records)} documents failed; "
            f"see {output_dir / 'report.json'}"
        )


def parse_lang(value: str | None) -> Lang | None:
    if value is None:
        return None
    lang = language_of_code(value)
    if lang is None:
        raise AlignerError(f"unknown language {value!r}: use zh or en")
    return lang


def pipeline_options(
    presegmented: bool,
    src_lang: str | None,
    tgt_lang: str | None,
    max_align: int,
    embedded_run: int,
    to_simplified: bool,
    to_traditional: bool,
    no_repair: list[str],
) -> PipelineOptions:
    """The stage options shared by `align` and `batch`."""
    from aligner.clean import check_repair_names
    from aligner.config import CleanOptions, PipelineOptions

    if to_simplified and to_traditional:
        raise AlignerError("choose one of --to-simplified and --to-traditional")
    script: Script | None = (
        "simplified" if to_simplified else "traditional" if to_traditional else None
    )
    return PipelineOptions(
        presegmented=presegmented,
        src_lang=parse_lang(src_lang),
        tgt_lang=parse_lang(tgt_lang),
        clean=CleanOptions(disabled=check_repair_names(no_repair), to_script=script),
        align=AlignConfig(max_align=max_align, embedded_run=embedded_run),
    )


def export_options(
    min_score: float,
    types: str | None,
    drop_unaligned: bool,
    dedupe: bool,
    zh_code: str | None,
    en_code: str,
) -> ExportOptions:
    """The filters and language codes shared by `align`, `convert` and `batch`."""
    wanted = frozenset(kind.strip() for kind in types.split(",")) if types else None
    unknown = sorted(kind for kind in wanted or () if not re.fullmatch(r"\d+-\d+", kind))
    if unknown:
        raise AlignerError(f"--types takes bead types such as 1-1,1-2; not {', '.join(unknown)}")
    return ExportOptions(
        min_score=min_score,
        types=wanted,
        drop_unaligned=drop_unaligned,
        dedupe=dedupe,
        zh_code=zh_code,
        en_code=en_code,
    )


def check_outputs(inputs: list[Path], outputs: list[str]) -> None:
    """Before any work: each output can be written and none of them is an input."""
    from aligner.io import check_output

    for output in outputs:
        check_output(output)
        if output != "-" and any(Path(output).resolve() == path.resolve() for path in inputs):
            raise AlignerError(f"{output}: is also an input; choose another output file")


def warn_if_nothing_written(written: int, beads: list[Bead]) -> None:
    """A filter that leaves nothing is worth a word: the output file is empty."""
    if not written and beads:
        stderr.print(
            "aligner: warning: the filters (--min-score, --types, --drop-unaligned) left "
            "nothing to write",
            highlight=False,
            soft_wrap=True,
        )


def print_repairs(repairs: dict[str, int]) -> None:
    if not any(repairs.values()):
        stderr.print("cleaning: nothing to repair")
        return
    done = ", ".join(f"{name} {count}" for name, count in sorted(repairs.items()) if count)
    stderr.print(f"cleaning: {done}", highlight=False)


def print_dropped(dropped: dict[str, int]) -> None:
    """What the readers left out on purpose (`pdf: page numbers 12`); silent for plain text."""
    if any(dropped.values()):
        left_out = ", ".join(f"{name} {count}" for name, count in sorted(dropped.items()) if count)
        stderr.print(f"reading left out: {left_out}", highlight=False)


def print_summary(beads: list[Bead], written: int, output: str) -> None:
    kinds: dict[str, int] = {}
    for bead in beads:
        kinds[bead.kind] = kinds.get(bead.kind, 0) + 1
    breakdown = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    where = "stdout" if output == "-" else output
    stderr.print(
        f"{len(beads)} beads ({breakdown}); wrote {written} units to {where}",
        highlight=False,
        soft_wrap=True,
    )
