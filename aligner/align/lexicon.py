"""Words that pin a Chinese sentence to its English translation exactly, where a 512-d
sentence embedding only blurs them: numbers however they are written (十六 / sixteen /
16, 二〇二一年 / 2021) and Chinese names in pinyin (王琦瑶 / Wang Qiyao)."""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

import cn2an
from pypinyin import lazy_pinyin
from text_to_num import alpha2digit

from aligner.text import Lang

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CHINESE_NUMERAL = re.compile(r"[〇零一二两三四五六七八九十百千万亿]{2,}")
"""Runs worth converting: two numeral characters at least, so 一 (a, one) alone is not a
number, while 十六, 二十八 and 一九八九 are."""
_AMBIGUOUS = ("十分", "万一", "一一", "十有", "一二")
"""Numeral runs that are ordinary words (very, just in case, one by one, nine in ten, a
couple) far more often than numbers."""
_CAPITALISED = re.compile(r"(?<![.!?\"“‘'] )(?<!^)\b[A-Z][a-z]+\b")
"""An English word with a capital that does not start a sentence: a name, perhaps in pinyin."""
_LONGEST_NAME_PART = 4
"""Characters in the longest given name or surname matched against one English word."""


def numbers_in(text: str, lang: Lang) -> set[str]:
    """Numbers of two digits or more in `text`, as Arabic digits without separators.

    One-digit numbers are too common to pin a pair. Chinese numerals and English number
    words are converted first (cn2an, text2num)."""
    zh = lang == "zh"
    converted = _CHINESE_NUMERAL.sub(_chinese_number, text) if zh else _english_numbers(text)
    numbers = {match.replace(",", "") for match in _NUMBER.findall(converted)}
    return {number for number in numbers if len(number.replace(".", "")) >= 2}


def _chinese_number(match: re.Match[str]) -> str:
    """A run of Chinese numerals as digits, or unchanged when it is a word or no number
    (二〇二一 is read digit by digit, 二十八 as 28)."""
    run = match.group()
    if any(word in run for word in _AMBIGUOUS):
        return run
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return str(cn2an.cn2an(run, "smart"))
        except (ValueError, KeyError):
            return run


def _english_numbers(text: str) -> str:
    """English number words as digits (`twenty-eight` → 28); text2num leaves lone small
    numbers such as `one` as words, which keeps `one of them` out."""
    try:
        return str(alpha2digit(text, "en"))
    except (ValueError, IndexError):
        return text


PINYIN = "pinyin:"
"""Prefix of name tokens, so a pinyin spelling never meets an ordinary English word."""


def english_names(text: str) -> set[str]:
    """Capitalised words inside an English sentence, lower-cased and prefixed with `PINYIN`:
    candidate pinyin names."""
    return {PINYIN + word.casefold() for word in _CAPITALISED.findall(text)}


@lru_cache(maxsize=65536)
def _syllable(character: str) -> str:
    return lazy_pinyin(character, errors="ignore")[0] if "\u4e00" <= character <= "\u9fff" else ""


def pinyin_words(text: str, wanted: frozenset[str]) -> set[str]:
    """Which of the `wanted` words are spelled by the toneless pinyin of 1 to 4
    consecutive characters of the Chinese `text` (琦瑶 spells `pinyin:qiyao`)."""
    syllables = [_syllable(character) for character in text]
    found = set()
    for start, first in enumerate(syllables):
        if not first:
            continue
        spelled = PINYIN
        for syllable in syllables[start : start + _LONGEST_NAME_PART]:
            if not syllable:
                break
            spelled += syllable
            if spelled in wanted:
                found.add(spelled)
    return found
