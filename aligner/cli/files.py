"""Commands on files of aligned pairs: convert, merge, evaluate, glossary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from aligner.cli.common import (
    Dedupe,
    DropUnaligned,
    EnCode,
    MinScore,
    OutputFormat,
    OutputTarget,
    Types,
    ZhCode,
    export_options,
    run_reporting_errors,
    stderr,
)
from aligner.cli.main import app
from aligner.config import ExportOptions
from aligner.data import AlignerError


@app.command("convert")
def convert_command(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE", help="A tmx, csv, tsv, jsonl or parquet file, or a review project."
        ),
    ],
    output: OutputTarget,
    output_format: OutputFormat = None,
    min_score: MinScore = 0.0,
    types: Types = None,
    drop_unaligned: DropUnaligned = None,
    dedupe: Dedupe = False,
    zh_code: ZhCode = None,
    en_code: EnCode = ExportOptions.en_code,
    confirmed_only: Annotated[
        bool,
        typer.Option("--confirmed-only", help="Review project: export its confirmed beads only."),
    ] = False,
    triage: Annotated[
        float | None,
        typer.Option(
            metavar="SCORE",
            help="Review project: write OUT's .ready file (confirmed or scoring at least "
            "this) and .to-review file instead of OUT.",
        ),
    ] = None,
) -> None:
    """Convert aligned pairs between formats (TMX to JSONL, for example), or export a
    review project."""
    from aligner.formats import convert
    from aligner.review.exports import convert_project
    from aligner.review.storage import is_review_project

    def run() -> int:
        options = export_options(min_score, types, drop_unaligned, dedupe, zh_code, en_code)
        if is_review_project(source):
            return convert_project(source, output, output_format, options, confirmed_only, triage)
        if confirmed_only or triage is not None:
            raise AlignerError(
                f"{source}: --confirmed-only and --triage need a review project"
            )
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
