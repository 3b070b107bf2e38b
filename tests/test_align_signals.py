"""Exact signals beside the embeddings: shared anchors and quote states between sentences."""

from __future__ import annotations

from collections.abc import Sequence

from aligner.align import EITHER, INSIDE, OUTSIDE, find_anchors, quote_states
from aligner.data import Sentence
from aligner.text import Lang


def sentences(texts: Sequence[str], lang: Lang) -> list[Sentence]:
    return [Sentence(text, lang, 0) for text in texts]


def test_anchors_pair_rare_numbers_and_latin_names() -> None:
    zh = sentences(["2021年商汤SenseTime发布了新模型。", "天气很好。", "收入为11,494元。"], "zh")
    en = sentences(["The weather is good.", "In 2021 SenseTime released a new model.",
                    "Revenue was 11494 yuan, up 5 per cent."], "en")
    assert find_anchors(zh, en) == [(0, 1), (2, 2)]


def test_anchors_found_in_too_many_sentences_pin_nothing() -> None:
    common = sentences([f"第{k}段:2021年" for k in range(6)], "zh")
    everywhere = sentences(["In 2021."] * 6, "en")
    assert find_anchors(common, everywhere) == []
    assert len(find_anchors(common, everywhere, max_sentences=6)) == 36


def test_quote_states_follow_speech_across_sentences() -> None:
    zh = sentences(["他说：“你好。", "我们走吧。”", "她没有回答。", "“好。”", "“走！”"], "zh")
    assert quote_states(zh).tolist() == [OUTSIDE, INSIDE, OUTSIDE, OUTSIDE, EITHER, OUTSIDE]
    en = sentences([
        "'It's late,' said Grannie Liu's son.",
        "'We can't stay.",
        "Let's go.'",
        "\u201cDon\u2019t,\u201d she said.",
        "The boys' dog barked.",
    ], "en")
    assert quote_states(en).tolist() == [OUTSIDE, EITHER, INSIDE, EITHER, OUTSIDE, OUTSIDE]


def test_quote_states_read_straight_quotes_in_chinese_and_restart_each_paragraph() -> None:
    zh = [Sentence(text, "zh", paragraph) for text, paragraph in [
        ('他说："你好。', 0), ('我们走吧。"', 0), ("我这‘小白龙’韦小宝不怕。", 0),
        ("他说：＂走。", 1), ("好。", 1), ("来。", 2),
    ]]
    assert quote_states(zh).tolist() == [
        OUTSIDE, INSIDE, OUTSIDE, OUTSIDE, INSIDE, OUTSIDE, OUTSIDE,
    ]
