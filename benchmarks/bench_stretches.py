"""Untranslated stretches and moved passages, built from MAC-Dev.

Translators leave out whole passages, add passages of their own, and move passages
elsewhere; `bench_mac_dev --omit` only cuts single sentences. Here, at three places in
each chapter (a quarter, half and three quarters of the way through), a block of
`--size` consecutive gold beads is changed in one of three ways:

- `zh-only`: the block's English is cut, leaving a Chinese stretch without translation;
- `en-only`: the block's Chinese is cut, leaving an English stretch without original;
- `moved`: the block's English is moved after the English of the bead `--distance`
  beads further on, so its translation is still there, but out of order.

The unchanged chapters are the reference. A second table does the same at a larger
scale on another kind of text: Bible 001 (en→zh) with the Chinese of 100 and then 300
consecutive verses from verse 2,000 cut (`--bible-blocks`).

A monotone alignment cannot pair a moved block with its Chinese without leaving the
beads it jumped over unaligned, so the best it can do in all three cases is to leave the
stretch unaligned and align everything else as before. Reported per case, pooled over the
18 documents: how many of the stretch's sentences were left unaligned; the precision of
the sentence pairs aligned (a pair is right when the unchanged gold links its two
sentences, so a moved block aligned in its new place would count as right); and
exact-bead F1 against that best monotone reading. All figures are on the MAC-Dev
chapters (a dev set); `stretch_min` was set here, as MAC-Dev has no such stretches.

    python benchmarks/bench_stretches.py --cache /work/cache
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from _common import (
    MAC_DEV_CHAPTERS,
    add_config_options,
    add_embedder_options,
    benchmark_parser,
    config_from,
    embedder_from,
    load_bible,
    load_mac_dev,
    write_results,
)
from rich.console import Console
from rich.table import Table

from aligner.align import align
from aligner.config import AlignConfig
from aligner.data import Bead, Sentence
from aligner.embed import Embedder
from aligner.evaluate import evaluate

CASES = ("unchanged", "zh-only", "en-only", "moved")
PLACES = (0.25, 0.5, 0.75)


@dataclass
class Changed:
    """A chapter with one block changed: the sentences, the best monotone gold, every true
    link (renumbered), and the ids of the stretch's sentences on each side."""

    src: list[Sentence]
    tgt: list[Sentence]
    gold: list[Bead]
    links: set[tuple[int, int]]
    stretch_src: set[int]
    stretch_tgt: set[int]


def block_start(gold: Sequence[Bead], place: float, size: int) -> int:
    """The first bead at or after `place` of the way through from which `size` aligned
    beads follow one another."""
    start = int(len(gold) * place)
    while not all(bead.is_aligned for bead in gold[start:start + size]):
        start += 1
    return start


def change(
    src: list[Sentence], tgt: list[Sentence], gold: list[Bead], case: str, start: int,
    size: int, distance: int,
) -> Changed:
    """The document with the block of `size` beads from `start` changed as `case` says:
    "zh-only" cuts the block's target side, "en-only" its source side (named for MAC-Dev,
    whose source is Chinese), "moved" moves its target side."""
    block = gold[start:start + size]
    block_src = [i for bead in block for i in bead.src]
    block_tgt = [j for bead in block for j in bead.tgt]
    cut_src = set(block_src) if case == "en-only" else set()
    cut_tgt = set(block_tgt) if case in ("zh-only", "moved") else set()
    src_order = [i for i in range(len(src)) if i not in cut_src]
    tgt_order = [j for j in range(len(tgt)) if j not in cut_tgt]
    if case == "moved":
        landing = gold[start + size + distance - 1].tgt[-1]
        at = tgt_order.index(landing) + 1
        tgt_order[at:at] = block_tgt
    new_src = {old: new for new, old in enumerate(src_order)}
    new_tgt = {old: new for new, old in enumerate(tgt_order)}
    stretch_src = {new_src[i] for i in block_src if i in new_src}
    stretch_tgt = {new_tgt[j] for j in block_tgt if j in new_tgt}
    links = {
        (new_src[i], new_tgt[j])
        for bead in gold for i in bead.src for j in bead.tgt if i in new_src and j in new_tgt
    }
    monotone = [
        Bead(tuple(new_src[i] for i in bead.src if i in new_src),
             tuple(new_tgt[j] for j in bead.tgt if j in new_tgt), 1.0)
        for bead in gold if bead not in block
    ]
    monotone += [Bead((i,), (), 1.0) for i in stretch_src]
    monotone += [Bead((), (j,), 1.0) for j in stretch_tgt]
    monotone = [bead for bead in monotone if bead.src or bead.tgt]
    return Changed([src[i] for i in src_order], [tgt[j] for j in tgt_order], monotone, links,
                   stretch_src, stretch_tgt)


