"""A deterministic stand-in for the sentence encoder in review tests (no model loaded).

Each text embeds as the normalised sum of fixed random vectors for its numbers, Latin
words and Han characters, plus a constant, so a Chinese sentence and its English
translation that share numbers or names come out similar, and the same text always
gives the same vector.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from aligner.data import Alignment, Bead, Sentence

TOKEN = re.compile(r"\d+|[A-Za-z]+|[\u4e00-\u9fff]")
DIMENSION = 128


def _vector(token: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.blake2b(token.lower().encode(), digest_size=8).digest(), "big")
    return np.random.default_rng(seed).standard_normal(DIMENSION)


class TokenEmbedder:
    name = "review-fake"

    def __init__(self) -> None:
        self.calls = 0
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        rows = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for row, text in enumerate(texts):
            rows[row, 0] = 0.5
            for token in TOKEN.findall(text):
                if token not in self._cache:
                    self._cache[token] = _vector(token)
                rows[row] += self._cache[token]
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


Pairs = list[tuple[tuple[int, ...], tuple[int, ...]]]


def numbered_alignment(count: int, beads: Pairs | None = None) -> Alignment:
    """`count` Chinese and English sentences that translate each other by number, with
    `beads` (default: the right 1-1 pairs); the fake embedder aligns them correctly."""
    src = [Sentence(f"第{n}句话讲的是{n}号。", "zh") for n in range(count)]
    tgt = [Sentence(f"Sentence {n} is about number {n}.", "en") for n in range(count)]
    pairs = beads if beads is not None else [((n,), (n,)) for n in range(count)]
    return Alignment("zh", "en", src, tgt, [Bead(s, t, 0.75) for s, t in pairs], name="numbers.txt")
