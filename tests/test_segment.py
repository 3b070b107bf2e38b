"""Sentence segmentation rules for both languages, presegmented input and word tokens."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from aligner.clean import clean
from aligner.config import SegmentOptions
from aligner.data import Paragraph, Sentence
from aligner.io import read_text
from aligner.segment import edge_clauses, presegmented, segment
from aligner.split import split_languages
from tests.support import SEEDS


def sentences(text: str, lang: str = "en", **options: bool) -> list[str]:
    paragraph = Paragraph(lang=lang, text=text, index=0)  # type: ignore[arg-type]
    return [sentence.text for sentence in segment([paragraph], SegmentOptions(**options))]


# ---------------------------------------------------------------- Chinese


def test_chinese_ends_and_closing_quotes() -> None:
    assert sentences("他說:“堅持原創。”然後走了！？真的嗎?是的……好吧", "zh") == [
        "他說:“堅持原創。”",
        "然後走了！？",
        "真的嗎?",
        "是的……",
        "好吧",
    ]


def test_an_ellipsis_in_speech_is_a_pause_unless_it_closes_the_quotation() -> None:
    text = "他道：“我……我头痛得很，怕……怕得厉害。”她笑了……然后走了。“不过……”他停住。"
    assert sentences(text, "zh") == [
        "他道：“我……我头痛得很，怕……怕得厉害。”",
        "她笑了……",
        "然后走了。",
        "“不过……”",
        "他停住。",
    ]


def test_chinese_closing_brackets_stay_with_their_sentence() -> None:
    assert sentences("見《原文。》下一句。（注釋！）最後", "zh") == [
        "見《原文。》",
        "下一句。",
        "（注釋！）",
        "最後",
    ]


def test_chinese_line_break_is_a_boundary_and_dots_are_not() -> None:
    assert sentences("截至2021年底,累計11,494件\n增長3.5倍。ISO 9001.認證", "zh") == [
        "截至2021年底,累計11,494件",
        "增長3.5倍。",
        "ISO 9001.認證",
    ]


def test_chinese_semicolon_is_optional() -> None:
    text = "2016年通過認證；2019年再通過。"
    assert sentences(text, "zh") == [text]
    assert sentences(text, "zh", split_on_semicolon=True) == ["2016年通過認證；", "2019年再通過。"]


def test_converter_question_mark_breaks() -> None:
    assert sentences("其中的“原創”應該怎樣理解呢?商湯以原創為使命。", "zh") == [
        "其中的“原創”應該怎樣理解呢?",
        "商湯以原創為使命。",
    ]


def test_question_mark_before_pinyin_debris_is_a_lost_character_not_a_break() -> None:
    """Seed 001: `全球?qū)@Y產累計11,494件` is one damaged word, not two sentences."""
    damaged = "截至2021年底,商湯的全球?qū)@Y產累計11,494件,較2020年底增長了96%。"
    assert sentences(damaged, "zh") == [damaged]
    assert sentences("在創新成果轉變? yōu)閷嶋H應用的過程中。好嗎?是的。", "zh") == [
        "在創新成果轉變? yōu)閷嶋H應用的過程中。",
        "好嗎?",
        "是的。",
    ]


def test_interview_seed_chinese_sentences() -> None:
    text = clean(read_text(SEEDS / "001_80f9d8cd20d446c8.txt")).text
    zh = [s.text for s in segment([p for p in split_languages(text) if p.lang == "zh"])]
    assert "過去4年,商湯累計研發投入超80億人民幣。" in zh
    assert "訪談摘錄" in zh
    assert all(
        s.endswith(("。", "?", "?!", "》", "期刊", "訪談摘錄", "君", ")", "生活")) for s in zh
    )


# ---------------------------------------------------------------- English


@pytest.mark.parametrize(
    "one_sentence",
    [
        "Dr. Wang and Mr. Li met Mrs. Xu, Ms. Lee and Prof. Tang at St. Paul's.",
        "The U.S. Army and the U.K. Navy met No. 5 of SenseTime Co. vs. Baidu.",
        "Some cars, e.g. Honda, i.e. the best, came.",
        "J. K. Rowling wrote it in 3.5 years and sold 11,494 copies.",
        "Apples, oranges, etc. are fruit.",
        "“Why?” she asked.",
    ],
)
def test_english_non_boundaries(one_sentence: str) -> None:
    assert sentences(one_sentence) == [one_sentence]


def test_english_boundaries() -> None:
    text = (
        "What is the main reason? It is talent! SenseTime Co., Ltd. Established in 2014, "
        "it grew, etc. Today it is large. He said, “We innovate.” Then he left. "
        "It leads the world.The B1 round was led by CDH."
    )
    assert sentences(text) == [
        "What is the main reason?",
        "It is talent!",
        "SenseTime Co., Ltd.",
        "Established in 2014, it grew, etc.",
        "Today it is large.",
        "He said, “We innovate.”",
        "Then he left.",
        "It leads the world.",
        "The B1 round was led by CDH.",
    ]


def test_a_capital_glued_to_a_symbol_or_digit_is_not_an_initial() -> None:
    """`R&D.` ends a sentence (the seed interview's "…in R&D. The ongoing input…" was one
    sentence, which forced a 2-1 bead), while `J.` before a name still does not."""
    text = "We invested in R&D. The input helps. AT&T. It uses 5G. Then J. Smith came."
    assert sentences(text) == [
        "We invested in R&D.",
        "The input helps.",
        "AT&T.",
        "It uses 5G.",
        "Then J. Smith came.",
    ]


def test_glued_sentence_ends_after_digits_brackets_and_acronyms() -> None:
    """Pasted web text loses the space after a period (the seed articles' `2007.So`,
    `(AI).Since`, `AI.SenseTime`); initials, decimals and `Ph.D.` stay whole."""
    text = (
        "It grew after 2007.So he left (in 2010).Since then it uses AI.An essential part "
        "is data. The U.S.A. paid 3.5 dollars. He holds a Ph.D. from MIT."
    )
    assert sentences(text) == [
        "It grew after 2007.",
        "So he left (in 2010).",
        "Since then it uses AI.",
        "An essential part is data.",
        "The U.S.A. paid 3.5 dollars.",
        "He holds a Ph.D. from MIT.",
    ]


def test_sentences_inside_a_quotation_are_cut_as_the_chinese_ones_are() -> None:
    """A quoted speech is cut at its sentence ends, as the Chinese rule cuts at 。 inside
    quotations; a lowercase word after the closing mark keeps the tag with the last one."""
    text = 'He said, "We grow. We hire." Then he left. He said “Stop. Go now. Really?” and left.'
    assert sentences(text) == [
        'He said, "We grow.',
        'We hire."',
        "Then he left.",
        "He said “Stop.",
        "Go now.",
        "Really?” and left.",
    ]


def test_an_ellipsis_between_a_word_and_its_repetition_is_a_stammer() -> None:
    text = '“We… We lost,” she said. It went on… It stopped. Well... Well, fine.'
    assert sentences(text) == [
        "“We… We lost,” she said.",
        "It went on…",
        "It stopped.",
        "Well... Well, fine.",
    ]


def test_a_named_speaker_and_verb_of_saying_stay_with_the_quoted_question() -> None:
    text = (
        '"Can you print it?" Wang asked. Sha nodded. "Go!" Wang went home. '
        '"Why?" He asked the eunuch at once.'
    )
    assert sentences(text) == [
        '"Can you print it?" Wang asked.',
        "Sha nodded.",
        '"Go!"',
        "Wang went home.",
        '"Why?"',
        "He asked the eunuch at once.",
    ]


def test_english_before_an_opening_quote() -> None:
    assert sentences('It ends here. "Record those who made it" ended.') == [
        "It ends here.",
        '"Record those who made it" ended.',
    ]


def test_hard_wrapped_english_lines_are_joined() -> None:
    assert sentences("The advent of AI\nstarts a new\nchapter. Gradually AI\ngrew.") == [
        "The advent of AI starts a new chapter.",
        "Gradually AI grew.",
    ]


def test_tab_separates_title_and_body() -> None:
    assert sentences("SenseTime raises $410 million\tBeijing – SenseTime said so.") == [
        "SenseTime raises $410 million",
        "Beijing – SenseTime said so.",
    ]


def test_english_semicolon_is_optional() -> None:
    text = "We grew fast; we hired more."
    assert sentences(text) == [text]
    assert sentences(text, split_on_semicolon=True) == ["We grew fast;", "we hired more."]


def test_sentences_never_cross_paragraphs_and_keep_indices() -> None:
    paragraphs = [
        Paragraph("zh", "第一段沒有句號", 0),
        Paragraph("en", "no full stop here", 1),
        Paragraph("en", "  \n ", 2),
        Paragraph("zh", "第二段。結束", 3),
    ]
    assert segment(paragraphs) == [
        Sentence("第一段沒有句號", "zh", 0),
        Sentence("no full stop here", "en", 1),
        Sentence("第二段。", "zh", 3),
        Sentence("結束", "zh", 3),
    ]


# ---------------------------------------------------------------- whole pipeline property

TOKENS = [
    "訪談摘錄",
    "商湯",
    "每",
    "。",
    "！",
    "？",
    "……",
    "；",
    "”",
    "“",
    "《",
    "》",
    "（",
    "）",
    "Interview",
    "excerpts",
    "Dr.",
    "U.S.",
    "e.g.",
    "J.",
    "3.5",
    "?",
    "!",
    ".",
    ";",
    '"',
    "world.The",
    "國內(nèi)",
    "Co[1]founder",
    "&nbsp;",
    "\u200b",
    "----",
    "12",
] + [" ", "\n", "\n\n", "\t"]
mixed_text = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@given(mixed_text, st.booleans())
def test_every_cleaned_character_lands_in_one_sentence_in_order(
    text: str, semicolons: bool
) -> None:
    cleaned = clean(text).text
    assume(re.search(r"[A-Za-z\u4e00-\u9fff]", cleaned))
    found = segment(split_languages(cleaned), SegmentOptions(split_on_semicolon=semicolons))
    assert re.sub(r"\s", "", "".join(s.text for s in found)) == re.sub(r"\s", "", cleaned)
    assert all(s.text and s.text == s.text.strip() for s in found)


# ---------------------------------------------------------------- presegmented


def test_presegmented_keeps_every_line_as_a_sentence() -> None:
    found = presegmented("第一句\n\n  third  \n", "zh")
    assert found == [Sentence("第一句", "zh"), Sentence("", "zh"), Sentence("third", "zh")]
    assert len(presegmented("a\nb", "en")) == 2
    assert len(presegmented("a\nb\n\n", "en")) == 3


def test_edge_clauses_are_the_first_and_last_clause_of_a_sentence() -> None:
    assert edge_clauses("狗儿听了道：你只会坐着说话，难道叫我去偷不成？", "zh", 4) == (
        "狗儿听了道：", "难道叫我去偷不成？",
    )
    assert edge_clauses("他说：好，我们走吧。", "zh", 4) == ("他说：好，", "我们走吧。")
    assert edge_clauses("'It's easy to talk,' said Gou-er, 'but what can I do?", "en", 12) == (
        "'It's easy to talk,' said Gou-er,", "'but what can I do?",
    )
    assert edge_clauses("Go out and rob?", "en", 12) == ("Go out and rob?", "Go out and rob?")
    assert edge_clauses("He came back -- tired, hungry and cold -- at midnight.", "en", 12) == (
        "He came back", "at midnight.",
    )
    assert edge_clauses("Wait — no, stop.", "en", 12) == ("Wait no, stop.", "Wait no, stop.")
    assert edge_clauses("—", "en", 12) == ("—", "—")


def test_short_lines_without_end_marks_stand_alone() -> None:
    """One word or title per line is not hard-wrapped prose: `Hello` over `Thank you`."""
    paragraph = Paragraph("en", "Hello\nThank you\nGoodbye", 0)
    assert [s.text for s in segment([paragraph])] == ["Hello", "Thank you", "Goodbye"]
    wrapped = Paragraph(
        "en", "This sentence was wrapped by an editor at a fixed width\nand goes on here.", 0
    )
    assert [s.text for s in segment([wrapped])] == [
        "This sentence was wrapped by an editor at a fixed width and goes on here."
    ]
