"""`run_batch`: find the documents, skip the finished ones, let an engine align the rest.

Records are journalled as the engine yields them; at the end the finished outputs
are merged into one corpus and report.json replaces the journal. Progress goes to an
optional callback and messages to `logging`: showing them is the caller's business.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from aligner.batch.corpus import write_corpus
from aligner.batch.discovery import Document, find_documents, output_paths
from aligner.batch.engine import BatchPlan, Engine, WorkItem, failure_reason
from aligner.batch.journal import (
    BatchReport,
    DocumentRecord,
    Journal,
    input_hash,
    is_done,
    load_records,
    save_report,
    settings_fingerprint,
)
from aligner.batch.runner import LocalEngine
from aligner.batch.settings import BatchSettings
from aligner.data import AlignerError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchProgress:
    """Where a run stands: sent once before the first document starts (`record` None),
    then after each document ends. Sizes are input bytes, which predict the time left
    better than document counts when documents differ in length."""

    done: int
    total: int
    done_bytes: int
    total_bytes: int
    record: DocumentRecord | None = None


ProgressCallback = Callable[[BatchProgress], None]


def run_batch(
    input_dir: Path,
    output_dir: Path,
    settings: BatchSettings,
    engine: Engine | None = None,
    on_progress: ProgressCallback | None = None,
) -> BatchReport:
    """Align every document under `input_dir` into `output_dir`; see the module docstring.

    `engine` aligns the documents (default: `LocalEngine`, this machine's cores);
    `on_progress` sees each record as soon as it is journalled.
    """
    started = time.perf_counter()
    if not input_dir.is_dir():
        raise AlignerError(f"{input_dir}: not a folder")
    documents, problems = find_documents(input_dir, output_dir, settings.pipeline.direction()[0])
    if not documents and not problems:
        raise AlignerError(
            f"{input_dir}: no documents found (expected NAME.zh.txt + NAME.en.txt, "
            "zh/NAME + en/NAME, or mixed .txt files)"
        )
    output_dir.mkdir(parents=True, exist_ok=True)
    records: dict[str, DocumentRecord] = {problem.name: problem for problem in problems}
    work = _work_left(documents, output_dir, settings, records)
    logger.info(
        "%s: %d documents to align, %d reused, %d failed before starting",
        input_dir,
        len(work),
        sum(record.status == "reused" for record in records.values()),
        sum(not record.finished for record in records.values()),
    )
    plan = BatchPlan(output_dir, settings, tuple(work))
    sizes = {item.document.name: _input_bytes(item.document) for item in work}
    progress = BatchProgress(0, len(work), 0, sum(sizes.values()))
    if on_progress is not None:
        on_progress(progress)
    with Journal(output_dir) as journal:
        for record in (engine or LocalEngine()).run(plan):
            journal.write(record)
            records[record.name] = record
            logger.debug("%s: %s %s", record.name, record.status, record.reason)
            progress = replace(
                progress,
                done=progress.done + 1,
                done_bytes=progress.done_bytes + sizes.get(record.name, 0),
                record=record,
            )
            if on_progress is not None:
                on_progress(progress)
    report = BatchReport([records[name] for name in sorted(records)])
    report.corpus, report.corpus_units, report.corpus_note = write_corpus(
        report, output_dir, settings
    )
    logger.info("corpus: %s", report.corpus or report.corpus_note)
    report.seconds = time.perf_counter() - started
    save_report(report, output_dir)
    return report


def _work_left(
    documents: list[Document],
    output_dir: Path,
    settings: BatchSettings,
    records: dict[str, DocumentRecord],
) -> list[WorkItem]:
    """The documents to align; finished ones from earlier runs go into `records` as reused."""
    fingerprint = settings_fingerprint(settings)
    previous = load_records(output_dir)
    work: list[WorkItem] = []
    for document in documents:
        try:
            digest = input_hash(document.inputs, fingerprint)
        except OSError as error:
            records[document.name] = document.failed(failure_reason(error))
            continue
        earlier = previous.get(document.name)
        outputs = output_paths(output_dir, document.name, settings.fmt)
        if earlier is not None and is_done(earlier, digest, outputs):
            records[document.name] = replace(earlier, status="reused")
        else:
            work.append(WorkItem(document, digest))
    return work


def _input_bytes(document: Document) -> int:
    return sum(path.stat().st_size for path in document.inputs)
