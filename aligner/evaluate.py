"""Score test alignments against gold ladders, as the sentence-alignment literature does.

Strict and lax link precision/recall follow Vecalign's `score.py` (after Véronis and
Langlais): precision counts every non-empty test bead, including 0-n beads; recall is
precision with gold and test swapped and 0-n beads left out on both sides. Exact-bead
scores count every bead, 0-n included, so deletions the aligner misses are visible too.
Counts are pooled over documents before dividing, so long chapters weigh more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aligner.data import AlignerError, Bead
from aligner.formats import read_ladder

Link = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass
class _Counts:
    """Hits and misses of one side of a comparison, summed over documents."""

    strict_hits: int = 0
    lax_hits: int = 0
    total: int = 0

    def add(self, other: _Counts) -> None:
        self.strict_hits += other.strict_hits
        self.lax_hits += other.lax_hits
        self.total += other.total


def _links(beads: Sequence[Bead], keep_unaligned: bool) -> set[Link]:
    return {
        (bead.src, bead.tgt)
        for bead in beads
        if (bead.src and bead.tgt) or (keep_unaligned and (bead.src or bead.tgt))
    }


def _match(reference: set[Link], candidates: set[Link]) -> _Counts:
    """How many candidates equal a reference bead (strict) or share a link with one (lax).

    Lax: some source sentence of the candidate is aligned in the reference with some
    target sentence of the candidate.
    """
    linked_targets: dict[int, set[int]] = defaultdict(set)
    for src, tgt in reference:
        for src_id in src:
            linked_targets[src_id].update(tgt)
    counts = _Counts(total=len(candidates))
    for src, tgt in candidates:
        if (src, tgt) in reference:
            counts.strict_hits += 1
            counts.lax_hits += 1
        elif any(linked_targets[src_id].intersection(tgt) for src_id in src):
            counts.lax_hits += 1
    return counts


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def evaluate(gold: Sequence[Sequence[Bead]], test: Sequence[Sequence[Bead]]) -> dict[str, float]:
    """Pooled strict/lax link scores and exact-bead scores over paired documents."""
    if len(gold) != len(test):
        raise AlignerError(f"{len(gold)} gold documents but {len(test)} test documents")
    precision, recall = _Counts(), _Counts()
    exact_hits = exact_gold = exact_test = 0
    for gold_beads, test_beads in zip(gold, test):
        precision.add(_match(_links(gold_beads, True), _links(test_beads, True)))
        recall.add(_match(_links(test_beads, False), _links(gold_beads, False)))
        gold_all, test_all = _links(gold_beads, True), _links(test_beads, True)
        exact_hits += len(gold_all & test_all)
        exact_gold += len(gold_all)
        exact_test += len(test_all)
    scores = {
        "precision_strict": _ratio(precision.strict_hits, precision.total),
        "recall_strict": _ratio(recall.strict_hits, recall.total),
        "precision_lax": _ratio(precision.lax_hits, precision.total),
        "recall_lax": _ratio(recall.lax_hits, recall.total),
        "precision_bead": _ratio(exact_hits, exact_test),
        "recall_bead": _ratio(exact_hits, exact_gold),
    }
    for kind in ("strict", "lax", "bead"):
        scores[f"f1_{kind}"] = _f1(scores[f"precision_{kind}"], scores[f"recall_{kind}"])
    return scores


def _ladder_files(path: Path) -> dict[str, Path]:
    """Ladder files of a directory keyed by document name (`001.align` and `001` both key `001`)."""
    files = {}
    for file in sorted(path.iterdir()):
        if file.is_file() and not file.name.startswith("."):
            files[file.name.removesuffix(".align")] = file
    return files


def pair_ladder_files(gold: Path, test: Path) -> list[tuple[Path, Path]]:
    """Gold/test file pairs: two files, or two directories matched by document name."""
    for path in (gold, test):
        if not path.exists():
            raise AlignerError(f"{path}: no such file or directory")
    if gold.is_file() and test.is_file():
        return [(gold, test)]
    if gold.is_dir() and test.is_dir():
        gold_files, test_files = _ladder_files(gold), _ladder_files(test)
        missing = sorted(set(gold_files) - set(test_files))
        if missing:
            raise AlignerError(f"{test}: no test ladder for gold document(s) {', '.join(missing)}")
        return [(gold_files[name], test_files[name]) for name in gold_files]
    raise AlignerError(f"give two files or two directories, not {gold} and {test}")


def evaluate_files(gold: Path, test: Path) -> dict[str, float]:
    """Read and score ladder files or directories of them."""
    pairs = pair_ladder_files(gold, test)
    return evaluate(
        [read_ladder(gold_file) for gold_file, _ in pairs],
        [read_ladder(test_file) for _, test_file in pairs],
    )
