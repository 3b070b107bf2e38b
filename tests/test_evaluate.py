"""Metric definitions on hand-counted examples, and gold/test file pairing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.cli import app
from aligner.data import AlignerError, Bead
from aligner.evaluate import evaluate, pair_ladder_files

GOLD = [Bead((0,), (0,), 1.0), Bead((1,), (1, 2), 1.0), Bead((), (3,), 1.0)]
TEST = [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.8), Bead((), (2,), 0.5), Bead((), (3,), 0.5)]


def test_scores_match_hand_counts() -> None:
    scores = evaluate([GOLD], [TEST])
    # precision over 4 non-empty test beads: [0]:[0] and []:[3] exact, [1]:[1] shares a link
    assert scores["precision_strict"] == pytest.approx(2 / 4)
    assert scores["precision_lax"] == pytest.approx(3 / 4)
    # recall over the 2 gold beads with both sides: [0]:[0] exact, [1]:[1,2] shares a link
    assert scores["recall_strict"] == pytest.approx(1 / 2)
    assert scores["recall_lax"] == pytest.approx(2 / 2)
    assert scores["f1_lax"] == pytest.approx(2 * 0.75 / 1.75)
    # exact beads, 0-n included: 2 shared of 4 test and 3 gold
    assert scores["precision_bead"] == pytest.approx(2 / 4)
    assert scores["recall_bead"] == pytest.approx(2 / 3)
    assert scores["f1_bead"] == pytest.approx(2 * (1 / 2) * (2 / 3) / (1 / 2 + 2 / 3))


def test_counts_are_pooled_over_documents() -> None:
    perfect = [Bead((i,), (i,), 1.0) for i in range(6)]
    scores = evaluate([GOLD, perfect], [TEST, perfect])
    assert scores["precision_strict"] == pytest.approx((2 + 6) / (4 + 6))
    assert scores["recall_bead"] == pytest.approx((2 + 6) / (3 + 6))


def test_document_counts_must_match() -> None:
    with pytest.raises(AlignerError):
        evaluate([GOLD], [])


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_directories_pair_by_document_name(tmp_path: Path) -> None:
    write(tmp_path / "gold" / "001.align", "[0]:[0]\n")
    write(tmp_path / "gold" / "002.align", "[0]:[0]\n")
    write(tmp_path / "test" / "002", "[0]:[0]:0.5\n")
    write(tmp_path / "test" / "001", "[0]:[0]:0.5\n")
    pairs = pair_ladder_files(tmp_path / "gold", tmp_path / "test")
    assert [(gold.name, test.name) for gold, test in pairs] == [
        ("001.align", "001"),
        ("002.align", "002"),
    ]


def test_missing_test_document_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "gold" / "001.align", "[0]:[0]\n")
    (tmp_path / "test").mkdir()
    with pytest.raises(AlignerError, match="001"):
        pair_ladder_files(tmp_path / "gold", tmp_path / "test")
    with pytest.raises(AlignerError):
        pair_ladder_files(tmp_path / "gold", tmp_path / "gold" / "001.align")


def test_cli_prints_table_and_fails_cleanly(tmp_path: Path) -> None:
    gold = write(tmp_path / "gold.align", "[0]:[0]\n[1]:[1,2]\n[]:[3]\n")
    test = write(tmp_path / "test.align", "[0]:[0]:0.9\n[1]:[1]:0.8\n[]:[2]:0.5\n[]:[3]:0.5\n")
    runner = CliRunner()
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--test", str(test)])
    assert result.exit_code == 0
    assert "0.5000" in result.stdout and "Recall" in result.stdout
    missing = runner.invoke(app, ["evaluate", "--gold", str(gold), "--test", str(tmp_path / "x")])
    assert missing.exit_code == 1
