"""Command line: a thin typer layer over the pipeline and the export functions.

Data goes to files or stdout; progress, reports and errors go to stderr. An
`AlignerError` becomes one line on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console

from aligner import __version__
from aligner.data import AlignerError, Bead, Lang, Script
from aligner.export import ExportOptions, format_for, write_alignments

if TYPE_CHECKING:
    from aligner.batch import BatchReport
    from aligner.pipeline import PipelineOptions

app = typer.Typer(
    help="Align Chinese and English text: clean, split, segment, embed, align, export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True)
T = TypeVar("T")


# Options several commands share, declared once so their names and help stay in step.
OutputTarget = Annotated[str, typer.Option("-o", "--output", help="Output file, or - for stdout.")]
OutputFormat = Annotated[
    str | None,
    typer.Option("--format", "-f", help="tmx, csv, tsv, jsonl, align, moses, parquet."),
]
SrcLang = Annotated[str | None, typer.Option(help="Source language: zh or en.")]
TgtLang = Annotated[str | None, typer.Option(help="Target language: zh or en.")]
Presegmented = Annotated[
    bool, typer.Option(help="Inputs hold one sentence per line; line numbers are ids.")
]
Model = Annotated[
    str | None,
    typer.Option(help="sentence-transformers model name or path (default: offline USE)."),
]
Device = Annotated[str, typer.Option(help="cpu, cuda, cuda:1, mps.")]
MaxAlign = Annotated[int, typer.Option(min=1, help="Most sentences on one side of a bead.")]
EmbeddedRun = Annotated[
    int,
    typer.Option(
        min=1,
        help="Longest run of sentences embedded as text; longer runs combine vectors. "
        "2 embeds about 3x less text than 4 (for very large inputs), at some accuracy cost.",
    ),
]
MinScore = Annotated[float, typer.Option(help="Drop beads scoring below this.")]
Types = Annotated[str | None, typer.Option(help="Keep only these bead types, e.g. 1-1,1-2.")]
DropUnaligned = Annotated[bool, typer.Option(help="Leave out unaligned sentences.")]
Dedupe = Annotated[bool, typer.Option(help="Write each distinct pair once.")]
ZhCode = Annotated[
    str | None, typer.Option(help="Chinese language code in TMX (default zh-CN/zh-TW).")
]
EnCode = Annotated[str, typer.Option(help="English language code in TMX.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")]
ToSimplified = Annotated[
    bool, typer.Option(help="Convert the Chinese text to Simplified characters.")
]
NoRepair = Annotated[
    list[str] | None,
    typer.Option(
        help="Switch a cleaning repair off (repeatable): pinyin-glosses, big5-mojibake, "
        "encoding-mojibake, pdf-hyphens, html-residue, invisible-chars, whitespace."
    ),
]
ToTraditional = Annotated[
    bool, typer.Option(help="Convert the Chinese text to Traditional characters.")
]


def fail(message: str) -> typer.Exit:
    """Print one error line on stderr; the caller raises the returned Exit."""
    stderr.print(f"[bold red]aligner: error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(1)


def run_reporting_errors(action: Callable[[], T]) -> T:
    """Run a command body, turning user-fixable problems into one stderr line."""
    try:
        return action()
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
        typer.echo(f"aligner {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True)
    ] = False,
) -> None:
    """Chinese–English parallel-text aligner."""


@app.command("align")
def align_command(
    inputs: Annotated[
        list[Path], typer.Argument(help="One mixed zh/en document, or SRC and TGT files.")
    ],
    output: OutputTarget,
    output_format: OutputFormat = None,
    src_lang: SrcLang = None,
    tgt_lang: TgtLang = None,
    presegmented: Presegmented = False,
    model: Model = None,
    device: Device = "cpu",
    max_align: MaxAlign = 5,
    embedded_run: EmbeddedRun = 4,
    min_score: MinScore = 0.0,
    types: Types = None,
    drop_unaligned: DropUnaligned = False,
    dedupe: Dedupe = False,
    zh_code: ZhCode = None,
    en_code: EnCode = "en-US",
    to_simplified: ToSimplified = False,
    to_traditional: ToTraditional = False,
    no_repair: NoRepair = None,
    report: Annotated[bool, typer.Option(help="Print what cleaning repaired.")] = False,
    glossary: Annotated[
        str | None, typer.Option(help="Also write a glossary of term pairs to this file.")
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Align one mixed document, or a source and a target file."""
    from aligner.embed import load_embedder
    from aligner.pipeline import align_inputs

    def run() -> None:
        fmt = format_for(output, output_format)
        folder = Path(output).parent
        if output != "-" and not folder.is_dir():
            raise AlignerError(f"{output}: the folder {folder} does not exist")
        export = export_options(min_score, types, drop_unaligned, dedupe, zh_code, en_code)
        if glossary:
            from aligner.glossary import glossary_format

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
        written = write_alignments([document.alignment], output, fmt, export)
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
        str, typer.Argument(help="A tmx, csv, tsv, jsonl or parquet file, or a review project.")
    ],
    output: OutputTarget,
    output_format: OutputFormat = None,
    min_score: MinScore = 0.0,
    types: Types = None,
    drop_unaligned: DropUnaligned = False,
    dedupe: Dedupe = False,
    zh_code: ZhCode = None,
    en_code: EnCode = "en-US",
    confirmed_only: Annotated[
        bool, typer.Option(help="Review project: export its confirmed beads only.")
    ] = False,
    triage: Annotated[
        float | None,
        typer.Option(
            help="Review project: write OUT's .ready file (confirmed or scoring at least "
            "this) and .to-review file instead of OUT."
        ),
    ] = None,
) -> None:
    """Convert aligned pairs between formats, e.g. TMX to JSONL, or export a review project."""
    from aligner.export import convert
    from aligner.review.exports import convert_project
    from aligner.review.storage import is_review_project

    def run() -> int:
        options = export_options(min_score, types, drop_unaligned, dedupe, zh_code, en_code)
        if is_review_project(source):
            return convert_project(source, output, output_format, options, confirmed_only, triage)
        if confirmed_only or triage is not None:
            raise AlignerError(f"{source}: --confirmed-only and --triage need a review project")
        return convert(source, output, output_format, options)

    written = run_reporting_errors(run)
    stderr.print(f"wrote {written} units to {'stdout' if output == '-' else output}")


