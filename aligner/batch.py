"""`aligner batch`: align every document in a folder, resumably and in parallel.

Files are paired by name (`ch1.zh.txt` + `ch1.en.txt`, `ch1.zh.docx` + `ch1.en.pdf`,
`zh/001` + `en/001`); any other file in a readable format (`.txt`, `.docx`, `.html`,
`.tmx`, …; see `aligner.readers`) is a mixed or bilingual document. Each document gets
its own output, then the outputs are merged into one corpus file. A journal line is
appended as each document ends, so a killed run loses at most the documents in flight:
a re-run skips every document whose output exists and whose input-and-options hash
matches its journal entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Literal

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from aligner.config import ExportOptions, PipelineOptions
from aligner.data import AlignerError
from aligner.embed import DEFAULT_MODEL, CachedEmbedder, Embedder, load_embedder
from aligner.formats import READABLE_FORMATS, merge, write_alignments
from aligner.io import atomic_file
from aligner.pipeline import align_inputs
from aligner.readers import SUPPORTED_EXTENSIONS
from aligner.text import LANGUAGE_NAMES, Lang, language_of_code

REPORT_NAME = "report.json"
JOURNAL_NAME = ".journal.jsonl"
CORPUS_NAME = "corpus"
_TAGGED_NAME = re.compile(
    r"^(?P<stem>.+?)[._-](?P<tag>(?:zh|en)(?:[-_][a-z]{2,4})?|cn|chs|cht|zho|chi|eng)$",
    re.IGNORECASE,
)

Status = Literal["aligned", "reused", "failed"]
EmbedderLoader = Callable[[str | None, str, int], Embedder]


@dataclass(frozen=True)
class Document:
    """One unit of work: a mixed file, or its Chinese and English files (source first).

    `name` is the path of the outputs inside OUTPUT_DIR, without extension.
    """

    name: str
    inputs: tuple[Path, ...]
    langs: tuple[Lang, ...] = ()


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


@dataclass(frozen=True)
class BatchSettings:
    """Everything a user chooses about a batch run; `jobs` worker processes share the cores."""

    pipeline: PipelineOptions = field(default_factory=PipelineOptions)
    export: ExportOptions = field(default_factory=ExportOptions)
    fmt: str = "tmx"
    model: str | None = None
    device: str = "cpu"
    jobs: int = 1
    cache: bool = True
    cache_dir: Path | None = None
    quiet: bool = False


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


def find_documents(
    input_dir: Path, skip: Path | None = None, src_lang: Lang = "zh"
) -> tuple[list[Document], list[DocumentRecord]]:
    """The documents in `input_dir` (recursively) and the files that could not be paired.

    Hidden files and folders, files under `skip` (the output folder, if it is inside),
    and untagged files in no readable format (gold ladders, metadata) are ignored.
    """
    tagged: dict[tuple[str, Lang], list[Path]] = {}
    mixed: list[Document] = []
    skipped = skip.resolve() if skip is not None else None
    for path in sorted(input_dir.rglob("*")):
        relative = path.relative_to(input_dir)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        if skipped is not None and path.resolve().is_relative_to(skipped):
            continue
        suffix = path.suffix.lower()
        bare = relative.name[: -len(suffix)] if suffix in SUPPORTED_EXTENSIONS else relative.name
        folder_lang = language_of_code(relative.parent.name) if relative.parent.parts else None
        match = _TAGGED_NAME.match(bare)
        name_lang = language_of_code(match["tag"]) if match else None
        if folder_lang is not None:
            tagged.setdefault(((relative.parent.parent / bare).as_posix(), folder_lang), []).append(
                path
            )
        elif match and name_lang is not None:
            key = ((relative.parent / match["stem"]).as_posix(), name_lang)
            tagged.setdefault(key, []).append(path)
        elif suffix in SUPPORTED_EXTENSIONS:
            mixed.append(Document(relative.with_suffix("").as_posix(), (path,)))
    documents, problems = _pair_tagged(tagged, src_lang)
    return _unique_names(sorted(documents + mixed, key=lambda d: d.name), problems)


def _pair_tagged(
    tagged: dict[tuple[str, Lang], list[Path]], src_lang: Lang
) -> tuple[list[Document], list[DocumentRecord]]:
    documents: list[Document] = []
    problems: list[DocumentRecord] = []
    order: tuple[Lang, Lang] = (src_lang, "en" if src_lang == "zh" else "zh")
    for name in sorted({name for name, _ in tagged}):
        sides = [tagged.get((name, lang), []) for lang in order]
        found = [str(path) for side in sides for path in side]
        if all(len(side) == 1 for side in sides):
            documents.append(Document(name, (sides[0][0], sides[1][0]), order))
            continue
        lacking = [LANGUAGE_NAMES[lang] for lang, side in zip(order, sides) if not side]
        reason = (
            f"no {lacking[0]} file to pair it with"
            if lacking
            else "several files claim the same language: " + ", ".join(found)
        )
        problems.append(DocumentRecord(name, found, "failed", reason=reason))
    return documents, problems


def _unique_names(
    documents: list[Document], problems: list[DocumentRecord]
) -> tuple[list[Document], list[DocumentRecord]]:
    """Two documents must not write the same output, nor over the corpus file."""
    taken: set[str] = {problem.name for problem in problems}
    kept: list[Document] = []
    for document in documents:
        inputs = [str(path) for path in document.inputs]
        if document.name == CORPUS_NAME:
            reason = f"the name {CORPUS_NAME!r} is kept for the combined corpus; rename the file"
        elif document.name in taken:
            reason = f"another document also has the output name {document.name!r}"
        else:
            taken.add(document.name)
            kept.append(document)
            continue
        label = f"{document.name} ({document.inputs[0].name})"  # the kept one owns the name
        problems.append(DocumentRecord(label, inputs, "failed", reason=reason))
    return kept, problems


def output_target(output_dir: Path, name: str, fmt: str) -> Path:
    """What `write_alignments` is given: a file, or for Moses the corpus name."""
    base = output_dir / name
    return base if fmt == "moses" else base.with_name(f"{base.name}.{fmt}")


def output_paths(output_dir: Path, name: str, fmt: str) -> list[Path]:
    """The files an output name becomes: Moses writes a pair of line files."""
    target = output_target(output_dir, name, fmt)
    if fmt == "moses":
        return [target.with_name(f"{target.name}.en-zh.{lang}") for lang in ("zh", "en")]
    return [target]


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


def input_hash(document: Document, fingerprint: str) -> str:
    digest = hashlib.blake2b(fingerprint.encode(), digest_size=16)
    for path in document.inputs:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
        digest.update(b"\0")  # the boundary between the two files counts too
    return digest.hexdigest()


@dataclass(frozen=True)
class _Plan:
    """What every worker needs besides the document (picklable, sent once per task)."""

    output_dir: Path
    settings: BatchSettings


def _align_one(
    document: Document, digest: str, embedder: Embedder, plan: _Plan
) -> DocumentRecord:
    """Align and write one document; any error becomes a failed record, never an exception."""
    started = time.perf_counter()
    record = DocumentRecord(document.name, [str(p) for p in document.inputs], "aligned", digest)
    hits, misses = _cache_counts(embedder)
    try:
        options = plan.settings.pipeline
        if len(document.langs) == 2:
            options = replace(options, src_lang=document.langs[0], tgt_lang=document.langs[1])
        aligned = align_inputs(list(document.inputs), embedder, options)
        alignment = replace(aligned.alignment, name=document.name)
        target = output_target(plan.output_dir, document.name, plan.settings.fmt)
        target.parent.mkdir(parents=True, exist_ok=True)
        record.units = write_alignments(
            [alignment], str(target), plan.settings.fmt, plan.settings.export
        )
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
    after_hits, after_misses = _cache_counts(embedder)
    record.cache_hits, record.embedded = after_hits - hits, after_misses - misses
    record.seconds = round(time.perf_counter() - started, 3)
    return record


def failure_reason(error: Exception) -> str:
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


_worker: dict[str, Any] = {}


def _start_worker(
    load: EmbedderLoader, settings: BatchSettings, threads: int, cache: Path | None
) -> None:
    """Runs once in each worker process, so the model loads once per process."""
    embedder = load(settings.model, settings.device, threads)
    _worker["embedder"] = CachedEmbedder(embedder, cache) if cache else embedder


def _align_in_worker(document: Document, digest: str, plan: _Plan) -> DocumentRecord:
    return _align_one(document, digest, _worker["embedder"], plan)


def _load_records(output_dir: Path) -> dict[str, DocumentRecord]:
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


def _is_done(previous: DocumentRecord, digest: str, outputs: list[Path]) -> bool:
    return (
        previous.finished
        and previous.input_hash == digest
        and all(path.exists() for path in outputs)
    )


def run_batch(
    input_dir: Path,
    output_dir: Path,
    settings: BatchSettings,
    load: EmbedderLoader = load_limited_embedder,
    on_record: Callable[[DocumentRecord], None] | None = None,
    console: Console | None = None,
) -> BatchReport:
    """Align every document under `input_dir` into `output_dir`; see the module docstring.

    `load` builds the embedder (tests pass a fake one); `on_record` sees each record
    as soon as it is journalled.
    """
    started = time.perf_counter()
    if not input_dir.is_dir():
        raise AlignerError(f"{input_dir}: not a folder")
    documents, problems = find_documents(input_dir, output_dir, settings.pipeline.direction()[0])
    if not documents and not problems:
        raise AlignerError(
            f"{input_dir}: no documents found (expected NAME.zh.txt + NAME.en.txt, "
            "zh/NAME + en/NAME, or mixed documents such as .txt, .docx or .html files)"
        )
    output_dir.mkdir(parents=True, exist_ok=True)
    fingerprint = settings_fingerprint(settings)
    previous = _load_records(output_dir)
    records: dict[str, DocumentRecord] = {problem.name: problem for problem in problems}
    todo: list[tuple[Document, str]] = []
    for document in documents:
        try:
            digest = input_hash(document, fingerprint)
        except OSError as error:
            records[document.name] = DocumentRecord(
                document.name,
                [str(p) for p in document.inputs],
                "failed",
                reason=failure_reason(error),
            )
            continue
        earlier = previous.get(document.name)
        outputs = output_paths(output_dir, document.name, settings.fmt)
        if earlier is not None and _is_done(earlier, digest, outputs):
            records[document.name] = replace(earlier, status="reused")
        else:
            todo.append((document, digest))
    plan = _Plan(output_dir, settings)
    console = console or Console(stderr=True)
    with (
        (output_dir / JOURNAL_NAME).open("a", encoding="utf-8") as journal,
        _progress(todo, settings.quiet, console) as advance,
    ):
        for record in _align_all(todo, plan, load):
            journal.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
            journal.flush()
            records[record.name] = record
            advance(record)
            if on_record is not None:
                on_record(record)
    report = BatchReport([records[name] for name in sorted(records)])
    report.corpus, report.corpus_units, report.corpus_note = write_corpus(
        report, output_dir, settings
    )
    report.seconds = time.perf_counter() - started
    _save_report(report, output_dir)
    return report


def _align_all(
    todo: list[tuple[Document, str]], plan: _Plan, load: EmbedderLoader
) -> Iterator[DocumentRecord]:
    """Records as documents finish: in this process for one job, else in worker processes."""
    if not todo:
        return
    settings = plan.settings
    cache = (settings.cache_dir or plan.output_dir / ".cache") if settings.cache else None
    jobs = max(1, min(settings.jobs, len(todo)))
    if jobs == 1:
        embedder = load(settings.model, settings.device, os.cpu_count() or 1)
        embedder = CachedEmbedder(embedder, cache) if cache else embedder
        for document, digest in todo:
            yield _align_one(document, digest, embedder, plan)
        return
    threads = max(1, (os.cpu_count() or 1) // jobs)
    with ProcessPoolExecutor(
        jobs,
        mp_context=get_context("spawn"),
        initializer=_start_worker,
        initargs=(load, settings, threads, cache),
    ) as pool:
        futures = {pool.submit(_align_in_worker, doc, digest, plan): doc for doc, digest in todo}
        for future in as_completed(futures):
            document = futures[future]
            try:
                yield future.result()
            except BrokenProcessPool as error:  # a worker died, e.g. out of memory
                yield DocumentRecord(
                    document.name,
                    [str(p) for p in document.inputs],
                    "failed",
                    reason=f"worker process failed: {failure_reason(error)}",
                )


def write_corpus(
    report: BatchReport, output_dir: Path, settings: BatchSettings
) -> tuple[str, int, str]:
    """Merge the finished outputs, one document at a time, into `corpus.<ext>`.

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


