"""Command line: a thin typer layer over the library.

Data goes to files or stdout; progress, reports and errors go to stderr. An
`AlignerError` becomes one line on stderr and exit code 1, never a traceback. Each
command module registers its commands on `app` when imported.
"""

from aligner.cli import align, batch, files, review
from aligner.cli.main import app

__all__ = ["align", "app", "batch", "files", "review"]
