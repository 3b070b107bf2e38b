"""The numba kernel: bead quality term by term, and the banded DP against exhaustive search."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aligner.align import (
    EITHER,
    INSIDE,
    OUTSIDE,
    Features,
    Weights,
    band_dp,
    bead_quality,
    bead_shapes,
    gap_shapes,
    neutral_features,
    number_disagreement,
)

HEAVY = Weights(
    length=0.1, paragraph=5.0, numbers=5.0, size_exponent=0.25, partner=5.0, quote=5.0,
    boundary=5.0, length_smoothing=8.0,
)
"""Every signal weighted so that it would dominate a bead's quality if it applied."""


def test_neutral_features_charge_and_reward_nothing_but_similarity_and_hubness() -> None:
    unit = np.ones((1, 2, 4)) / 2.0
    features = neutral_features(unit, unit, np.full((1, 2), 0.1), np.full((1, 2), 0.3))
    assert bead_quality(features, 0, 1, 1, 1, HEAVY) == pytest.approx(1.0 - 0.2)


@pytest.mark.parametrize("smoothing", [0.0, 8.0])
def test_length_term_smooths_both_lengths_by_the_given_characters(smoothing: float) -> None:
    unit = np.ones((1, 1, 4)) / 2.0
    features = neutral_features(
        unit, unit, np.zeros((1, 1)), np.zeros((1, 1)), np.ones((1, 1)), np.full((1, 1), 9.0)
    )
    weights = HEAVY._replace(length_smoothing=smoothing)
    expected = 1.0 - 0.1 * math.log((1.0 + smoothing) / (9.0 + smoothing)) ** 2
    assert bead_quality(features, 0, 1, 0, 1, weights) == pytest.approx(expected)


def test_quote_penalty_is_charged_when_a_bead_ends_in_speech_on_one_side_only() -> None:
    """Bead ends are compared: inside vs outside costs the penalty, EITHER matches both."""
    unit = np.ones((1, 3, 4)) / 2.0
    features = neutral_features(
        unit, unit, np.zeros((1, 3)), np.zeros((1, 3)), np.ones((1, 3)), np.ones((1, 3))
    )._replace(
        src_quotes=np.array([OUTSIDE, INSIDE, OUTSIDE, OUTSIDE], dtype=np.int8),
        tgt_quotes=np.array([OUTSIDE, OUTSIDE, EITHER, OUTSIDE], dtype=np.int8),
    )
    weights = Weights(
        length=0.1, paragraph=0.2, numbers=0.1, size_exponent=0.25, partner=0.0, quote=0.3,
        boundary=0.0, length_smoothing=8.0,
    )
    assert bead_quality(features, 0, 1, 0, 1, weights) == pytest.approx(1.0 - 0.3)
    assert bead_quality(features, 1, 1, 1, 1, weights) == pytest.approx(1.0)
    assert bead_quality(features, 0, 1, 1, 1, weights) == pytest.approx(1.0)
    assert bead_quality(features, 2, 1, 2, 1, weights) == pytest.approx(1.0)


def test_number_disagreement_is_the_share_of_numbers_one_side_lacks() -> None:
    """Numbers 0 and 1 in source sentence 0, 1 in source 1, none in source 2; target 0
    writes 1 twice and 2, target 1 writes 0. Repeats count once; a side without numbers
    is no evidence."""
    unit = np.ones((2, 3, 4)) / 2.0
    features = neutral_features(unit, unit, np.zeros((2, 3)), np.zeros((2, 3)))._replace(
        src_number_pointers=np.array([0, 2, 3, 3]), src_numbers=np.array([0, 1, 1]),
        tgt_number_pointers=np.array([0, 3, 4, 4]), tgt_numbers=np.array([1, 1, 2, 0]),
    )
    weights = HEAVY._replace(numbers=0.3)
    assert number_disagreement(features, 0, 1, 0, 1) == pytest.approx(2 / 3)
    assert number_disagreement(features, 0, 2, 0, 2) == pytest.approx(1 / 3)
    assert number_disagreement(features, 1, 1, 0, 1) == pytest.approx(1 / 2)
    assert number_disagreement(features, 0, 1, 1, 1) == pytest.approx(1 / 2)
    assert number_disagreement(features, 2, 1, 0, 1) == 0.0
    assert number_disagreement(features, 0, 1, 2, 1) == 0.0
    assert bead_quality(features, 0, 1, 0, 1, weights) == pytest.approx(1.0 - 0.3 * 2 / 3)


def test_bead_shapes_bound_both_sides_and_their_sum() -> None:
    assert bead_shapes(2) == [(1, 0), (0, 1), (1, 1), (1, 2), (2, 1)]
    assert (1, 5) in bead_shapes(5) and (2, 4) in bead_shapes(5) and (3, 4) not in bead_shapes(5)
    assert gap_shapes(3) == [(2, 0), (0, 2), (3, 0), (0, 3)]


