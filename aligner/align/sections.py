"""Headings and chapters as hard boundaries: no bead crosses a section.

A reader numbers the sections of a document (a heading or a chapter opens one). The
documents are aligned whole, so every signal sees all of the text, and a bead that
still crosses a section boundary is cut there into one bead per section. Sections are
matched:

- in one mixed document, both languages share its numbering: section k is section k;
- in two files, the k-th section of one is the k-th of the other when both have the
  same number of sections; when the numbers differ the structures disagree (a heading
  missing on one side) and no boundary is enforced.

Aligning section by section instead was tried on the seed interview written as Word,
HTML and Markdown (a heading splits it into an introduction and the interview): the
short introduction aligned on its own lost its title pair, which the whole-document
alignment finds. Plain text has one section, so its alignment is exactly `align`'s.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from itertools import groupby

from aligner.align.engine import align
from aligner.config import AlignConfig
from aligner.data import Bead, Sentence
from aligner.embed import Embedder

logger = logging.getLogger(__name__)


def _ranks(sentences: Sequence[Sentence]) -> dict[int, int]:
    """Each section number's rank in document order."""
    return {
        section: rank for rank, (section, _) in enumerate(groupby(s.section for s in sentences))
    }


def _section_keys(
    src: Sequence[Sentence], tgt: Sequence[Sentence], shared_numbering: bool
) -> tuple[list[int], list[int]] | None:
    """Comparable section keys of every source and target sentence, or None when the two
    sides' sections cannot be matched (or there is only one)."""
    if shared_numbering:
        src_keys = [sentence.section for sentence in src]
        tgt_keys = [sentence.section for sentence in tgt]
    else:
        src_ranks, tgt_ranks = _ranks(src), _ranks(tgt)
        if len(src_ranks) != len(tgt_ranks):
            logger.info(
                "the documents have %d and %d sections: no section boundary enforced",
                len(src_ranks), len(tgt_ranks),
            )  # fmt: skip
            return None
        src_keys = [src_ranks[sentence.section] for sentence in src]
        tgt_keys = [tgt_ranks[sentence.section] for sentence in tgt]
    if len(set(src_keys) | set(tgt_keys)) <= 1:
        return None
    return src_keys, tgt_keys


def _cut(bead: Bead, src_keys: list[int], tgt_keys: list[int]) -> list[Bead]:
    """A bead cut into one bead per section it touches, in order, each keeping its score."""
    sections = sorted({src_keys[i] for i in bead.src} | {tgt_keys[j] for j in bead.tgt})
    if len(sections) == 1:
        return [bead]
    return [
        Bead(
            tuple(i for i in bead.src if src_keys[i] == section),
            tuple(j for j in bead.tgt if tgt_keys[j] == section),
            bead.score,
        )
        for section in sections
    ]


def align_sections(
    src: Sequence[Sentence],
    tgt: Sequence[Sentence],
    embedder: Embedder,
    config: AlignConfig | None = None,
    shared_numbering: bool = False,
) -> list[Bead]:
    """`align`, with every bead that crosses a matched section boundary cut at it."""
    beads = align(src, tgt, embedder, config)
    keys = _section_keys(src, tgt, shared_numbering)
    if keys is None:
        return beads
    cut = [part for bead in beads for part in _cut(bead, *keys)]
    if len(cut) > len(beads):
        logger.info("cut %d beads at section boundaries", len(cut) - len(beads))
    return cut