@app.command("merge")
def merge_command(
    sources: Annotated[list[str], typer.Argument(help="tmx, csv, tsv, jsonl or parquet files.")],
    output: OutputTarget,
    output_format: OutputFormat = None,
    dedupe: Dedupe = False,
) -> None:
    """Merge several files of aligned pairs into one."""
    from aligner.export import merge

    written = run_reporting_errors(
        lambda: merge(sources, output, output_format, ExportOptions(dedupe=dedupe))
    )
    stderr.print(f"wrote {written} units to {'stdout' if output == '-' else output}")


@app.command("evaluate")
def evaluate_command(
    gold: Annotated[Path, typer.Option(help="Gold ladder file, or a directory of them.")],
    test: Annotated[Path, typer.Option(help="Test ladder file, or a directory of them.")],
) -> None:
    """Score test alignments against gold ones (strict/lax links and exact beads)."""
    from aligner.evaluate import evaluate_files, metrics_table

    run_reporting_errors(lambda: Console().print(metrics_table(evaluate_files(gold, test))))


@app.command("glossary")
def glossary_command(
    source: Annotated[str, typer.Argument(help="Aligned pairs: tmx, csv, tsv, jsonl or parquet.")],
    output: Annotated[
        str, typer.Option("-o", "--output", help="Glossary: .csv, .tsv, .tbx or .txt (OmegaT).")
    ],
    output_format: Annotated[
        str | None, typer.Option("--format", "-f", help="csv, tsv, tbx or omegat.")
    ] = None,
    top: Annotated[int | None, typer.Option(help="Keep only the N best pairs.")] = None,
    min_freq: Annotated[
        int, typer.Option("--min-freq", help="Fewest aligned beads a pair must share.")
    ] = 2,
    model: Annotated[
        str | None, typer.Option(help="Embedding model that checks the pairs (default: USE).")
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
    input_dir: Annotated[Path, typer.Argument(help="Folder of documents, searched recursively.")],
    output_dir: Annotated[
        Path, typer.Option("-o", "--output", help="Folder for outputs, corpus and report.json.")
    ],
    output_format: OutputFormat = "tmx",
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Worker processes, one model each.")
    ] = 1,
    presegmented: Presegmented = False,
    src_lang: SrcLang = None,
    tgt_lang: TgtLang = None,
    model: Model = None,
    device: Device = "cpu",
    cache: Annotated[bool, typer.Option(help="Keep embeddings on disk for re-runs.")] = True,
    cache_dir: Annotated[
        Path | None, typer.Option(help="Embedding cache folder (default OUTPUT/.cache).")
    ] = None,
    max_align: MaxAlign = 5,
    embedded_run: EmbeddedRun = 4,
    to_simplified: ToSimplified = False,
    to_traditional: ToTraditional = False,
    no_repair: NoRepair = None,
    min_score: MinScore = 0.0,
    types: Types = None,
    drop_unaligned: DropUnaligned = False,
    dedupe: Dedupe = False,
    zh_code: ZhCode = None,
    en_code: EnCode = "en-US",
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
    lowered = value.lower()
    if lowered.startswith("zh") or lowered in ("chinese", "cmn"):
        return "zh"
    if lowered.startswith("en") or lowered == "english":
        return "en"
    raise AlignerError(f"unknown language {value!r}: use zh or en")


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
    from aligner.align import AlignConfig
    from aligner.clean import CleanOptions
    from aligner.pipeline import PipelineOptions

    if to_simplified and to_traditional:
        raise AlignerError("choose one of --to-simplified and --to-traditional")
    script: Script | None = (
        "simplified" if to_simplified else "traditional" if to_traditional else None
    )
    switches = {field.name for field in fields(CleanOptions) if field.type in (bool, "bool")}
    off = {name.strip().lower().replace("-", "_") for name in no_repair}
    if unknown := sorted(off - switches):
        raise AlignerError(
            f"unknown repair {', '.join(unknown)}; choose from "
            + ", ".join(sorted(name.replace("_", "-") for name in switches))
        )
    return PipelineOptions(
        presegmented=presegmented,
        src_lang=parse_lang(src_lang),
        tgt_lang=parse_lang(tgt_lang),
        clean=CleanOptions(to_script=script, **dict.fromkeys(off, False)),
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


def print_repairs(repairs: dict[str, int]) -> None:
    if not any(repairs.values()):
        stderr.print("cleaning: nothing to repair")
        return
    done = ", ".join(f"{name} {count}" for name, count in sorted(repairs.items()) if count)
    stderr.print(f"cleaning: {done}", highlight=False)


def print_summary(beads: list[Bead], written: int, output: str) -> None:
    kinds: dict[str, int] = {}
    for bead in beads:
        kinds[bead.kind] = kinds.get(bead.kind, 0) + 1
    breakdown = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    where = "stdout" if output == "-" else output
    stderr.print(
        f"{len(beads)} beads ({breakdown}); wrote {written} units to {where}", highlight=False
    )


@app.command("review")
def review_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="A mixed document or SRC TGT (aligned first), an alignment (tmx, csv, tsv, "
            "jsonl, parquet, or LADDER SRC TGT), or a saved review project."
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Review project to save to (default: NAME.review.json)."
        ),
    ] = None,
    presegmented: Presegmented = False,
    model: Model = None,
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free one).")] = 0,
    browser: Annotated[bool, typer.Option(help="Open the page in the web browser.")] = True,
) -> None:
    """Review an alignment in the browser: confirm, fix and export beads."""
    import webbrowser

    from aligner.review import open_session

    def run() -> None:
        try:
            from aligner.review.server import ReviewServer
        except ImportError as error:
            raise AlignerError(
                f"aligner review needs {error.name}: pip install 'aligner[review]'"
            ) from None
        with status("Opening…", quiet=False):
            session = open_session(list(inputs), output, model, presegmented)
        server = ReviewServer(session, port)
        stderr.print(
            f"Reviewing {len(session.project.beads)} beads, saved to {session.path}. "
            "Open the address below; Ctrl+C stops (unsaved edits are saved)."
        )
        typer.echo(server.url)
        if browser:
            webbrowser.open(server.url)
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            if session.project.dirty:
                session.save()
                stderr.print(f"saved {session.path}")

    run_reporting_errors(run)
