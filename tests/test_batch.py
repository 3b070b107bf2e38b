"""Batch runs: pairing by name, outputs and report, resume, bad documents, cache, workers.

A fake embedder keeps these fast: it embeds the numbers a sentence mentions, so
"第3句。" and "Sentence 3." get the same vector and the right alignment is known.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from aligner import batch
from aligner.batch import (
    BatchPlan,
    BatchProgress,
    BatchSettings,
    LocalEngine,
    find_documents,
    run_batch,
)
from aligner.batch import engine as batch_engine
from aligner.batch.engine import process_document
from aligner.batch.journal import DocumentRecord
from aligner.cli import app
from aligner.config import ExportOptions, PipelineOptions
from aligner.data import AlignerError
from tests.reader_fixtures import XLIFF_12

embedded_texts: list[str] = []


class NumberEmbedder:
    """One dimension per number mentioned, plus a constant so no vector is zero."""

    name = "numbers"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        embedded_texts.extend(texts)
        vectors = np.full((len(texts), 64), 0.05, dtype=np.float32)
        for row, text in enumerate(texts):
            for number in re.findall(r"\d+", text):
                vectors[row, int(number) % 63 + 1] += 1.0
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def load_numbers(model: str | None, device: str, threads: int) -> NumberEmbedder:
    return NumberEmbedder()


numbers = LocalEngine(load_numbers)


@pytest.fixture(autouse=True)
def fresh_record() -> None:
    embedded_texts.clear()


def write_pair(folder: Path, stem: str, numbers: range) -> None:
    (folder / f"{stem}.zh.txt").write_text("".join(f"第{n}句。\n" for n in numbers), "utf-8")
    (folder / f"{stem}.en.txt").write_text("".join(f"Sentence {n}.\n" for n in numbers), "utf-8")


def settings(**changes: object) -> BatchSettings:
    chosen: dict[str, object] = {
        "pipeline": PipelineOptions(presegmented=True),
        "fmt": "csv",
        "cache": False,
    }
    chosen.update(changes)
    return BatchSettings(**chosen)  # type: ignore[arg-type]


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_output_name_clashes_are_reported(tmp_path: Path) -> None:
    write_pair(tmp_path, "doc", range(2))
    (tmp_path / "doc.txt").write_text("x", "utf-8")
    (tmp_path / "corpus.txt").write_text("x", "utf-8")
    documents, problems = find_documents(tmp_path)
    assert [doc.name for doc in documents] == ["doc"]
    reasons = {problem.name: problem.reason for problem in problems}
    assert "another document" in reasons["doc (doc.txt)"]
    assert "kept for the combined corpus" in reasons["corpus (corpus.txt)"]
    report = run_batch(tmp_path, tmp_path / "out", settings(), engine=numbers)
    assert {r.name: r.status for r in report.records} == {
        "corpus (corpus.txt)": "failed",
        "doc": "aligned",
        "doc (doc.txt)": "failed",
    }


def test_folder_without_documents_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "notes.align").write_text("[0]:[0]", "utf-8")
    with pytest.raises(AlignerError, match="no documents found"):
        run_batch(tmp_path, tmp_path / "out", settings(), engine=numbers)


def test_outputs_corpus_and_report(tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    write_pair(source, "one", range(1, 6))
    write_pair(source, "two", range(10, 13))
    (source / "bad.zh.txt").write_text("", "utf-8")
    (source / "bad.en.txt").write_text("Sentence 1.\n", "utf-8")
    report = run_batch(source, out, settings(), engine=numbers)

    one = read_rows(out / "one.csv")
    assert [(row["zh"], row["en"]) for row in one] == [
        (f"第{n}句。", f"Sentence {n}.") for n in range(1, 6)
    ]
    assert not (out / "bad.csv").exists()
    corpus = read_rows(out / "corpus.csv")
    assert len(corpus) == 8 and {row["document"] for row in corpus} == {"one", "two"}

    saved = json.loads((out / "report.json").read_text("utf-8"))
    assert saved["summary"] == report.summary()
    assert saved["summary"]["aligned"] == 2 and saved["summary"]["failed"] == 1
    assert saved["summary"]["beads"] == {"1-1": 8}
    assert saved["summary"]["sentences"] == 16
    assert saved["failures"][0]["name"] == "bad" and "empty" in saved["failures"][0]["reason"]
    assert not (out / batch.JOURNAL_NAME).exists()
    assert not list(out.glob(".*.part"))


def test_binary_file_is_skipped_with_its_reason(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    write_pair(source, "good", range(3))
    (source / "blob.txt").write_bytes(bytes(range(256)) * 64)
    report = run_batch(source, tmp_path / "out", settings(), engine=numbers)
    statuses = {record.name: record.status for record in report.records}
    assert statuses == {"blob": "failed", "good": "aligned"}
    assert report.failures[0].reason


def test_progress_reaches_every_document_and_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    write_pair(source, "one", range(1, 4))
    write_pair(source, "two", range(10, 20))
    events: list[BatchProgress] = []
    run_batch(source, tmp_path / "out", settings(), engine=numbers, on_progress=events.append)
    sizes = sum(path.stat().st_size for path in source.iterdir())
    assert [(e.done, e.total, e.total_bytes) for e in events] == [(n, 2, sizes) for n in range(3)]
    assert events[0].record is None and events[0].done_bytes == 0
    assert sorted(e.record.name for e in events[1:] if e.record) == ["one", "two"]
    assert events[-1].done_bytes == sizes
    assert capsys.readouterr() == ("", "")  # the library draws nothing; the CLI does


class ReversedInlineEngine:
    """Another engine: aligns in this process, last document first."""

    def run(self, plan: BatchPlan) -> Iterator[DocumentRecord]:
        for item in reversed(plan.work):
            yield process_document(item, NumberEmbedder(), plan.output_dir, plan.settings)


def test_another_engine_plugs_in_beside_the_local_one(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for index in range(3):
        write_pair(source, f"doc{index}", range(index * 5, index * 5 + 4))
    local = run_batch(source, tmp_path / "local", settings(), engine=numbers)
    other = run_batch(source, tmp_path / "other", settings(), engine=ReversedInlineEngine())
    assert [r.status for r in other.records] == ["aligned"] * 3
    assert other.summary() | {"seconds": 0} == local.summary() | {"seconds": 0}
    for name in ["corpus.csv", "doc0.csv", "doc1.csv", "doc2.csv"]:
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "other" / name).read_bytes()


class Crash(Exception):
    pass


def crash_after_first(progress: BatchProgress) -> None:
    if progress.record is not None:
        raise Crash(progress.record.name)


def test_killed_run_resumes_where_it_stopped(tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    write_pair(source, "first", range(1, 4))
    write_pair(source, "second", range(20, 23))
    with pytest.raises(Crash, match="first"):
        run_batch(source, out, settings(), engine=numbers, on_progress=crash_after_first)
    assert (out / "first.csv").exists() and not (out / "second.csv").exists()
    assert not (out / "report.json").exists()

    embedded_texts.clear()
    report = run_batch(source, out, settings(), engine=numbers)
    assert {record.name: record.status for record in report.records} == {
        "first": "reused",
        "second": "aligned",
    }
    assert not any("第1句" in text for text in embedded_texts)
    assert any("第20句" in text for text in embedded_texts)
    assert report.summary()["sentences"] == 12
    assert len(read_rows(out / "corpus.csv")) == 6


def test_changed_input_options_or_missing_output_are_redone(tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    write_pair(source, "first", range(1, 4))
    write_pair(source, "second", range(20, 23))
    run_batch(source, out, settings(), engine=numbers)

    (source / "first.en.txt").write_text("Sentence 1.\nSentence 2.\nSentence 3!\n", "utf-8")
    (out / "second.csv").unlink()
    statuses = {
        r.name: r.status for r in run_batch(source, out, settings(), engine=numbers).records
    }
    assert statuses == {"first": "aligned", "second": "aligned"}

    again = run_batch(source, out, settings(), engine=numbers).records
    assert {record.status for record in again} == {"reused"}
    stricter = settings(export=ExportOptions(min_score=0.5))
    assert {r.status for r in run_batch(source, out, stricter, engine=numbers).records} == {
        "aligned"
    }


def test_torn_journal_line_is_ignored(tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    write_pair(source, "doc", range(3))
    out.mkdir()
    (out / batch.JOURNAL_NAME).write_text('{"name": "doc", "inputs": [', "utf-8")
    report = run_batch(source, out, settings(), engine=numbers)
    assert [record.status for record in report.records] == ["aligned"]


def test_cache_spares_the_model_on_a_second_run(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    write_pair(source, "doc", range(1, 6))
    cached = settings(cache=True, cache_dir=tmp_path / "cache")
    first = run_batch(source, tmp_path / "out1", cached, engine=numbers)
    assert first.summary()["embedded"] > 0 and embedded_texts
    embedded_texts.clear()
    second = run_batch(source, tmp_path / "out2", cached, engine=numbers)
    assert embedded_texts == []
    assert second.summary()["embedded"] == 0
    looked_up = first.summary()["embedded"] + first.summary()["cache_hits"]
    assert second.summary()["cache_hits"] == looked_up
    assert (tmp_path / "out1" / "doc.csv").read_bytes() == (
        tmp_path / "out2" / "doc.csv"
    ).read_bytes()


def test_two_workers_write_what_one_writes(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for index in range(4):
        write_pair(source, f"doc{index}", range(index * 5, index * 5 + 4))
    one = run_batch(source, tmp_path / "one", settings(jobs=1), engine=numbers)
    two = run_batch(source, tmp_path / "two", settings(jobs=2, cache=True), engine=numbers)
    assert [r.status for r in two.records] == ["aligned"] * 4, [r.reason for r in two.records]
    names = sorted(path.name for path in (tmp_path / "one").glob("*.csv"))
    assert names == ["corpus.csv", "doc0.csv", "doc1.csv", "doc2.csv", "doc3.csv"]
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert one.summary()["beads"] == two.summary()["beads"]


def test_moses_corpus_concatenates_documents(tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    write_pair(source, "a", range(1, 3))
    write_pair(source, "b", range(5, 6))
    report = run_batch(source, out, settings(fmt="moses"), engine=numbers)
    assert (out / "corpus.en-zh.en").read_text("utf-8") == "Sentence 1.\nSentence 2.\nSentence 5.\n"
    assert report.corpus_units == 3


def test_cli_exit_code_and_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_engine, "load_embedder", load_numbers)
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    write_pair(source, "good", range(3))
    runner = CliRunner()
    args = ["batch", str(source), "-o", str(out), "--presegmented", "--format", "csv", "--no-cache"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert "1 aligned" in result.stderr
    (source / "bad.txt").write_text("", "utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "bad" in result.stderr and "1 of 2 documents failed" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["batch", str(empty), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "no documents found" in result.stderr


def test_a_manifest_gives_the_folder_s_corpus(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    write_pair(source, "one", range(1, 4))
    write_pair(source, "two", range(5, 7))
    manifest = tmp_path / "list.jsonl"
    manifest.write_text(
        "".join(
            json.dumps({"zh": f"in/{name}.zh.txt", "en": f"in/{name}.en.txt"}) + "\n"
            for name in ("two", "one")
        ),
        "utf-8",
    )
    run_batch(source, tmp_path / "folder", settings(), engine=numbers)
    report = run_batch(manifest, tmp_path / "listed", settings(), engine=numbers)
    assert report.summary()["aligned"] == 2
    assert (tmp_path / "listed" / "corpus.csv").read_bytes() == (
        tmp_path / "folder" / "corpus.csv"
    ).read_bytes()


def test_engine_choice_is_checked(tmp_path: Path) -> None:
    write_pair(tmp_path, "one", range(2))
    for options, message in [
        (["--engine", "spark"], "unknown engine 'spark'"),
        (["--address", "auto"], "--address is for --engine ray"),
    ]:
        result = CliRunner().invoke(
            app, ["batch", str(tmp_path), "-o", str(tmp_path / "o")] + options
        )
        assert result.exit_code == 1 and message in result.output


def test_the_report_counts_what_readers_left_out(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "job.xlf").write_text(XLIFF_12, "utf-8")
    report = run_batch(
        source, tmp_path / "out", settings(pipeline=PipelineOptions()), engine=numbers
    )
    (record,) = report.records
    assert record.status == "aligned"
    assert record.dropped == {"xliff: locked units": 1, "xliff: units without translation": 1}
    saved = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert saved["documents"][0]["dropped"] == record.dropped


def test_corpus_rows_carry_the_document_s_repairs(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    write_pair(source, "clean", range(1, 3))
    (source / "messy.zh.txt").write_text("第1句&amp;。\n第2句。\n", "utf-8")
    (source / "messy.en.txt").write_text("Sentence  1 &amp; more.\nSentence 2.\n", "utf-8")
    report = run_batch(source, tmp_path / "out", settings(), engine=numbers)
    messy = next(record for record in report.records if record.name == "messy")
    assert messy.repairs == {"html-residue": 2, "whitespace": 1}
    rows = read_rows(tmp_path / "out" / "corpus.csv")
    repairs = {(row["document"], row["doc_repairs"]) for row in rows}
    assert repairs == {("clean", "0"), ("messy", "3")}
    assert [row["bead"] for row in rows] == ["0", "1", "0", "1"]


def test_manifest_urls_are_read_through_fsspec(tmp_path: Path) -> None:
    """URLs are fingerprinted by their storage checksum and copied locally to align."""
    fsspec = pytest.importorskip("fsspec")
    memory = fsspec.filesystem("memory")
    memory.pipe("/corpus/a.zh.txt", "".join(f"第{n}句。\n" for n in range(3)).encode())
    memory.pipe("/corpus/a.en.txt", "".join(f"Sentence {n}.\n" for n in range(3)).encode())
    manifest = tmp_path / "list.csv"
    manifest.write_text(
        "zh,en\nmemory://corpus/a.zh.txt,memory://corpus/a.en.txt\n"
        "memory://corpus/gone.zh.txt,memory://corpus/gone.en.txt\n",
        "utf-8",
    )
    report = run_batch(manifest, tmp_path / "out", settings(), engine=numbers)
    assert {r.name: r.status for r in report.records} == {"a": "aligned", "gone": "failed"}
    assert "gone.zh.txt" in report.failures[0].reason
    assert len(read_rows(tmp_path / "out" / "a.csv")) == 3
    again = run_batch(manifest, tmp_path / "out", settings(), engine=numbers)
    assert {r.name: r.status for r in again.records}["a"] == "reused"
    memory.pipe("/corpus/a.en.txt", b"Sentence 0.\nSentence 1.\nSentence 2 changed.\n")
    changed = run_batch(manifest, tmp_path / "out", settings(), engine=numbers)
    assert {r.name: r.status for r in changed.records}["a"] == "aligned"


def test_output_to_a_url_is_uploaded_and_a_rerun_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fsspec = pytest.importorskip("fsspec")
    monkeypatch.setattr(batch_engine, "load_embedder", load_numbers)
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "in"
    source.mkdir()
    write_pair(source, "one", range(3))
    write_pair(source, "two", range(3, 6))
    url = f"memory://aligned-{tmp_path.name}"
    args = ["batch", str(source), "-o", url, "--presegmented", "--format", "csv"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.stderr
    remote = fsspec.filesystem("memory")
    names = sorted(path.rsplit("/", 1)[1] for path in remote.find(url))
    assert names == ["corpus.csv", "one.csv", "report.json", "two.csv"]
    second = CliRunner().invoke(app, args)
    assert second.exit_code == 0 and "2 reused" in second.stderr
    report = json.loads(remote.cat_file(f"{url}/report.json"))
    assert [record["status"] for record in report["documents"]] == ["reused", "reused"]
