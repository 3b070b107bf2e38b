"""`align`: embed the runs of both sides, gather the signals, find the coarse path, run
the fine pass in a band around it and turn the best path into scored beads."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from aligner.align.features import edge_texts, embed_runs, hubness, side_gaps, side_runs
from aligner.align.kernel import ANY_PARAGRAPH, Features, Weights, band_dp, bead_quality
from aligner.align.paragraphs import length_scale, pair_paragraphs
from aligner.align.refine import refine, spans_from_shapes
from aligner.align.search import band_around, bead_shapes, gap_shapes, one_to_one_path
from aligner.align.signals import number_index, quote_states
from aligner.config import AlignConfig
from aligner.data import Bead, Sentence
from aligner.embed import Embedder
from aligner.text import is_language, linguistic_share


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

    Sentences that are not language (blank lines of presegmented input, a code fence, a
    row of dashes: see `is_language`) are not aligned: they carry no meaning to
    compare, and joined to a bead they would change nothing its embedding could see.
    A bead whose text is mostly not language (binary junk) has its score cut to match.
    """
    src_kept = [i for i, sentence in enumerate(src) if is_language(sentence.text)]
    tgt_kept = [j for j, sentence in enumerate(tgt) if is_language(sentence.text)]
    beads = _align_sentences(
        [src[i] for i in src_kept], [tgt[j] for j in tgt_kept], embedder, config or AlignConfig()
    )
    placed = _with_empty_sentences(beads, src_kept, tgt_kept, len(src), len(tgt))
    return [_discount_junk(bead, src, tgt) for bead in placed]


def _discount_junk(bead: Bead, src: Sequence[Sentence], tgt: Sequence[Sentence]) -> Bead:
    """An aligned bead scaled by its sides' share of language, when under a half."""
    if not bead.is_aligned:
        return bead
    share = min(
        linguistic_share("".join(src[i].text for i in bead.src)),
        linguistic_share("".join(tgt[j].text for j in bead.tgt)),
    )
    return bead if share >= 0.5 else Bead(bead.src, bead.tgt, bead.score * share)


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
    features, interleaved = _document_features(src, tgt, embedder, config, max_run)
    weights = _weights(config, interleaved)
    nodes_i, nodes_j = one_to_one_path(
        features.src_vectors[0], features.tgt_vectors[0],
        features.src_lengths[0], features.tgt_lengths[0],
        (features.partners, features.tgt_paragraphs), weights, config,
    )
    low, high = band_around(nodes_i, nodes_j, len(src), len(tgt), config.fine_band)
    shapes = np.array(bead_shapes(config.max_align) + gap_shapes(config.max_align), dtype=np.int64)
    shapes = shapes[(shapes[:, 0] <= max_run) & (shapes[:, 1] <= max_run)]
    path, _ = band_dp(features, shapes, low, high, config.skip_cost, weights)

    beads = []
    question_source = len(src) <= len(tgt)
    for i, src_size, j, tgt_size in refine(
        spans_from_shapes(shapes[path]), features, weights, config, question_source
    ):
        if src_size and tgt_size:
            quality = bead_quality(features, i, src_size, j, tgt_size, weights)
            score = _confidence(quality, config)
        else:
            nearest = _best_single(i, j, src_size, features, weights, config.fine_band)
            score = 1.0 - _confidence(nearest, config)
        beads.append(Bead(tuple(range(i, i + src_size)), tuple(range(j, j + tgt_size)), score))
    return beads


def _weights(config: AlignConfig, interleaved: bool) -> Weights:
    """The kernel's weights from the configuration; a mixed document pays more for crossing
    a paragraph and pays for leaving its paragraph's partner. Every weight is a float, as
    numba compiles the kernel once per type of each field."""
    return Weights(
        length=float(config.length_weight),
        paragraph=float(
            config.mixed_paragraph_penalty if interleaved else config.paragraph_penalty
        ),
        numbers=float(config.number_weight),
        size_exponent=float(config.size_exponent),
        partner=float(config.partner_penalty) if interleaved else 0.0,
        quote=float(config.quote_penalty),
        boundary=float(config.boundary_weight),
        length_smoothing=float(config.length_smoothing),
    )


def _document_features(
    src: Sequence[Sentence],
    tgt: Sequence[Sentence],
    embedder: Embedder,
    config: AlignConfig,
    max_run: int,
) -> tuple[Features, bool]:
    """Everything the kernel compares, and whether the document interleaves paragraphs of
    the two languages (a mixed document, whose paragraphs are paired first)."""
    embedded = max(1, min(config.embedded_run, max_run))
    clause_texts: list[str] = []
    if config.boundary_weight:
        clause_texts = edge_texts(src, config) + edge_texts(tgt, config)
    src_runs, tgt_runs, src_edges, tgt_edges = embed_runs(
        embedder, (src, tgt), embedded, max_run, clause_texts, config.pool_run_states,
        config.exact_runs,
    )
    src_paragraphs = np.array([sentence.paragraph for sentence in src], dtype=np.int64)
    tgt_paragraphs = np.array([sentence.paragraph for sentence in tgt], dtype=np.int64)
    interleaved = not set(src_paragraphs.tolist()) & set(tgt_paragraphs.tolist())
    if interleaved:
        partners = pair_paragraphs(
            src_runs[0], tgt_runs[0],
            src_paragraphs, tgt_paragraphs, config,
        )
    else:
        partners = np.tile(ANY_PARAGRAPH, (len(src), 1))
    en_scale = length_scale(src, tgt, partners, tgt_paragraphs)
    src_scale, tgt_scale = (1.0, en_scale) if src[0].lang == "zh" else (en_scale, 1.0)
    src_vectors, src_lengths, src_breaks = side_runs(src, src_runs, src_scale, embedded)
    tgt_vectors, tgt_lengths, tgt_breaks = side_runs(tgt, tgt_runs, tgt_scale, embedded)
    features = Features(
        src_vectors, tgt_vectors,
        hubness(src_vectors, tgt_vectors[0], config.hub_sample),
        hubness(tgt_vectors, src_vectors[0], config.hub_sample),
        src_lengths, tgt_lengths, src_breaks, tgt_breaks, partners, tgt_paragraphs,
        *number_index(src, tgt), quote_states(src), quote_states(tgt),
        *side_gaps(src_edges, tgt_edges),
    )
    return features, interleaved


def _best_single(
    i: int, j: int, src_size: int, features: Features, weights: Weights, window: int
) -> float:
    """Quality of the best 1-1 partner within `window` sentences of an unaligned sentence:
    low means safely unaligned."""
    src_count, tgt_count = features.src_vectors.shape[1], features.tgt_vectors.shape[1]
    if src_size:
        partners = [(i, k) for k in range(max(j - window, 0), min(j + window, tgt_count))]
    else:
        partners = [(k, j) for k in range(max(i - window, 0), min(i + window, src_count))]
    return max(bead_quality(features, a, 1, b, 1, weights) for a, b in partners)
