"""Bilingual glossaries: term pairs mined from aligned documents (issue #6).

A translator wants a document's names and terms with their translations before starting.
Aligned beads hold exactly that evidence: a Chinese term and its English equivalent keep
turning up in the same beads. Candidates are jieba's nouns (and adjacent noun compounds) on
the Chinese side and stop-word-bounded n-grams on the English side; pairs are ranked by the
Dice coefficient of their bead co-occurrence, blended with the embedder's similarity of the
two strings, and linked competitively (Melamed 2000) so a frequent word cannot claim every
partner. Latin names inside Chinese text (`SenseAuto`, `ASPICE`) pair with themselves.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.posseg
import numpy as np
import simplemma
from lxml import etree
from scipy import sparse

from aligner.data import AlignerError, Alignment
from aligner.embed import Embedder
from aligner.export import read_alignments
from aligner.io import atomic_file
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
#: English partners per Chinese term kept for the embedding check and the linking.
SHORTLIST = 20

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
class TermPair:
    """One glossary entry: a Chinese term, its English equivalent and the evidence."""

    zh: str
    en: str
    score: float
    frequency: int
    example_zh: str
    example_en: str


@dataclass(frozen=True)
class _Occurrence:
    """One candidate occurrence; `parts` are the shorter candidates it contains."""

    key: TermKey
    surface: str
    parts: tuple[TermKey, ...] = ()


@dataclass
class _Vocabulary:
    """The candidates of one language across all beads, with their bead incidence."""

    beads: list[set[TermKey]] = field(default_factory=list)
    occurrences: Counter[TermKey] = field(default_factory=Counter)
    surfaces: defaultdict[TermKey, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    inside: defaultdict[TermKey, Counter[TermKey]] = field(
        default_factory=lambda: defaultdict(Counter)
    )

    def add_bead(self, found: Iterable[_Occurrence]) -> None:
        keys: set[TermKey] = set()
        for occurrence in found:
            keys.add(occurrence.key)
            self.occurrences[occurrence.key] += 1
            self.surfaces[occurrence.key][occurrence.surface] += 1
            for part in occurrence.parts:
                self.inside[part][occurrence.key] += 1
        self.beads.append(keys)

    def surface(self, key: TermKey) -> str:
        """The spelling seen most often (`patents` over `patent` if it is commoner)."""
        return self.surfaces[key].most_common(1)[0][0]

    def is_fragment(self, key: TermKey) -> bool:
        """True for a repeated name that only ever occurs inside one longer candidate
        (`Xiaosi` inside `Luo Xiaosi`): the embedding model cannot tell the two apart for
        names. Common words stay (`friendship` inside `great friendship` is the better
        partner of 友谊), and a single occurrence proves nothing."""
        total = self.occurrences[key]
        return (
            total > 1
            and _is_name(self.surface(key))
            and any(count >= total for count in self.inside[key].values())
        )

    def incidence(self, min_frequency: int) -> tuple[list[TermKey], sparse.csc_matrix]:
        """Beads x candidates 0/1 matrix of the candidates frequent enough to pair."""
        frequency: Counter[TermKey] = Counter(key for keys in self.beads for key in keys)
        kept = sorted(
            key
            for key, count in frequency.items()
            if count >= min_frequency and not self.is_fragment(key)
        )
        column = {key: index for index, key in enumerate(kept)}
        rows, cols = [], []
        for row, keys in enumerate(self.beads):
            for key in keys:
                if key in column:
                    rows.append(row)
                    cols.append(column[key])
        matrix = sparse.csc_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(self.beads), len(kept)),
        )
        return kept, matrix


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


def chinese_terms(text: str) -> list[_Occurrence]:
    """Han nouns of two or more characters and compounds of up to three adjacent nouns."""
    found: list[_Occurrence] = []
    run: list[str] = []

    def close_run() -> None:
        for size in range(2, min(len(run), MAX_TERM_PARTS) + 1):
            for start in range(len(run) - size + 1):
                compound = "".join(run[start : start + size])
                if len(compound) <= MAX_COMPOUND_CHARS:
                    parts = tuple((word,) for word in run[start : start + size])
                    found.append(_Occurrence((compound,), compound, parts))
        run.clear()

    for word, tag in _segment(text):
        is_term = tag in ZH_TERM_TAGS and HAN_WORD.fullmatch(word) is not None
        if is_term:
            found.append(_Occurrence((word,), word))
        if is_term and tag in ZH_COMPOUND_TAGS:
            run.append(word)
        else:
            close_run()
    close_run()
    return found


def latin_names(text: str) -> list[str]:
    """Runs of Latin words inside Chinese text: names and acronyms left untranslated."""
    return [match.group() for match in LATIN_NAME_RUN.finditer(text) if match.group().count(" ") < 4]


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


def english_terms(text: str) -> list[_Occurrence]:
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
                found.append(_Occurrence(key, " ".join(words), parts))
    return found


def _whole_word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class _BeadText:
    zh: str
    en: str


def _bead_texts(alignments: Sequence[Alignment]) -> list[_BeadText]:
    """The Chinese and English text of every bead that has both sides."""
    return [
        _BeadText(alignment.side_text(bead, "zh"), alignment.side_text(bead, "en"))
        for alignment in alignments
        for bead in alignment.beads
        if bead.is_aligned
    ]


def _blend(
    dice: np.ndarray, joint: np.ndarray, similarity: np.ndarray | None, is_name: np.ndarray
) -> np.ndarray:
    """Dice discounted for pairs seen few times, averaged with the strings' similarity.

    Two words that meet in the only bead where either occurs have Dice 1.0 by chance as
    often as by translation, so `joint / (joint + 2)` ranks pairs with more evidence first.
    The embedding model knows common words well but names badly (商湯 and SenseTime score
    0.2), so for a capitalised English name similarity may only raise the score.
    """
    association = dice * joint / (joint + 2)
    if similarity is None:
        return association
    averaged = (association + np.clip(similarity, 0, 1)) / 2
    return np.where(is_name, np.maximum(association, averaged), averaged)


def _is_name(text: str) -> bool:
    return all(word[0].isupper() for word in text.split() if word.lower() not in ENGLISH_STOPWORDS)


def _example(beads: list[_BeadText], rows: Iterable[int]) -> _BeadText:
    """The shortest bead holding both terms: the easiest context to read."""
    return min((beads[row] for row in rows), key=lambda bead: len(bead.zh) + len(bead.en))


def _self_pairs(beads: list[_BeadText], min_frequency: int) -> list[TermPair]:
    """Latin names in the Chinese text paired with themselves where the English has them."""
    in_zh: defaultdict[str, set[int]] = defaultdict(set)
    for row, bead in enumerate(beads):
        for name in latin_names(bead.zh):
            in_zh[name].add(row)
    pairs = []
    for name, zh_rows in in_zh.items():
        pattern = _whole_word(name)
        en_rows = {row for row, bead in enumerate(beads) if pattern.search(bead.en)}
        joint = zh_rows & en_rows
        if len(joint) < min_frequency:
            continue
        dice = 2 * len(joint) / (len(zh_rows) + len(en_rows))
        score = round(
            float(
                _blend(np.array([dice]), np.array([len(joint)]), np.array([1.0]), np.array([True]))[
                    0
                ]
            ),
            4,
        )
        example = _example(beads, joint)
        pairs.append(TermPair(name, name, score, len(joint), example.zh, example.en))
    return pairs


def _shortlist(
    cooccurrence: sparse.coo_matrix,
    zh_frequency: np.ndarray,
    en_frequency: np.ndarray,
    min_frequency: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The best English partners of each Chinese term by Dice: (zh, en, joint, dice)."""
    keep = cooccurrence.data >= min_frequency
    zh, en, joint = cooccurrence.row[keep], cooccurrence.col[keep], cooccurrence.data[keep]
    dice = 2 * joint / (zh_frequency[zh] + en_frequency[en])
    order = np.lexsort((-dice, zh))
    zh, en, joint, dice = zh[order], en[order], joint[order], dice[order]
    starts = np.r_[0, np.flatnonzero(np.diff(zh)) + 1]
    rank = np.arange(len(zh)) - np.repeat(starts, np.diff(np.r_[starts, len(zh)]))
    best = rank < SHORTLIST
    return zh[best], en[best], joint[best].astype(int), dice[best]