def exhaustive_best(
    features: Features, shapes: list[tuple[int, int]], rows: int, columns: int,
    skip_cost: float, weights: Weights,
) -> float:
    """Best total gain over every monotone bead path, by plain recursion; a gap of any
    length costs one skip and may not cross a paragraph boundary."""

    def best_from(i: int, j: int) -> float:
        if (i, j) == (rows, columns):
            return 0.0
        best = -np.inf
        for a, b in shapes:
            if i + a > rows or j + b > columns:
                continue
            if a == 0 or b == 0:
                breaks = features.src_breaks[a - 1, i] if a else features.tgt_breaks[b - 1, j]
                if a + b > 1 and breaks:
                    continue
                step = -skip_cost
            else:
                quality = bead_quality(features, i, a, j, b, weights)
                step = (0.5 * (a + b)) ** weights.size_exponent * quality
            best = max(best, step + best_from(i + a, j + b))
        return best

    return best_from(0, 0)


@pytest.mark.parametrize("seed", range(6))
def test_dp_matches_exhaustive_search(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows, columns, max_run = int(rng.integers(1, 5)), int(rng.integers(1, 5)), 3

    def unit(*shape: int) -> np.ndarray:
        vectors = rng.standard_normal((*shape, 8))
        return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)

    src_counts, tgt_counts = rng.integers(0, 3, rows), rng.integers(0, 3, columns)
    features = Features(
        src_vectors=unit(max_run, rows),
        tgt_vectors=unit(max_run, columns),
        src_hubness=rng.uniform(0, 0.2, (max_run, rows)),
        tgt_hubness=rng.uniform(0, 0.2, (max_run, columns)),
        src_lengths=rng.uniform(1, 60, (max_run, rows)),
        tgt_lengths=rng.uniform(1, 60, (max_run, columns)),
        src_breaks=rng.random((max_run, rows)) < 0.3,
        tgt_breaks=rng.random((max_run, columns)) < 0.3,
        partners=np.sort(rng.integers(0, 4, (rows, 2)), axis=1)[:, ::-1 if seed % 2 else 1],
        tgt_paragraphs=rng.integers(0, 4, columns),
        src_number_pointers=np.concatenate([[0], np.cumsum(src_counts)]),
        src_numbers=rng.integers(0, 4, src_counts.sum()),
        tgt_number_pointers=np.concatenate([[0], np.cumsum(tgt_counts)]),
        tgt_numbers=rng.integers(0, 4, tgt_counts.sum()),
        src_quotes=rng.integers(0, 3, rows + 1).astype(np.int8),
        tgt_quotes=rng.integers(0, 3, columns + 1).astype(np.int8),
        src_gaps=unit(rows + 1),
        tgt_gaps=unit(columns + 1),
    )
    shapes = bead_shapes(max_run) + gap_shapes(max_run)
    weights = Weights(
        length=0.1, paragraph=0.2, numbers=0.1, size_exponent=0.25, partner=0.3, quote=0.1,
        boundary=0.2, length_smoothing=8.0,
    )
    low = np.zeros(rows + 1, dtype=np.int64)
    high = np.full(rows + 1, columns, dtype=np.int64)
    path, total = band_dp(features, np.array(shapes), low, high, 0.12, weights)
    assert total == pytest.approx(exhaustive_best(features, shapes, rows, columns, 0.12, weights))
    steps = np.array(shapes)[path]
    assert steps.sum(axis=0).tolist() == [rows, columns]


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        ([0, 0, 0, 0, 0], [(1, 1), (3, 0), (1, 1)]),
        ([0, 0, 0, 1, 1], [(1, 1), (2, 0), (1, 0), (1, 1)]),
    ],
)
def test_a_gap_costs_one_skip_within_a_paragraph(
    paragraphs: list[int], expected: list[tuple[int, int]]
) -> None:
    """Source sentences 1-3 have no translation: within one paragraph they are one gap for
    one `skip_cost`; a gap may not cross the paragraph boundary after sentence 2."""
    table = np.random.default_rng(0).standard_normal((8, 64))
    src_ids, tgt_ids, max_run = [0, 5, 6, 7, 1], [0, 1], 3

    def runs(ids: list[int], marks: list[int]) -> tuple[np.ndarray, np.ndarray]:
        vectors = np.zeros((max_run, len(ids), 64))
        breaks = np.zeros((max_run, len(ids)), dtype=np.bool_)
        for size in range(1, max_run + 1):
            for start in range(len(ids) - size + 1):
                total = table[ids[start:start + size]].sum(axis=0)
                vectors[size - 1, start] = total / np.linalg.norm(total)
                breaks[size - 1, start] = len(set(marks[start:start + size])) > 1
        return vectors, breaks

    src_vectors, src_breaks = runs(src_ids, paragraphs)
    tgt_vectors, tgt_breaks = runs(tgt_ids, [0, 0])
    features = neutral_features(
        src_vectors, tgt_vectors, np.zeros((max_run, 5)), np.zeros((max_run, 2))
    )._replace(src_breaks=src_breaks, tgt_breaks=tgt_breaks)
    shapes = bead_shapes(max_run) + gap_shapes(max_run)
    low, high = np.zeros(6, dtype=np.int64), np.full(6, 2, dtype=np.int64)
    weights = HEAVY._replace(paragraph=0.0, size_exponent=0.0)
    path, total = band_dp(features, np.array(shapes), low, high, 0.12, weights)
    assert [shapes[k] for k in path] == expected
    assert total == pytest.approx(2.0 - 0.12 * (len(expected) - 2))
