"""What several test modules share: where the sample data lives and fake embedders that
make alignment tests fast and deterministic without loading the real model."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
INTERVIEW = SEEDS / "001_80f9d8cd20d446c8.txt"
SHARED = REPO.parent / "shared"
TMX_DTD = SHARED / "specs" / "tmx14.dtd"


class HashEmbedder:
    """Deterministic 32-d vectors from a text hash (unrelated texts are unrelated); it
    remembers every text it was asked for, so tests can count what was embedded."""

    def __init__(self, name: str = "fake") -> None:
        self.name = name
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest(), dtype=np.uint8) for t in texts]
        vectors = np.array(rows, dtype=np.float32).reshape(len(texts), 32) - 127.5
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-12)


class BagOfIdsEmbedder:
    """Texts are runs of `<k>` tokens on either side; a run embeds as the normalised sum of
    one fixed random 256-d vector per token (chance similarities stay as small as real
    embeddings'), so sentence k on both sides is a perfect pair. It remembers every text
    it was asked for."""

    name = "bag-of-ids"

    def __init__(self, vocabulary: int, seed: int = 0) -> None:
        self.table = np.random.default_rng(seed).standard_normal((vocabulary, 256))
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        vectors = np.array(
            [self.table[[int(k) for k in re.findall(r"<(\d+)>", t)]].sum(0) for t in texts]
        )
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
