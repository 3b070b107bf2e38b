"""How the CLI treats outputs and users before any work is done: bad output paths are
refused up front, help reads at 80 columns, and a closed pipe ends the run quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner import embed
from aligner.clean import REPAIR_NAMES
from aligner.cli import app
from aligner.cli.common import REPAIR_CHOICES
from tests.support import INTERVIEW, HashEmbedder


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "80"})
    return result.exit_code, result.stderr + result.stdout


def test_a_folder_as_output_is_refused_with_the_users_path(tmp_path: Path) -> None:
    code, said = run("align", str(INTERVIEW), "-o", str(tmp_path))
    assert code == 1 and f"{tmp_path}: is a folder" in said and ".part" not in said


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "doc.txt"
    copy.write_bytes(INTERVIEW.read_bytes())
    code, said = run("align", str(copy), "-o", str(copy), "-f", "tsv")
    assert code == 1 and "is also an input" in said
    assert copy.read_bytes() == INTERVIEW.read_bytes()


def test_an_output_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    code, said = run("align", str(INTERVIEW), "-o", str(tmp_path / "no" / "out.tmx"))
    assert code == 1 and "does not exist" in said


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_a_read_only_folder_is_refused_before_work(tmp_path: Path) -> None:
    tmp_path.chmod(0o555)
    try:
        code, said = run("align", str(INTERVIEW), "-o", str(tmp_path / "out.tmx"))
    finally:
        tmp_path.chmod(0o755)
    assert code == 1 and "cannot write" in said


@pytest.mark.parametrize("command", ["align", "batch", "convert", "glossary"])
def test_help_is_readable_at_80_columns(command: str) -> None:
    code, said = run(command, "--help")
    assert code == 0
    assert "…" not in said and "<bool>" not in said and "{inputs}" not in said
    assert max(len(line) for line in said.splitlines()) <= 80


def test_min_score_help_says_unaligned_sentences_are_kept() -> None:
    _, said = run("align", "--help")
    assert "Unaligned sentences have no score" in " ".join(said.split())


def test_the_repair_names_in_help_are_the_cleaners_names() -> None:
    assert sorted(REPAIR_CHOICES.split(", ")) == sorted(REPAIR_NAMES)


@pytest.mark.model
def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    zh, en = tmp_path / "a.zh", tmp_path / "a.en"
    zh.write_text("".join(f"第{k}句話。\n" for k in range(3000)), encoding="utf-8")
    en.write_text("".join(f"Sentence {k}.\n" for k in range(3000)), encoding="utf-8")
    aligner = subprocess.Popen(
        [sys.executable, "-c", "from aligner.cli import app; app()", "align", str(zh), str(en),
         "--presegmented", "-o", "-", "-f", "tsv", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert aligner.stdout is not None and aligner.stderr is not None
    assert aligner.stdout.readline().startswith(b"zh\ten")
    aligner.stdout.close()
    stderr = aligner.stderr.read()
    assert aligner.wait(timeout=300) == 141
    assert stderr == b""


@pytest.mark.parametrize("fmt", ["moses", "parquet"])
def test_a_format_that_needs_a_file_is_refused_for_stdout_before_work(fmt: str) -> None:
    code, said = run("align", str(INTERVIEW), "-o", "-", "--format", fmt)
    assert code == 1 and "cannot go to stdout" in said


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "load_embedder", lambda model=None, device="cpu": HashEmbedder())


@pytest.mark.usefixtures("fake_model")
def test_the_same_file_twice_is_named_as_such(tmp_path: Path) -> None:
    code, said = run("align", str(INTERVIEW), str(INTERVIEW), "-o", str(tmp_path / "x.tsv"))
    assert code == 1 and "is given twice" in said and "are English" not in said


@pytest.mark.usefixtures("fake_model")
def test_filters_that_leave_nothing_say_so(tmp_path: Path) -> None:
    out = tmp_path / "nothing.tmx"
    code, said = run("align", str(INTERVIEW), "-o", str(out), "--min-score", "2")
    assert code == 0 and "left nothing to write" in said
