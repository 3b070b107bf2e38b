"""Term candidates: the strings of one bead side that could be a glossary entry.

Chinese candidates are jieba's nouns (and compounds of adjacent nouns), tagged in the
original script; English candidates are one- to three-word n-grams that neither start nor
end with a function word, their head lemmatised so `patent` and `patents` meet; Latin
names inside Chinese text (`SenseAuto`, `ASPICE`) are candidates for pairing with
themselves.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.posseg
import simplemma

from aligner.text import HAN_WORD, LATIN_NAME_RUN, to_simplified

jieba.setLogLevel(logging.WARNING)

#: jieba tags kept as Chinese term candidates: nouns, names, places, organisations, other
#: proper nouns, verbal nouns, and set phrases (jieba tags 发明专利 as `l`).
ZH_TERM_TAGS = frozenset({"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "vn", "l"})
#: Tags that may join a compound; a person's name next to a title (总裁王晓刚) is no term.
ZH_COMPOUND_TAGS = ZH_TERM_TAGS - {"nr", "nrfg", "nrt"}
#: Longest Chinese compound in characters (计算机视觉, 质量管理体系).
MAX_COMPOUND_CHARS = 6
#: Longest compound of adjacent noun tokens, and longest English n-gram, taken as one term.
MAX_TERM_PARTS = 3

#: English closed-class words. General stop lists (the `stop-words` package, scikit-learn's)
#: also hold content words such as "computer", "system" or "ai", which are glossary terms,
#: so only function words are listed: they never start or end a term.
_FUNCTION_WORDS = """
a about above across after again against all almost along already also although always am
among an and another any anyone anything are around as at be because been before being below
between both but by can cannot could did do does doing done down during each either else
enough etc even ever every few for from further had has have having he her here hers herself
him himself his how however i if in into is it its itself just least less let like many may
me might mine more most much must my myself neither no nor not now of off often on once one
only onto or other others otherwise our ours ourselves out over own per quite rather same
several shall she should since so some still such than that the their theirs them themselves
then there these they this those though through thus to too toward towards under until up
upon us very via was we well were what whatever when where whether which while who whom
whose why will with within without would yet you your yours yourself yourselves s t d ll m
re ve dr mr mrs ms behind beyond beside besides despite throughout whereas amid
"""
ENGLISH_STOPWORDS = frozenset(_FUNCTION_WORDS.split())
#: Words allowed inside (never at the edge of) an English term: "Ministry of Education".
ENGLISH_LINKING_WORDS = frozenset({"of"})

_ENGLISH_WORD = re.compile(r"[A-Za-z0-9]+(?:[-&'’.][A-Za-z0-9]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)

TermKey = tuple[str, ...]


@dataclass(frozen=True)
class Occurrence:
    """One candidate occurrence; `parts` are the shorter candidates it contains."""

    key: TermKey
    surface: str
    parts: tuple[TermKey, ...] = ()


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang="en")


def _segment(text: str) -> list[tuple[str, str]]:
    """(word, tag) pairs in the original script.

    jieba's dictionary is Simplified, so Traditional text is tagged through a t2s copy;
    OpenCC's t2s maps character for character, so offsets carry over (checked per text).
    """
    simplified = to_simplified(text)
    if len(simplified) != len(text):
        simplified = text
    words = []
    start = 0
    for pair in jieba.posseg.cut(simplified):
        end = start + len(pair.word)
        words.append((text[start:end], pair.flag))
        start = end
    return words


def chinese_terms(text: str) -> list[Occurrence]:
    """Han nouns of two or more characters and compounds of up to three adjacent nouns."""
    found: list[Occurrence] = []
    run: list[str] = []

    def close_run() -> None:
        for size in range(2, min(len(run), MAX_TERM_PARTS) + 1):
            for start in range(len(run) - size + 1):
                compound = "".join(run[start : start + size])
                if len(compound) <= MAX_COMPOUND_CHARS:
                    parts = tuple((word,) for word in run[start : start + size])
                    found.append(Occurrence((compound,), compound, parts))
        run.clear()

    for word, tag in _segment(text):
        is_term = tag in ZH_TERM_TAGS and HAN_WORD.fullmatch(word) is not None
        if is_term:
            found.append(Occurrence((word,), word))
        if is_term and tag in ZH_COMPOUND_TAGS:
            run.append(word)
        else:
            close_run()
    close_run()
    return found


def latin_names(text: str) -> list[str]:
    """Runs of Latin words inside Chinese text: names and acronyms left untranslated."""
    return [
        match.group() for match in LATIN_NAME_RUN.finditer(text) if match.group().count(" ") < 4
    ]


def _english_chunks(text: str) -> list[list[str]]:
    """Word runs not broken by punctuation, possessive `'s` removed."""
    chunks: list[list[str]] = [[]]
    end = 0
    for match in _ENGLISH_WORD.finditer(text):
        if text[end : match.start()].strip() and chunks[-1]:
            chunks.append([])
        chunks[-1].append(_POSSESSIVE.sub("", match.group()))
        end = match.end()
    return [chunk for chunk in chunks if chunk]


def _english_key(words: Sequence[str]) -> TermKey | None:
    """Lower-cased words with the head lemmatised, or None if `words` cannot be a term."""
    lowered = [word.lower() for word in words]
    first, last = lowered[0], lowered[-1]
    if not first[0].isalpha() or len(first) < 2 or len(last) < 2:
        return None
    if first in ENGLISH_STOPWORDS or last in ENGLISH_STOPWORDS:
        return None
    if any(
        word in ENGLISH_STOPWORDS and word not in ENGLISH_LINKING_WORDS for word in lowered[1:-1]
    ):
        return None
    return (*lowered[:-1], _lemma(last))


def english_terms(text: str) -> list[Occurrence]:
    """N-grams of one to three words that neither start nor end with a function word."""
    found = []
    for chunk in _english_chunks(text):
        for size in range(1, MAX_TERM_PARTS + 1):
            for start in range(len(chunk) - size + 1):
                words = chunk[start : start + size]
                key = _english_key(words)
                if key is None:
                    continue
                parts = tuple(
                    part
                    for inner in range(1, size)
                    for offset in range(size - inner + 1)
                    if (part := _english_key(words[offset : offset + inner])) is not None
                )
                found.append(Occurrence(key, " ".join(words), parts))
    return found


def whole_word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", re.IGNORECASE)


def is_name(text: str) -> bool:
    return all(word[0].isupper() for word in text.split() if word.lower() not in ENGLISH_STOPWORDS)
