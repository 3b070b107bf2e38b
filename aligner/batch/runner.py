"""The local engine: documents aligned in this process, or in a pool of worker processes.

Each worker loads the model once, when it starts, and keeps it for every document it
is given; workers share the cores, so each is held to its share of BLAS threads.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from aligner.batch.engine import (
    BatchPlan,
    EmbedderLoader,
    WorkItem,
    failure_reason,
    load_limited_embedder,
    process_document,
    with_cache,
)
from aligner.batch.journal import DocumentRecord
from aligner.batch.settings import BatchSettings
from aligner.embed import Embedder


class LocalEngine:
    """One job: this process; more: `settings.jobs` spawned workers, one model each.

    `load` builds the embedder (tests pass a fake one); it must be picklable, i.e. a
    module-level function, for the workers to receive it.
    """

    def __init__(self, load: EmbedderLoader = load_limited_embedder) -> None:
        self.load = load

    def run(self, plan: BatchPlan) -> Iterator[DocumentRecord]:
        if not plan.work:
            return
        settings = plan.settings
        jobs = max(1, min(settings.jobs, len(plan.work)))
        if jobs == 1:
            embedder = self.load(settings.model, settings.device, os.cpu_count() or 1)
            embedder = with_cache(embedder, plan.cache_dir)
            for item in plan.work:
                yield process_document(item, embedder, plan.output_dir, settings)
            return
        yield from self._run_in_pool(plan, jobs)

    def _run_in_pool(self, plan: BatchPlan, jobs: int) -> Iterator[DocumentRecord]:
        threads = max(1, (os.cpu_count() or 1) // jobs)
        with ProcessPoolExecutor(
            jobs,
            mp_context=get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.load, plan.settings, threads, plan.cache_dir),
        ) as pool:
            futures = {
                pool.submit(_process_in_worker, item, plan.output_dir, plan.settings): item
                for item in plan.work
            }
            for future in as_completed(futures):
                try:
                    yield future.result()
                except BrokenProcessPool as error:  # a worker died, e.g. out of memory
                    yield futures[future].document.failed(
                        f"worker process failed: {failure_reason(error)}"
                    )


_worker: dict[str, Embedder] = {}


def _start_worker(
    load: EmbedderLoader, settings: BatchSettings, threads: int, cache_dir: Path | None
) -> None:
    """Runs once in each worker process, so the model loads once per process."""
    _worker["embedder"] = with_cache(load(settings.model, settings.device, threads), cache_dir)


def _process_in_worker(item: WorkItem, output_dir: Path, settings: BatchSettings) -> DocumentRecord:
    return process_document(item, _worker["embedder"], output_dir, settings)
