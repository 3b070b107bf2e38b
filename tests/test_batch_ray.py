"""The Ray engine on a local Ray instance: same corpus as the local engine, lost workers,
an interrupted driver. The fake embedder of test_batch keeps the documents fast."""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from aligner.batch import BatchProgress, LocalEngine, run_batch
from tests.test_batch import NumberEmbedder, load_numbers, read_rows, settings, write_pair

ray = pytest.importorskip("ray")
from aligner.batch.ray_engine import RayEngine  # noqa: E402 - only once ray is known present

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


class SlowNumberEmbedder(NumberEmbedder):
    """The number embedder with a pause, so documents are still in flight when a test acts."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(0.05)
        return super().encode(texts)


def load_slow_numbers(model: str | None, device: str, threads: int) -> SlowNumberEmbedder:
    return SlowNumberEmbedder()


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    """One local Ray instance for the module; its workers import this checkout's code."""
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        logging_level="WARNING",
        runtime_env={"env_vars": {"PYTHONPATH": path}},
    )
    yield
    ray.shutdown()


def corpus_folder(root: Path, documents: int) -> Path:
    source = root / "in"
    source.mkdir()
    for number in range(documents):
        write_pair(source, f"doc{number:02d}", range(number, number + 4))
    (source / "empty.zh.txt").write_text("", "utf-8")
    (source / "empty.en.txt").write_text("Sentence 1.\n", "utf-8")
    return source


def test_ray_corpus_is_the_local_corpus(tmp_path: Path) -> None:
    source = corpus_folder(tmp_path, 6)
    local = run_batch(source, tmp_path / "local", settings(), engine=LocalEngine(load_numbers))
    remote = run_batch(
        source, tmp_path / "ray", settings(jobs=2), engine=RayEngine(load=load_numbers)
    )
    assert (tmp_path / "ray" / "corpus.csv").read_bytes() == (
        tmp_path / "local" / "corpus.csv"
    ).read_bytes()
    for name in ("doc00", "doc05"):
        assert (tmp_path / "ray" / f"{name}.csv").read_bytes() == (
            tmp_path / "local" / f"{name}.csv"
        ).read_bytes()
    ignore = {"seconds"}
    assert {k: v for k, v in remote.summary().items() if k not in ignore} == {
        k: v for k, v in local.summary().items() if k not in ignore
    }
    assert [(f.name, f.reason) for f in remote.failures] == [
        (f.name, f.reason) for f in local.failures
    ]
    assert [r.inputs for r in remote.records] == [r.inputs for r in local.records]


def test_a_killed_worker_loses_no_document(tmp_path: Path) -> None:
    source = corpus_folder(tmp_path, 12)
    engine = RayEngine(load=load_slow_numbers)
    killed: list[int] = []

    def kill_once(event: BatchProgress) -> None:
        if event.record is not None and not killed:
            slot = min(engine.workers)
            ray.kill(engine.workers[slot])
            killed.append(slot)

    report = run_batch(source, tmp_path / "out", settings(jobs=2), engine, on_progress=kill_once)
    assert killed and engine.replaced >= 1
    statuses = {record.name: record.status for record in report.records}
    assert statuses == {**{f"doc{n:02d}": "aligned" for n in range(12)}, "empty": "failed"}
    rows = read_rows(tmp_path / "out" / "corpus.csv")
    assert Counter(row["document"] for row in rows) == {f"doc{n:02d}": 4 for n in range(12)}


def test_interrupted_driver_resumes_without_duplicates(tmp_path: Path) -> None:
    source = corpus_folder(tmp_path, 10)
    output = tmp_path / "out"

    def stop_after_three(event: BatchProgress) -> None:
        if event.done == 3:
            raise KeyboardInterrupt

    interrupted = RayEngine(load=load_slow_numbers)
    with pytest.raises(KeyboardInterrupt):
        run_batch(source, output, settings(jobs=2), interrupted, stop_after_three)
    assert not (output / "corpus.csv").exists()
    assert not interrupted.workers  # its actors were killed on the way out

    report = run_batch(source, output, settings(jobs=2), RayEngine(load=load_slow_numbers))
    statuses = Counter(record.status for record in report.records)
    assert statuses["reused"] >= 3 and statuses["failed"] == 1
    assert statuses["reused"] + statuses["aligned"] == 10
    rows = read_rows(output / "corpus.csv")
    assert Counter(row["document"] for row in rows) == {f"doc{n:02d}": 4 for n in range(10)}


def test_a_failing_document_is_retried_once_then_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = corpus_folder(tmp_path, 1)
    with caplog.at_level(logging.INFO, logger="aligner.batch.ray_engine"):
        report = run_batch(source, tmp_path / "out", settings(jobs=2), RayEngine(load=load_numbers))
    [failure] = report.failures
    assert failure.name == "empty" and "empty" in failure.reason
    retries = [r.getMessage() for r in caplog.records if "trying another worker" in r.getMessage()]
    assert len(retries) == 1 and retries[0].startswith("empty failed")