def _nested(shorter: str, longer: str) -> bool:
    return shorter in longer or longer in shorter


def _competitive_links(
    order: Iterable[int],
    zh_ids: np.ndarray,
    en_ids: np.ndarray,
    zh_text: list[str],
    en_text: list[str],
) -> list[int]:
    """Accept pairs best first, each term at most once (competitive linking).

    A pair is also refused when its English overlaps an accepted English term whose
    Chinese is not nested with its own: once 王晓刚 has `Wang Xiaogang`, the leftover
    `Xiaogang` would otherwise pair with a stranger, while 专利/patents next to
    发明专利/invention patents is kept.
    """
    accepted: list[int] = []
    linked_zh: set[int] = set()
    linked_en: dict[int, int] = {}
    by_word: defaultdict[str, list[int]] = defaultdict(list)
    for index in order:
        zh, en = int(zh_ids[index]), int(en_ids[index])
        if zh in linked_zh or en in linked_en:
            continue
        words = en_text[en].lower().split()
        phrase = f" {' '.join(words)} "
        overlapping = {other for word in words for other in by_word[word]}
        if any(
            _nested(phrase, f" {en_text[other].lower()} ")
            and not _nested(zh_text[zh], zh_text[linked_en[other]])
            for other in overlapping
        ):
            continue
        accepted.append(int(index))
        linked_zh.add(zh)
        linked_en[en] = zh
        for word in words:
            by_word[word].append(en)
    return accepted


