"""Writing a batch's outputs: each document's file, then the combined corpus.

The only module of the batch that calls the exporters, so the output formats are
reached through one door.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from aligner.batch.discovery import CORPUS_NAME, output_paths, output_target
from aligner.batch.journal import BatchReport
from aligner.batch.settings import BatchSettings
from aligner.config import ExportOptions
from aligner.data import Alignment
from aligner.formats import READABLE_FORMATS, merge, write_alignments
from aligner.io import atomic_file


def write_document(alignment: Alignment, output_dir: Path, settings: BatchSettings) -> int:
    """Write one document's output under its name and return the units written."""
    target = output_target(output_dir, alignment.name, settings.fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_alignments([alignment], str(target), settings.fmt, settings.export)


def write_corpus(
    report: BatchReport, output_dir: Path, settings: BatchSettings
) -> tuple[str, int, str]:
    """Merge the finished outputs, one document at a time, into `corpus.<ext>`.

    Returns the corpus path, its units, and a note saying why there is no corpus.
    The per-document filters were applied already; only deduplication and language
    codes apply again, across documents. Moses files are line files, so they are
    concatenated; a ladder holds one document, so it gets no corpus.
    """
    finished = [record.name for record in report.records if record.finished]
    fmt = settings.fmt
    if not finished:
        return "", 0, "no finished documents"
    if fmt == "align":
        return "", 0, "a ladder (.align) file holds one document, so there is no corpus"
    corpus = output_paths(output_dir, CORPUS_NAME, fmt)
    if fmt == "moses":
        for position, target in enumerate(corpus):
            parts = [output_paths(output_dir, name, fmt)[position] for name in finished]
            _concatenate(parts, target)
        units = sum(record.units for record in report.records if record.finished)
        return str(output_target(output_dir, CORPUS_NAME, fmt)), units, ""
    if fmt not in READABLE_FORMATS:
        return "", 0, f"{fmt} outputs cannot be read back to merge"
    options = ExportOptions(
        dedupe=settings.export.dedupe,
        zh_code=settings.export.zh_code,
        en_code=settings.export.en_code,
    )
    sources = [str(output_paths(output_dir, name, fmt)[0]) for name in finished]
    return str(corpus[0]), merge(sources, str(corpus[0]), fmt, options), ""


def _concatenate(parts: Iterable[Path], target: Path) -> None:
    with atomic_file(target) as out:
        for part in parts:
            with part.open("rb") as stream:
                shutil.copyfileobj(stream, out)
