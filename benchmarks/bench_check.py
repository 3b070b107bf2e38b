"""How well `aligner check` separates true translation units from wrong ones (MAC-Dev).

Builds a translation memory from the MAC-Dev gold beads (dev set: every aligned bead
with both sides, sentences joined) and corrupts a share of it the way TMs go wrong:
the target of a unit replaced by the target of a unit 5-50 places further on in the
same chapter ("near"), or of any unit of any chapter ("far"). Each unit is scored with
`aligner.check.score_units` (CSLS) and, as the baseline, plain cosine; the table gives,
per threshold, the share of corrupted units flagged (recall) and the share of flagged
units that are corrupted (precision).

    python benchmarks/bench_check.py --corrupt 0.1
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from aligner.check import score_units
from aligner.embed import Embedder, load_embedder
from aligner.readers.document import SourceUnit

MAC_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "mac-dev"


def _ids(text: str) -> list[int]:
    inside = text.strip()[1:-1]
    return [int(number) for number in inside.split(",") if number.strip()]


def gold_units() -> list[list[SourceUnit]]:
    """The aligned gold beads of each chapter as units (source Chinese, target English)."""
    chapters = []
    for gold in sorted((MAC_DEV / "gold").iterdir()):
        zh = (MAC_DEV / "zh" / gold.stem).read_text(encoding="utf-8").split("\n")
        en = (MAC_DEV / "en" / gold.stem).read_text(encoding="utf-8").split("\n")
        units = []
        for number, line in enumerate(gold.read_text(encoding="utf-8").splitlines()):
            src_ids, tgt_ids = (_ids(side) for side in line.split(":"))
            if src_ids and tgt_ids:
                src = "".join(zh[i] for i in src_ids)
                tgt = " ".join(en[j] for j in tgt_ids)
                units.append(SourceUnit(src, tgt, f"{gold.stem}:{number}"))
        chapters.append(units)
    return chapters


def corrupted(
    chapters: list[list[SourceUnit]], share: float, seed: int, far: bool
) -> list[tuple[SourceUnit, bool]]:
    """Units, a `share` of them given another unit's target, each marked corrupted or not."""
    rng = random.Random(seed)
    everything = [unit for units in chapters for unit in units]
    marked = []
    for units in chapters:
        for number, unit in enumerate(units):
            if rng.random() < share:
                near = units[(number + rng.randint(5, 50)) % len(units)]
                other = rng.choice(everything) if far else near
                marked.append((SourceUnit(unit.src_text, other.tgt_text, unit.ref), True))
            else:
                marked.append((unit, False))
    return marked


def cosines(units: list[SourceUnit], embedder: Embedder) -> list[float]:
    """Plain cosine of each unit's sides, the baseline CSLS is measured against."""
    vectors = embedder.encode([unit.src_text for unit in units] + [unit.tgt_text for unit in units])
    return np.einsum("ij,ij->i", vectors[: len(units)], vectors[len(units) :]).tolist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corrupt", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    embedder = load_embedder()
    table = Table(title="aligner check on a corrupted MAC-Dev (dev set) TM")
    columns = (
        "swaps",
        "units",
        "corrupted",
        "score",
        "threshold",
        "flagged",
        "recall",
        "precision",
    )
    for column in columns:
        table.add_column(column)
    for far in (False, True):
        marked = corrupted(gold_units(), arguments.corrupt, arguments.seed, far)
        units = [unit for unit, _ in marked]
        bad = sum(is_bad for _, is_bad in marked)
        runs = [("csls", score_units(units, embedder), (-0.4, -0.35, -0.3, -0.25, -0.2))]
        runs.append(("cosine", cosines(units, embedder), (0.15, 0.2, 0.25, 0.3)))
        for (name, scores, _), threshold in (
            (run, threshold) for run in runs for threshold in run[2]
        ):
            flagged = [is_bad for (_, is_bad), score in zip(marked, scores) if score < threshold]
            hits = sum(flagged)
            table.add_row(
                "far" if far else "near",
                str(len(marked)),
                str(bad),
                name,
                f"{threshold:.2f}",
                str(len(flagged)),
                f"{hits / max(bad, 1):.3f}",
                f"{hits / max(len(flagged), 1):.3f}",
            )
    Console().print(table)


if __name__ == "__main__":
    main()
