"""What every engine shares: the plan it is handed, and the work on one document.

An engine takes a `BatchPlan` and yields a `DocumentRecord` per document as each
ends, in any order; discovery, the journal and the corpus never see how. The local
engine (`runner.py`) uses this process or a process pool; another engine (a cluster)
only needs to run `process_document` where it likes.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from aligner.batch.corpus import write_document
from aligner.batch.discovery import Document
from aligner.batch.journal import DocumentRecord
from aligner.batch.settings import BatchSettings
from aligner.batch.sources import local_copies
from aligner.data import AlignerError
from aligner.embed import CachedEmbedder, Embedder, load_embedder
from aligner.pipeline import align_inputs

EmbedderLoader = Callable[[str | None, str, int], Embedder]


@dataclass(frozen=True)
class WorkItem:
    """A document to align and the hash its record will carry (picklable)."""

    document: Document
    digest: str


@dataclass(frozen=True)
class BatchPlan:
    """What an engine needs: the documents left to align, where outputs go, the settings."""

    output_dir: Path
    settings: BatchSettings
    work: tuple[WorkItem, ...]

    @property
    def cache_dir(self) -> Path | None:
        return self.settings.cache_folder(self.output_dir)


class Engine(Protocol):
    """Runs a plan: yields one record per work item as it ends, never raises for a document."""

    def run(self, plan: BatchPlan) -> Iterator[DocumentRecord]: ...


def process_document(
    item: WorkItem, embedder: Embedder, output_dir: Path, settings: BatchSettings
) -> DocumentRecord:
    """Align and write one document; any error becomes a failed record, never an exception.

    It takes the output folder and settings rather than the plan, so a worker is not sent
    the whole work list with every document.
    """
    document = item.document
    started = time.perf_counter()
    inputs = [str(path) for path in document.inputs]
    record = DocumentRecord(document.name, inputs, "aligned", item.digest)
    hits, misses = _cache_counts(embedder)
    try:
        options = settings.pipeline
        if len(document.langs) == 2:
            options = replace(options, src_lang=document.langs[0], tgt_lang=document.langs[1])
        with local_copies(document.inputs) as paths:
            aligned = align_inputs(paths, embedder, options)
        alignment = replace(aligned.alignment, name=document.name)
        record.units = write_document(alignment, output_dir, settings)
    except Exception as error:  # noqa: BLE001 - one bad document must never stop the batch
        record.status, record.reason = "failed", failure_reason(error)
        record.seconds = round(time.perf_counter() - started, 3)
        return record
    scores = [bead.score for bead in alignment.beads if bead.is_aligned]
    record.src_lang = alignment.src_lang
    record.src_sentences, record.tgt_sentences = len(alignment.src), len(alignment.tgt)
    record.beads = dict(sorted(Counter(bead.kind for bead in alignment.beads).items()))
    record.aligned_beads = len(scores)
    record.mean_score = round(sum(scores) / len(scores), 4) if scores else 0.0
    record.repairs = {kind: count for kind, count in aligned.repairs.items() if count}
    record.dropped = {kind: count for kind, count in sorted(aligned.dropped.items()) if count}
    after_hits, after_misses = _cache_counts(embedder)
    record.cache_hits, record.embedded = after_hits - hits, after_misses - misses
    record.seconds = round(time.perf_counter() - started, 3)
    return record


def failure_reason(error: BaseException) -> str:
    """One line a user can act on: our own messages as they are, others with their type."""
    if isinstance(error, AlignerError):
        return str(error)
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return f"{type(error).__name__}: {error}"


def _cache_counts(embedder: Embedder) -> tuple[int, int]:
    if isinstance(embedder, CachedEmbedder):
        return embedder.hits, embedder.misses
    return 0, 0


def with_cache(embedder: Embedder, cache_dir: Path | None) -> Embedder:
    """The embedder, reading and filling the on-disk cache when the plan keeps one."""
    return CachedEmbedder(embedder, cache_dir) if cache_dir else embedder


def load_limited_embedder(model: str | None, device: str, threads: int) -> Embedder:
    """The model for one worker, held to `threads` BLAS/OpenMP threads.

    N workers each using every core would oversubscribe the CPU and run slower than
    one worker. Environment variables cover libraries loaded later (torch, numba);
    threadpoolctl covers the BLAS numpy has already loaded.
    """
    from threadpoolctl import threadpool_limits

    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(threads)
    threadpool_limits(limits=threads)
    return load_embedder(model, device, threads)
