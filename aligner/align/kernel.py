"""The compiled core: a bead's quality and the banded dynamic programme over bead paths.

Everything here is numba code or the two named tuples it reads. numba compiles a
`typing.NamedTuple` of arrays (or of floats) to a plain tuple with attribute access, so
the kernel's inputs carry their names without costing anything at run time.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from aligner.align.signals import EITHER

NO_GAPS = np.zeros((0, 1), dtype=np.float32)
"""Clause-change vectors for passes that do not compare bead boundaries."""
ANY_PARAGRAPH = np.array([np.iinfo(np.int64).min // 2, np.iinfo(np.int64).max // 2])
"""The partner range of a source sentence in a document without interleaved paragraphs."""


class Features(NamedTuple):
    """What the kernel knows about both sides. Per-run arrays are shaped (max_run, count):
    entry [k, i] describes the run of k + 1 sentences starting at sentence i."""

    src_vectors: np.ndarray
    """Run embeddings, (max_run, count, dim)."""
    tgt_vectors: np.ndarray
    src_hubness: np.ndarray
    """Mean similarity of each run to random sentences of the other side."""
    tgt_hubness: np.ndarray
    src_lengths: np.ndarray
    """Run lengths in Chinese-character units."""
    tgt_lengths: np.ndarray
    src_breaks: np.ndarray
    """Whether each run crosses a paragraph boundary."""
    tgt_breaks: np.ndarray
    partners: np.ndarray
    """Each source sentence's partner paragraph range (count, 2); low > high for none."""
    tgt_paragraphs: np.ndarray
    """Each target sentence's paragraph."""
    src_number_pointers: np.ndarray
    """Numbers as CSR: the number ids of source sentence i are
    src_numbers[src_number_pointers[i]:src_number_pointers[i + 1]]."""
    src_numbers: np.ndarray
    tgt_number_pointers: np.ndarray
    tgt_numbers: np.ndarray
    src_quotes: np.ndarray
    """Quote state of each gap, (count + 1,); see `quote_states`."""
    tgt_quotes: np.ndarray
    src_gaps: np.ndarray
    """Clause change at each gap, (count + 1, dim), or `NO_GAPS`; see `boundary_fit`."""
    tgt_gaps: np.ndarray


class Weights(NamedTuple):
    """How much each signal counts in a bead's quality (see `_quality_ending_at`)."""

    length: float
    """Weight of the squared log length ratio."""
    paragraph: float
    """Charged per side whose run crosses a paragraph boundary."""
    numbers: float
    """Charged times the share of the bead's numbers that only one side has."""
    size_exponent: float
    """A bead's gain is its quality times (sentences / 2) ** size_exponent (`band_dp` only)."""
    partner: float
    """Charged per paragraph the target lies outside the source's partner range."""
    quote: float
    """Charged when the bead ends inside a quotation on one side only."""
    boundary: float
    """Weight of how well the bead's end fits as a boundary (`boundary_fit`)."""
    length_smoothing: float
    """Characters added to both lengths before their ratio."""


def neutral_features(
    src_vectors: np.ndarray,
    tgt_vectors: np.ndarray,
    src_hubness: np.ndarray,
    tgt_hubness: np.ndarray,
    src_lengths: np.ndarray | None = None,
    tgt_lengths: np.ndarray | None = None,
    partners: np.ndarray | None = None,
    tgt_paragraphs: np.ndarray | None = None,
) -> Features:
    """Features without paragraph crossings, numbers, quotations or clause gaps, for passes
    that compare only whole runs (the coarse path, paragraph pairing). Lengths default to
    zero, partners to any paragraph, target paragraphs to paragraph 0."""
    runs, rows = src_vectors.shape[:2]
    columns = tgt_vectors.shape[1]
    return Features(
        src_vectors, tgt_vectors, src_hubness, tgt_hubness,
        np.zeros((runs, rows)) if src_lengths is None else src_lengths,
        np.zeros((runs, columns)) if tgt_lengths is None else tgt_lengths,
        np.zeros((runs, rows), dtype=np.bool_), np.zeros((runs, columns), dtype=np.bool_),
        np.tile(ANY_PARAGRAPH, (rows, 1)) if partners is None else partners,
        np.zeros(columns, dtype=np.int64) if tgt_paragraphs is None else tgt_paragraphs,
        np.zeros(rows + 1, dtype=np.int64), np.zeros(0, dtype=np.int64),
        np.zeros(columns + 1, dtype=np.int64), np.zeros(0, dtype=np.int64),
        np.zeros(rows + 1, dtype=np.int8), np.zeros(columns + 1, dtype=np.int8),
        NO_GAPS, NO_GAPS,
    )


