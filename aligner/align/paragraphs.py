"""Mixed documents: pairing each paragraph with its translation, and the length prior
measured over the paired paragraphs only."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aligner.align.features import hubness
from aligner.align.kernel import Weights, band_dp, neutral_features
from aligner.align.search import band_around, bead_shapes, path_nodes
from aligner.config import AlignConfig
from aligner.data import Sentence
from aligner.text import non_space_length


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
    config: AlignConfig,
) -> list[tuple[int, int]]:
    """(source, target) paragraph positions of the best one-to-one paragraph pairing;
    `units` are the paragraph vectors and hub-ness of both sides. Leaving a paragraph
    unpaired costs nothing, so a pair must score above `paragraph_pair_threshold`."""
    features = neutral_features(*units, partners=src_ranges, tgt_paragraphs=tgt_ids)
    shapes = np.array(bead_shapes(1), dtype=np.int64)
    weights = Weights(
        length=0.0, paragraph=0.0, numbers=0.0, size_exponent=1.0,
        partner=config.paragraph_distance_cost, quote=0.0, boundary=0.0,
        length_smoothing=config.length_smoothing,
    )
    skip_cost = -config.paragraph_pair_threshold / 2
    path, _ = band_dp(features, shapes, band[0], band[1], skip_cost, weights)
    nodes_i, nodes_j = path_nodes(shapes, path)
    paired = np.flatnonzero(shapes[path].sum(axis=1) == 2)
    return [(int(nodes_i[k]), int(nodes_j[k])) for k in paired]


def pair_paragraphs(
    src_vectors: np.ndarray,
    tgt_vectors: np.ndarray,
    src_paragraphs: np.ndarray,
    tgt_paragraphs: np.ndarray,
    config: AlignConfig | None = None,
) -> np.ndarray:
    """Partner paragraph range (low, high) of each source sentence in a mixed document;
    low > high where its paragraph has no translation.

    Paragraphs are paired one to one by the similarity of their summed sentence vectors,
    looking `paragraph_window` paragraphs either side and charging
    `paragraph_distance_cost` per paragraph of distance from the neighbour on the
    document's usual side, found by a first pairing that accepts either neighbour
    (translations mostly follow, or mostly precede, their originals). Untranslated
    paragraphs are common in such documents, so leaving one unpaired costs nothing and a
    pair must beat `paragraph_pair_threshold`; merged pairs are not offered, as a question
    plus its untranslated answer would otherwise pass for the question's translation.
    The sentence alignment then pays `partner_penalty` for leaving a paragraph's partner,
    so an untranslated answer next to a translated question stays unaligned; at the
    default the penalty all but forbids it, which is safe because the pairing is rarely
    wrong (benchmarks/bench_mixed.py). Hub-ness is measured against the other side's
    paragraphs, so with one paragraph on either side (nothing to compare with), or no
    pair found at all, each source paragraph keeps both neighbours as partners.
    """
    config = config or AlignConfig()
    src_ids, src_runs = _paragraph_vectors(src_vectors, src_paragraphs)
    tgt_ids, tgt_runs = _paragraph_vectors(tgt_vectors, tgt_paragraphs)
    rows, columns = len(src_ids), len(tgt_ids)
    units = (
        src_runs, tgt_runs,
        hubness(src_runs, tgt_runs[0], config.hub_sample),
        hubness(tgt_runs, src_runs[0], config.hub_sample),
    )
    nearest = np.minimum(np.searchsorted(tgt_ids, src_ids) + 1, columns)
    band = band_around(np.arange(1, rows + 1), nearest, rows, columns, config.paragraph_window)
    neighbours = np.stack([src_ids - 1, src_ids + 1], axis=1)
    either_side = _paired_units(units, neighbours, tgt_ids, band, config)
    if rows == 1 or columns == 1 or not either_side:
        return neighbours[np.searchsorted(src_ids, src_paragraphs)]
    offsets = [int(tgt_ids[j] - src_ids[i]) for i, j in either_side]
    usual = 1 if offsets.count(1) >= offsets.count(-1) else -1
    expected = np.stack([src_ids + usual, src_ids + usual], axis=1)
    partner_of_unit = np.tile(np.array([1, 0], dtype=np.int64), (rows, 1))
    for i, j in _paired_units(units, expected, tgt_ids, band, config):
        partner_of_unit[i] = (tgt_ids[j], tgt_ids[j])
    return partner_of_unit[np.searchsorted(src_ids, src_paragraphs)]


def length_scale(
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
