"""`aligner check`: re-score a translation memory and flag the units that look wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aligner.cli.common import Device, Model, Quiet, run_reporting_errors, status, stderr
from aligner.cli.main import app


@app.command("check")
def check_command(
    source: Annotated[
        Path, typer.Argument(metavar="FILE", help="A translation memory (.tmx) or an XLIFF.")
    ],
    output: Annotated[
        str,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Table of scored units (.tsv or .csv), - for stdout.",
        ),
    ] = "-",
    threshold: Annotated[
        float | None,
        typer.Option(
            metavar="SCORE",
            help="Flag units scoring below this (default -0.3 on the CSLS scale; 0.25 cosine "
            "for a TM of under 100 distinct units).",
        ),
    ] = None,
    only_suspect: Annotated[
        bool, typer.Option("--only-suspect", help="Write the suspect units only.")
    ] = False,
    model: Model = None,
    device: Device = "cpu",
    quiet: Quiet = False,
) -> None:
    """Re-score each unit of an existing translation memory with the embedding model and
    flag the ones whose source and target look unrelated."""
    from aligner.check import check_file, write_checked
    from aligner.embed import load_embedder

    def run() -> tuple[int, int]:
        embedder = load_embedder(model, device)
        with status("Scoring…", quiet):
            checked = check_file(source, embedder, threshold)
        write_checked(checked, output, only_suspect)
        return len(checked), sum(unit.suspect for unit in checked)

    total, suspect = run_reporting_errors(run)
    if not quiet:
        stderr.print(f"{total} units checked, {suspect} suspect", highlight=False)
