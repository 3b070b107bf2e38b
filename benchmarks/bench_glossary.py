"""Print the top glossary pairs of a MAC-Dev chapter and of the seed interview, with timings.

Precision is judged by a person: the script prints the top-N lists for hand-checking.
Usage: python benchmarks/bench_glossary.py [--top 30] [--chapter 001] [--no-embedder]
"""

from __future__ import annotations

import argparse
import itertools
import re
import time
from pathlib import Path

from aligner.data import Alignment, Bead, Sentence
from aligner.embed import load_embedder
from aligner.formats import read_ladder
from aligner.glossary import TermPair, extract_glossary

REPO = Path(__file__).resolve().parents[1]
MAC_DEV = REPO.parent / "shared" / "eval" / "mac-dev"
SEED = REPO / "seeds" / "001_80f9d8cd20d446c8.txt"
PINYIN_ARTEFACT = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
HAN = re.compile(r"[\u4e00-\u9fff]")


def mac_chapter(chapter: str) -> Alignment:
    """A MAC-Dev chapter with its gold beads (source = zh)."""

    def sentences(lang: str) -> list[Sentence]:
        lines = (MAC_DEV / lang / chapter).read_text(encoding="utf-8").splitlines()
        return [Sentence(line, lang) for line in lines]  # type: ignore[arg-type]

    beads = read_ladder(MAC_DEV / "gold" / f"{chapter}.align")
    return Alignment("zh", "en", sentences("zh"), sentences("en"), beads, name=f"mac-{chapter}")


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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--chapter", default="001")
    parser.add_argument("--no-embedder", action="store_true")
    args = parser.parse_args()
    embedder = None if args.no_embedder else load_embedder()
    for title, alignment, min_frequency in (
        (f"MAC-Dev {args.chapter} (gold beads)", mac_chapter(args.chapter), 2),
        ("seed 001 (paragraph pairs)", seed_paragraphs(), 1),
    ):
        started = time.perf_counter()
        terms = extract_glossary([alignment], embedder, top=args.top, min_frequency=min_frequency)
        show(f"{title}, min_frequency={min_frequency}", terms, time.perf_counter() - started)


if __name__ == "__main__":
    main()