@njit(cache=True, fastmath={"reassoc", "nsz", "arcp", "contract"})
def boundary_fit(features: Features, i: int, j: int) -> float:
    """How well a bead boundary before source sentence i and target sentence j fits: the
    clauses just before it should match each other, as should those just after it, better
    than either matches the other side's clause across the boundary, i.e. (tail - head)
    on one side · (tail - head) on the other. 0 at the ends and without clause vectors."""
    src_gaps, tgt_gaps = features.src_gaps, features.tgt_gaps
    if i >= src_gaps.shape[0] or j >= tgt_gaps.shape[0]:
        return 0.0
    contrast = 0.0
    for d in range(src_gaps.shape[1]):
        contrast += src_gaps[i, d] * tgt_gaps[j, d]
    return contrast


@njit(cache=True, fastmath={"reassoc", "nsz", "arcp", "contract"})
def bead_quality(
    features: Features,
    src_start: int,
    src_size: int,
    tgt_start: int,
    tgt_size: int,
    weights: Weights,
) -> float:
    """Normalised similarity of one aligned bead (see `_quality_ending_at`)."""
    fit = boundary_fit(features, src_start + src_size, tgt_start + tgt_size)
    return _quality_ending_at(features, src_start, src_size, tgt_start, tgt_size, weights, fit)


@njit(cache=True, fastmath={"reassoc", "nsz", "arcp", "contract"})
def _quality_ending_at(
    features: Features,
    src_start: int,
    src_size: int,
    tgt_start: int,
    tgt_size: int,
    weights: Weights,
    fit: float,
) -> float:
    """Normalised similarity of one aligned bead whose end has `boundary_fit` `fit`.

    Cosine minus hub-ness, minus the weighted length and paragraph-crossing terms, minus
    the partner penalty (per paragraph that the target lies outside the source sentence's
    partner paragraph range, and once when the source paragraph has no partner), plus the
    weighted boundary fit, minus the quote penalty, minus the weighted number disagreement.
    """
    a, b = src_size - 1, tgt_size - 1
    src_vectors, tgt_vectors = features.src_vectors, features.tgt_vectors
    similarity = 0.0
    for d in range(src_vectors.shape[2]):
        similarity += src_vectors[a, src_start, d] * tgt_vectors[b, tgt_start, d]
    quality = similarity - 0.5 * (
        features.src_hubness[a, src_start] + features.tgt_hubness[b, tgt_start]
    )
    smoothing = weights.length_smoothing
    log_ratio = math.log(
        (features.src_lengths[a, src_start] + smoothing)
        / (features.tgt_lengths[b, tgt_start] + smoothing)
    )
    quality -= weights.length * log_ratio * log_ratio
    quality -= weights.paragraph * (
        int(features.src_breaks[a, src_start]) + int(features.tgt_breaks[b, tgt_start])
    )
    partner_low, partner_high = features.partners[src_start, 0], features.partners[src_start, 1]
    paragraph = features.tgt_paragraphs[tgt_start]
    if partner_low > partner_high:
        quality -= weights.partner
    else:
        quality -= weights.partner * max(partner_low - paragraph, paragraph - partner_high, 0)
    quality += weights.boundary * fit
    src_quote = features.src_quotes[src_start + src_size]
    tgt_quote = features.tgt_quotes[tgt_start + tgt_size]
    if src_quote != tgt_quote and src_quote != EITHER and tgt_quote != EITHER:
        quality -= weights.quote
    return quality - weights.numbers * number_disagreement(
        features, src_start, src_size, tgt_start, tgt_size
    )


