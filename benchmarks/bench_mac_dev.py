"""Alignment quality on MAC-Dev (6 literary chapters, zh source, en target).

Aligns each chapter with the default embedder (or `--model`), writes the ladders to
`--out`, and prints per-chapter and pooled strict/lax/exact-bead scores, the time
taken, and the precision of aligned beads by confidence bucket, so users can choose
`--min-score`. `--cache DIR` keeps embeddings on disk between runs. `--omit SHARE` cuts the English of
that share of 1-1 gold beads and reports how many of their Chinese sentences stay
unaligned, as they should.

    python benchmarks/bench_mac_dev.py --out /tmp/mac-dev-ladders
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from aligner.align import align
from aligner.config import AlignConfig
from aligner.data import Bead, Sentence
from aligner.embed import CachedEmbedder, load_embedder
from aligner.evaluate import evaluate
from aligner.formats import format_ladder_line, read_ladder
from aligner.segment import presegmented

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "mac-dev"
CHAPTERS = ["001", "002", "003", "004", "005", "006"]
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
    src = presegmented((DATA / "zh" / chapter).read_text(encoding="utf-8"), "zh")
    tgt = presegmented((DATA / "en" / chapter).read_text(encoding="utf-8"), "en")
    gold = read_ladder(DATA / "gold" / f"{chapter}.align")
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


def precision_by_score(gold: list[list[Bead]], test: list[list[Bead]]) -> Table:
    """Share of aligned test beads that are exactly in the gold, per confidence bucket."""
    table = Table("score", "beads", "precision", "share of beads kept at --min-score")
    scored = [
        (bead.score, (bead.src, bead.tgt) in {(g.src, g.tgt) for g in gold_beads})
        for gold_beads, test_beads in zip(gold, test)
        for bead in test_beads
        if bead.is_aligned
    ]
    for low, high in itertools.pairwise(BUCKETS):
        hits = [correct for score, correct in scored if low <= score < high]
        kept = sum(score >= low for score, _ in scored) / len(scored)
        precision = f"{sum(hits) / len(hits):.3f}" if hits else "-"
        table.add_row(f"[{low:.2f}, {min(high, 1.0):.2f}]", str(len(hits)), precision, f"{kept:.3f}")
    return table


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """`--set NAME=VALUE`, shared by the accuracy benchmarks to try engine settings."""
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE",
        help="override an AlignConfig field, e.g. --set skip_cost=0.2 (repeatable)",
    )


def config_from(settings: list[str], base: AlignConfig) -> AlignConfig:
    """`base` with each NAME=VALUE of `--set` applied, the value cast to the field's type."""
    overrides = dict(item.split("=", 1) for item in settings)
    return dataclasses.replace(
        base, **{name: type(getattr(base, name))(value) for name, value in overrides.items()}
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="sentence-transformers model (default USE)")
    parser.add_argument("--out", type=Path, default=None, help="directory for the test ladders")
    parser.add_argument("--cache", type=Path, default=None, help="directory for an embedding cache")
    parser.add_argument(
        "--embedded-run", type=int, default=AlignConfig.embedded_run,
        help="longest sentence run embedded as text (longer runs are combined vectors)",
    )
    parser.add_argument(
        "--omit", type=float, default=0.0, metavar="SHARE",
        help="cut the English of this share of 1-1 gold beads, to test omissions (e.g. 0.05)",
    )
    add_config_option(parser)
    args = parser.parse_args()
    embedder = load_embedder(args.model)
    if args.cache:
        embedder = CachedEmbedder(embedder, args.cache)
    out = args.out or Path(tempfile.mkdtemp(prefix="mac-dev-"))
    out.mkdir(parents=True, exist_ok=True)
    config = config_from(args.set, AlignConfig(embedded_run=args.embedded_run))
    console = Console()
    table = Table("chapter", "beads", "strict F1", "lax F1", "bead F1", "seconds")
    gold_all, test_all = [], []
    started = time.perf_counter()
    omitted_left = omitted = 0
    for chapter in CHAPTERS:
        loaded = load_chapter(chapter, args.omit)
        chapter_started = time.perf_counter()
        test = align(loaded.src, loaded.tgt, embedder, config)
        seconds = time.perf_counter() - chapter_started
        unaligned = {i for bead in test if not bead.tgt for i in bead.src}
        omitted_left += len(loaded.omitted & unaligned)
        omitted += len(loaded.omitted)
        (out / f"{chapter}.align").write_text(
            "".join(format_ladder_line(bead) + "\n" for bead in test), encoding="utf-8"
        )
        gold = loaded.gold
        scores = evaluate([gold], [test])
        table.add_row(chapter, str(len(test)), f"{scores['f1_strict']:.3f}",
                      f"{scores['f1_lax']:.3f}", f"{scores['f1_bead']:.3f}", f"{seconds:.1f}")
        gold_all.append(gold)
        test_all.append(test)
    pooled = evaluate(gold_all, test_all)
    table.add_row("pooled", str(sum(map(len, test_all))), f"{pooled['f1_strict']:.3f}",
                  f"{pooled['f1_lax']:.3f}", f"{pooled['f1_bead']:.3f}",
                  f"{time.perf_counter() - started:.1f}")
    console.print(f"MAC-Dev with {embedder.name}; ladders in {out}")
    console.print(table)
    console.print(
        "pooled: " + ", ".join(f"{name} {value:.3f}" for name, value in sorted(pooled.items()))
    )
    console.print(precision_by_score(gold_all, test_all))
    if omitted:
        console.print(f"Chinese sentences whose English was cut, left unaligned: "
                      f"{omitted_left}/{omitted} ({omitted_left / omitted:.0%})")


if __name__ == "__main__":
    main()
