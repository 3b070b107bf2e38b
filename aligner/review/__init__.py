"""Reviewing an alignment in the browser: confirm, fix and export beads before they
become a translation memory.

`aligner review INPUT…` opens a project (`sources`), keeps it as a `ReviewProject` with
undo and redo (`project`, edits in `operations`), re-aligns around each edit
(`realign`), saves it atomically (`storage`), writes every output format (`exports`)
and serves the page in `static/` on 127.0.0.1 (`server`, over `session`). Importing
this package loads none of the web stack; `server` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aligner.review.realign import MemoEmbedder
from aligner.review.session import ReviewSession
from aligner.review.sources import open_inputs
from aligner.review.stages import load_model

__all__ = ["open_session"]


def open_session(
    inputs: Sequence[Path],
    project_path: Path | None = None,
    model: str | None = None,
    presegmented: bool = False,
) -> ReviewSession:
    """A review of `inputs` (aligned first if they are raw texts), saved to `project_path`
    or, by default, to the project it was opened from or `NAME.review.json` beside it."""
    embedder = MemoEmbedder(load_model(model))
    opened = open_inputs(inputs, embedder, presegmented)
    return ReviewSession(opened.project, project_path or opened.path, embedder)
