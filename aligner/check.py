"""Re-score an existing translation memory and flag the units that look wrong.

A TM built by someone else mixes good units with misaligned ones (a target shifted by
one, a sentence paired with another one's translation). Each unit's source and target
are embedded and compared with CSLS (cross-domain similarity local scaling): twice the
unit's cosine minus how close each side typically comes to its K nearest neighbours on
the other side. That discounts "hub" sentences that are close to everything (short
ones, names, numbers), which plain cosine rates too high.

Measured with `benchmarks/bench_check.py` on a TM of MAC-Dev's gold beads (dev set,
1,337 units, about 9% given the target of a unit 5-50 places on, or of any unit): at
the default threshold (chosen on that same data) CSLS flagged 91.6% / 96.4% of the
wrong units with 73.2% / 72.5% precision; plain cosine at 0.25 flagged 88.2% / 96.4%
with 67.7% / 69.2% precision.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.embed import Embedder
from aligner.readers.document import SourceUnit

logger = logging.getLogger(__name__)

SUSPECT_BELOW = -0.3
"""CSLS score under which a unit is flagged (see the module docstring for its measurement)."""
NEIGHBOURS = 4
"""K of CSLS: how many nearest other-side sentences define a sentence's neighbourhood."""
REFERENCE_UNITS = 4096
"""Neighbourhoods are measured against at most this many units (a fixed sample beyond it),
so checking a TM of any size costs time linear in its size."""


@dataclass(frozen=True)
class CheckedUnit:
    unit: SourceUnit
    score: float
    suspect: bool


def _neighbourhood(vectors: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Mean similarity of each vector to its NEIGHBOURS nearest rows of `others`."""
    k = min(NEIGHBOURS, len(others))
    means = np.empty(len(vectors), dtype=np.float32)
    for start in range(0, len(vectors), 1024):
        similarities = vectors[start : start + 1024] @ others.T
        nearest = np.partition(similarities, -k, axis=1)[:, -k:]
        means[start : start + 1024] = nearest.mean(axis=1)
    return means


def score_units(units: Sequence[SourceUnit], embedder: Embedder) -> list[float]:
    """CSLS score of each unit's source against its target (higher is better, about -1..1)."""
    if not units:
        return []
    vectors = embedder.encode([unit.src_text for unit in units] + [unit.tgt_text for unit in units])
    src, tgt = vectors[: len(units)], vectors[len(units) :]
    reference = np.arange(len(units))
    if len(units) > REFERENCE_UNITS:
        reference = np.sort(np.random.default_rng(0).choice(len(units), REFERENCE_UNITS, False))
    cosine = np.einsum("ij,ij->i", src, tgt)
    scores = 2 * cosine - _neighbourhood(src, tgt[reference]) - _neighbourhood(tgt, src[reference])
    return scores.astype(float).tolist()


def check_units(
    units: Sequence[SourceUnit], embedder: Embedder, threshold: float = SUSPECT_BELOW
) -> list[CheckedUnit]:
    """Every unit with its score, suspect when the score is below `threshold`."""
    checked = [
        CheckedUnit(unit, score, score < threshold)
        for unit, score in zip(units, score_units(units, embedder))
    ]
    logger.info("%d units checked, %d suspect", len(checked), sum(c.suspect for c in checked))
    return checked
