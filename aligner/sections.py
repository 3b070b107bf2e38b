"""Headings and chapters as hard boundaries: align section by section.

A reader numbers the sections of a document (a heading or a chapter opens one). When
both sides can be paired section for section, each pair is aligned on its own and the
beads are joined, so no bead crosses a heading. The pairing:

- one mixed document: both languages share its numbering, so section k pairs with
  section k (a section with one language only gives unaligned sentences);
- two files: section k of one pairs with section k of the other when both have the same
  number of sections; when they differ the structures disagree (a heading missing on one
  side), and the whole documents are aligned as before, the aligner's own signals
  deciding.

Plain text has one section, so its alignment is exactly what `align` gives.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from itertools import groupby

from aligner.align import align
from aligner.config import AlignConfig
from aligner.data import Bead, Sentence
from aligner.embed import Embedder

logger = logging.getLogger(__name__)


def _spans(sentences: Sequence[Sentence]) -> dict[int, range]:
    """Each section's sentence positions, in document order (sections are contiguous)."""
    spans: dict[int, range] = {}
    position = 0
    for section, run in groupby(sentences, key=lambda sentence: sentence.section):
        count = sum(1 for _ in run)
        spans[section] = range(position, position + count)
        position += count
    return spans


def _paired_spans(
    src: Sequence[Sentence], tgt: Sequence[Sentence], shared_numbering: bool
) -> list[tuple[range, range]] | None:
    src_spans, tgt_spans = _spans(src), _spans(tgt)
    if len(src_spans) <= 1 and len(tgt_spans) <= 1:
        return None
    if not shared_numbering:
        if len(src_spans) != len(tgt_spans):
            logger.info(
                "sections differ (%d and %d): aligning the whole documents",
                len(src_spans), len(tgt_spans),
            )  # fmt: skip
            return None
        return list(zip(src_spans.values(), tgt_spans.values()))
    sections = sorted(set(src_spans) | set(tgt_spans))
    src_at = tgt_at = 0
    pairs = []
    for section in sections:
        src_span = src_spans.get(section, range(src_at, src_at))
        tgt_span = tgt_spans.get(section, range(tgt_at, tgt_at))
        pairs.append((src_span, tgt_span))
        src_at, tgt_at = src_span.stop, tgt_span.stop
    return pairs


def align_sections(
    src: Sequence[Sentence],
    tgt: Sequence[Sentence],
    embedder: Embedder,
    config: AlignConfig | None = None,
    shared_numbering: bool = False,
) -> list[Bead]:
    """`align`, section by section when the sections pair up (see the module docstring)."""
    pairs = _paired_spans(src, tgt, shared_numbering)
    if pairs is None:
        return align(src, tgt, embedder, config)
    logger.info("aligning %d sections one by one", len(pairs))
    beads: list[Bead] = []
    for src_span, tgt_span in pairs:
        for bead in align([src[i] for i in src_span], [tgt[j] for j in tgt_span], embedder, config):
            beads.append(
                Bead(
                    tuple(src_span.start + i for i in bead.src),
                    tuple(tgt_span.start + j for j in bead.tgt),
                    bead.score,
                )
            )
    return beads
