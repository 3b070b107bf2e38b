"""Print the top glossary pairs of a MAC-Dev chapter and of the seed interview, with timings.

Precision is judged by a person: the script prints the top-N lists for hand-checking.
Usage: python benchmarks/bench_glossary.py [--top 30] [--chapter 001] [--no-embedder]
"""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

from _common import SEEDS, benchmark_parser, load_mac_dev, write_results

from aligner.data import Alignment, Bead, Sentence
from aligner.embed import load_embedder
from aligner.glossary import TermPair, extract_glossary

SEED = SEEDS / "001_80f9d8cd20d446c8.txt"
PINYIN_ARTEFACT = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
HAN = re.compile(r"[\u4e00-\u9fff]")


def mac_chapter(chapter: str) -> Alignment:
    """A MAC-Dev chapter with its gold beads (source = zh)."""
    loaded = load_mac_dev(chapter)
    return Alignment("zh", "en", loaded.src, loaded.tgt, loaded.gold, name=f"mac-{chapter}")


def seed_paragraphs() -> Alignment:
    """The seed interview paired paragraph by paragraph: each Chinese paragraph with the
    English paragraph right after it (its translation in this document), pinyin removed."""
    paragraphs = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    paragraphs = [PINYIN_ARTEFACT.sub("", line) for line in paragraphs if line]
    zh: list[Sentence] = []
    en: list[Sentence] = []
    beads: list[Bead] = []
    for here, following in itertools.pairwise(paragraphs):
        if HAN.search(here) and not HAN.search(following):
            beads.append(Bead((len(zh),), (len(en),), 1.0))
            zh.append(Sentence(here, "zh"))
            en.append(Sentence(following, "en"))
    return Alignment("zh", "en", zh, en, beads, name="seed-001", zh_script="traditional")


def show(title: str, terms: list[TermPair], seconds: float) -> None:
    print(f"== {title}: {len(terms)} pairs in {seconds:.1f} s")
    for rank, term in enumerate(terms, start=1):
        print(f"{rank:3d}. {term.zh}\t{term.en}\t{term.score:.3f}\t{term.frequency}")


def main() -> None:
    parser = benchmark_parser("bench_glossary", __doc__)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--chapter", default="001")
    parser.add_argument("--no-embedder", action="store_true")
    args = parser.parse_args()
    embedder = None if args.no_embedder else load_embedder()
    results: dict[str, Any] = {"embedder": embedder.name if embedder else None}
    for title, alignment, min_frequency in (
        (f"MAC-Dev {args.chapter} (gold beads)", mac_chapter(args.chapter), 2),
        ("seed 001 (paragraph pairs)", seed_paragraphs(), 1),
    ):
        started = time.perf_counter()
        terms = extract_glossary([alignment], embedder, top=args.top, min_frequency=min_frequency)
        seconds = time.perf_counter() - started
        show(f"{title}, min_frequency={min_frequency}", terms, seconds)
        results[title] = {
            "min_frequency": min_frequency,
            "seconds": round(seconds, 2),
            "terms": [[term.zh, term.en, term.score, term.frequency] for term in terms],
        }
    write_results(args, results)


if __name__ == "__main__":
    main()