def extract_glossary(
    alignments: Sequence[Alignment],
    embedder: Embedder | None = None,
    top: int | None = None,
    min_frequency: int = 2,
) -> list[TermPair]:
    """Term pairs seen in at least `min_frequency` aligned beads, best score first."""
    if min_frequency < 1:
        raise AlignerError(f"--min-freq must be at least 1, got {min_frequency}")
    beads = _bead_texts(alignments)
    chinese, english = _Vocabulary(), _Vocabulary()
    for bead in beads:
        chinese.add_bead(chinese_terms(bead.zh))
        english.add_bead(english_terms(bead.en))
    zh_keys, zh_matrix = chinese.incidence(min_frequency)
    en_keys, en_matrix = english.incidence(min_frequency)
    cooccurrence = (zh_matrix.T @ en_matrix).tocoo()
    zh_ids, en_ids, joint, dice = _shortlist(
        cooccurrence,
        np.asarray(zh_matrix.sum(axis=0)).ravel(),
        np.asarray(en_matrix.sum(axis=0)).ravel(),
        min_frequency,
    )
    zh_text = [chinese.surface(key) for key in zh_keys]
    en_text = [english.surface(key) for key in en_keys]
    similarity = None
    if embedder is not None and len(zh_ids):
        zh_used, zh_rows = np.unique(zh_ids, return_inverse=True)
        en_used, en_rows = np.unique(en_ids, return_inverse=True)
        zh_vectors = embedder.encode([zh_text[i] for i in zh_used])
        en_vectors = embedder.encode([en_text[i] for i in en_used])
        similarity = np.einsum("ij,ij->i", zh_vectors[zh_rows], en_vectors[en_rows])
    scores = _blend(dice, joint, similarity, np.array([_is_name(en_text[en]) for en in en_ids]))

    pairs = _self_pairs(beads, min_frequency)
    for index in _competitive_links(
        np.argsort(-scores, kind="stable"), zh_ids, en_ids, zh_text, en_text
    ):
        zh, en = int(zh_ids[index]), int(en_ids[index])
        rows = set(zh_matrix[:, zh].indices) & set(en_matrix[:, en].indices)
        example = _example(beads, rows)
        pairs.append(
            TermPair(
                zh_text[zh],
                en_text[en],
                round(float(scores[index]), 4),
                int(joint[index]),
                example.zh,
                example.en,
            )
        )
    pairs.sort(key=lambda pair: (-pair.score, -pair.frequency, pair.zh))
    return pairs[:top] if top is not None else pairs


GLOSSARY_COLUMNS = ("zh", "en", "score", "frequency", "example_zh", "example_en")
GLOSSARY_FORMATS = {".csv": "csv", ".tsv": "tsv", ".tbx": "tbx", ".txt": "omegat"}
TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _one_line(text: str) -> str:
    """Tabs and line breaks would split a tab-separated glossary row."""
    return " ".join(text.split())


