"""Exact signals beside the embeddings: shared anchors and the quote state between sentences."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from aligner.config import AlignConfig
from aligner.data import Sentence
from aligner.text import LATIN_NAME, quote_marks

OUTSIDE, INSIDE, EITHER = 0, 1, 2
"""Quote state of the gap after a sentence: in running speech, outside it, or either (a
quote closes and the next sentence opens one at once, as around an English speech tag)."""

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _anchor_tokens(text: str, with_names: bool) -> set[str]:
    numbers = {match.replace(",", "") for match in _NUMBER.findall(text)}
    tokens = {number for number in numbers if len(number.replace(".", "")) >= 2}
    if with_names:
        tokens.update(name.casefold() for name in LATIN_NAME.findall(text))
    return tokens


def find_anchors(
    src: Sequence[Sentence],
    tgt: Sequence[Sentence],
    max_sentences: int = AlignConfig.anchor_max_sentences,
) -> list[tuple[int, int]]:
    """Sentence pairs sharing a rare number or Latin name (names are taken from the zh side,
    where Latin script is rare enough to be meaningful); a token found in more than
    `max_sentences` sentences on one side is too common to pin a pair."""
    src_is_zh = bool(src) and src[0].lang == "zh"
    src_tokens = [_anchor_tokens(sentence.text, src_is_zh) for sentence in src]
    tgt_tokens = [_anchor_tokens(sentence.text, not src_is_zh) for sentence in tgt]
    zh_vocabulary = set().union(*(src_tokens if src_is_zh else tgt_tokens))
    src_where: dict[str, list[int]] = defaultdict(list)
    tgt_where: dict[str, list[int]] = defaultdict(list)
    for where, token_sets in ((src_where, src_tokens), (tgt_where, tgt_tokens)):
        for index, tokens in enumerate(token_sets):
            for token in tokens & zh_vocabulary:
                where[token].append(index)
    pairs: set[tuple[int, int]] = set()
    for token, src_ids in src_where.items():
        tgt_ids = tgt_where.get(token, [])
        if tgt_ids and max(len(src_ids), len(tgt_ids)) <= max_sentences:
            pairs.update((i, j) for i in src_ids for j in tgt_ids)
    return sorted(pairs)


def anchor_index(anchors: list[tuple[int, int]], src_count: int) -> tuple[np.ndarray, np.ndarray]:
    """Anchors as CSR arrays: targets of source i are targets[pointers[i]:pointers[i + 1]]."""
    pointers = np.zeros(src_count + 1, dtype=np.int64)
    for i, _ in anchors:
        pointers[i + 1] += 1
    targets = np.array([j for _, j in anchors], dtype=np.int64)
    return np.cumsum(pointers), targets


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
