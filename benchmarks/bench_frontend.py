"""Front-end throughput: clean + split + segment over the Bible scaling files, and seed counts.

Run on demand: `python benchmarks/bench_frontend.py [DOCUMENT_NUMBER]` (default 006, the
largest). Each file is read as plain text, i.e. one block, and goes through the same
calls the pipeline makes for a monolingual file. Then, for each seed document, prints
what cleaning repaired and how many paragraphs and sentences each language got.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from aligner.clean import clean
from aligner.io import read_text
from aligner.segment import segment
from aligner.split import split_languages, split_monolingual
from aligner.text import Lang

REPO = Path(__file__).resolve().parents[1]
BIBLE = REPO.parent / "shared" / "eval" / "bible-scaling"


def front_end(path: Path, lang: Lang) -> tuple[int, float]:
    """Sentences found in one file and the seconds the front end took."""
    started = time.perf_counter()
    text = clean(read_text(path)).text
    sentences = segment(split_monolingual(text, lang))
    return len(sentences), time.perf_counter() - started


def bench_bible(document: str) -> None:
    total_sentences, total_seconds = 0, 0.0
    for lang in ("zh", "en"):
        path = BIBLE / lang / document
        count, seconds = front_end(path, lang)
        total_sentences += count
        total_seconds += seconds
        lines = len(path.read_text(encoding="utf-8").splitlines())
        print(
            f"bible {document} {lang}: {lines} lines -> {count} sentences in {seconds:.2f} s "
            f"= {count / seconds:,.0f} sentences/s"
        )
    print(f"bible {document} total: {total_sentences / total_seconds:,.0f} sentences/s")


def seed_counts() -> None:
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        cleaned = clean(read_text(seed))
        paragraphs = split_languages(cleaned.text)
        sentences = segment(paragraphs)
        counts = ", ".join(
            f"{lang} {sum(p.lang == lang for p in paragraphs)} paragraphs / "
            f"{sum(s.lang == lang for s in sentences)} sentences"
            for lang in ("zh", "en")
        )
        repairs = ", ".join(f"{name} {count}" for name, count in sorted(cleaned.repairs.items()))
        print(f"{seed.name}: {counts}; repairs: {repairs or 'none'}")


def main() -> None:
    if not BIBLE.is_dir():
        sys.exit(f"bible-scaling data not found at {BIBLE}")
    bench_bible(sys.argv[1] if len(sys.argv) > 1 else "006")
    seed_counts()


if __name__ == "__main__":
    main()
