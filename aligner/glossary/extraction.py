"""Pairing candidates across the beads: co-occurrence, Dice, embedding blend, linking.

A Chinese term and its English equivalent keep turning up in the same aligned beads. Pairs
are ranked by the Dice coefficient of their bead co-occurrence, blended with the
embedder's similarity of the two strings, and linked competitively (Melamed 2000) so a
frequent word cannot claim every partner.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from aligner.data import AlignerError, Alignment, TermPair
from aligner.embed import Embedder
from aligner.glossary.candidates import (
    Occurrence,
    TermKey,
    chinese_terms,
    english_terms,
    is_name,
    latin_names,
    whole_word,
)

#: English partners per Chinese term kept for the embedding check and the linking.
SHORTLIST = 20


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

    def add_bead(self, found: Iterable[Occurrence]) -> None:
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
            and is_name(self.surface(key))
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
        pattern = whole_word(name)
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
    scores = _blend(dice, joint, similarity, np.array([is_name(en_text[en]) for en in en_ids]))

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
