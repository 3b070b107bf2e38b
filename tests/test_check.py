"""`aligner check`: a translation memory's wrong units are flagged, good ones are not."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner import embed
from aligner.check import MIN_NEIGHBOURHOOD, check_units, uses_csls
from aligner.cli import app
from aligner.readers import SourceUnit
from tests.reader_fixtures import tmx_text
from tests.support import BagOfIdsEmbedder


def memory(count: int, swapped: set[int]) -> list[SourceUnit]:
    """Units whose source and target share an id token, except the swapped ones, whose
    target is the next unit's."""
    return [
        SourceUnit(f"<{k}> <{k + count}>", f"<{(k + 1) % count if k in swapped else k}>", f"tu {k}")
        for k in range(count)
    ]


def test_csls_flags_exactly_the_swapped_units_of_a_large_memory() -> None:
    units = memory(150, {3, 40, 99})
    assert uses_csls(units)
    checked = check_units(units, BagOfIdsEmbedder(300))
    assert {int(c.unit.ref.split()[1]) for c in checked if c.suspect} == {3, 40, 99}


def test_a_small_memory_is_scored_by_cosine_and_repeats_do_not_hide_a_wrong_unit() -> None:
    units = memory(10, {4}) * 3
    assert len(units) < MIN_NEIGHBOURHOOD and not uses_csls(units)
    checked = check_units(units, BagOfIdsEmbedder(20))
    assert [c.unit.ref for c in checked if c.suspect] == ["tu 4"] * 3


def test_the_check_command_writes_the_suspect_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = [(f"&lt;{k}&gt;", f"&lt;{k if k != 2 else 7}&gt;") for k in range(6)]
    source = tmp_path / "memory.tmx"
    source.write_text(tmx_text(pairs, srclang="zh"), "utf-8")
    embedder = BagOfIdsEmbedder(10)
    monkeypatch.setattr(embed, "load_embedder", lambda model=None, device="cpu": embedder)
    out = tmp_path / "suspect.tsv"
    result = CliRunner().invoke(app, ["check", str(source), "-o", str(out), "--only-suspect"])
    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8").splitlines()
    assert lines[0] == "suspect\tscore\tref\tsource\ttarget"
    assert [line.split("\t")[2:] for line in lines[1:]] == [["tu t3", "<2>", "<7>"]]
    assert "6 units checked, 1 suspect" in result.output


def test_check_refuses_a_monolingual_document(tmp_path: Path) -> None:
    source = tmp_path / "notes.md"
    source.write_text("# Notes\n\nSome text.\n", "utf-8")
    result = CliRunner().invoke(app, ["check", str(source)])
    assert result.exit_code == 1
    assert "notes.md: not a bilingual file" in result.output
