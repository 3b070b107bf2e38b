"""`aligner review`: check, fix and confirm an alignment in the browser."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from aligner.cli.common import Model, Presegmented, run_reporting_errors, status, stderr
from aligner.cli.main import app


@app.command("review")
def review_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT",
            help="A mixed document or SRC TGT (aligned first), an alignment (tmx, csv, tsv, "
            "jsonl, parquet, or LADDER SRC TGT), or a saved review project.",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PROJECT",
            help="Review project to save to (default: NAME.review.json).",
        ),
    ] = None,
    presegmented: Presegmented = False,
    model: Model = None,
    port: Annotated[
        int, typer.Option(min=0, max=65535, metavar="PORT", help="Port (0: any free one).")
    ] = 0,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Print the address only; open no browser.")
    ] = False,
) -> None:
    """Review an alignment in the browser: confirm, fix and export beads."""
    from aligner.review import open_session
    from aligner.review.server import ReviewServer

    def run() -> None:
        with status("Opening…", quiet=False):
            session = open_session(list(inputs), output, model, presegmented)
        server = ReviewServer(session, port)
        stderr.print(
            f"Reviewing {len(session.project.beads)} beads, saved to {session.path}. "
            "Open the address below; Ctrl+C stops (unsaved edits are saved).",
            soft_wrap=True,
        )
        typer.echo(server.url)
        if not no_browser:
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
