"""A second look at the path the dynamic programme chose: sentences without a translation.

The programme charges `skip_cost` for a sentence left unaligned but almost nothing for
one that rides along in a neighbour's bead, so a sentence the translator left out ends up
merged with its neighbour. Here each merged bead is asked whether its first or last
sentence on one side adds anything: if the bead is clearly better without it, it is left
unaligned. Only vectors the engine already has are read (the run vectors of sub-beads).

Only the side with fewer sentences is questioned, where a sentence is a whole thought.
The other side splits a thought into parts of which some add little on their own (a
speech tag, "Yes."): on MAC-Dev the test on the English side removed right sentences far
more often than it found added ones, and on the Bible, whose Chinese side has more
sentences, the test on the Chinese side removed 24 right ones (docs/tuning.md).
"""

from __future__ import annotations

import logging
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


def spans_from_shapes(shapes: np.ndarray) -> list[Span]:
    """The spans of a path given as (src_size, tgt_size) steps from (0, 0)."""
    spans = []
    i = j = 0
    for src_size, tgt_size in shapes:
        spans.append(Span(i, int(src_size), j, int(tgt_size)))
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
    refined: list[Span] = []
    for span in spans:
        refined.extend(_without_untranslated_edge(span, features, weights, config, question_source))
    return refined


def _without_untranslated_edge(
    span: Span, features: Features, weights: Weights, config: AlignConfig, question_source: bool
) -> list[Span]:
    """`span`, or the bead without its first or last questioned sentence and that sentence
    unaligned, when the smaller bead's quality is higher by more than `omission_gain`.
    The larger gain wins when both edges qualify."""
    i, a, j, b = span
    if not (a and b) or (a if question_source else b) < 2:
        return [span]
    if question_source:
        candidates = [
            (Span(i, 1, j, 0), Span(i + 1, a - 1, j, b), True),
            (Span(i + a - 1, 1, j + b, 0), Span(i, a - 1, j, b), False),
        ]
    else:
        candidates = [
            (Span(i, 0, j, 1), Span(i, a, j + 1, b - 1), True),
            (Span(i + a, 0, j + b - 1, 1), Span(i, a, j, b - 1), False),
        ]
    whole = bead_quality(features, *span, weights)
    best_gain, best = config.omission_gain, [span]
    for dropped, kept, first in candidates:
        gain = bead_quality(features, *kept, weights) - whole
        if gain > best_gain:
            best_gain, best = gain, [dropped, kept] if first else [kept, dropped]
    if len(best) > 1:
        logger.debug("bead %s: an edge sentence left unaligned (quality %+.3f)", span, best_gain)
    return best
