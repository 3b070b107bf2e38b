"""One review in progress: the project, where it is saved, and the model for re-aligning.

The web server is a thin layer over this class: each method takes and returns plain
JSON-ready data. A page first loads the whole document (`document`), then every edit,
undo or redo answers with a patch (`start`, how many beads to remove, the beads to
insert, texts rewritten), so an edit in a 10,000-bead document sends a few beads, not
the document.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aligner.review.operations import edit_from_request
from aligner.review.project import Change, ReviewBead, ReviewError, ReviewProject
from aligner.review.realign import MemoEmbedder, warm_up, with_realignment
from aligner.review.storage import save_project

if TYPE_CHECKING:
    from aligner.embed import Embedder

logger = logging.getLogger(__name__)


class StaleEdit(ReviewError):
    """The page showed an older state than the project's; it must reload first."""


def bead_record(bead: ReviewBead) -> list[Any]:
    return [list(bead.src), list(bead.tgt), round(bead.score, 4), bead.confirmed, bead.edited]


class ReviewSession:
    """A project under review; one lock makes concurrent requests take turns."""

    def __init__(self, project: ReviewProject, path: Path, embedder: Embedder) -> None:
        self.project = project
        self.path = path
        self.embedder = embedder if isinstance(embedder, MemoEmbedder) else MemoEmbedder(embedder)
        self.lock = threading.Lock()
        self.warming: threading.Thread | None = None

    def warm_up(self) -> None:
        """Prepare the aligner in the background once the page has its document, so the
        first edit is fast without slowing the page's first view."""
        if self.warming is None:
            self.warming = warm_up()

    def state(self) -> dict[str, Any]:
        project = self.project
        return {
            "revision": project.revision,
            "dirty": project.dirty,
            "undo": project.undo_stack[-1].action if project.undo_stack else None,
            "redo": project.redo_stack[-1].action if project.redo_stack else None,
            "path": self.path.name,
        }

    def document(self) -> dict[str, Any]:
        """Everything the page shows: both texts, the beads and the history state."""
        with self.lock:
            project = self.project
            return {
                "name": project.name,
                "src_lang": project.src_lang,
                "tgt_lang": project.tgt_lang,
                "src": [sentence.text for sentence in project.sentences["src"]],
                "tgt": [sentence.text for sentence in project.sentences["tgt"]],
                "beads": [bead_record(bead) for bead in project.beads],
                **self.state(),
            }

    def _patch(self, change: Change, own: tuple[ReviewBead, ...] | None = None) -> dict[str, Any]:
        """What the page needs to redraw; `focus` is where the reviewer's own beads
        (`own`, inside a re-aligned change) now start, so the cursor can stay on them."""
        own = change.after if own is None else own
        focus = change.start
        for offset in range(len(change.after) - len(own) + 1):
            if change.after[offset : offset + len(own)] == own:
                focus = change.start + offset
                break
        return {
            "action": change.action,
            "start": change.start,
            "focus": focus,
            "own": len(own),
            "remove": len(change.before),
            "beads": [bead_record(bead) for bead in change.after],
            "texts": [[text.side, text.sentence, text.after] for text in change.texts],
            **self.state(),
        }

    def _check_revision(self, payload: Mapping[str, Any]) -> None:
        revision = payload.get("revision")
        if revision != self.project.revision:
            raise StaleEdit(
                f"the page shows revision {revision} but the project is at "
                f"{self.project.revision}; reload the page"
            )

    def edit(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Check and apply one edit, re-aligning around it when it reshaped beads."""
        with self.lock:
            self._check_revision(payload)
            edit = edit_from_request(self.project, payload)
            change = edit.change
            if edit.realign:
                change = with_realignment(self.project, change, self.embedder)
            return self._patch(self.project.apply(change), edit.change.after)

    def undo(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        with self.lock:
            self._check_revision(payload)
            return self._patch(self.project.undo())

    def redo(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        with self.lock:
            self._check_revision(payload)
            return self._patch(self.project.redo())

    def save(self) -> dict[str, Any]:
        with self.lock:
            save_project(self.project, self.path)
            logger.info("saved %s", self.path)
            return self.state()
