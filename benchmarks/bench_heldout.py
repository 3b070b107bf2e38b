"""Held-out accuracy on MAC-Dev: every value chosen by leave-one-chapter-out.

For each combination of the values given with `--try NAME=V1,V2,...` (the defaults when
none), every chapter is aligned as it is and with `--omit` of its 1-1 beads' English cut.
Each chapter is then scored with the combination that was best on the other five
(pooled exact-bead F1 over their plain and cut versions together), so no chapter's
figure comes from a value chosen on it. Printed and written as JSON (`--results`,
stamped with the commit and the base configuration; default
`benchmarks/results/bench_heldout.json`): held-out
per-chapter and pooled strict/exact-bead F1, recall of gold beads by shape, precision of
predicted beads by shape, the share of Chinese sentences whose English was cut that stay
unaligned, and the confidence calibration by leave-one-chapter-out (the logistic map from
bead quality to confidence fitted on five chapters, bucket precision on the sixth).

    python benchmarks/bench_heldout.py --cache /work/cache \\
        --try omission_gain=9,0,0.01,0.02,0.03,0.05
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from _common import (
    MAC_DEV_CHAPTERS,
    add_config_options,
    add_embedder_options,
    benchmark_parser,
    config_from,
    embedder_from,
    write_results,
)
from bench_mac_dev import BUCKETS, load_chapter
from scipy.optimize import minimize

from aligner.align import align
from aligner.config import AlignConfig
from aligner.data import Bead
from aligner.embed import Embedder
from aligner.evaluate import evaluate

CHAPTERS = MAC_DEV_CHAPTERS

Link = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass
class Run:
    """One chapter aligned with one setting, plain and with English cut."""

    gold: list[Bead]
    test: list[Bead]
    cut_gold: list[Bead]
    cut_test: list[Bead]
    omitted: set[int]


def settings_grid(tries: list[str]) -> list[dict[str, str]]:
    """Every combination of the `--try NAME=V1,V2` values (one empty setting without any)."""
    names = [item.split("=", 1)[0] for item in tries]
    values = [item.split("=", 1)[1].split(",") for item in tries]
    return [dict(zip(names, combination)) for combination in itertools.product(*values)]


def run_setting(
    embedder: Embedder, config: AlignConfig, omit: float
) -> dict[str, Run]:
    """Every chapter aligned with `config`, plain and with `omit` of the English cut."""
    runs = {}
    for chapter in CHAPTERS:
        plain, cut = load_chapter(chapter), load_chapter(chapter, omit)
        runs[chapter] = Run(
            plain.gold, align(plain.src, plain.tgt, embedder, config),
            cut.gold, align(cut.src, cut.tgt, embedder, config), cut.omitted,
        )
    return runs


def selection_score(runs: dict[str, Run], chapters: list[str]) -> float:
    """Pooled exact-bead F1 over the plain and cut versions of `chapters`."""
    gold = [runs[c].gold for c in chapters] + [runs[c].cut_gold for c in chapters]
    test = [runs[c].test for c in chapters] + [runs[c].cut_test for c in chapters]
    return evaluate(gold, test)["f1_bead"]


def _links(beads: list[Bead]) -> set[Link]:
    return {(bead.src, bead.tgt) for bead in beads}


def _shape(link: Link) -> str:
    return f"{len(link[0])}-{len(link[1])}"


def by_shape(runs: list[Run]) -> dict[str, dict[str, float]]:
    """Gold count and recall per gold shape, predicted count and precision per shape."""
    gold_count, gold_hit, test_count, test_hit = Counter(), Counter(), Counter(), Counter()
    for run in runs:
        gold, test = _links(run.gold), _links(run.test)
        for link in gold:
            gold_count[_shape(link)] += 1
            gold_hit[_shape(link)] += link in test
        for link in test:
            test_count[_shape(link)] += 1
            test_hit[_shape(link)] += link in gold
    shapes = sorted(set(gold_count) | set(test_count), key=lambda s: -gold_count[s])
    return {
        shape: {
            "gold": gold_count[shape],
            "recall": gold_hit[shape] / gold_count[shape] if gold_count[shape] else math.nan,
            "predicted": test_count[shape],
            "precision": test_hit[shape] / test_count[shape] if test_count[shape] else math.nan,
        }
        for shape in shapes
    }


def _scored(run: Run, config: AlignConfig) -> list[tuple[float, bool]]:
    """(bead quality, exactly right) of each aligned bead: the quality is read back from
    the confidence through the configured logistic map."""
    gold = _links(run.gold)
    rows = []
    for bead in run.test:
        if bead.is_aligned:
            score = min(max(bead.score, 1e-9), 1 - 1e-9)
            quality = config.score_offset + math.log(score / (1 - score)) / config.score_slope
            rows.append((quality, (bead.src, bead.tgt) in gold))
    return rows


def fit_logistic(rows: list[tuple[float, bool]]) -> tuple[float, float]:
    """Slope and offset of P(right) = 1 / (1 + exp(-slope (quality - offset))), by
    maximum likelihood."""
    quality = np.array([q for q, _ in rows])
    right = np.array([r for _, r in rows], dtype=float)

    def loss(parameters: np.ndarray) -> float:
        logits = parameters[0] * (quality - parameters[1])
        return float(np.sum(np.logaddexp(0, logits) - right * logits))

    slope, offset = minimize(loss, np.array([5.0, 0.0]), method="Nelder-Mead").x
    return float(slope), float(offset)


def loo_calibration(runs: dict[str, Run], configs: dict[str, AlignConfig]) -> dict[str, object]:
    """Confidence refitted on five chapters and bucketed on the sixth, pooled over sixths."""
    held_out: list[tuple[float, bool]] = []
    fits = {}
    for chapter in CHAPTERS:
        train = [row for c in CHAPTERS if c != chapter for row in _scored(runs[c], configs[c])]
        slope, offset = fit_logistic(train)
        fits[chapter] = {"slope": slope, "offset": offset}
        held_out.extend(
            (1 / (1 + math.exp(-slope * (quality - offset))), right)
            for quality, right in _scored(runs[chapter], configs[chapter])
        )
    buckets = []
    for low, high in itertools.pairwise(BUCKETS):
        hits = [right for score, right in held_out if low <= score < high]
        scores = [score for score, _ in held_out if low <= score < high]
        buckets.append({
            "bucket": [low, min(high, 1.0)], "beads": len(hits),
            "mean_score": float(np.mean(scores)) if scores else math.nan,
            "precision": sum(hits) / len(hits) if hits else math.nan,
        })
    return {"fits": fits, "buckets": buckets}


def main() -> None:
    parser = benchmark_parser("bench_heldout", __doc__)
    add_embedder_options(parser)
    parser.add_argument("--omit", type=float, default=0.05, help="share of 1-1 beads cut")
    parser.add_argument(
        "--try", dest="tries", action="append", default=[], metavar="NAME=V1,V2",
        help="values of an AlignConfig field to choose among (repeatable: all combinations)",
    )
    add_config_options(parser)
    args = parser.parse_args()
    embedder = embedder_from(args)
    base = config_from(args)
    grid = settings_grid(args.tries)
    results = []
    for setting in grid:
        config = dataclasses.replace(base, **{
            name: type(getattr(base, name))(value) for name, value in setting.items()
        })
        results.append((setting, config, run_setting(embedder, config, args.omit)))
        print(f"setting {setting or 'defaults'}: dev-set (not held-out) plain+cut bead F1 "
              f"{selection_score(results[-1][2], CHAPTERS):.3f}")
    chosen: dict[str, int] = {}
    for chapter in CHAPTERS:
        others = [c for c in CHAPTERS if c != chapter]
        scores = [selection_score(runs, others) for _, _, runs in results]
        chosen[chapter] = int(np.argmax(scores))
    held = {c: results[chosen[c]][2][c] for c in CHAPTERS}
    configs = {c: results[chosen[c]][1] for c in CHAPTERS}
    report: dict[str, object] = {
        "data": "MAC-Dev, held-out by leave-one-chapter-out", "tried": args.tries,
        "omit": args.omit, "embedder": embedder.name, "chapters": {},
    }
    print(f"\nHeld-out (leave-one-chapter-out), {embedder.name}")
    print(f"{'chapter':8} {'chosen':40} {'strict':>7} {'bead':>7} {'cut bead':>9}")
    for chapter in CHAPTERS:
        run = held[chapter]
        plain = evaluate([run.gold], [run.test])
        cut = evaluate([run.cut_gold], [run.cut_test])
        setting = results[chosen[chapter]][0]
        report["chapters"][chapter] = {  # type: ignore[index]
            "setting": setting, "f1_strict": plain["f1_strict"], "f1_bead": plain["f1_bead"],
            "cut_f1_bead": cut["f1_bead"],
        }
        print(f"{chapter:8} {json.dumps(setting):40} {plain['f1_strict']:7.3f} "
              f"{plain['f1_bead']:7.3f} {cut['f1_bead']:9.3f}")
    pooled = evaluate([held[c].gold for c in CHAPTERS], [held[c].test for c in CHAPTERS])
    cut = evaluate([held[c].cut_gold for c in CHAPTERS], [held[c].cut_test for c in CHAPTERS])
    print(f"{'pooled':8} {'':40} {pooled['f1_strict']:7.3f} {pooled['f1_bead']:7.3f} "
          f"{cut['f1_bead']:9.3f}")
    left = sum(
        len(held[c].omitted & {i for b in held[c].cut_test if not b.tgt for i in b.src})
        for c in CHAPTERS
    )
    omitted = sum(len(held[c].omitted) for c in CHAPTERS)
    print(f"Chinese sentences whose English was cut, left unaligned: {left}/{omitted}")
    shapes = by_shape(list(held.values()))
    print("\nshape  gold recall  predicted precision (held-out, plain chapters)")
    for shape, row in shapes.items():
        print(f"{shape:6} {row['gold']:4} {row['recall']:6.2f}  {row['predicted']:9} "
              f"{row['precision']:9.2f}")
    calibration = loo_calibration(held, configs)
    print("\nconfidence refitted on five chapters, bucketed on the sixth (pooled)")
    for bucket in calibration["buckets"]:  # type: ignore[attr-defined]
        low, high = bucket["bucket"]
        print(f"[{low:.2f}, {high:.2f}] beads {bucket['beads']:4} mean score "
              f"{bucket['mean_score']:.3f} precision {bucket['precision']:.3f}")
    report.update({
        "pooled": pooled, "cut_pooled": cut, "omitted_left_unaligned": [left, omitted],
        "by_shape": shapes, "calibration": calibration,
        "dev_set_selection_scores": [
            {"setting": s, "plain_and_cut_f1_bead": selection_score(r, CHAPTERS)}
            for s, _, r in results
        ],
    })
    write_results(args, report, base)


if __name__ == "__main__":
    main()