def _save_report(report: BatchReport, output_dir: Path) -> None:
    """report.json replaces the journal: written whole and renamed, then the journal goes."""
    with atomic_file(output_dir / REPORT_NAME) as stream:
        stream.write(json.dumps(report.to_json(), ensure_ascii=False, indent=1).encode("utf-8"))
    (output_dir / JOURNAL_NAME).unlink(missing_ok=True)


class _progress:
    """A rich progress bar over input bytes (a fair ETA for documents of any size)."""

    def __init__(self, todo: list[tuple[Document, str]], quiet: bool, console: Console) -> None:
        self.sizes = {doc.name: sum(path.stat().st_size for path in doc.inputs) for doc, _ in todo}
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("aligning"),
            BarColumn(),
            TextColumn("{task.fields[documents]}/{task.fields[count]} documents"),
            TextColumn("{task.fields[sentences]} sentences"),
            TimeRemainingColumn(),
            console=console,
            disable=quiet or not console.is_terminal,
            transient=True,
        )
        self.task = self.progress.add_task(
            "batch", total=sum(self.sizes.values()) or 1, documents=0, count=len(todo), sentences=0
        )

    def __enter__(self) -> Callable[[DocumentRecord], None]:
        self.progress.start()
        return self.advance

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def advance(self, record: DocumentRecord) -> None:
        task = self.progress.tasks[0]
        self.progress.update(
            self.task,
            advance=self.sizes.get(record.name, 0),
            documents=task.fields["documents"] + 1,
            sentences=task.fields["sentences"] + record.sentences,
        )


def print_report(report: BatchReport, console: Console) -> None:
    """The short table on stderr: counts, bead types, mean score and every failure."""
    summary = report.summary()
    table = Table(title="aligner batch", show_header=False, box=None, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row(
        "documents",
        f"{summary['documents']} ({summary['aligned']} aligned, {summary['reused']} reused, "
        f"{summary['failed']} failed)",
    )
    table.add_row("sentences", str(summary["sentences"]))
    table.add_row("beads", ", ".join(f"{kind} {count}" for kind, count in summary["beads"].items()))
    table.add_row("mean score", f"{summary['mean_score']:.3f}")
    table.add_row(
        "embeddings", f"{summary['embedded']} computed, {summary['cache_hits']} from cache"
    )
    table.add_row(
        "corpus",
        f"{report.corpus} ({report.corpus_units} units)" if report.corpus else report.corpus_note,
    )
    table.add_row("time", f"{summary['seconds']:.1f} s")
    console.print(table)
    for failure in report.failures:
        console.print(
            f"[red]failed[/] {failure.name}: {failure.reason}", highlight=False, soft_wrap=True
        )
