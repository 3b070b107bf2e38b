"""Where the fine pass looks: bead shapes, a coarse 1-1 path found by recursive halving
(Vecalign's downsampling), and the band around a path."""

from __future__ import annotations

import numpy as np

from aligner.align.features import hubness
from aligner.align.kernel import Weights, band_dp, neutral_features
from aligner.config import AlignConfig


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


def gap_shapes(max_align: int) -> list[tuple[int, int]]:
    """Runs of 2..max_align unaligned sentences on one side, each one gap of the fine
    pass (see `band_dp`); `bead_shapes` has the single skips."""
    return [shape for size in range(2, max_align + 1) for shape in ((size, 0), (0, size))]


def band_around(
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


def path_nodes(shapes: np.ndarray, path: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (i, j) nodes a path of shape indices passes through, from (0, 0) to its end."""
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


def one_to_one_path(
    src_vectors: np.ndarray,
    tgt_vectors: np.ndarray,
    src_lengths: np.ndarray,
    tgt_lengths: np.ndarray,
    paragraphs: tuple[np.ndarray, np.ndarray],
    weights: Weights,
    config: AlignConfig,
) -> tuple[np.ndarray, np.ndarray]:
    """Nodes of the best 1-1/skip path, found by recursive halving when the grid is big.

    `paragraphs` are the source partner ranges and the target paragraphs. Blocks keep
    those of their first sentence; only the length and partner terms of `weights` apply,
    as runs here are single sentences or blocks.
    """
    rows, columns = len(src_vectors), len(tgt_vectors)
    fits_whole = (rows + 1) * (columns + 1) <= config.full_grid_cells
    if fits_whole or min(rows, columns) < 2 * config.coarse_band:
        low = np.zeros(rows + 1, dtype=np.int64)
        high = np.full(rows + 1, columns, dtype=np.int64)
    else:
        coarse_i, coarse_j = one_to_one_path(
            _halve(src_vectors, True),
            _halve(tgt_vectors, True),
            _halve(src_lengths, False),
            _halve(tgt_lengths, False),
            (paragraphs[0][0::2], paragraphs[1][0::2]),
            weights,
            config,
        )
        low, high = band_around(
            np.minimum(2 * coarse_i, rows), np.minimum(2 * coarse_j, columns), rows, columns,
            config.coarse_band,
        )
    shapes = np.array([(1, 0), (0, 1), (1, 1)], dtype=np.int64)
    src_runs, tgt_runs = src_vectors[None], tgt_vectors[None]
    features = neutral_features(
        src_runs, tgt_runs,
        hubness(src_runs, tgt_vectors, config.hub_sample),
        hubness(tgt_runs, src_vectors, config.hub_sample),
        src_lengths[None], tgt_lengths[None], paragraphs[0], paragraphs[1],
    )
    block_weights = weights._replace(
        paragraph=0.0, numbers=0.0, size_exponent=1.0, quote=0.0, boundary=0.0
    )
    path, _ = band_dp(features, shapes, low, high, config.skip_cost, block_weights)
    return path_nodes(shapes, path)
