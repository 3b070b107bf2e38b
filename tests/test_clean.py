"""Cleaning: each repair on the seeds' own damage, switched off, and counted honestly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.clean import CleanOptions, clean, detect_script, read_text
from aligner.data import AlignerError

SEEDS = Path(__file__).parents[1] / "seeds"
INTERVIEW = SEEDS / "001_80f9d8cd20d446c8.txt"
PRESS_RELEASES = SEEDS / "004_f5a84a02b796e88a.txt"
REPAIR_SWITCHES = [
    "pinyin_glosses",
    "big5_mojibake",
    "encoding_mojibake",
    "pdf_hyphens",
    "html_residue",
    "invisible_chars",
    "whitespace",
]
ALL_OFF = CleanOptions(**dict.fromkeys(REPAIR_SWITCHES, False))


def only(switch: str) -> CleanOptions:
    return CleanOptions(**{name: name == switch for name in REPAIR_SWITCHES})


# ---------------------------------------------------------------- pinyin glosses


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("國內(nèi)產(chǎn)業", "國內產業"),
        ("商湯科技聯(lián)合創(chuàng)始人", "商湯科技聯合創始人"),
        ("知產（chǎn）人物", "知產人物"),
        ("LIÁN: 聯(LIÁN)合", "LIÁN: 聯合"),
    ],
)
def test_pinyin_glosses_are_stripped(damaged: str, repaired: str) -> None:
    cleaned = clean(damaged)
    assert cleaned.text == repaired
    assert cleaned.repairs["pinyin glosses"] == damaged.count("(") + damaged.count("（")


@pytest.mark.parametrize(
    "kept",
    ["美國(USA)", "USB(yes)", "車聯網(V2X)", "產(lián)業", "的(de)", "知識產權(IP)保護"],
)
def test_parentheses_that_are_not_a_reading_stay(kept: str) -> None:
    assert clean(kept).text == kept
    assert "pinyin glosses" not in clean(kept).repairs


def test_interview_seed_loses_every_gloss_and_its_garbled_tag() -> None:
    raw = read_text(INTERVIEW)
    cleaned = clean(raw)
    assert cleaned.text.count("\n") == raw.count("\n")
    assert "商湯科技聯合創始人、首席科學家" in cleaned.text
    assert "近距離感受到了國內人工智能的成長" in cleaned.text
    assert "(chǎn)" not in cleaned.text and "(nèi)" not in cleaned.text
    assert "/strong>" not in cleaned.text
    assert "\ue386" not in cleaned.text
    assert cleaned.repairs["pinyin glosses"] == raw.count("(") - cleaned.text.count("(")
    assert cleaned.repairs["invisible chars"] == raw.count("\ue386")


# ---------------------------------------------------------------- big5 mojibake


def test_press_release_punctuation_is_restored() -> None:
    line = (
        "China＊s largest AI unicorn\tBeijing, China 每 July 11, 2017 每 SenseTime, "
        "China＊s leading company. Dr. Xu Li said, ※The capital we raised.§SenseTime has "
        "1980＊s roots, Hong Kong, May 21, 2018每 Alibaba"
    )
    cleaned = clean(line)
    assert cleaned.text == (
        "China’s largest AI unicorn\tBeijing, China – July 11, 2017 – SenseTime, "
        "China’s leading company. Dr. Xu Li said, “The capital we raised.”SenseTime has "
        "1980’s roots, Hong Kong, May 21, 2018– Alibaba"
    )
    assert cleaned.repairs["big5 mojibake"] == 7


def test_nested_big5_quotes_pair_up() -> None:
    assert clean("※He said ※yes§ twice§").text == "“He said “yes” twice”"


@pytest.mark.parametrize(
    "chinese",
    ["每天都有新的進展 2017 每 年", "他說※注意§然後離開", "AI 每 秒處理"],
)
def test_chinese_text_keeps_its_marks(chinese: str) -> None:
    assert clean(chinese, only("big5_mojibake")).text == chinese


def test_press_release_seed_has_no_big5_marks_left_in_paired_quotes() -> None:
    cleaned = clean(read_text(PRESS_RELEASES))
    assert "每" not in cleaned.text
    assert "＊" not in cleaned.text
    assert "China’s" in cleaned.text and "China＊s" not in cleaned.text
    assert cleaned.text.count("“") == cleaned.text.count("”")


# ---------------------------------------------------------------- other repairs


def test_utf8_read_as_latin1_is_fixed_but_chinese_punctuation_stays() -> None:
    assert clean("donâ€™t stop").text == "don’t stop"
    chinese = "你好，世界！「引號」《書名》：是的；（括號）"
    assert clean(chinese).text == chinese


def test_pdf_hyphens_but_not_citations() -> None:
    cleaned = clean('Co[1]founder and high[1]quality at two conferences [1]. service"[2]')
    assert cleaned.text == 'Co-founder and high-quality at two conferences [1]. service"[2]'
    assert cleaned.repairs["pdf hyphens"] == 2


def test_html_residue_goes_but_ampersands_stay() -> None:
    cleaned = clean("<strong>R&D</strong> &amp; hard & core&nbsp;tech 成長?!/strong> a&#10;b")
    assert cleaned.text == "R&D & hard & core tech 成長?! a&#10;b"
    assert cleaned.repairs["html residue"] == 5


def test_invisible_characters_are_removed_and_counted() -> None:
    cleaned = clean("A\u200bI\ufeff 技\ue386術\u00ad")
    assert cleaned.text == "AI 技術"
    assert cleaned.repairs["invisible chars"] == 4


def test_whitespace_is_collapsed_within_lines_and_blank_lines_stay() -> None:
    text = "  a \u00a0 b\u3000c  \n\n\ttitle\t\tbody \t\n"
    assert clean(text).text == "a b c\n\ntitle\tbody\n"


def test_line_separators_inside_a_line_do_not_make_new_lines() -> None:
    cleaned = clean("one\u2028two\x85three\nfour")
    assert cleaned.text.splitlines() == cleaned.text.split("\n")
    assert len(cleaned.text.split("\n")) == 2


def test_script_conversion_is_off_by_default_and_counted() -> None:
    assert clean("國內產業").text == "國內產業"
    simplified = clean("國內產業", CleanOptions(to_script="simplified"))
    assert simplified.text == "国内产业"
    assert simplified.repairs["script conversion"] == 1
    assert clean("国内产业", CleanOptions(to_script="traditional")).text == "國內產業"


@pytest.mark.parametrize("switch", REPAIR_SWITCHES)
def test_each_repair_can_be_switched_off(switch: str) -> None:
    damaged = {
        "pinyin_glosses": "國內(nèi)",
        "big5_mojibake": "China＊s",
        "encoding_mojibake": "donâ€™t",
        "pdf_hyphens": "Co[1]founder",
        "html_residue": "<b>bold</b>",
        "invisible_chars": "zero\u200bwidth",
        "whitespace": "two  spaces ",
    }[switch]
    off = CleanOptions(**{switch: False})
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


@given(web_text, st.sampled_from(REPAIR_SWITCHES))
def test_a_repair_changes_text_exactly_when_it_reports_a_count(text: str, switch: str) -> None:
    cleaned = clean(text, only(switch))
    assert (cleaned.text != text) == bool(cleaned.repairs)


@given(web_text)
def test_removed_characters_are_accounted_for(text: str) -> None:
    glosses = clean(text, only("pinyin_glosses"))
    invisible = clean(text, only("invisible_chars"))
    assert len(text) - len(invisible.text) == invisible.repairs.get("invisible chars", 0)
    assert len(text) - len(glosses.text) >= 4 * glosses.repairs.get("pinyin glosses", 0)


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
