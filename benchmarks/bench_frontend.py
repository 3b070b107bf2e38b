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
from typing import Any

from _common import BIBLE, SEEDS, benchmark_parser, write_results

from aligner.clean import clean
from aligner.io import read_text
from aligner.segment import segment
from aligner.split import split_languages, split_monolingual
from aligner.text import Lang


def front_end(path: Path, lang: Lang) -> tuple[int, float]:
    """Sentences found in one file and the seconds the front end took."""
    started = time.perf_counter()
    text = clean(read_text(path)).text
    sentences = segment(split_monolingual(text, lang))
    return len(sentences), time.perf_counter() - started


def bench_bible(document: str) -> dict[str, Any]:
    total_sentences, total_seconds = 0, 0.0
    results: dict[str, Any] = {"document": document}
    lang: Lang
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
        results[lang] = {"lines": lines, "sentences": count, "seconds": round(seconds, 3)}
    print(f"bible {document} total: {total_sentences / total_seconds:,.0f} sentences/s")
    results["sentences_per_second"] = round(total_sentences / total_seconds)
    return results


def seed_counts() -> dict[str, Any]:
    results: dict[str, Any] = {}
    for seed in sorted(SEEDS.glob("*.txt")):
        cleaned = clean(read_text(seed))
        paragraphs = split_languages(cleaned.text)
        sentences = segment(paragraphs)
        found = {
            lang: {
                "paragraphs": sum(p.lang == lang for p in paragraphs),
                "sentences": sum(s.lang == lang for s in sentences),
            }
            for lang in ("zh", "en")
        }
        counts = ", ".join(
            f"{lang} {found[lang]['paragraphs']} paragraphs / {found[lang]['sentences']} sentences"
            for lang in ("zh", "en")
        )
        repairs = ", ".join(f"{name} {count}" for name, count in sorted(cleaned.repairs.items()))
        print(f"{seed.name}: {counts}; repairs: {repairs or 'none'}")
        results[seed.name] = {**found, "repairs": dict(sorted(cleaned.repairs.items()))}
    return results


def main() -> None:
    parser = benchmark_parser("bench_frontend", __doc__)
    parser.add_argument("document", nargs="?", default="006", help="bible-scaling document")
    arguments = parser.parse_args()
    if not BIBLE.is_dir():
        sys.exit(f"bible-scaling data not found at {BIBLE}")
    results = {"bible": bench_bible(arguments.document), "seeds": seed_counts()}
    write_results(arguments, results)


if __name__ == "__main__":
    main()
