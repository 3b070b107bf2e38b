"""Cleaning: each repair on the seeds' own damage, switched off, and counted honestly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.clean import REPAIR_NAMES, clean
from aligner.config import CleanOptions
from aligner.data import AlignerError
from aligner.io import read_text
from aligner.text import detect_script
from tests.support import SEEDS

INTERVIEW = SEEDS / "001_80f9d8cd20d446c8.txt"
PRESS_RELEASES = SEEDS / "004_f5a84a02b796e88a.txt"
ALL_OFF = CleanOptions(disabled=frozenset(REPAIR_NAMES))


def only(switch: str) -> CleanOptions:
    return CleanOptions(disabled=frozenset(REPAIR_NAMES) - {switch})


@pytest.mark.parametrize("switch", REPAIR_NAMES)
def test_each_repair_can_be_switched_off(switch: str) -> None:
    damaged = {
        "pinyin-glosses": "國內(nèi)",
        "big5-mojibake": "China＊s",
        "encoding-mojibake": "donâ€™t",
        "pdf-hyphens": "Co[1]founder",
        "html-residue": "<b>bold</b>",
        "invisible-chars": "zero\u200bwidth",
        "whitespace": "two  spaces ",
    }[switch]
    off = CleanOptions(disabled=frozenset({switch}))
    assert clean(damaged, off).text == damaged
    assert clean(damaged, only(switch)).text != damaged


def test_detect_script() -> None:
    assert detect_script(clean(read_text(INTERVIEW)).text) == "traditional"
    assert detect_script("近距离感受到了国内人工智能的成长") == "simplified"
    assert detect_script("no Chinese at all") == "simplified"


# ---------------------------------------------------------------- properties

web_text = st.lists(
    st.sampled_from(
        list("國內產聯合每天aAzZ ()（）[]1<>/&;#\n\t\u00a0\u200b\ue386＊※§")
        + ["(nèi)", "(chǎn)", "(lián)", "â€™", "&nbsp;", "</strong>", "[1]", " 每 ", "China＊s"]
    ),
    max_size=40,
).map("".join)


@given(web_text)
def test_clean_never_changes_the_number_of_lines(text: str) -> None:
    assert clean(text).text.count("\n") == text.count("\n")


@given(web_text)
def test_with_every_repair_off_clean_is_the_identity(text: str) -> None:
    cleaned = clean(text, ALL_OFF)
    assert cleaned.text == text
    assert cleaned.repairs == {}


@given(web_text, st.sampled_from(REPAIR_NAMES))
def test_a_repair_changes_text_exactly_when_it_reports_a_count(text: str, switch: str) -> None:
    cleaned = clean(text, only(switch))
    assert (cleaned.text != text) == bool(cleaned.repairs)


@given(web_text)
def test_removed_characters_are_accounted_for(text: str) -> None:
    glosses = clean(text, only("pinyin-glosses"))
    invisible = clean(text, only("invisible-chars"))
    assert len(text) - len(invisible.text) == invisible.repairs.get("invisible-chars", 0)
    assert len(text) - len(glosses.text) >= 4 * glosses.repairs.get("pinyin-glosses", 0)


# ---------------------------------------------------------------- reading files

TRADITIONAL = (
    "商湯科技聯合創始人、首席科學家王曉剛進行了深入交流，探討了商湯的科研新成果與未來發展方向。\n"
)
SIMPLIFIED = (
    "商汤科技联合创始人、首席科学家王晓刚进行了深入交流，探讨了商汤的科研新成果与未来发展方向。\n"
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (SIMPLIFIED * 3, "gb18030"),
        (SIMPLIFIED * 3, "gbk"),
        (TRADITIONAL * 3, "big5"),
        (TRADITIONAL, "utf-16"),
        (TRADITIONAL, "utf-8-sig"),
        (TRADITIONAL, "utf-8"),
    ],
)
def test_read_text_decodes_chinese_encodings(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(text.encode(encoding))
    assert read_text(path) == text


def test_read_text_normalises_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("一\r\n二\r三\n".encode())
    assert read_text(path) == "一\n二\n三\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b" \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
    ],
)
def test_read_text_rejects_unusable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(AlignerError, match=message):
        read_text(path)


def test_read_text_rejects_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(AlignerError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(AlignerError, match="directory"):
        read_text(tmp_path)


def test_damage_beyond_repair_is_counted_not_hidden() -> None:
    """The seed's `全球?qū)@Y產` and `轉變?yōu)閷嶋H`: a character lost to `?`, its gloss left
    behind, then the tail of a GBK sequence whose lead byte is gone."""
    line = "截至2021年底,商湯的全球?qū)@Y產(chǎn)累計11,494件,在創新成果轉變?yōu)閷嶋H應用的過程中"
    cleaned = clean(line)
    assert cleaned.repairs["damaged-text"] == 2
    assert "?qū)@Y產累計" in cleaned.text
    assert "damaged-text" not in clean("他說:“堅持原創。”然後走了！？真的嗎?是的(yes)").repairs


def test_the_seed_interview_reports_its_damage() -> None:
    assert clean(read_text(INTERVIEW)).repairs["damaged-text"] == 4
