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
with 67.7% / 69.2% precision. A TM of fewer than a hundred distinct units has no
neighbourhood to measure: its units are scored by plain cosine.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from aligner.data import AlignerError
from aligner.embed import Embedder
from aligner.formats.output import one_line, text_view
from aligner.io import output_stream
from aligner.readers import read_document
from aligner.readers.document import SourceUnit

logger = logging.getLogger(__name__)

SUSPECT_BELOW = -0.3
"""CSLS score under which a unit is flagged (see the module docstring for its measurement)."""
COSINE_SUSPECT_BELOW = 0.25
"""Cosine under which a unit of a small TM is flagged (measured with CSLS, same benchmark)."""
MIN_NEIGHBOURHOOD = 100
"""Fewer distinct units than this give no neighbourhood to speak of: plain cosine is used."""
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


def _distinct(units: Sequence[SourceUnit]) -> np.ndarray:
    """Positions of the first unit of each distinct pair: a TM repeating a pair must not
    make that pair its own neighbourhood."""
    first: dict[tuple[str, str], int] = {}
    for position, unit in enumerate(units):
        first.setdefault((unit.src_text, unit.tgt_text), position)
    return np.array(sorted(first.values()), dtype=np.int64)


def uses_csls(units: Sequence[SourceUnit]) -> bool:
    """Whether the TM is large enough for CSLS (else units are scored by plain cosine)."""
    return len(_distinct(units)) >= MIN_NEIGHBOURHOOD


def score_units(units: Sequence[SourceUnit], embedder: Embedder) -> list[float]:
    """CSLS score of each unit's source against its target (higher is better, about -1..1);
    plain cosine for a TM of fewer than MIN_NEIGHBOURHOOD distinct units."""
    if not units:
        return []
    vectors = embedder.encode([unit.src_text for unit in units] + [unit.tgt_text for unit in units])
    src, tgt = vectors[: len(units)], vectors[len(units) :]
    cosine = np.einsum("ij,ij->i", src, tgt)
    reference = _distinct(units)
    if len(reference) < MIN_NEIGHBOURHOOD:
        return cosine.astype(float).tolist()
    if len(reference) > REFERENCE_UNITS:
        reference = np.sort(np.random.default_rng(0).choice(reference, REFERENCE_UNITS, False))
    scores = 2 * cosine - _neighbourhood(src, tgt[reference]) - _neighbourhood(tgt, src[reference])
    return scores.astype(float).tolist()


def check_units(
    units: Sequence[SourceUnit], embedder: Embedder, threshold: float | None = None
) -> list[CheckedUnit]:
    """Every unit with its score, suspect when the score is below `threshold` (by default
    the one of the score used: SUSPECT_BELOW for CSLS, COSINE_SUSPECT_BELOW for cosine)."""
    if threshold is None:
        threshold = SUSPECT_BELOW if uses_csls(units) else COSINE_SUSPECT_BELOW
    checked = [
        CheckedUnit(unit, score, score < threshold)
        for unit, score in zip(units, score_units(units, embedder))
    ]
    logger.info("%d units checked, %d suspect", len(checked), sum(c.suspect for c in checked))
    return checked


def check_file(path: Path, embedder: Embedder, threshold: float | None = None) -> list[CheckedUnit]:
    """Every unit of a bilingual file (TMX, XLIFF), scored and flagged."""
    document = read_document(path)
    if not document.bilingual:
        raise AlignerError(
            f"{path}: not a bilingual file; `check` re-scores a translation memory "
            "(.tmx) or a translated XLIFF (.xlf)"
        )
    return check_units(document.units, embedder, threshold)


CHECK_COLUMNS = ["suspect", "score", "ref", "source", "target"]


def write_checked(checked: Sequence[CheckedUnit], out: str, only_suspect: bool = False) -> int:
    """A table of the units (TSV, or CSV when `out` ends in .csv): whether each is suspect,
    its score, where it is in the file, and its texts on one line; returns the rows written."""
    rows = [unit for unit in checked if unit.suspect or not only_suspect]
    with output_stream(out) as stream, text_view(stream) as text:
        if out.lower().endswith(".csv"):
            writer = csv.writer(text, lineterminator="\r\n")
        else:
            writer = csv.writer(
                text, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, quotechar=None
            )
        writer.writerow(CHECK_COLUMNS)
        for unit in rows:
            writer.writerow(
                [
                    "yes" if unit.suspect else "",
                    f"{unit.score:.4f}",
                    one_line(unit.unit.ref),
                    one_line(unit.unit.src_text),
                    one_line(unit.unit.tgt_text),
                ]
            )
    return len(rows)