def _table(terms: Sequence[TermPair], delimiter: str, encoding: str) -> bytes:
    """memoQ-style table: a header row naming each column, one entry per row.

    memoQ maps columns to term base fields by their header names, so the languages are
    named by their ISO codes (`zh`, `en`) like the aligned-pair tables of `export`.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(GLOSSARY_COLUMNS)
    for term in terms:
        writer.writerow(
            (
                term.zh,
                term.en,
                f"{term.score:.4f}",
                term.frequency,
                _one_line(term.example_zh),
                _one_line(term.example_en),
            )
        )
    return buffer.getvalue().encode(encoding)


def _omegat(terms: Sequence[TermPair]) -> bytes:
    """OmegaT glossary: source TAB target TAB comment; a `.txt` glossary is read as UTF-8."""
    lines = [
        "\t".join(
            (
                _one_line(term.zh),
                _one_line(term.en),
                f"frequency {term.frequency}, score {term.score:.2f}: {_one_line(term.example_en)}",
            )
        )
        for term in terms
    ]
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def _tbx(terms: Sequence[TermPair]) -> bytes:
    """TBX-Basic (ISO 30042:2019, DCA style): one conceptEntry per pair, example as context."""
    root = etree.Element(
        f"{{{TBX_NAMESPACE}}}tbx",
        nsmap={None: TBX_NAMESPACE},
        attrib={"type": "TBX-Basic", "style": "dca", XML_LANG: "en"},
    )

    def child(
        parent: etree._Element, tag: str, text: str | None = None, **attrib: str
    ) -> etree._Element:
        element = etree.SubElement(parent, f"{{{TBX_NAMESPACE}}}{tag}", attrib)
        element.text = text
        return element

    source = child(child(child(root, "tbxHeader"), "fileDesc"), "sourceDesc")
    child(source, "p", "Term pairs extracted from aligned text by aligner")
    body = child(child(root, "text"), "body")
    for number, term in enumerate(terms, start=1):
        entry = child(body, "conceptEntry", id=f"c{number}")
        child(entry, "note", f"score {term.score:.4f}; aligned in {term.frequency} beads")
        for lang, text, example in (
            ("zh", term.zh, term.example_zh),
            ("en", term.en, term.example_en),
        ):
            lang_sec = child(entry, "langSec", **{XML_LANG: lang})
            term_sec = child(lang_sec, "termSec")
            child(term_sec, "term", text)
            child(term_sec, "descrip", example, type="context")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


_WRITERS: dict[str, Callable[[Sequence[TermPair]], bytes]] = {
    # Glossaries go to translators' spreadsheets and memoQ, where a BOM makes UTF-8 unambiguous.
    "csv": lambda terms: _table(terms, ",", "utf-8-sig"),
    "tsv": lambda terms: _table(terms, "\t", "utf-8"),
    "omegat": _omegat,
    "txt": _omegat,
    "tbx": _tbx,
}


def glossary_format(out: str, fmt: str | None = None) -> str:
    """The format named by `fmt`, else by the file suffix."""
    name = (fmt or GLOSSARY_FORMATS.get(Path(out).suffix.lower(), "")).lower()
    if name not in _WRITERS:
        raise AlignerError(
            f"{out}: cannot tell the glossary format; use a .csv, .tsv, .tbx or .txt (OmegaT) "
            "file name or --format csv|tsv|tbx|omegat"
        )
    return name


def write_glossary(terms: Sequence[TermPair], out: str, fmt: str | None = None) -> None:
    """Write the glossary as CSV, TSV, TBX-Basic or an OmegaT tab-separated file."""
    with atomic_file(Path(out)) as stream:
        stream.write(_WRITERS[glossary_format(out, fmt)](terms))


def glossary_file(
    source: str,
    out: str,
    embedder: Embedder | None,
    top: int | None = None,
    min_frequency: int = 2,
    fmt: str | None = None,
) -> int:
    """Read aligned pairs (tmx, csv, tsv, jsonl, parquet) and write their glossary; returns its size."""
    fmt = glossary_format(out, fmt)
    terms = extract_glossary(read_alignments(source), embedder, top, min_frequency)
    write_glossary(terms, out, fmt)
    return len(terms)
