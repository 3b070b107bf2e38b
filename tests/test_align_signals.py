"""Exact signals beside the embeddings: numbers written in digits and quote states between
sentences."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from aligner.align import EITHER, INSIDE, OUTSIDE, number_index, quote_states
from aligner.align.signals import numbers_of
from aligner.data import Sentence
from aligner.text import Lang


def sentences(texts: Sequence[str], lang: Lang) -> list[Sentence]:
    return [Sentence(text, lang, 0) for text in texts]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("收入为11,494元，增长1.2万。", {"11494", "12000"}),
        ("Revenue was 11494 yuan, up 12,000.", {"11494", "12000"}),
        ("過去4年,商湯累計研發投入超80億人民幣。", {"8000000000"}),
        ("In the past four years, we invested RMB 8 billion.", {"8000000000"}),
        ("2019年11月23日发布。", {"2019", "23"}),
        ("Released on November 23, 2019.", {"2019", "23"}),
        ("第3条：温度为2.726K，误差0.010。", {"2.726", "0.01"}),
        ("Chapters 10,11 and 1,2,3 of 2,500 pages.", {"10", "11", "2500"}),
        ("没有数字。", set()),
    ],
)
def test_numbers_are_amounts_both_languages_write_alike(text: str, numbers: set[str]) -> None:
    assert numbers_of(text) == numbers


def test_number_index_gives_both_sides_shared_ids() -> None:
    zh = sentences(["2021年收入为11,494元。", "天气很好。", "2021年。"], "zh")
    en = sentences(["The weather is good.", "In 2021 revenue was 11494 yuan, up 12%."], "en")
    src_pointers, src_ids, tgt_pointers, tgt_ids = number_index(zh, en)
    zh_numbers = [set(src_ids[a:b].tolist()) for a, b in zip(src_pointers, src_pointers[1:])]
    en_numbers = [set(tgt_ids[a:b].tolist()) for a, b in zip(tgt_pointers, tgt_pointers[1:])]
    assert [len(numbers) for numbers in zh_numbers] == [2, 0, 1]
    assert [len(numbers) for numbers in en_numbers] == [0, 3]
    assert zh_numbers[2] < zh_numbers[0] < en_numbers[1]


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
