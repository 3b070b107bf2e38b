"""XLIFF 1.2 / 2.x and TMX as input: translated units become pairs, codes are left out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aligner.data import AlignerError
from aligner.readers import read_document
from tests.reader_fixtures import XLIFF_2, XLIFF_12, tmx_text


@pytest.mark.parametrize("suffix", [".xlf", ".xliff"])
def test_xliff_12_units_become_pairs(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"job{suffix}"
    path.write_text(XLIFF_12, "utf-8")
    document = read_document(path)
    assert document.kind == "xliff" and document.bilingual
    assert document.langs == ("zh-TW", "en-US")
    assert [(unit.src_text, unit.tgt_text, unit.ref) for unit in document.units] == [
        ("商湯科技目前已經是領先企業。", "SenseTime is now a leading company.", "unit u1"),
        ("第一句。", "First.", "unit u4 segment 1"),
        ("第二句。", "Second.", "unit u4 segment 2"),
        ("按這裡", "Click here", "unit u5"),
    ]
    assert document.dropped == {"units without translation": 1, "locked units": 1}


def test_xliff_2_segments_become_pairs(tmp_path: Path) -> None:
    path = tmp_path / "job.xlf"
    path.write_text(XLIFF_2, "utf-8")
    document = read_document(path)
    assert document.langs == ("en", "zh-CN")
    assert [(unit.src_text, unit.tgt_text, unit.ref) for unit in document.units] == [
        ("Hello world.", "你好，世界。", "unit 1 segment s1"),
        ("Press now.", "現在按。", "unit 1 segment s2"),
    ]
    assert document.dropped == {"units without translation": 1}


def test_xliff_without_targets_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "untranslated.xlf"
    path.write_text(re.sub(r"<target>.*?</target>", "", XLIFF_2, flags=re.DOTALL), "utf-8")
    with pytest.raises(AlignerError, match=r"untranslated\.xlf: .*no translated units \(3 units"):
        read_document(path)


def test_malformed_xliff_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.xlf"
    path.write_text(XLIFF_2[:300], "utf-8")
    with pytest.raises(AlignerError, match=r"cut\.xlf: not a readable XLIFF file \(bad XML"):
        read_document(path)


def test_tmx_units_follow_the_header_source_language(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    pairs = [("按<ph>&lt;br/&gt;</ph>這裡", "Click <hi>here</hi>"), ("你好。", "Hello.")]
    path.write_text(tmx_text(pairs), "utf-8")
    document = read_document(path)
    assert document.kind == "tmx"
    assert document.langs == ("en-US", "zh-CN")
    assert [(unit.src_text, unit.tgt_text, unit.ref) for unit in document.units] == [
        ("Click here", "按這裡", "tu t1"),
        ("Hello.", "你好。", "tu t2"),
    ]
    assert document.dropped == {"units with one language": 1}


def test_tmx_with_every_language_as_source_takes_the_first_variant(tmp_path: Path) -> None:
    path = tmp_path / "all.tmx"
    path.write_text(tmx_text([("你好。", "Hello.")], srclang="*all*"), "utf-8")
    document = read_document(path)
    assert document.langs == ("zh-CN", "en-US")
    assert document.units[0].src_text == "你好。"
