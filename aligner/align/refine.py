"""A second look at the path the dynamic programme chose: sentences without a translation.

The programme charges `skip_cost` for a sentence left unaligned but almost nothing for
one that rides along in a neighbour's bead, so a sentence the translator left out ends up
merged with its neighbour, and an untranslated stretch of several sentences is folded
into the beads around it. Here each merged bead is asked whether some of its first or
last sentences on one side add nothing: if the bead is clearly better without them, they
are left unaligned. Only vectors the engine already has are read (the run vectors of
sub-beads).

The side with fewer sentences, where a sentence is a whole thought, is questioned
sentence by sentence. The other side splits a thought into parts of which some add
little on their own (a speech tag, "Yes."): on MAC-Dev single sentences dropped there
were right far more often than added, and on the Bible, whose Chinese side has more
sentences, dropping single Chinese sentences removed 24 right ones (docs/tuning.md). So
that side loses only stretches of at least `stretch_min` sentences, which is what an
untranslated passage or a passage moved elsewhere leaves behind.
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
    """The spans of a path given as (src_size, tgt_size) steps from (0, 0); a gap of
    several sentences becomes one span per sentence, as every unaligned sentence is a
    bead of its own."""
    spans = []
    i = j = 0
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
    source_has_fewer: bool,
) -> list[Span]:
    """The path with untranslated edge sentences of merged beads left unaligned: single
    sentences on the side with fewer sentences (the source if `source_has_fewer`), then
    stretches of at least `stretch_min` on the other side."""
    refined = [
        part
        for span in spans
        for part in _without_untranslated_edges(
            span, features, weights, config, source_has_fewer, 1
        )
    ]
    if config.stretch_min < 1:
        return refined
    return [
        part
        for span in refined
        for part in _without_untranslated_edges(
            span, features, weights, config, not source_has_fewer, config.stretch_min
        )
    ]


def _without_untranslated_edges(
    span: Span,
    features: Features,
    weights: Weights,
    config: AlignConfig,
    question_source: bool,
    fewest: int,
) -> list[Span]:
    """`span`, or the bead without some of its first and last sentences on the questioned
    side (the source if `question_source`), at least `fewest` of them, those left
    unaligned, when the smaller bead's quality is higher by more than `omission_gain` per
    sentence dropped; the best such smaller bead wins. Dropping several at once lets a
    whole untranslated stretch that the programme folded into one bead fall away: each of
    its sentences alone dilutes the run vector too little to be worth dropping."""
    i, a, j, b = span
    size = a if question_source else b
    if not (a and b) or size <= fewest:
        return [span]
    best_score = bead_quality(features, *span, weights)
    best_cut = (0, 0)
    for first in range(size):
        for last in range(size - first):
            if first + last < fewest:
                continue
            kept = (
                Span(i + first, a - first - last, j, b)
                if question_source
                else Span(i, a, j + first, b - first - last)
            )
            score = bead_quality(features, *kept, weights) - config.omission_gain * (first + last)
            if score > best_score:
                best_score, best_cut = score, (first, last)
    first, last = best_cut
    if first == last == 0:
        return [span]
    logger.debug("bead %s: %d first and %d last sentences left unaligned", span, first, last)
    if question_source:
        return [
            *(Span(i + k, 1, j, 0) for k in range(first)),
            Span(i + first, a - first - last, j, b),
            *(Span(i + a - last + k, 1, j + b, 0) for k in range(last)),
        ]
    return [
        *(Span(i, 0, j + k, 1) for k in range(first)),
        Span(i, a, j + first, b - first - last),
        *(Span(i + a, 0, j + b - last + k, 1) for k in range(last)),
    ]
