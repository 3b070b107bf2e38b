"""A second look at the path the dynamic programme chose: sentences without a translation.

The programme charges `skip_cost` for a gap left unaligned but almost nothing for a
sentence that rides along in a neighbour's bead, so a sentence the translator left out
ends up merged with its neighbour, and part of an untranslated passage may be folded into
the beads around it. Here each merged bead is asked whether some of its first or last
sentences on one side add nothing: if the bead is clearly better without them, they are
left unaligned. Only vectors the engine already has are read (the run vectors of
sub-beads).

Only the side with fewer sentences is questioned, where a sentence is a whole thought.
The other side splits a thought into parts of which some add little on their own (a
speech tag, "Yes."): on MAC-Dev the test on the English side removed right sentences far
more often than it found added ones, and on the Bible, whose Chinese side has more
sentences, the test on the Chinese side removed 24 right ones (docs/tuning.md).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from aligner.align.kernel import Features, Weights, bead_quality
from aligner.config import AlignConfig

logger = logging.getLogger(__name__)


class Span(NamedTuple):
    """A bead as positions: `src_size` sentences from `src_start`, the same on the target."""

    src_start: int
    src_size: int
    tgt_start: int
    tgt_size: int


def spans_from_shapes(
    shapes: Sequence[tuple[int, int]] | np.ndarray, start: tuple[int, int] = (0, 0)
) -> list[Span]:
    """The spans of a path given as (src_size, tgt_size) steps from `start`; a gap of
    several sentences becomes one span per sentence, as every unaligned sentence is a
    bead of its own."""
    spans = []
    i, j = start
    for src_size, tgt_size in shapes:
        if src_size and tgt_size:
            spans.append(Span(i, int(src_size), j, int(tgt_size)))
        else:
            spans.extend(Span(i + k, 1, j, 0) for k in range(int(src_size)))
            spans.extend(Span(i, 0, j + k, 1) for k in range(int(tgt_size)))
        i += int(src_size)
        j += int(tgt_size)
    return spans


def refine(
    spans: list[Span],
    features: Features,
    weights: Weights,
    config: AlignConfig,
    question_source: bool,
) -> list[Span]:
    """The path with untranslated edge sentences of merged beads left unaligned, on the
    source side if `question_source`, else on the target side."""
    return [
        part
        for span in spans
        for part in _without_untranslated_edges(span, features, weights, config, question_source)
    ]


def _without_untranslated_edges(
    span: Span, features: Features, weights: Weights, config: AlignConfig, question_source: bool
) -> list[Span]:
    """`span`, or the bead without some of its first and last sentences on the questioned
    side, those left unaligned, when the smaller bead's quality is higher by more than
    `omission_gain` per sentence dropped; the best such smaller bead wins. Dropping several
    at once lets an untranslated stretch that the programme folded into one bead fall
    away: each of its sentences alone dilutes the run vector too little to be worth
    dropping."""
    i, a, j, b = span
    size = a if question_source else b
    if not (a and b) or size < 2:
        return [span]

    def cut(first: int, last: int) -> list[tuple[int, int]]:
        """The bead as a path of three steps: the first sentences dropped, the bead kept,
        the last sentences dropped."""
        if question_source:
            return [(first, 0), (a - first - last, b), (last, 0)]
        return [(0, first), (a, b - first - last), (0, last)]

    best_score = bead_quality(features, *span, weights)
    best_cut = (0, 0)
    for first in range(size):
        for last in range(size - first):
            if first == last == 0:
                continue
            (src_dropped, tgt_dropped), (kept_src, kept_tgt), _ = cut(first, last)
            kept = Span(i + src_dropped, kept_src, j + tgt_dropped, kept_tgt)
            score = bead_quality(features, *kept, weights) - config.omission_gain * (first + last)
            if score > best_score:
                best_score, best_cut = score, (first, last)
    if best_cut == (0, 0):
        return [span]
    logger.debug("bead %s: %d first and %d last sentences left unaligned", span, *best_cut)
    return spans_from_shapes(cut(*best_cut), (i, j))
