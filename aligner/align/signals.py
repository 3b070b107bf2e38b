"""Exact signals beside the embeddings: the numbers each sentence writes in digits, and
the quote state between sentences."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

import numpy as np

from aligner.data import Sentence
from aligner.text import quote_marks

OUTSIDE, INSIDE, EITHER = 0, 1, 2
"""Quote state of the gap after a sentence: in running speech, outside it, or either (a
quote closes and the next sentence opens one at once, as around an English speech tag)."""

_MULTIPLIERS = {
    "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "万亿": 10**12, "萬億": 10**12,
    "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
}
_NUMBER = re.compile(
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s*(万亿|萬億|[万萬亿億]|thousand|million|billion|trillion)?(月)?",
    re.IGNORECASE,
)
"""A number in digits (a comma only between groups of three: `1,2,3` is three numbers),
the word that multiplies it (Chinese counts in 万 and 亿, English in thousands and
millions, so `80亿` is `8 billion`), and 月 after a month's number."""


def numbers_of(text: str) -> set[str]:
    """The amounts written in digits in `text`, as canonical decimals: thousands
    separators dropped and multiplier words applied (`1.2万` and `12,000` are both
    `12000`). Left out: numbers of one digit without a multiplier, which English style
    spells out (`4年` is `four years`), and Chinese month numbers, which English names
    (`11月` is `November`)."""
    amounts = set()
    for digits, multiplier, month in _NUMBER.findall(text):
        digits = digits.replace(",", "")
        if month or (not multiplier and len(digits.replace(".", "")) < 2):
            continue
        amount = Decimal(digits) * _MULTIPLIERS.get(multiplier.lower(), 1)
        amounts.add(f"{amount.normalize():f}")
    return amounts


def number_index(
    src: Sequence[Sentence], tgt: Sequence[Sentence]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each sentence's numbers as ids shared by both sides, in CSR arrays per side
    (pointers, ids): the numbers of source sentence i are
    src_ids[src_pointers[i]:src_pointers[i + 1]]."""
    vocabulary: dict[str, int] = {}
    sides = []
    for sentences in (src, tgt):
        pointers = [0]
        ids: list[int] = []
        for sentence in sentences:
            numbers = sorted(numbers_of(sentence.text))
            ids.extend(vocabulary.setdefault(number, len(vocabulary)) for number in numbers)
            pointers.append(len(ids))
        sides.append((np.array(pointers, dtype=np.int64), np.array(ids, dtype=np.int64)))
    (src_pointers, src_ids), (tgt_pointers, tgt_ids) = sides
    return src_pointers, src_ids, tgt_pointers, tgt_ids


def quote_states(sentences: Sequence[Sentence]) -> np.ndarray:
    """Quote state of each gap between sentences (index k = after k sentences).

    A translation keeps dialogue boundaries: a bead that ends inside a quotation on one
    side and outside it on the other has split a speech in the wrong place. Opening and
    closing marks set the state of their family (double or single) rather than counting
    depth, so one misread apostrophe cannot throw off the rest of the document, and a new
    paragraph starts outside (a quotation that goes on reopens there by convention).
    """
    states = np.zeros(len(sentences) + 1, dtype=np.int8)
    inside = [False, False]
    last_mark_closed = False
    for k, sentence in enumerate(sentences):
        if k and sentence.paragraph != sentences[k - 1].paragraph:
            inside = [False, False]
            states[k] = OUTSIDE
        marks = quote_marks(sentence.text.strip(), sentence.lang)
        opens_at_start = bool(marks) and marks[0][1] and marks[0][2] == 0
        if last_mark_closed and opens_at_start and states[k] == OUTSIDE:
            states[k] = EITHER
        for family, opens, _ in marks:
            inside[family] = opens
        last_mark_closed = bool(marks) and not marks[-1][1]
        states[k + 1] = INSIDE if any(inside) else OUTSIDE
    states[-1] = OUTSIDE
    return states
