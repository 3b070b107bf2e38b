"""`aligner batch`: align every document in a folder, resumably and in parallel.

- `discovery`: which files make a document (name tags, zh/en folders, mixed files);
- `journal`: records, the journal a killed run resumes from, report.json;
- `engine`: the plan an engine is handed and the work on one document;
- `runner`: the local engine (this process, or a pool of workers);
- `corpus`: each document's output and the combined corpus;
- `run`: `run_batch`, tying them together.
"""

from __future__ import annotations

from aligner.batch.discovery import Document, find_documents
from aligner.batch.engine import BatchPlan, Engine, WorkItem
from aligner.batch.journal import JOURNAL_NAME, REPORT_NAME, BatchReport, DocumentRecord
from aligner.batch.run import BatchProgress, ProgressCallback, run_batch
from aligner.batch.runner import LocalEngine
from aligner.batch.settings import BatchSettings

__all__ = [
    "JOURNAL_NAME",
    "REPORT_NAME",
    "BatchPlan",
    "BatchProgress",
    "BatchReport",
    "BatchSettings",
    "Document",
    "DocumentRecord",
    "Engine",
    "LocalEngine",
    "ProgressCallback",
    "WorkItem",
    "find_documents",
    "run_batch",
]
