"""Does converting Traditional Chinese to Simplified before embedding help USE?

MAC-Dev is Simplified; we make a Traditional copy with OpenCC (s2t) and measure, for
every gold 1-1 pair, whether the Chinese sentence's nearest English sentence in the
chapter is its translation (P@1), with and without converting back before embedding.

    python benchmarks/bench_embed_script.py [../shared/eval/mac-dev]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import opencc
from _common import MAC_DEV, benchmark_parser, load_gold, write_results

from aligner.embed import UniversalSentenceEncoder


def precision_at_1(
    zh_vectors: np.ndarray, en_vectors: np.ndarray, pairs: list[tuple[int, int]]
) -> int:
    best = (zh_vectors @ en_vectors.T).argmax(axis=1)
    return sum(int(best[i] == j) for i, j in pairs)


def measure(dev: Path) -> tuple[dict[str, int], int]:
    """Hits per setting and the number of gold 1-1 pairs."""
    to_traditional = opencc.OpenCC("s2t")
    raw = UniversalSentenceEncoder(to_simplified=False)
    converting = UniversalSentenceEncoder(to_simplified=True)
    hits = {"simplified text": 0, "traditional, raw": 0, "traditional, converted": 0}
    total = 0
    for gold in sorted((dev / "gold").glob("*.align")):
        document = load_gold(dev, gold.stem, "zh", "en")
        zh = [sentence.text for sentence in document.src]
        en = [sentence.text for sentence in document.tgt]
        pairs = [(b.src[0], b.tgt[0]) for b in document.gold if len(b.src) == len(b.tgt) == 1]
        traditional = [to_traditional.convert(line) for line in zh]
        en_vectors = raw.encode(en)
        hits["simplified text"] += precision_at_1(raw.encode(zh), en_vectors, pairs)
        hits["traditional, raw"] += precision_at_1(raw.encode(traditional), en_vectors, pairs)
        hits["traditional, converted"] += precision_at_1(
            converting.encode(traditional), en_vectors, pairs
        )
        total += len(pairs)
    return hits, total


def main() -> None:
    parser = benchmark_parser("bench_embed_script", __doc__)
    parser.add_argument("dev", nargs="?", type=Path, default=MAC_DEV, help="MAC-Dev folder")
    arguments = parser.parse_args()
    hits, total = measure(arguments.dev)
    for setting, count in hits.items():
        print(f"{setting:24s} P@1 {count / total:.3f}  ({total} gold 1-1 pairs)")
    results = {
        "data": f"{arguments.dev.name} (dev set)",
        "pairs": total,
        "precision_at_1": {setting: count / total for setting, count in hits.items()},
    }
    write_results(arguments, results)


if __name__ == "__main__":
    main()
