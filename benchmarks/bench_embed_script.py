"""Does converting Traditional Chinese to Simplified before embedding help USE?

MAC-Dev is Simplified; we make a Traditional copy with OpenCC (s2t) and measure, for
every gold 1-1 pair, whether the Chinese sentence's nearest English sentence in the
chapter is its translation (P@1), with and without converting back before embedding.

    python benchmarks/bench_embed_script.py [../shared/eval/mac-dev]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import opencc

from aligner.embed import UniversalSentenceEncoder
from aligner.formats import read_ladder


def precision_at_1(zh_vectors: np.ndarray, en_vectors: np.ndarray, pairs: list[tuple[int, int]]) -> int:
    best = (zh_vectors @ en_vectors.T).argmax(axis=1)
    return sum(int(best[i] == j) for i, j in pairs)


def main(dev: Path) -> None:
    to_traditional = opencc.OpenCC("s2t")
    raw = UniversalSentenceEncoder(to_simplified=False)
    converting = UniversalSentenceEncoder(to_simplified=True)
    hits = {"simplified text": 0, "traditional, raw": 0, "traditional, converted": 0}
    total = 0
    for gold in sorted((dev / "gold").glob("*.align")):
        name = gold.stem
        zh = (dev / "zh" / name).read_text(encoding="utf-8").splitlines()
        en = (dev / "en" / name).read_text(encoding="utf-8").splitlines()
        pairs = [(b.src[0], b.tgt[0]) for b in read_ladder(gold) if len(b.src) == len(b.tgt) == 1]
        traditional = [to_traditional.convert(line) for line in zh]
        en_vectors = raw.encode(en)
        hits["simplified text"] += precision_at_1(raw.encode(zh), en_vectors, pairs)
        hits["traditional, raw"] += precision_at_1(raw.encode(traditional), en_vectors, pairs)
        hits["traditional, converted"] += precision_at_1(converting.encode(traditional), en_vectors, pairs)
        total += len(pairs)
    for setting, count in hits.items():
        print(f"{setting:24s} P@1 {count / total:.3f}  ({total} gold 1-1 pairs)")


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[2] / "shared" / "eval" / "mac-dev"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
