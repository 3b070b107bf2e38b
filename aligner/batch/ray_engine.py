"""The Ray engine: a batch's documents aligned by actors on a Ray cluster.

One actor per worker slot loads the model once and aligns the documents it is sent,
writing each document's output itself (the output folder must be one every node sees:
a shared file system). The driver keeps the journal: it only hands out work items and
collects records, a few in flight per actor, so a corpus of millions of documents never
sits in Ray's object store at once.

Failures, in the order the engine meets them:
- a document whose record says `failed` is tried once more on another actor (a bad
  node, a full disk), then reported with the second attempt's reason;
- an actor that dies (killed, out of memory, its node lost) loses only the documents it
  held: they go back to the queue and a replacement actor is started; a document whose
  actor is lost twice is reported as failed rather than tried forever.

Ray is an optional dependency (`pip install 'aligner[ray]'`), imported only here and
only when the engine runs.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from aligner.batch.engine import (
    BatchPlan,
    EmbedderLoader,
    WorkItem,
    load_limited_embedder,
    process_document,
    with_cache,
)
from aligner.batch.journal import DocumentRecord
from aligner.batch.settings import BatchSettings
from aligner.data import AlignerError
from aligner.embed import Embedder

logger = logging.getLogger(__name__)

MAX_WORKER_LOSSES = 2
"""Actors lost while holding one document before it is reported as failed."""


class DocumentWorker:
    """One worker slot: the model, loaded once when the actor starts, and the documents."""

    def __init__(
        self,
        load: EmbedderLoader,
        settings: BatchSettings,
        threads: int,
        cache_dir: Path | None,
    ) -> None:
        model = load(settings.model, settings.device, threads)
        model.encode(["ready"])  # models load on first use: load it now, once, or fail here
        self.embedder: Embedder = with_cache(model, cache_dir)

    def ready(self) -> bool:
        """Answers once the model is loaded, so a model that cannot load stops the run early."""
        return True

    def align(self, item: WorkItem, output_dir: Path, settings: BatchSettings) -> DocumentRecord:
        return process_document(item, self.embedder, output_dir, settings)


@dataclass
class _Task:
    """A work item and what has gone wrong with it so far."""

    item: WorkItem
    failed_on: int | None = None
    """The worker whose record said `failed`; the retry goes elsewhere."""
    losses: int = 0


class RayEngine:
    """Runs a plan on Ray: `settings.jobs` actors, `in_flight` documents queued on each.

    `address` is what `ray.init` takes (`auto`, `ray://HOST:PORT`, or None to start a
    Ray instance on this machine); when Ray is already initialised it is used as it is.
    Each actor reserves `cpus_per_worker` CPUs (its BLAS threads) and, with a `cuda`
    device, one GPU. `workers` holds the live actors while a plan runs.
    """

    def __init__(
        self,
        address: str | None = None,
        load: EmbedderLoader = load_limited_embedder,
        cpus_per_worker: int = 1,
        in_flight: int = 2,
    ) -> None:
        self.address = address
        self.load = load
        self.cpus_per_worker = cpus_per_worker
        self.in_flight = in_flight
        self.workers: dict[int, Any] = {}
        self.replaced = 0

    def run(self, plan: BatchPlan) -> Iterator[DocumentRecord]:
        if not plan.work:
            return
        ray = _import_ray()
        started_here = not ray.is_initialized()
        if started_here:
            try:
                ray.init(address=self.address, logging_level=logging.WARNING)
            except (ConnectionError, RuntimeError, ValueError) as error:
                where = self.address or "started here"
                raise AlignerError(f"cannot reach the Ray cluster ({where}): {error}") from None
        try:
            yield from _Scheduler(ray, self, plan).run()
        finally:
            for worker in self.workers.values():
                ray.kill(worker)
            self.workers.clear()
            if started_here:
                ray.shutdown()


class _Scheduler:
    """One run of a plan: feeds the actors, collects records, retries and replaces."""

    def __init__(self, ray: Any, engine: RayEngine, plan: BatchPlan) -> None:
        self.ray, self.engine, self.plan = ray, engine, plan
        gpus = 1 if plan.settings.device.startswith("cuda") else 0
        self.actor_class = ray.remote(num_cpus=engine.cpus_per_worker, num_gpus=gpus)(
            DocumentWorker
        )
        self.worker_count = self._worker_count(gpus)
        # Workers run in other folders, on other machines: they get absolute paths.
        self.output_dir = plan.output_dir.resolve()
        self.cache_dir = plan.cache_dir.resolve() if plan.cache_dir else None
        self.settings = ray.put(plan.settings)  # sent once, not with every document
        self.pending: deque[_Task] = deque(_Task(item) for item in plan.work)
        self.running: dict[Any, tuple[int, _Task]] = {}
        self.next_slot = 0
        self.replacements_left = self.worker_count + len(plan.work)

    def _worker_count(self, gpus: int) -> int:
        """`jobs` actors, fewer if the cluster cannot hold them all at once."""
        resources = self.ray.cluster_resources()
        fits = int(resources.get("CPU", 0) // self.engine.cpus_per_worker)
        if gpus:
            fits = min(fits, int(resources.get("GPU", 0)))
        if fits < 1:
            need = f"{self.engine.cpus_per_worker} CPU" + (" and 1 GPU" if gpus else "")
            raise AlignerError(f"the Ray cluster has no room for one worker ({need}): {resources}")
        wanted = min(self.plan.settings.jobs, len(self.plan.work))
        if fits < wanted:
            logger.warning("the Ray cluster holds %d of the %d workers asked for", fits, wanted)
        return min(wanted, fits)

    def run(self) -> Iterator[DocumentRecord]:
        for _ in range(self.worker_count):
            self._start_worker()
        try:
            self.ray.get([worker.ready.remote() for worker in self.engine.workers.values()])
        except self.ray.exceptions.RayError as error:
            reason = _first_line(error)
            raise AlignerError(f"the Ray workers could not load the model: {reason}") from None
        while self.pending or self.running:
            self._submit()
            if not self.running:  # every worker is gone and none can be started
                yield from self._fail_pending("no Ray worker could be started")
                return
            done, _ = self.ray.wait(list(self.running), num_returns=1)
            for ref in done:
                if ref in self.running:
                    yield from self._collect(ref)

    def _start_worker(self) -> None:
        settings = self.plan.settings
        worker = self.actor_class.remote(
            self.engine.load, settings, self.engine.cpus_per_worker, self.cache_dir
        )
        self.engine.workers[self.next_slot] = worker
        self.next_slot += 1

    def _submit(self) -> None:
        """Hand out pending documents, at most `in_flight` per worker (the backpressure)."""
        load = dict.fromkeys(self.engine.workers, 0)
        for slot, _ in self.running.values():
            load[slot] += 1
        waiting: list[_Task] = []
        while self.pending and any(count < self.engine.in_flight for count in load.values()):
            task = self.pending.popleft()
            choices = [s for s in load if s != task.failed_on] or list(load)
            slot = min(choices, key=lambda s: load[s])
            if load[slot] >= self.engine.in_flight:  # only the worker that failed it is free
                waiting.append(task)
                continue
            worker = self.engine.workers[slot]
            ref = worker.align.remote(_absolute(task.item), self.output_dir, self.settings)
            self.running[ref] = (slot, task)
            load[slot] += 1
        self.pending.extendleft(reversed(waiting))

    def _collect(self, ref: Any) -> Iterator[DocumentRecord]:
        slot, task = self.running.pop(ref)
        try:
            record: DocumentRecord = self.ray.get(ref)
        except self.ray.exceptions.RayActorError as error:
            yield from self._worker_lost(slot, task, error)
            return
        except self.ray.exceptions.RayError as error:  # e.g. a result that would not unpickle
            record = task.item.document.failed(f"Ray task failed: {_first_line(error)}")
        record.inputs = [str(source) for source in task.item.document.inputs]  # as the user gave
        if record.finished or task.failed_on is not None:
            yield record
            return
        logger.info("%s failed (%s); trying another worker", record.name, record.reason)
        task.failed_on = slot
        self.pending.appendleft(task)

    def _worker_lost(self, slot: int, task: _Task, error: Exception) -> Iterator[DocumentRecord]:
        """Every document the lost worker held goes back to the queue; a new worker starts."""
        held = [task] + [t for r, (s, t) in list(self.running.items()) if s == slot]
        self.running = {r: (s, t) for r, (s, t) in self.running.items() if s != slot}
        if self.engine.workers.pop(slot, None) is not None:
            logger.warning("Ray worker %d lost (%s); re-queueing its documents", slot, error)
            if self.replacements_left > 0:
                self.replacements_left -= 1
                self.engine.replaced += 1
                self._start_worker()
        for lost in held:
            lost.losses += 1
            if lost.losses >= MAX_WORKER_LOSSES:
                yield lost.item.document.failed(
                    f"the Ray worker aligning it was lost {lost.losses} times: "
                    f"{_first_line(error)}"
                )
            else:
                self.pending.appendleft(lost)

    def _fail_pending(self, reason: str) -> Iterator[DocumentRecord]:
        while self.pending:
            yield self.pending.popleft().item.document.failed(reason)


def _absolute(item: WorkItem) -> WorkItem:
    inputs = tuple(
        source.resolve() if isinstance(source, Path) else source
        for source in item.document.inputs
    )
    return replace(item, document=replace(item.document, inputs=inputs))


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise AlignerError('--engine ray needs ray: pip install "ray>=2.40"') from None
    return ray
