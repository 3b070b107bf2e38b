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

from aligner.data import AlignerError
from aligner.review.operations import edit_from_request
from aligner.review.project import SIDES, Change, ReviewBead, ReviewError, ReviewProject
from aligner.review.realign import MemoEmbedder, prepare_aligner, with_realignment
from aligner.review.storage import save_project

if TYPE_CHECKING:
    from aligner.embed import Embedder

logger = logging.getLogger(__name__)

PREFETCH_BATCH = 32
"""Sentences embedded per turn in the background; an edit waits for one batch at most."""


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
        self.embedder.retain(self.sentence_texts())
        self.warming: threading.Thread | None = None
        self.aligner_ready = threading.Event()
        self.prefetched = threading.Event()
        self.closed = threading.Event()

    def sentence_texts(self) -> list[str]:
        return [s.text for side in SIDES for s in self.project.sentences[side] if s.text.strip()]

    def warm_up(self) -> None:
        """Once the page has its document (so its first view is not slowed), load the
        aligner and embed every sentence in the background, a batch at a time: then an
        edit anywhere re-aligns from cached vectors, even in a project opened from a
        file. The reviewer can edit meanwhile; an edit waits for one batch at most."""
        if self.warming is None:
            self.warming = threading.Thread(target=self._prepare, name="review-warm-up",
                                            daemon=True)
            self.warming.start()

    def _prepare(self) -> None:
        prepare_aligner()
        self.aligner_ready.set()
        texts = self.sentence_texts()
        try:
            for start in range(0, len(texts), PREFETCH_BATCH):
                if self.closed.is_set():
                    return
                with self.lock:
                    self.embedder.encode(texts[start : start + PREFETCH_BATCH])
        except AlignerError as error:
            logger.warning("embedding the sentences ahead failed: %s", error)
            return
        self.prefetched.set()
        logger.info("embedded %d sentences ahead", len(texts))

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
