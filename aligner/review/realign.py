"""Re-aligning the unconfirmed beads around an edit, with fixed beads as anchors.

After the reviewer reshapes a bead, the beads on either side of it up to the nearest
anchored bead (confirmed, or shaped by the reviewer) are aligned again from their
sentences, so a fix can pull its neighbours right. Only a bounded stretch on each side
is re-aligned, so an edit costs about the same in a long document as in a short one;
`MemoEmbedder` keeps the vectors of texts already embedded, and the runs of sentences
inside a stretch are the same texts the first alignment embedded.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from aligner.review.project import Change, ReviewBead, ReviewProject
from aligner.review.stages import align_sentences

if TYPE_CHECKING:
    from aligner.embed import Embedder

logger = logging.getLogger(__name__)

MAX_STRETCH_BEADS = 12
"""Beads re-aligned on each side of an edit, at most: enough to let a shifted pairing
settle, small enough that an edit answers in well under a second."""
MAX_ALIGN = 5
"""Most sentences on one side of a re-aligned bead, as in `aligner align`."""
EMBEDDED_RUN = 1
"""Re-alignment embeds single sentences only (longer runs combine their vectors) and
leaves out the clause-boundary term (`BOUNDARY_WEIGHT` 0), so an edit needs about 50
short texts embedded, not about 300 runs and clauses; single sentences are also what
the first alignment embedded, so they are usually in `MemoEmbedder` already."""
BOUNDARY_WEIGHT = 0.0


class MemoEmbedder:
    """Any embedder with an in-memory cache of the vectors of texts it has embedded.

    `retain` keeps only the texts re-alignment asks for (single sentences), so the
    cache of a 10,000-bead document holds about 20,000 vectors, not the runs and
    clauses its first alignment embedded; `capacity` caps it whatever happens.
    """

    def __init__(self, inner: Embedder, capacity: int = 100_000) -> None:
        self.inner = inner
        self.name = inner.name
        self.capacity = capacity
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def size(self) -> int:
        """Vectors held (not `__len__`: an empty cache must not be falsy where callers
        write `embedder or load_embedder()`)."""
        return len(self._vectors)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(text for text in texts if text not in self._vectors))
        if missing:
            fresh = np.asarray(self.inner.encode(missing), dtype=np.float32)
            self._vectors.update(zip(missing, fresh))
        for text in texts:
            self._vectors.move_to_end(text)
        rows = [self._vectors[text] for text in texts]
        while len(self._vectors) > self.capacity:
            self._vectors.popitem(last=False)
        if not rows:
            return self.inner.encode([])
        return np.stack(rows)

    def retain(self, texts: Iterable[str]) -> None:
        """Forget every vector but those of `texts`."""
        kept = set(texts)
        for text in [text for text in self._vectors if text not in kept]:
            del self._vectors[text]


class _RandomEmbedder:
    """Throwaway vectors for `warm_up`: only the aligner's compiled code matters there."""

    name = "warm-up"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.random.default_rng(0).standard_normal((len(texts), 8)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def prepare_aligner() -> None:
    """Import the aligner and load its compiled kernels (about two seconds when cold)
    by aligning two throwaway sentences."""
    from aligner.data import Sentence

    src = [Sentence(text, "zh") for text in ("第一句。", "第二句。")]
    tgt = [Sentence(text, "en") for text in ("One.", "Two.")]
    align_sentences(src, tgt, _RandomEmbedder(), MAX_ALIGN, EMBEDDED_RUN, BOUNDARY_WEIGHT)


def _stretch_start(beads: Sequence[ReviewBead], start: int) -> int:
    """The first bead of the unanchored run that ends just before `start` (bounded)."""
    first = start
    while first > 0 and start - first < MAX_STRETCH_BEADS and not beads[first - 1].anchored:
        first -= 1
    return first


def _stretch_stop(beads: Sequence[ReviewBead], stop: int) -> int:
    last = stop
    while last < len(beads) and last - stop < MAX_STRETCH_BEADS and not beads[last].anchored:
        last += 1
    return last


def _aligned_again(
    project: ReviewProject, stretch: Sequence[ReviewBead], embedder: Embedder
) -> tuple[ReviewBead, ...]:
    """The stretch's sentences aligned afresh; ids keep their place in the document."""
    src_ids = [i for bead in stretch for i in bead.src]
    tgt_ids = [j for bead in stretch for j in bead.tgt]
    if len(stretch) < 2 and not (src_ids and tgt_ids):
        return tuple(stretch)
    src = [project.sentences["src"][i] for i in src_ids]
    tgt = [project.sentences["tgt"][j] for j in tgt_ids]
    src_offset = src_ids[0] if src_ids else 0
    tgt_offset = tgt_ids[0] if tgt_ids else 0
    return tuple(
        ReviewBead(
            tuple(i + src_offset for i in bead.src),
            tuple(j + tgt_offset for j in bead.tgt),
            bead.score,
        )
        for bead in align_sentences(src, tgt, embedder, MAX_ALIGN, EMBEDDED_RUN, BOUNDARY_WEIGHT)
    )


def with_realignment(project: ReviewProject, change: Change, embedder: Embedder) -> Change:
    """`change` widened to re-align the unanchored beads on each side of it.

    The change's own beads are the reviewer's and stay as they are; the stretches
    before and after them are aligned separately, each between its anchors.
    """
    beads = project.beads
    start, stop = change.start, change.start + len(change.before)
    first, last = _stretch_start(beads, start), _stretch_stop(beads, stop)
    before_stretch, after_stretch = beads[first:start], beads[stop:last]
    realigned = (
        _aligned_again(project, before_stretch, embedder)
        + change.after
        + _aligned_again(project, after_stretch, embedder)
    )
    logger.debug("re-aligned beads %d to %d around %s", first, last - 1, change.action)
    return Change(
        change.action,
        first,
        tuple(before_stretch) + change.before + tuple(after_stretch),
        realigned,
        change.texts,
    )
