"""Language splitting: the interview seed's mixed lines, nothing lost, monolingual files."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from aligner.clean import clean
from aligner.io import read_text
from aligner.split import dominant_language, split_languages, split_monolingual
from tests.support import SEEDS

INTERVIEW = SEEDS / "001_80f9d8cd20d446c8.txt"


def visible(text: str) -> str:
    return re.sub(r"\s", "", text)


def languages(text: str) -> list[tuple[str, str]]:
    return [(paragraph.lang, paragraph.text) for paragraph in split_languages(text)]


def test_bilingual_heading_line_is_split() -> None:
    assert languages("訪談摘錄 Interview excerpts") == [
        ("zh", "訪談摘錄"),
        ("en", "Interview excerpts"),
    ]


def test_english_after_a_chinese_sentence_on_one_line_is_split() -> None:
    assert languages("這是中文。This is English.") == [
        ("zh", "這是中文。"),
        ("en", "This is English."),
    ]


@pytest.mark.parametrize(
    "chinese",
    [
        "《知產人物 IP PEOPLE》英文國際期刊",
        "與商湯科技聯合創始人王曉剛進行了深入交流",
        "AI 技術與實體經濟正不斷加速融合",
        "2016年,商湯率先通過ISO9001認證",
        "《IP PEOPLE》:商湯科技目前已經是行業領先的人工智能軟件企業",
        "編輯:IPRdaily王穎 校對:IPRdaily縱橫君",
        "我們與 50 多所高校建立了合作",
    ],
)
def test_chinese_with_embedded_latin_stays_chinese(chinese: str) -> None:
    assert languages(chinese) == [("zh", chinese)]


def test_title_in_chinese_brackets_with_english_is_english() -> None:
    assert languages("《IP PEOPLE》 Issue 1") == [("en", "《IP PEOPLE》 Issue 1")]


def test_letterless_lines_attach_to_a_neighbour() -> None:
    text = "----\nFirst English line.\n12\n\n2022-08-09 17:06:43\n\n中文段落。\n----"
    assert languages(text) == [
        ("en", "----\nFirst English line.\n12\n\n2022-08-09 17:06:43"),
        ("zh", "中文段落。\n----"),
    ]


def test_block_with_two_languages_is_split_at_the_change() -> None:
    paragraphs = split_languages("英文國際期刊\nA Talk with Wang\nSecond line\n\n下一段")
    assert [(p.lang, p.text, p.index) for p in paragraphs] == [
        ("zh", "英文國際期刊", 0),
        ("en", "A Talk with Wang\nSecond line", 1),
        ("zh", "下一段", 2),
    ]


def test_interview_seed_alternates_languages_without_losing_text() -> None:
    text = clean(read_text(INTERVIEW)).text
    paragraphs = split_languages(text)
    assert [p.index for p in paragraphs] == list(range(len(paragraphs)))
    assert visible("".join(p.text for p in paragraphs)) == visible(text)
    han = re.compile(r"[\u4e00-\u9fff]")
    assert not any(han.search(p.text) for p in paragraphs if p.lang == "en")
    assert all(han.search(p.text) for p in paragraphs if p.lang == "zh")
    heading = next(i for i, p in enumerate(paragraphs) if p.text == "訪談摘錄")
    assert paragraphs[heading + 1].text == "Interview excerpts"
    question = next(p for p in paragraphs if p.text.startswith("《IP PEOPLE》:商湯科技目前"))
    assert question.lang == "zh"


TOKENS = [
    "訪談摘錄",
    "商湯科技",
    "人工智能",
    "。",
    "！",
    "？",
    "，",
    "《",
    "》",
    "“",
    "”",
    "Interview",
    "excerpts",
    "SenseTime",
    "AI",
    "is",
    "the",
    ".",
    "?",
    "!",
    ",",
    '"',
    "Dr.",
    "U.S.",
    "3.5",
    "11,494",
    "----",
    "12",
] + [" ", "\n", "\n\n", "\t"]
mixed_text = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@given(mixed_text)
def test_split_loses_no_character_and_keeps_order(text: str) -> None:
    assume(re.search(r"[A-Za-z\u4e00-\u9fff]", text))
    paragraphs = split_languages(text)
    assert visible("".join(p.text for p in paragraphs)) == visible(text)
    assert [p.index for p in paragraphs] == list(range(len(paragraphs)))
    assert all(p.text == p.text.strip() and p.text for p in paragraphs)


def test_split_monolingual_keeps_english_names_in_chinese_text() -> None:
    paragraphs = split_monolingual("商湯 SenseTime 成立。\n第二行\n\n\n  \n第二段 AI Talk", "zh")
    assert [(p.lang, p.text, p.index) for p in paragraphs] == [
        ("zh", "商湯 SenseTime 成立。\n第二行", 0),
        ("zh", "第二段 AI Talk", 1),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("商湯科技的創始人 Wang Xiaogang 和 Tang Xiaoou 在 SenseTime 工作。", "zh"),
        ("SenseTime (商湯) was founded in Hong Kong by Tang Xiaoou.", "en"),
        ("---- 12 ,,, 2022-08-09", None),
        ("", None),
    ],
)
def test_dominant_language(text: str, expected: str | None) -> None:
    assert dominant_language(text) == expected


def test_dominant_language_of_seeds() -> None:
    for seed in ("000_56d20dbe001468f8.txt", "004_f5a84a02b796e88a.txt"):
        assert dominant_language(read_text(SEEDS / seed)) == "en"
