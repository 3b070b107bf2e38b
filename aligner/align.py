"""Sentence alignment: embeddings of sentence runs scored by a banded dynamic programme.

Two passes keep time and memory linear in the document length. A coarse pass finds a
1-1 path: the sentence embeddings are averaged over blocks of 2, 4, 8… sentences until
the grid is small, aligned there, and the path is projected back down and refined in a
narrow band at each level (Vecalign's recursive downsampling). The fine pass then tries
every bead shape up to `max_align` sentences a side inside a band around that path,
scoring each bead by the embedding of its concatenated sentences.

A bead's quality is its cosine similarity minus how similar both sides are to random
sentences of the other language (hub-ness normalisation, as in Vecalign), plus how well
its end fits as a boundary clause by clause (`boundary_fit`), minus a length-ratio
penalty measured against the document's own zh/en character ratio, minus a penalty for
spanning a paragraph boundary, minus a penalty for ending inside a quotation on one side
only, plus a bonus for a shared exact anchor (a number or a Latin-script name found on
both sides). In a mixed document the paragraphs are paired first (`pair_paragraphs`) and
a bead whose target lies outside its source paragraph's partner pays for it.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from numba import njit

from aligner.config import AlignConfig
from aligner.data import Bead, Sentence
from aligner.embed import Embedder
from aligner.segment import edge_clauses
from aligner.text import LATIN_NAME, join_sentences, non_space_length, quote_marks

FULL_GRID_CELLS = 2_000_000
"""Coarse grids up to this many cells are aligned whole; larger ones are halved first."""
COARSE_BAND = 8
"""Half-width (in sentences or blocks) of the band refined around a projected path."""
FINE_BAND = 6
"""Half-width of the band around the 1-1 path in which n-m beads are searched."""
HUB_SAMPLE = 64
"""Random sentences of the other language used to measure each run's hub-ness."""
LENGTH_SMOOTHING = 8.0
"""Characters added to both sides before the length log-ratio, so short lines are not punished."""
SIZE_EXPONENT = 0.25
"""A bead's gain is its quality times (sentences / 2) ** SIZE_EXPONENT: 0 favours splitting
into many 1-1 beads, 1 favours merging everything (MAC-Dev strict F1 .927 at 0, .934 at 0.25,
.918 at 0.5)."""
PARAGRAPH_WINDOW = 8
"""In a mixed document, a paragraph's translation is looked for among this many
paragraphs of the other language either side of it."""
PARAGRAPH_DISTANCE_COST = 0.05
"""Cost per paragraph that a paragraph pair lies away from the usual neighbour (so the
neighbour on the other side costs twice this)."""
PARAGRAPH_PAIR_THRESHOLD = 0.1
"""Normalised similarity two paragraphs need to be paired; on the seed interview true
pairs score 0.14-0.37 and a masthead next to a title 0.01."""
NO_GAPS = np.zeros((0, 1), dtype=np.float32)
"""Clause-change vectors for passes that do not compare bead boundaries."""
ANY_PARAGRAPH = np.array([np.iinfo(np.int64).min // 2, np.iinfo(np.int64).max // 2])
"""The partner range of a source sentence in a document without interleaved paragraphs."""
ANCHOR_MAX_SENTENCES = 4
"""Anchors found in more sentences than this on one side are too common to pin a pair."""

OUTSIDE, INSIDE, EITHER = 0, 1, 2
"""Quote state of the gap after a sentence: in running speech, outside it, or either (a
quote closes and the next sentence opens one at once, as around an English speech tag)."""

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def bead_shapes(max_align: int) -> list[tuple[int, int]]:
    """Skips, then every a-b shape with both sides <= max_align and a + b <= max_align + 1.

    The sum bound keeps out shapes like 5-5 that real translations almost never need
    but that cost many embeddings and invite over-merging.
    """
    shapes = [(1, 0), (0, 1)]
    for src_size in range(1, max_align + 1):
        for tgt_size in range(1, max_align + 2 - src_size):
            shapes.append((src_size, tgt_size))
    return shapes


def _run_texts(sentences: Sequence[Sentence], max_run: int) -> list[str]:
    texts = []
    for size in range(1, max_run + 1):
        for start in range(len(sentences) - size + 1):
            run = [sentence.text for sentence in sentences[start : start + size]]
            texts.append(join_sentences(run, sentences[0].lang))
    return texts


def _stack_runs(flat: np.ndarray, count: int, max_run: int) -> np.ndarray:
    """Lay the flat run values out as (max_run, count, …), padding runs past the end with 0."""
    stacked = np.zeros((max_run, count, *flat.shape[1:]), dtype=flat.dtype)
    start = 0
    for size in range(1, max_run + 1):
        runs = max(count - size + 1, 0)
        stacked[size - 1, :runs] = flat[start : start + runs]
        start += runs
    return stacked


def _run_vectors(flat: np.ndarray, count: int, embedded: int, max_run: int) -> np.ndarray:
    """All run vectors as (max_run, count, dim) from the embedded runs of 1..`embedded`.

    A longer run is the normalised sum of its first `embedded` sentences' run and the
    rest, which is already known: embedding text costs time in proportion to its length,
    so embedding every run up to 5 costs 15 times the sentences, up to 2 only 3 times.
    """
    stacked = np.zeros((max_run, count, flat.shape[1]), dtype=np.float32)
    stacked[:embedded] = _stack_runs(flat, count, embedded)
    for size in range(embedded + 1, max_run + 1):
        runs = max(count - size + 1, 0)
        combined = stacked[embedded - 1, :runs] + stacked[size - embedded - 1, embedded : embedded + runs]
        norms = np.linalg.norm(combined, axis=1, keepdims=True)
        stacked[size - 1, :runs] = combined / np.maximum(norms, 1e-12)
    return stacked


def _edge_texts(sentences: Sequence[Sentence], config: AlignConfig) -> list[str]:
    """First clauses of every sentence, then last clauses."""
    edges = [
        edge_clauses(sentence.text, sentence.lang, config.edge_min_characters(sentence.lang))
        for sentence in sentences
    ]
    return [head for head, _ in edges] + [tail for _, tail in edges]


def _gap_vectors(edges: np.ndarray) -> np.ndarray:
    """(count + 1, dim): at each gap between two sentences, the last clause before it minus
    the first clause after it (zero at both ends), from `_edge_texts` vectors."""
    heads, tails = np.split(edges, 2)
    gaps = np.zeros((len(heads) + 1, edges.shape[1]), dtype=np.float32)
    gaps[1:-1] = tails[:-1] - heads[1:]
    return gaps


def _side_gaps(edges: np.ndarray, src_count: int) -> tuple[np.ndarray, np.ndarray]:
    """Gap vectors of both sides from the clause vectors of `_edge_texts(src) +
    _edge_texts(tgt)`, or none when they were not embedded."""
    if not len(edges):
        return NO_GAPS, NO_GAPS
    return _gap_vectors(edges[: 2 * src_count]), _gap_vectors(edges[2 * src_count :])


def _run_sums(values: np.ndarray, max_run: int) -> np.ndarray:
    """Sums of `values` over every run of 1..max_run consecutive items (0 past the end)."""
    prefix = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
    sums = np.zeros((max_run, len(values)))
    for size in range(1, max_run + 1):
        runs = max(len(values) - size + 1, 0)
        sums[size - 1, :runs] = prefix[size : size + runs] - prefix[:runs]
    return sums


def _hubness(run_vectors: np.ndarray, other_singles: np.ndarray) -> np.ndarray:
    """Mean similarity of each run to a fixed random sample of the other side's sentences."""
    rng = np.random.default_rng(0)
    sample_size = min(HUB_SAMPLE, len(other_singles))
    sample = other_singles[rng.choice(len(other_singles), sample_size, replace=False)]
    return np.einsum("knd,sd->kn", run_vectors, sample, optimize=True) / sample_size


def _side(
    sentences: Sequence[Sentence],
    vectors: np.ndarray,
    length_scale: float,
    embedded: int,
    max_run: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run vectors, run lengths in Chinese-character units, and paragraph-crossing flags."""
    lengths = np.array([non_space_length(sentence.text) for sentence in sentences]) * length_scale
    paragraphs = np.array([sentence.paragraph for sentence in sentences])
    breaks = np.zeros((max_run, len(sentences)), dtype=np.bool_)
    for size in range(2, max_run + 1):
        runs = max(len(sentences) - size + 1, 0)
        breaks[size - 1, :runs] = paragraphs[size - 1 : size - 1 + runs] != paragraphs[:runs]
    run_vectors = _run_vectors(vectors, len(sentences), embedded, max_run)
    return run_vectors, _run_sums(lengths, max_run), breaks


def _anchor_tokens(text: str, with_names: bool) -> set[str]:
    numbers = {match.replace(",", "") for match in _NUMBER.findall(text)}
    tokens = {number for number in numbers if len(number.replace(".", "")) >= 2}
    if with_names:
        tokens.update(name.casefold() for name in LATIN_NAME.findall(text))
    return tokens


def find_anchors(src: Sequence[Sentence], tgt: Sequence[Sentence]) -> list[tuple[int, int]]:
    """Sentence pairs sharing a rare number or Latin name (names are taken from the zh side,
    where Latin script is rare enough to be meaningful)."""
    src_is_zh = bool(src) and src[0].lang == "zh"
    src_tokens = [_anchor_tokens(sentence.text, src_is_zh) for sentence in src]
    tgt_tokens = [_anchor_tokens(sentence.text, not src_is_zh) for sentence in tgt]
    zh_vocabulary = set().union(*(src_tokens if src_is_zh else tgt_tokens))
    src_where: dict[str, list[int]] = defaultdict(list)
    tgt_where: dict[str, list[int]] = defaultdict(list)
    for where, token_sets in ((src_where, src_tokens), (tgt_where, tgt_tokens)):
        for index, tokens in enumerate(token_sets):
            for token in tokens & zh_vocabulary:
                where[token].append(index)
    pairs = set()
    for token, src_ids in src_where.items():
        tgt_ids = tgt_where.get(token, [])
        if tgt_ids and max(len(src_ids), len(tgt_ids)) <= ANCHOR_MAX_SENTENCES:
            pairs.update((i, j) for i in src_ids for j in tgt_ids)
    return sorted(pairs)


def quote_states(sentences: Sequence[Sentence]) -> np.ndarray:
    """Quote state of each gap between sentences (index k = after k sentences).

    A translation keeps dialogue boundaries: a bead that ends inside a quotation on one
    side and outside it on the other has split a speech in the wrong place. Opening and
    closing marks set the state of their family (double or single) rather than counting
    depth, so one misread apostrophe cannot throw off the rest of the document, and a new
    paragraph starts outside (a quotation that goes on reopens there by convention).
    """
    states = np.zeros(len(sentences) + 1, dtype=np.int8)
    inside = [False, False]
    last_mark_closed = False
    for k, sentence in enumerate(sentences):
        if k and sentence.paragraph != sentences[k - 1].paragraph:
            inside = [False, False]
            states[k] = OUTSIDE
        marks = quote_marks(sentence.text.strip(), sentence.lang)
        opens_at_start = bool(marks) and marks[0][1] and marks[0][2] == 0
        if last_mark_closed and opens_at_start and states[k] == OUTSIDE:
            states[k] = EITHER
        for family, opens, _ in marks:
            inside[family] = opens
        last_mark_closed = bool(marks) and not marks[-1][1]
        states[k + 1] = INSIDE if any(inside) else OUTSIDE
    states[-1] = OUTSIDE
    return states


def _anchor_index(anchors: list[tuple[int, int]], src_count: int) -> tuple[np.ndarray, np.ndarray]:
    """Anchors as CSR arrays: targets of source i are targets[pointers[i]:pointers[i + 1]]."""
    pointers = np.zeros(src_count + 1, dtype=np.int64)
    for i, _ in anchors:
        pointers[i + 1] += 1
    targets = np.array([j for _, j in anchors], dtype=np.int64)
    return np.cumsum(pointers), targets


Features = tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
    np.ndarray, np.ndarray,
]
"""Per-run arrays of both sides, in this order: vectors, hubness, lengths (zh-character
units), paragraph-crossing flags (each src then tgt, shaped (max_run, count, …)), then
each source sentence's partner paragraph range (count, 2) and each target sentence's
paragraph, the anchors as CSR pointers and targets, the quote state of each gap
(src, tgt; see `quote_states`), and the clause change at each gap (src, tgt, shaped
(count + 1, dim); see `_gap_vectors`)."""


@njit(cache=True)
def boundary_fit(features: Features, i: int, j: int) -> float:
    """How well a bead boundary before source sentence i and target sentence j fits: the
    clauses just before it should match each other, as should those just after it, better
    than either matches the other side's clause across the boundary, i.e. (tail - head)
    on one side · (tail - head) on the other. 0 at the ends and without clause vectors."""
    src_gaps, tgt_gaps = features[14], features[15]
    if i >= src_gaps.shape[0] or j >= tgt_gaps.shape[0]:
        return 0.0
    contrast = 0.0
    for d in range(src_gaps.shape[1]):
        contrast += src_gaps[i, d] * tgt_gaps[j, d]
    return contrast


@njit(cache=True)
def bead_quality(
    features: Features,
    src_start: int,
    src_size: int,
    tgt_start: int,
    tgt_size: int,
    params: np.ndarray,
) -> float:
    """Normalised similarity of one aligned bead (see `_quality_ending_at`)."""
    fit = boundary_fit(features, src_start + src_size, tgt_start + tgt_size)
    return _quality_ending_at(features, src_start, src_size, tgt_start, tgt_size, params, fit)


@njit(cache=True)
def _quality_ending_at(
    features: Features,
    src_start: int,
    src_size: int,
    tgt_start: int,
    tgt_size: int,
    params: np.ndarray,
    fit: float,
) -> float:
    """Normalised similarity of one aligned bead whose end has `boundary_fit` `fit`.

    params = (length_weight, paragraph_penalty, anchor_bonus, size exponent, partner
    penalty, quote penalty, boundary weight); the size exponent is used by `band_dp` only.
    The boundary weight scales how well the bead's end fits as a bead boundary. The partner
    penalty is charged per paragraph that the target lies outside the source sentence's
    partner paragraph range, and once when the source paragraph has no partner.
    """
    (src_vectors, tgt_vectors, src_hubness, tgt_hubness, src_lengths, tgt_lengths,
     src_breaks, tgt_breaks, partners, tgt_paragraphs, anchor_pointers,
     anchor_targets, src_quotes, tgt_quotes, _, _) = features
    a, b = src_size - 1, tgt_size - 1
    similarity = 0.0
    for d in range(src_vectors.shape[2]):
        similarity += src_vectors[a, src_start, d] * tgt_vectors[b, tgt_start, d]
    quality = similarity - 0.5 * (src_hubness[a, src_start] + tgt_hubness[b, tgt_start])
    log_ratio = math.log(
        (src_lengths[a, src_start] + LENGTH_SMOOTHING) / (tgt_lengths[b, tgt_start] + LENGTH_SMOOTHING)
    )
    quality -= params[0] * log_ratio * log_ratio
    quality -= params[1] * (int(src_breaks[a, src_start]) + int(tgt_breaks[b, tgt_start]))
    partner_low, partner_high = partners[src_start, 0], partners[src_start, 1]
    paragraph = tgt_paragraphs[tgt_start]
    if partner_low > partner_high:
        quality -= params[4]
    else:
        quality -= params[4] * max(partner_low - paragraph, paragraph - partner_high, 0)
    quality += params[6] * fit
    src_quote, tgt_quote = src_quotes[src_start + src_size], tgt_quotes[tgt_start + tgt_size]
    if src_quote != tgt_quote and src_quote != EITHER and tgt_quote != EITHER:
        quality -= params[5]
    for i in range(src_start, src_start + src_size):
        for k in range(anchor_pointers[i], anchor_pointers[i + 1]):
            if tgt_start <= anchor_targets[k] < tgt_start + tgt_size:
                return quality + params[2]
    return quality


@njit(cache=True)
def band_dp(
    features: Features,
    shapes: np.ndarray,
    band_low: np.ndarray,
    band_high: np.ndarray,
    skip_cost: float,
    params: np.ndarray,
) -> tuple[np.ndarray, float]:
    """Best monotone bead path from (0, 0) to (n, m) inside the band; returns the shape
    indices from first bead to last and the path's total gain.

    Node (i, j) means i source and j target sentences are consumed; row i stores only
    columns band_low[i]..band_high[i], so memory is the band's area, not n × m.
    A bead's gain is its quality times (sentence count / 2) ** params[3], so a merge must
    be about as good per sentence as the beads it replaces; a skip costs `skip_cost`.
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
                    step = -skip_cost
                else:
                    quality = _quality_ending_at(
                        features, pi, src_size, pj, tgt_size, params, fit
                    )
                    step = (0.5 * (src_size + tgt_size)) ** params[3] * quality
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


def _band_around(
    nodes_i: np.ndarray, nodes_j: np.ndarray, rows: int, columns: int, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """A connected, monotone band of half-width `width` around path nodes (any density)."""
    low = np.full(rows + 1, columns, dtype=np.int64)
    high = np.zeros(rows + 1, dtype=np.int64)
    np.minimum.at(low, nodes_i, nodes_j)
    np.maximum.at(high, nodes_i, nodes_j)
    low = np.minimum.accumulate(low[::-1])[::-1]
    high = np.maximum.accumulate(high)
    low = np.clip(low - width, 0, columns)
    high = np.clip(high + width, 0, columns)
    low[0], high[-1] = 0, columns
    low[1:] = np.minimum(low[1:], high[:-1])
    return low, high


def _path_nodes(shapes: np.ndarray, path: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    steps = shapes[path]
    nodes_i = np.concatenate([[0], np.cumsum(steps[:, 0])])
    nodes_j = np.concatenate([[0], np.cumsum(steps[:, 1])])
    return nodes_i, nodes_j


def _halve(values: np.ndarray, normalise: bool) -> np.ndarray:
    """Sum (or average and renormalise) consecutive pairs along the first axis."""
    padded = values if len(values) % 2 == 0 else np.concatenate([values, np.zeros_like(values[:1])])
    halved = padded[0::2] + padded[1::2]
    if normalise:
        halved /= np.maximum(np.linalg.norm(halved, axis=1, keepdims=True), 1e-12)
    return halved


def _one_to_one_path(
    src_vectors: np.ndarray,
    tgt_vectors: np.ndarray,
    src_lengths: np.ndarray,
    tgt_lengths: np.ndarray,
    paragraphs: tuple[np.ndarray, np.ndarray],
    params: np.ndarray,
    config: AlignConfig,
) -> tuple[np.ndarray, np.ndarray]:
    """Nodes of the best 1-1/skip path, found by recursive halving when the grid is big.

    `paragraphs` are the source partner ranges and the target paragraphs. Blocks keep
    those of their first sentence; only the length and partner terms of `params` apply,
    as runs here are single sentences or blocks.
    """
    rows, columns = len(src_vectors), len(tgt_vectors)
    if (rows + 1) * (columns + 1) <= FULL_GRID_CELLS or min(rows, columns) < 2 * COARSE_BAND:
        low = np.zeros(rows + 1, dtype=np.int64)
        high = np.full(rows + 1, columns, dtype=np.int64)
    else:
        coarse_i, coarse_j = _one_to_one_path(
            _halve(src_vectors, True),
            _halve(tgt_vectors, True),
            _halve(src_lengths, False),
            _halve(tgt_lengths, False),
            (paragraphs[0][0::2], paragraphs[1][0::2]),
            params,
            config,
        )
        low, high = _band_around(
            np.minimum(2 * coarse_i, rows), np.minimum(2 * coarse_j, columns), rows, columns,
            COARSE_BAND,
        )
    shapes = np.array([(1, 0), (0, 1), (1, 1)], dtype=np.int64)
    src_runs, tgt_runs = src_vectors[None], tgt_vectors[None]
    no_breaks_src = np.zeros((1, rows), dtype=np.bool_)
    no_breaks_tgt = np.zeros((1, columns), dtype=np.bool_)
    no_anchors = np.zeros(rows + 1, dtype=np.int64)
    features = (
        src_runs, tgt_runs,
        _hubness(src_runs, tgt_vectors), _hubness(tgt_runs, src_vectors),
        src_lengths[None], tgt_lengths[None], no_breaks_src, no_breaks_tgt,
        paragraphs[0], paragraphs[1], no_anchors, np.zeros(0, dtype=np.int64),
        np.zeros(rows + 1, dtype=np.int8), np.zeros(columns + 1, dtype=np.int8),
        NO_GAPS, NO_GAPS,
    )
    block_params = np.array([params[0], 0.0, 0.0, 1.0, params[4], 0.0, 0.0])
    path, _ = band_dp(features, shapes, low, high, config.skip_cost, block_params)
    return _path_nodes(shapes, path)


def _paragraph_vectors(
    vectors: np.ndarray, paragraphs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each paragraph's id and vector (the normalised sum of its sentence vectors), the
    vectors shaped (1, count, dim) as runs of one paragraph."""
    ids, members = np.unique(paragraphs, return_inverse=True)
    sums = np.zeros((len(ids), vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, members, vectors)
    sums /= np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    return ids, sums[None]


def _paired_units(
    units: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    src_ranges: np.ndarray,
    tgt_ids: np.ndarray,
    band: tuple[np.ndarray, np.ndarray],
) -> list[tuple[int, int]]:
    """(source, target) paragraph positions of the best one-to-one paragraph pairing;
    `units` are the paragraph vectors and hub-ness of both sides."""
    src_runs, tgt_runs, src_hubness, tgt_hubness = units
    rows, columns = src_runs.shape[1], tgt_runs.shape[1]
    features = (
        src_runs, tgt_runs, src_hubness, tgt_hubness,
        np.zeros((1, rows)), np.zeros((1, columns)),
        np.zeros((1, rows), dtype=np.bool_), np.zeros((1, columns), dtype=np.bool_),
        src_ranges, tgt_ids, np.zeros(rows + 1, dtype=np.int64), np.zeros(0, dtype=np.int64),
        np.zeros(rows + 1, dtype=np.int8), np.zeros(columns + 1, dtype=np.int8),
        NO_GAPS, NO_GAPS,
    )
    shapes = np.array(bead_shapes(1), dtype=np.int64)
    params = np.array([0.0, 0.0, 0.0, 1.0, PARAGRAPH_DISTANCE_COST, 0.0, 0.0])
    path, _ = band_dp(features, shapes, band[0], band[1], -PARAGRAPH_PAIR_THRESHOLD / 2, params)
    nodes_i, nodes_j = _path_nodes(shapes, path)
    paired = np.flatnonzero(shapes[path].sum(axis=1) == 2)
    return [(int(nodes_i[k]), int(nodes_j[k])) for k in paired]


def pair_paragraphs(
    src_vectors: np.ndarray,
    tgt_vectors: np.ndarray,
    src_paragraphs: np.ndarray,
    tgt_paragraphs: np.ndarray,
) -> np.ndarray:
    """Partner paragraph range (low, high) of each source sentence in a mixed document;
    low > high where its paragraph has no translation.

    Paragraphs are paired one to one by the similarity of their summed sentence vectors,
    looking a few paragraphs either side and charging for distance from the neighbour on
    the document's usual side, found by a first pairing that accepts either neighbour
    (translations mostly follow, or mostly precede, their originals). Untranslated
    paragraphs are common in such documents, so leaving one unpaired costs nothing and a
    pair must beat PARAGRAPH_PAIR_THRESHOLD; merged pairs are not offered, as a question plus
    its untranslated answer would otherwise pass for the question's translation.
    The sentence alignment then pays `partner_penalty` for leaving a paragraph's partner,
    so an untranslated answer next to a translated question stays unaligned; at the
    default the penalty all but forbids it, which is safe because the pairing is rarely
    wrong (benchmarks/bench_mixed.py). Hub-ness is measured against the other side's
    paragraphs, so with one paragraph on either side (nothing to compare with), or no
    pair found at all, each source paragraph keeps both neighbours as partners.
    """
    src_ids, src_runs = _paragraph_vectors(src_vectors, src_paragraphs)
    tgt_ids, tgt_runs = _paragraph_vectors(tgt_vectors, tgt_paragraphs)
    rows, columns = len(src_ids), len(tgt_ids)
    units = (src_runs, tgt_runs, _hubness(src_runs, tgt_runs[0]), _hubness(tgt_runs, src_runs[0]))
    nearest = np.minimum(np.searchsorted(tgt_ids, src_ids) + 1, columns)
    band = _band_around(np.arange(1, rows + 1), nearest, rows, columns, PARAGRAPH_WINDOW)
    neighbours = np.stack([src_ids - 1, src_ids + 1], axis=1)
    either_side = _paired_units(units, neighbours, tgt_ids, band)
    if rows == 1 or columns == 1 or not either_side:
        return neighbours[np.searchsorted(src_ids, src_paragraphs)]
    offsets = [int(tgt_ids[j] - src_ids[i]) for i, j in either_side]
    usual = 1 if offsets.count(1) >= offsets.count(-1) else -1
    expected = np.stack([src_ids + usual, src_ids + usual], axis=1)
    partner_of_unit = np.tile(np.array([1, 0], dtype=np.int64), (rows, 1))
    for i, j in _paired_units(units, expected, tgt_ids, band):
        partner_of_unit[i] = (tgt_ids[j], tgt_ids[j])
    return partner_of_unit[np.searchsorted(src_ids, src_paragraphs)]


def _length_scale(
    src: Sequence[Sentence], tgt: Sequence[Sentence], partners: np.ndarray,
    tgt_paragraphs: np.ndarray,
) -> float:
    """Chinese characters per non-space English character, over the paired paragraphs
    only, so a mixed document's untranslated answers do not skew the length prior."""
    paired_src = partners[:, 0] <= partners[:, 1]
    ranges = partners[paired_src]
    paired_tgt = np.zeros(len(tgt), dtype=np.bool_)
    for low, high in {tuple(pair) for pair in ranges.tolist()}:
        paired_tgt |= (tgt_paragraphs >= low) & (tgt_paragraphs <= high)
    if not paired_src.any() or not paired_tgt.any():
        paired_src[:], paired_tgt[:] = True, True
    src_chars = sum(non_space_length(s.text) for s, kept in zip(src, paired_src) if kept)
    tgt_chars = sum(non_space_length(s.text) for s, kept in zip(tgt, paired_tgt) if kept)
    zh_chars, en_chars = (src_chars, tgt_chars) if src[0].lang == "zh" else (tgt_chars, src_chars)
    return zh_chars / max(en_chars, 1)


def _confidence(quality: float, config: AlignConfig) -> float:
    """Logistic map of bead quality, fitted on MAC-Dev to the chance the bead is exactly right."""
    return 1.0 / (1.0 + math.exp(-config.score_slope * (quality - config.score_offset)))


def _unaligned(src_count: int, tgt_count: int) -> list[Bead]:
    return [Bead((i,), (), 1.0) for i in range(src_count)] + [
        Bead((), (j,), 1.0) for j in range(tgt_count)
    ]


def align(
    src: Sequence[Sentence],
    tgt: Sequence[Sentence],
    embedder: Embedder,
    config: AlignConfig | None = None,
) -> list[Bead]:
    """Monotone beads covering every source and target sentence exactly once.

    Empty sentences (blank lines of presegmented input) are left unaligned: joined to a
    bead they would change nothing in its text, so nothing could keep them out of it.
    """
    src_kept = [i for i, sentence in enumerate(src) if sentence.text.strip()]
    tgt_kept = [j for j, sentence in enumerate(tgt) if sentence.text.strip()]
    beads = _align_sentences(
        [src[i] for i in src_kept], [tgt[j] for j in tgt_kept], embedder, config or AlignConfig()
    )
    return _with_empty_sentences(beads, src_kept, tgt_kept, len(src), len(tgt))


def _with_empty_sentences(
    beads: list[Bead], src_kept: list[int], tgt_kept: list[int], src_count: int, tgt_count: int
) -> list[Bead]:
    """Map bead ids back to the full lists. An empty sentence between two sentences of one
    bead joins it (ids stay contiguous; it adds no text); any other is unaligned, in order."""
    merged: list[Bead] = []
    next_src = next_tgt = 0
    for bead in beads:
        src_ids = _contiguous([src_kept[i] for i in bead.src])
        tgt_ids = _contiguous([tgt_kept[j] for j in bead.tgt])
        if src_ids:
            merged.extend(Bead((i,), (), 1.0) for i in range(next_src, src_ids[0]))
            next_src = src_ids[-1] + 1
        if tgt_ids:
            merged.extend(Bead((), (j,), 1.0) for j in range(next_tgt, tgt_ids[0]))
            next_tgt = tgt_ids[-1] + 1
        merged.append(Bead(src_ids, tgt_ids, bead.score))
    merged.extend(Bead((i,), (), 1.0) for i in range(next_src, src_count))
    merged.extend(Bead((), (j,), 1.0) for j in range(next_tgt, tgt_count))
    return merged


def _contiguous(ids: list[int]) -> tuple[int, ...]:
    return tuple(range(ids[0], ids[-1] + 1)) if ids else ()


def _align_sentences(
    src: Sequence[Sentence], tgt: Sequence[Sentence], embedder: Embedder, config: AlignConfig
) -> list[Bead]:
    """`align` for sentences that all have text."""
    if not src or not tgt:
        return _unaligned(len(src), len(tgt))
    max_run = min(config.max_align, max(len(src), len(tgt)))
    embedded = max(1, min(config.embedded_run, max_run))
    src_texts, tgt_texts = _run_texts(src, embedded), _run_texts(tgt, embedded)
    edge_texts = _edge_texts(src, config) + _edge_texts(tgt, config) if config.boundary_weight else []
    vectors = embedder.encode(src_texts + tgt_texts + edge_texts)
    edges = vectors[len(src_texts) + len(tgt_texts) :]
    vectors = vectors[: len(src_texts) + len(tgt_texts)]
    src_paragraphs = np.array([sentence.paragraph for sentence in src], dtype=np.int64)
    tgt_paragraphs = np.array([sentence.paragraph for sentence in tgt], dtype=np.int64)
    interleaved = not set(src_paragraphs.tolist()) & set(tgt_paragraphs.tolist())
    if interleaved:
        partners = pair_paragraphs(
            vectors[: len(src)], vectors[len(src_texts) : len(src_texts) + len(tgt)],
            src_paragraphs, tgt_paragraphs,
        )
    else:
        partners = np.tile(ANY_PARAGRAPH, (len(src), 1))
    en_scale = _length_scale(src, tgt, partners, tgt_paragraphs)
    src_scale, tgt_scale = (1.0, en_scale) if src[0].lang == "zh" else (en_scale, 1.0)
    src_vectors, src_lengths, src_breaks = _side(
        src, vectors[: len(src_texts)], src_scale, embedded, max_run
    )
    tgt_vectors, tgt_lengths, tgt_breaks = _side(
        tgt, vectors[len(src_texts) :], tgt_scale, embedded, max_run
    )

    params = np.array([
        config.length_weight,
        config.mixed_paragraph_penalty if interleaved else config.paragraph_penalty,
        config.anchor_bonus, SIZE_EXPONENT,
        config.partner_penalty if interleaved else 0.0, config.quote_penalty,
        config.boundary_weight,
    ])
    nodes_i, nodes_j = _one_to_one_path(
        src_vectors[0], tgt_vectors[0], src_lengths[0], tgt_lengths[0],
        (partners, tgt_paragraphs), params, config,
    )
    low, high = _band_around(nodes_i, nodes_j, len(src), len(tgt), FINE_BAND)
    shapes = np.array(bead_shapes(config.max_align), dtype=np.int64)
    shapes = shapes[(shapes[:, 0] <= max_run) & (shapes[:, 1] <= max_run)]
    pointers, targets = _anchor_index(find_anchors(src, tgt), len(src))
    src_hubness = _hubness(src_vectors, tgt_vectors[0])
    tgt_hubness = _hubness(tgt_vectors, src_vectors[0])
    features = (
        src_vectors, tgt_vectors, src_hubness, tgt_hubness, src_lengths, tgt_lengths,
        src_breaks, tgt_breaks, partners, tgt_paragraphs, pointers, targets,
        quote_states(src), quote_states(tgt),
        *_side_gaps(edges, len(src)),
    )
    path, _ = band_dp(features, shapes, low, high, config.skip_cost, params)

    beads = []
    i = j = 0
    for src_size, tgt_size in shapes[path]:
        if src_size and tgt_size:
            score = _confidence(bead_quality(features, i, src_size, j, tgt_size, params), config)
        else:
            score = 1.0 - _confidence(_best_single(i, j, src_size, features, params), config)
        beads.append(Bead(tuple(range(i, i + src_size)), tuple(range(j, j + tgt_size)), score))
        i += src_size
        j += tgt_size
    return beads


def _best_single(
    i: int, j: int, src_size: int, features: Features, params: np.ndarray
) -> float:
    """Quality of the best 1-1 partner near an unaligned sentence: low means safely unaligned."""
    src_count, tgt_count = features[0].shape[1], features[1].shape[1]
    if src_size:
        partners = [(i, k) for k in range(max(j - FINE_BAND, 0), min(j + FINE_BAND, tgt_count))]
    else:
        partners = [(k, j) for k in range(max(i - FINE_BAND, 0), min(i + FINE_BAND, src_count))]
    return max(bead_quality(features, a, 1, b, 1, params) for a, b in partners)
