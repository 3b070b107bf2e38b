"""The `aligner` application and its global options (`--version`, `--verbose`)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.logging import RichHandler

from aligner.cli.common import stderr
from aligner.version import VERSION

app = typer.Typer(
    help="Align Chinese and English text: clean, split, segment, embed, align, export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def version_callback(show: bool) -> None:
    if show:
        typer.echo(f"aligner {VERSION}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            show_default=False,
            help="Say what each stage does (-vv: in detail).",
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
