"""Alignment quality on MAC-Dev (6 literary chapters, zh source, en target).

Aligns each chapter with the default embedder (or `--model`), writes the ladders to
`--out`, and prints per-chapter and pooled strict/lax/exact-bead scores, the time
taken, and the precision of aligned beads by confidence bucket, so users can choose
`--min-score`. `--cache DIR` keeps embeddings on disk between runs. `--omit SHARE`
cuts the English of that share of 1-1 gold beads and reports how many of their
Chinese sentences stay unaligned, as they should.

    python benchmarks/bench_mac_dev.py --out /tmp/mac-dev-ladders
"""

from __future__ import annotations

import itertools
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from _common import (
    MAC_DEV_CHAPTERS,
    add_config_options,
    add_embedder_options,
    benchmark_parser,
    config_from,
    embedder_from,
    load_mac_dev,
    write_ladder,
    write_results,
)
from rich.console import Console
from rich.table import Table

from aligner.align import align
from aligner.data import Bead, Sentence
from aligner.evaluate import evaluate

BUCKETS = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001]


@dataclass
class Chapter:
    """A chapter's sentences and gold; `omitted` are the Chinese ids whose English was cut."""

    src: list[Sentence]
    tgt: list[Sentence]
    gold: list[Bead]
    omitted: set[int]


def load_chapter(chapter: str, omit_share: float = 0.0) -> Chapter:
    """A MAC-Dev chapter; with `omit_share`, the English of that share of 1-1 gold beads is
    removed (seeded by the chapter number), as when a translator leaves a sentence out, and
    the gold leaves their Chinese unaligned."""
    loaded = load_mac_dev(chapter)
    src, tgt, gold = loaded.src, loaded.tgt, loaded.gold
    rng = np.random.default_rng(int(chapter))
    cut = {
        bead.tgt[0] for bead in gold
        if len(bead.src) == len(bead.tgt) == 1 and rng.random() < omit_share
    }
    new_id = {j: k for k, j in enumerate(j for j in range(len(tgt)) if j not in cut)}
    kept_gold, omitted = [], set()
    for bead in gold:
        if bead.tgt and bead.tgt[0] in cut:
            kept_gold.append(Bead(bead.src, (), 1.0))
            omitted.update(bead.src)
        else:
            kept_gold.append(Bead(bead.src, tuple(new_id[j] for j in bead.tgt), 1.0))
    kept_tgt = [
        Sentence(sentence.text, sentence.lang, sentence.paragraph)
        for j, sentence in enumerate(tgt) if j not in cut
    ]
    return Chapter(src, kept_tgt, kept_gold, omitted)


def precision_by_score(gold: list[list[Bead]], test: list[list[Bead]]) -> list[dict[str, Any]]:
    """Share of aligned test beads that are exactly in the gold, per confidence bucket."""
    scored = [
        (bead.score, (bead.src, bead.tgt) in {(g.src, g.tgt) for g in gold_beads})
        for gold_beads, test_beads in zip(gold, test)
        for bead in test_beads
        if bead.is_aligned
    ]
    rows = []
    for low, high in itertools.pairwise(BUCKETS):
        hits = [correct for score, correct in scored if low <= score < high]
        rows.append({
            "low": low,
            "high": min(high, 1.0),
            "beads": len(hits),
            "precision": sum(hits) / len(hits) if hits else None,
            "kept": sum(score >= low for score, _ in scored) / len(scored),
        })
    return rows


def precision_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("score", "beads", "precision", "share of beads kept at --min-score")
    for row in rows:
        precision = f"{row['precision']:.3f}" if row["precision"] is not None else "-"
        table.add_row(f"[{row['low']:.2f}, {row['high']:.2f}]", str(row["beads"]), precision,
                      f"{row['kept']:.3f}")
    return table


def main() -> None:
    parser = benchmark_parser("bench_mac_dev", __doc__)
    add_embedder_options(parser)
    parser.add_argument("--out", type=Path, default=None, help="directory for the test ladders")
    parser.add_argument(
        "--omit", type=float, default=0.0, metavar="SHARE",
        help="cut the English of this share of 1-1 gold beads, to test omissions (e.g. 0.05)",
    )
    add_config_options(parser)
    args = parser.parse_args()
    embedder = embedder_from(args)
    out = args.out or Path(tempfile.mkdtemp(prefix="mac-dev-"))
    out.mkdir(parents=True, exist_ok=True)
    config = config_from(args)
    console = Console()
    table = Table("chapter", "beads", "strict F1", "lax F1", "bead F1", "seconds")
    gold_all, test_all = [], []
    chapters: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    omitted_left = omitted = 0
    for chapter in MAC_DEV_CHAPTERS:
        loaded = load_chapter(chapter, args.omit)
        chapter_started = time.perf_counter()
        test = align(loaded.src, loaded.tgt, embedder, config)
        seconds = time.perf_counter() - chapter_started
        unaligned = {i for bead in test if not bead.tgt for i in bead.src}
        omitted_left += len(loaded.omitted & unaligned)
        omitted += len(loaded.omitted)
        write_ladder(out / f"{chapter}.align", test)
        gold = loaded.gold
        scores = evaluate([gold], [test])
        table.add_row(chapter, str(len(test)), f"{scores['f1_strict']:.3f}",
                      f"{scores['f1_lax']:.3f}", f"{scores['f1_bead']:.3f}", f"{seconds:.1f}")
        chapters[chapter] = {"beads": len(test), "seconds": round(seconds, 2), **scores}
        gold_all.append(gold)
        test_all.append(test)
    pooled = evaluate(gold_all, test_all)
    total_seconds = time.perf_counter() - started
    table.add_row("pooled", str(sum(map(len, test_all))), f"{pooled['f1_strict']:.3f}",
                  f"{pooled['f1_lax']:.3f}", f"{pooled['f1_bead']:.3f}",
                  f"{total_seconds:.1f}")
    console.print(f"MAC-Dev with {embedder.name}; ladders in {out}")
    console.print(table)
    console.print(
        "pooled: " + ", ".join(f"{name} {value:.3f}" for name, value in sorted(pooled.items()))
    )
    buckets = precision_by_score(gold_all, test_all)
    console.print(precision_table(buckets))
    if omitted:
        console.print(f"Chinese sentences whose English was cut, left unaligned: "
                      f"{omitted_left}/{omitted} ({omitted_left / omitted:.0%})")
    results = {
        "data": "MAC-Dev (dev set)",
        "embedder": embedder.name,
        "chapters": chapters,
        "pooled": {**pooled, "beads": sum(map(len, test_all)), "seconds": round(total_seconds, 2)},
        "precision_by_score": buckets,
        "omitted": {"cut": omitted, "left_unaligned": omitted_left},
    }
    write_results(args, results, config)


if __name__ == "__main__":
    main()