@njit(cache=True)
def number_disagreement(
    features: Features, src_start: int, src_size: int, tgt_start: int, tgt_size: int
) -> float:
    """The share of the distinct numbers of a bead that only one side writes, or 0 unless
    both sides write some: a side without digits may spell its numbers out (`一米六零`,
    `five feet four`) or leave out a list's numbering, which is no evidence either way."""
    src_ids = features.src_numbers[
        features.src_number_pointers[src_start]:features.src_number_pointers[src_start + src_size]
    ]
    tgt_ids = features.tgt_numbers[
        features.tgt_number_pointers[tgt_start]:features.tgt_number_pointers[tgt_start + tgt_size]
    ]
    if src_ids.shape[0] == 0 or tgt_ids.shape[0] == 0:
        return 0.0
    src_distinct = shared = 0
    for k in range(src_ids.shape[0]):
        if _first(src_ids, k):
            src_distinct += 1
            shared += _contains(tgt_ids, src_ids[k])
    tgt_distinct = 0
    for k in range(tgt_ids.shape[0]):
        tgt_distinct += _first(tgt_ids, k)
    return 1.0 - shared / (src_distinct + tgt_distinct - shared)


@njit(cache=True)
def _first(ids: np.ndarray, k: int) -> bool:
    """Whether ids[k] does not occur before k (a bead has a few numbers at most, so a scan
    costs less than building a set)."""
    return not _contains(ids[:k], ids[k])


@njit(cache=True)
def _contains(ids: np.ndarray, number: int) -> bool:
    return bool((ids == number).any())


@njit(cache=True, fastmath={"reassoc", "nsz", "arcp", "contract"})
def band_dp(
    features: Features,
    shapes: np.ndarray,
    band_low: np.ndarray,
    band_high: np.ndarray,
    skip_cost: float,
    weights: Weights,
) -> tuple[np.ndarray, float]:
    """Best monotone bead path from (0, 0) to (n, m) inside the band; returns the shape
    indices from first bead to last and the path's total gain.

    Node (i, j) means i source and j target sentences are consumed; row i stores only
    columns band_low[i]..band_high[i], so memory is the band's area, not n × m.
    A bead's gain is its quality times (sentence count / 2) ** weights.size_exponent, so a
    merge must be about as good per sentence as the beads it replaces. A gap (a skip
    shape, a-0 or 0-b) costs `skip_cost` whatever its length, but a gap of several
    sentences may not cross a paragraph boundary: a translator leaves out or adds a
    passage, and charging each of its sentences made folding the passage into the beads
    around it cheaper than leaving it alone.
    """
    rows = band_low.shape[0]
    offsets = np.zeros(rows + 1, dtype=np.int64)
    for i in range(rows):
        offsets[i + 1] = offsets[i] + band_high[i] - band_low[i] + 1
    gain = np.full(offsets[rows], -np.inf)
    choice = np.full(offsets[rows], -1, dtype=np.int16)
    gain[0] = 0.0
    for i in range(rows):
        for j in range(band_low[i], band_high[i] + 1):
            if i == 0 and j == 0:
                continue
            best = -np.inf
            best_shape = -1
            fit = boundary_fit(features, i, j)
            for shape in range(shapes.shape[0]):
                src_size, tgt_size = shapes[shape, 0], shapes[shape, 1]
                pi, pj = i - src_size, j - tgt_size
                if pi < 0 or pj < band_low[pi] or pj > band_high[pi]:
                    continue
                previous = gain[offsets[pi] + pj - band_low[pi]]
                if previous == -np.inf:
                    continue
                if src_size == 0 or tgt_size == 0:
                    gap = src_size + tgt_size
                    if gap > 1 and (
                        features.src_breaks[gap - 1, pi]
                        if src_size
                        else features.tgt_breaks[gap - 1, pj]
                    ):
                        continue
                    step = -skip_cost
                else:
                    quality = _quality_ending_at(
                        features, pi, src_size, pj, tgt_size, weights, fit
                    )
                    step = (0.5 * (src_size + tgt_size)) ** weights.size_exponent * quality
                if previous + step > best:
                    best = previous + step
                    best_shape = shape
            gain[offsets[i] + j - band_low[i]] = best
            choice[offsets[i] + j - band_low[i]] = best_shape
    path = []
    i, j = rows - 1, band_high[rows - 1]
    total = gain[offsets[i] + j - band_low[i]]
    while i > 0 or j > 0:
        shape = choice[offsets[i] + j - band_low[i]]
        path.append(shape)
        i -= shapes[shape, 0]
        j -= shapes[shape, 1]
    return np.array(path[::-1], dtype=np.int64), total
