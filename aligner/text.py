"""What the aligner knows about characters, scripts, quotation marks and language codes.

Every stage needs some of this (cleaning repairs Han text, splitting tells Chinese from
English, segmenting and aligning read quotation marks, export writes language codes), so
it lives here once, below every stage: this module imports nothing from the package.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache
from typing import Any, Literal

Lang = Literal["zh", "en"]
Script = Literal["simplified", "traditional"]

LANGUAGE_NAMES: dict[Lang, str] = {"zh": "Chinese", "en": "English"}

# ---------------------------------------------------------------- scripts

HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""Han ideographs as a regex character-class body (CJK unified, extensions, compatibility)."""
HAN = re.compile(f"[{HAN_RANGES}]")
HAN_WORD = re.compile(f"[{HAN_RANGES}]{{2,}}")
"""Two or more Han characters in a row: the shortest Chinese term worth a glossary entry."""
CJK_TEXT = f"{HAN_RANGES}\u3000-\u303f\uff00-\uffef"
"""Han ideographs plus CJK punctuation and full-width forms, as a character-class body."""
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_LATIN_NAME_PART = r"[A-Za-z][A-Za-z0-9&+\-]*"
LATIN_NAME_RUN = re.compile(f"{_LATIN_NAME_PART}(?: {_LATIN_NAME_PART})*")
"""A run of space-separated Latin name tokens inside Chinese text (`Wang Xiaogang`)."""
KANA = re.compile("[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
"""Hiragana and katakana: written Japanese, never Chinese."""
HANGUL = re.compile("[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
"""Korean syllables and jamo."""
CJK_START = 0x2E80
"""Code points from here up are CJK radicals, punctuation, kana, Han and the like."""


def is_alphabetic_word_character(char: str) -> bool:
    """A letter or digit of an alphabetic script: an apostrophe sits between two of them
    (`don’t`), while `‘小白龙’韦` closes a quotation between two Chinese characters."""
    return char.isalnum() and ord(char) < CJK_START


def foreign_language(text: str) -> str | None:
    """The name of another language that `text` is written in, when it looks like
    Japanese (kana among the Han characters) or Korean (Hangul), else None.

    Japanese shares Han characters with Chinese, so without this check it would be
    aligned as Chinese; a few kana in a Chinese text (a quoted name) do not count.
    """
    kana = len(KANA.findall(text))
    han = len(HAN.findall(text))
    if kana >= 2 and kana * 4 >= kana + han:
        return "Japanese"
    hangul = len(HANGUL.findall(text))
    if hangul >= 2 and hangul * 10 >= hangul + han + len(LATIN_LETTER.findall(text)):
        return "Korean"
    return None


PINYIN_LETTERS = "a-züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
"""Letters of pinyin syllables, tone marks included, as a character-class body."""
_DAMAGE = re.compile(
    f"[?？\ufffd][{PINYIN_LETTERS}]{{1,7}}[)）]|\ufffd|[?？]![?？]", re.IGNORECASE
)
"""Text that a web converter destroyed beyond repair: a character lost to `?` with its
pinyin gloss left behind (`全球?qū)@Y產`, `轉變?yōu)閷嶋H`), a replacement character, the `?!?`
that ends a garbled sentence. The bytes after such a gloss are the tail of a GBK
sequence whose lead byte is gone, so the lost characters cannot be told with confidence."""


def damage_count(text: str) -> int:
    """How many places in `text` are damaged beyond repair (see `_DAMAGE`)."""
    return len(_DAMAGE.findall(text))


_NEUTRAL_PUNCTUATION = frozenset(
    ".,;:!?'\"()[]<>-–—…“”‘’「」『』《》〈〉、，。；：！？（）【】·・/"
)
"""Punctuation that ordinary sentences carry: neither language nor junk."""


_ORDINARY_TEXT = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9ffcA-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f0-9\\s"
    f"{re.escape(''.join(sorted(_NEUTRAL_PUNCTUATION)))}]*"
)
"""Texts of only characters whose kind `_character_kind` would find at once (Han ideographs
assigned since Unicode 13, Latin letters, ASCII digits, spaces, ordinary punctuation)."""
_CONTENT = re.compile(f"[^\\s{re.escape(''.join(sorted(_NEUTRAL_PUNCTUATION)))}]")


def linguistic_share(text: str) -> float:
    """Share of a text's characters (spaces and ordinary punctuation aside) that are Han,
    Latin letters or digits: 1 for a sentence, near 0 for a code fence or binary junk."""
    if _ORDINARY_TEXT.fullmatch(text):  # nearly every sentence: no count needed
        return 1.0 if _CONTENT.search(text) else 0.0
    content = kept = 0
    for char, count in Counter(text).items():
        kind = _character_kind(char)
        content += count if kind else 0
        kept += count if kind == 2 else 0
    return kept / content if content else 0.0


@lru_cache(maxsize=65536)
def _character_kind(char: str) -> int:
    """0 for a space or ordinary punctuation, 2 for Han, a Latin letter or a digit, 1 for
    anything else (`linguistic_share` counts each distinct character of a text once)."""
    if char.isspace() or char in _NEUTRAL_PUNCTUATION:
        return 0
    if char.isdigit() or (char.isalpha() and (HAN.match(char) or LATIN_LETTER.match(char))):
        return 2
    return 1


def is_language(text: str) -> bool:
    """Whether a sentence is language to align, not a code fence (```` ```python ````), a
    row of symbols or junk: mostly Han, Latin letters or digits (no sentence of MAC-Dev,
    the Bible set or the seeds falls below 0.8)."""
    return linguistic_share(text) >= 0.7


# ---------------------------------------------------------------- quotation marks

CURLY_QUOTES = {
    "“": (0, True), "”": (0, False), "「": (0, True), "」": (0, False),
    "‘": (1, True), "’": (1, False), "『": (1, True), "』": (1, False),
}
"""(family, opens) of the quotation marks whose direction is written in them; family 0
is double quotation, 1 single."""
_ZH_QUOTE = re.compile("[“”「」‘’『』\"＂]")
_EN_QUOTE = re.compile("[\"'‘’“”]")
SENTENCE_CLOSERS = "”’」』）》\"')\\]"
"""Closing quotes and brackets that stay with the sentence end mark before them."""
SENTENCE_OPENERS = "“‘\"'(["
"""Opening quotes and brackets that may start an English sentence."""


def quote_marks(text: str, lang: Lang) -> list[tuple[int, bool, int]]:
    """(family, opens, position) of each quotation mark, for following speech across
    sentences.

    Curly and corner marks are unambiguous. A straight quote (or a full-width one in
    Chinese) between two letters or digits of an alphabetic script is an apostrophe;
    otherwise it opens when it follows a space or the sentence start and closes when it
    does not, so `Whiskers' fight` is read as a close (rare and harmless).
    """
    marks = []
    for match in (_ZH_QUOTE if lang == "zh" else _EN_QUOTE).finditer(text):
        position, char = match.start(), match.group()
        before = text[position - 1] if position else " "
        after = text[position + 1] if position + 1 < len(text) else " "
        if (
            char in "'’"
            and is_alphabetic_word_character(before)
            and is_alphabetic_word_character(after)
        ):
            continue
        if char in CURLY_QUOTES:
            family, opens = CURLY_QUOTES[char]
        else:
            family = 0 if char in '"＂' else 1
            opens = (before.isspace() or before in "([—-：:，,") and not after.isspace()
        marks.append((family, opens, position))
    return marks


# ---------------------------------------------------------------- joining sentences


def join_sentences(texts: list[str], lang: Lang) -> str:
    """Join the sentences of one bead side: Chinese runs together, English takes spaces."""
    return ("" if lang == "zh" else " ").join(texts)


def non_space_length(text: str) -> int:
    """Characters that carry text: the unit of the aligner's length prior."""
    return sum(map(len, text.split()))  # split() cuts at exactly what isspace() calls space


# ---------------------------------------------------------------- language codes

_LANGUAGE_WORDS: dict[str, Lang] = {
    **dict.fromkeys(("cn", "chs", "cht", "zho", "chi", "cmn", "chinese"), "zh"),
    **dict.fromkeys(("eng", "english"), "en"),
}
TRADITIONAL_CODES = ("zh-tw", "zh-hk", "zh-mo", "zh-hant")
"""Language-code prefixes that mean Traditional Chinese."""


def language_of_code(code: str | None) -> Lang | None:
    """The language a code, tag or name stands for (`zh-TW`, `zh_Hans`, `EN`, `chs`,
    `english`), or None for any other language: one reading for the CLI's options, file
    name tags and the codes inside TMX, CSV and JSONL files."""
    lowered = (code or "").strip().lower().replace("_", "-")
    if lowered in _LANGUAGE_WORDS:
        return _LANGUAGE_WORDS[lowered]
    primary = lowered.split("-", 1)[0]
    return "zh" if primary == "zh" else "en" if primary == "en" else None


def script_of_code(code: str) -> Script:
    """The Chinese script a language code names: Traditional for Taiwan, Hong Kong, Macau
    and `zh-Hant`, else Simplified."""
    return "traditional" if code.lower().startswith(TRADITIONAL_CODES) else "simplified"


def tmx_language_code(
    lang: Lang, zh_script: Script, zh_code: str | None = None, en_code: str = "en-US"
) -> str:
    """The language code written in TMX, e.g. `zh-TW` for a Traditional document."""
    if lang == "en":
        return en_code
    return zh_code or ("zh-TW" if zh_script == "traditional" else "zh-CN")


# ---------------------------------------------------------------- Simplified and Traditional

SCRIPT_SAMPLE = 100_000
"""Characters looked at to tell the script: plenty for a verdict, cheap for a whole book."""


@cache
def opencc_converter(config: str) -> Any:
    """One OpenCC converter per configuration (`t2s`, `s2t`) for the whole process."""
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Text in Simplified characters, for the tools trained mostly on Simplified text."""
    return str(opencc_converter("t2s").convert(text))


def detect_script(text: str) -> Script:
    """Traditional when converting to Simplified changes more characters than the reverse."""
    text = text[:SCRIPT_SAMPLE]
    simplified = to_simplified(text)
    traditional = opencc_converter("s2t").convert(text)
    changed_by_t2s = sum(a != b for a, b in zip(text, simplified))
    changed_by_s2t = sum(a != b for a, b in zip(text, traditional))
    return "traditional" if changed_by_t2s > changed_by_s2t else "simplified"
