"""What every command shares: the stderr console, one-line errors, the options several
commands take (declared once so their names and help stay in step), and how those
options become the library's option records."""

from __future__ import annotations

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
from rich.text import Text

from aligner.config import AlignConfig, ExportOptions
from aligner.data import AlignerError, Bead
from aligner.text import Lang, Script, language_of_code

if TYPE_CHECKING:
    from aligner.config import PipelineOptions

stderr = Console(stderr=True, markup=False)
"""Where messages go; markup is off, so a message's own brackets (`aligner[parquet]`, a
file name) print as they are."""
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
        help="tmx, csv, tsv, jsonl, align, moses, parquet, srt (default: from the extension).",
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
        help="Longest run of sentences embedded as one text; longer runs combine vectors.",
    ),
]
Fast = Annotated[
    bool,
    typer.Option(
        "--fast",
        help="Pool run vectors approximately: about a quarter less time, a little "
        "less accuracy (docs/speed.md).",
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
    bool | None,
    typer.Option(
        "--drop-unaligned/--keep-unaligned",
        help="Leave out or keep unaligned sentences (default: kept in tables and ladders, "
        "left out of JSONL, TMX and Moses).",
        show_default=False,
    ),
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
    line = Text.assemble(("aligner: error:", "bold red"), " ", message)
    stderr.print(line, highlight=False, soft_wrap=True)
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
    fast: bool,
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
        align=AlignConfig(max_align=max_align, embedded_run=embedded_run, exact_runs=not fast),
    )


def export_options(
    min_score: float,
    types: str | None,
    drop_unaligned: bool | None,
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