@dataclass
class Measured:
    """One changed document aligned: its beads, the stretch's sentences left unaligned on
    each side, and the aligned sentence pairs, all and right."""

    test: list[Bead]
    src_left: int
    tgt_left: int
    pairs: int
    pairs_right: int


def measure(changed: Changed, embedder: Embedder, config: AlignConfig) -> Measured:
    """Align `changed` and count what the tables report."""
    test = align(changed.src, changed.tgt, embedder, config)
    aligned_src = {i for bead in test if bead.tgt for i in bead.src}
    aligned_tgt = {j for bead in test if bead.src for j in bead.tgt}
    pairs = {(i, j) for bead in test for i in bead.src for j in bead.tgt}
    return Measured(test, len(changed.stretch_src - aligned_src),
                    len(changed.stretch_tgt - aligned_tgt), len(pairs),
                    len(pairs & changed.links))


def main() -> None:
    parser = benchmark_parser("bench_stretches", __doc__)
    add_embedder_options(parser)
    parser.add_argument("--size", type=int, default=6, help="beads per changed block")
    parser.add_argument("--distance", type=int, default=20,
                        help="beads a moved block's English jumps over")
    parser.add_argument("--bible-blocks", type=int, nargs="*", default=[100, 300],
                        metavar="VERSES", help="Bible 001 blocks to cut (none: skip the Bible)")
    add_config_options(parser)
    args = parser.parse_args()
    embedder = embedder_from(args)
    config = config_from(args)
    console = Console()
    table = Table("case", "zh left unaligned", "en left unaligned", "pair precision",
                  "exact-bead F1")
    results: dict[str, Any] = {"data": "MAC-Dev chapters with a block changed (dev set)",
                               "embedder": embedder.name, "size": args.size,
                               "distance": args.distance, "cases": {}}
    for case in CASES:
        golds, tests = [], []
        counts = dict.fromkeys(("zh", "zh_left", "en", "en_left", "pairs", "pairs_right"), 0)
        for chapter in MAC_DEV_CHAPTERS:
            document = load_mac_dev(chapter)
            size = 0 if case == "unchanged" else args.size
            for place in PLACES[:1] if case == "unchanged" else PLACES:
                start = block_start(document.gold, place, size)
                changed = change(document.src, document.tgt, document.gold, case, start,
                                 size, args.distance)
                measured = measure(changed, embedder, config)
                counts["zh"] += len(changed.stretch_src)
                counts["zh_left"] += measured.src_left
                counts["en"] += len(changed.stretch_tgt)
                counts["en_left"] += measured.tgt_left
                counts["pairs"] += measured.pairs
                counts["pairs_right"] += measured.pairs_right
                golds.append(changed.gold)
                tests.append(measured.test)
        scores = evaluate(golds, tests)
        precision = counts["pairs_right"] / counts["pairs"]
        results["cases"][case] = {**counts, "pair_precision": precision, **scores}
        table.add_row(
            case,
            f"{counts['zh_left']}/{counts['zh']}" if counts["zh"] else "-",
            f"{counts['en_left']}/{counts['en']}" if counts["en"] else "-",
            f"{precision:.3f}", f"{scores['f1_bead']:.3f}",
        )
    console.print(f"MAC-Dev with a block of {args.size} beads changed, {embedder.name}")
    console.print(table)
    results["bible"] = bible_blocks(args.bible_blocks, embedder, config, console)
    write_results(args, results, config)


def bible_blocks(
    sizes: list[int], embedder: Embedder, config: AlignConfig, console: Console
) -> dict[str, Any]:
    """Bible 001 with the Chinese of `size` verses from verse 2,000 cut, for each size."""
    document = load_bible("001")
    table = Table("verses cut", "en left unaligned", "pair precision", "wrong pairs",
                  "exact-bead F1")
    found: dict[str, Any] = {}
    for size in [0, *sizes]:
        # "zh-only" cuts the target side: here the Chinese, leaving English without it.
        changed = change(document.src, document.tgt, document.gold, "zh-only", 2000, size, 0)
        measured = measure(changed, embedder, config)
        scores = evaluate([changed.gold], [measured.test])
        found[str(size)] = {"en": len(changed.stretch_src), "en_left": measured.src_left,
                            "pairs": measured.pairs, "pairs_right": measured.pairs_right,
                            **scores}
        table.add_row(str(size), f"{measured.src_left}/{len(changed.stretch_src)}",
                      f"{measured.pairs_right / measured.pairs:.4f}",
                      str(measured.pairs - measured.pairs_right), f"{scores['f1_bead']:.3f}")
    console.print("Bible 001 (en→zh) with the Chinese of consecutive verses cut at verse 2,000")
    console.print(table)
    return found


if __name__ == "__main__":
    main()
