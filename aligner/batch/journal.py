"""The batch's memory: one record per document, journalled as it ends, and report.json.

A journal line is appended as each document ends, so a killed run loses at most the
documents in flight: a re-run skips every document whose output exists and whose
input-and-settings hash matches its record. When the run ends, report.json takes the
journal's place.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

from aligner.batch.settings import BatchSettings
from aligner.batch.sources import Source, update_digest
from aligner.embed import DEFAULT_MODEL
from aligner.io import atomic_file

REPORT_NAME = "report.json"
JOURNAL_NAME = ".journal.jsonl"

Status = Literal["aligned", "reused", "failed"]


@dataclass
class DocumentRecord:
    """What happened to one document; a line of the journal and of report.json."""

    name: str
    inputs: list[str]
    status: Status
    input_hash: str = ""
    src_lang: str = ""
    src_sentences: int = 0
    tgt_sentences: int = 0
    beads: dict[str, int] = field(default_factory=dict)
    aligned_beads: int = 0
    mean_score: float = 0.0
    units: int = 0
    repairs: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    """What the input readers left out (`--report` in `aligner align`), e.g.
    `{"html: scripts": 2}`: boilerplate by design, but a user auditing a corpus sees it."""
    cache_hits: int = 0
    embedded: int = 0
    seconds: float = 0.0
    reason: str = ""

    @property
    def finished(self) -> bool:
        return self.status != "failed"

    @property
    def sentences(self) -> int:
        return self.src_sentences + self.tgt_sentences


@dataclass
class BatchReport:
    """The whole run: one record per document plus the corpus file, saved as report.json."""

    records: list[DocumentRecord]
    corpus: str = ""
    corpus_units: int = 0
    corpus_note: str = ""
    seconds: float = 0.0

    @property
    def failures(self) -> list[DocumentRecord]:
        return [record for record in self.records if not record.finished]

    def summary(self) -> dict[str, Any]:
        """Totals over finished documents, reused ones included, so a resumed run reports all."""
        finished = [record for record in self.records if record.finished]
        beads: Counter[str] = Counter()
        for record in finished:
            beads.update(record.beads)
        aligned = sum(record.aligned_beads for record in finished)
        score_sum = sum(record.mean_score * record.aligned_beads for record in finished)
        aligned_now = [record for record in finished if record.status == "aligned"]
        return {
            "documents": len(self.records),
            "aligned": len(aligned_now),
            "reused": len(finished) - len(aligned_now),
            "failed": len(self.failures),
            "sentences": sum(record.sentences for record in finished),
            "beads": dict(sorted(beads.items())),
            "mean_score": round(score_sum / aligned, 4) if aligned else 0.0,
            "units": sum(record.units for record in finished),
            "cache_hits": sum(record.cache_hits for record in aligned_now),
            "embedded": sum(record.embedded for record in aligned_now),
            "seconds": round(self.seconds, 2),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "corpus": {"path": self.corpus, "units": self.corpus_units, "note": self.corpus_note},
            "failures": [{"name": r.name, "reason": r.reason} for r in self.failures],
            "documents": [asdict(record) for record in self.records],
        }


def settings_fingerprint(settings: BatchSettings) -> str:
    """A digest of every setting that changes an output; changing one redoes every document."""

    def plain(value: object) -> object:
        if isinstance(value, (set, frozenset)):
            return sorted(value)
        return str(value)

    chosen = {
        "pipeline": asdict(settings.pipeline),
        "export": asdict(settings.export),
        "fmt": settings.fmt,
        "model": settings.model or DEFAULT_MODEL,
    }
    text = json.dumps(chosen, sort_keys=True, default=plain)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def input_hash(inputs: Iterable[Source], fingerprint: str) -> str:
    """A digest of a document's input files and the settings: equal means the output is too.

    Local files count by content, URLs by their storage checksum (see `sources`)."""
    digest = hashlib.blake2b(fingerprint.encode(), digest_size=16)
    for source in inputs:
        update_digest(digest, source)
        digest.update(b"\0")  # the boundary between the two files counts too
    return digest.hexdigest()


def load_records(output_dir: Path) -> dict[str, DocumentRecord]:
    """Records of earlier runs: report.json, then the journal of a run that did not finish."""
    records: dict[str, DocumentRecord] = {}
    report = output_dir / REPORT_NAME
    if report.exists():
        try:
            for entry in json.loads(report.read_text(encoding="utf-8")).get("documents", []):
                records[entry["name"]] = DocumentRecord(**entry)
        except (ValueError, TypeError, KeyError, AttributeError):
            return records  # an unreadable report only means everything is redone
    journal = output_dir / JOURNAL_NAME
    if journal.exists():
        for line in journal.read_text(encoding="utf-8").splitlines():
            try:
                entry = DocumentRecord(**json.loads(line))
            except (ValueError, TypeError):
                continue  # the line being written when the run was killed
            records[entry.name] = entry
    return records


def is_done(previous: DocumentRecord, digest: str, outputs: Iterable[Path]) -> bool:
    """Whether an earlier run already wrote this document from the same inputs and settings."""
    return (
        previous.finished
        and previous.input_hash == digest
        and all(path.exists() for path in outputs)
    )


class Journal:
    """The append-only journal of a run in progress: one JSON line per finished document."""

    def __init__(self, output_dir: Path) -> None:
        self.path = output_dir / JOURNAL_NAME
        self._stream: IO[str] | None = None

    def __enter__(self) -> Journal:
        self._stream = self.path.open("a", encoding="utf-8")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def write(self, record: DocumentRecord) -> None:
        """Append and flush at once, so the record survives a kill right after."""
        if self._stream is None:
            raise RuntimeError("the journal is written only inside `with Journal(...)`")
        self._stream.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
        self._stream.flush()


def save_report(report: BatchReport, output_dir: Path) -> None:
    """report.json replaces the journal: written whole and renamed, then the journal goes."""
    with atomic_file(output_dir / REPORT_NAME) as stream:
        stream.write(json.dumps(report.to_json(), ensure_ascii=False, indent=1).encode("utf-8"))
    (output_dir / JOURNAL_NAME).unlink(missing_ok=True)
