"""The second look at the dynamic programme's path (`aligner.align.refine`): Chinese
sentences without translation that the programme merged into a neighbour's bead are left
unaligned, and only on the side with fewer sentences; and the programme's own gaps for an
untranslated passage. Built on `BagOfIdsEmbedder`, where sentence k on both sides is a
perfect pair; a high `skip_cost` makes the programme merge the untranslated sentence, so
the refinement has something to undo."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.align import align
from aligner.config import AlignConfig
from aligner.data import Bead, Sentence
from aligner.text import Lang
from tests.support import BagOfIdsEmbedder

MERGING = AlignConfig(skip_cost=1.0, boundary_weight=0.0)
"""Leaving a sentence unaligned costs more than any merge: the programme alone merges."""
NO_REFINEMENT = AlignConfig(skip_cost=1.0, boundary_weight=0.0, omission_gain=9.0)


def sentences(ids: Sequence[int], lang: Lang) -> list[Sentence]:
    end = "。" if lang == "zh" else "."
    return [Sentence(f"<{k}>{end}", lang) for k in ids]


def pairs(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(bead.src, bead.tgt) for bead in beads]


def test_untranslated_chinese_sentence_merged_by_the_programme_is_left_unaligned() -> None:
    """The English splits sentence 4 in two, so the Chinese side has no more sentences."""
    zh = sentences([0, 1, 9, 2, 3], "zh") + [Sentence("<4> <5>。", "zh")]
    en = sentences([0, 1, 2, 3, 4, 5], "en")
    merged = align(zh, en, BagOfIdsEmbedder(10), NO_REFINEMENT)
    assert any(2 in bead.src and bead.tgt for bead in merged)
    beads = align(zh, en, BagOfIdsEmbedder(10), MERGING)
    assert pairs(beads) == [
        ((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,)), ((4,), (3,)), ((5,), (4, 5)),
    ]


def test_untranslated_target_sentence_is_left_unaligned_when_the_target_has_fewer() -> None:
    """The Chinese splits two thoughts the English keeps whole, so the English target is
    the side questioned, and its untranslated sentence 9 is left alone."""
    zh = sentences(range(8), "zh")
    en = sentences([0, 1, 9, 2, 3], "en") + [Sentence("<4> <5>.", "en"), Sentence("<6> <7>.", "en")]
    merged = align(zh, en, BagOfIdsEmbedder(10), NO_REFINEMENT)
    assert any(2 in bead.tgt and bead.src for bead in merged)
    beads = align(zh, en, BagOfIdsEmbedder(10), MERGING)
    assert pairs(beads) == [
        ((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,)), ((3,), (4,)),
        ((4, 5), (5,)), ((6, 7), (6,)),
    ]


def test_the_side_with_more_sentences_is_not_questioned() -> None:
    """A sentence adding little to a bead on the side that splits thoughts finer is
    usually part of the translation (a speech tag), so those merges are left to the
    programme."""
    zh, en = sentences([0, 1, 2, 3], "zh"), sentences([0, 1, 9, 2, 3], "en")
    beads = align(zh, en, BagOfIdsEmbedder(10), MERGING)
    assert any(2 in bead.tgt and bead.src for bead in beads)
    assert pairs(beads) == pairs(align(zh, en, BagOfIdsEmbedder(10), NO_REFINEMENT))


def test_an_untranslated_stretch_folded_into_one_bead_is_left_unaligned_whole() -> None:
    """Three Chinese sentences without translation ride in one bead; all three are left
    unaligned, not just the outermost. The English splits three sentences in two, so the
    Chinese side has no more sentences."""
    zh = sentences([0, 1, 7, 8, 9, 2, 3], "zh") + [
        Sentence(f"<{k}> <{k + 1}>。", "zh") for k in (4, 10, 12)
    ]
    en = sentences([0, 1, 2, 3, 4, 5, 10, 11, 12, 13], "en")
    merged = align(zh, en, BagOfIdsEmbedder(14), NO_REFINEMENT)
    assert any(len(bead.src) >= 3 and bead.tgt for bead in merged)
    beads = align(zh, en, BagOfIdsEmbedder(14), MERGING)
    assert pairs(beads) == [
        ((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), ()),
        ((5,), (2,)), ((6,), (3,)), ((7,), (4, 5)), ((8,), (6, 7)), ((9,), (8, 9)),
    ]


def test_a_real_two_one_merge_is_kept() -> None:
    """Both Chinese sentences are needed: the bead without either is worse."""
    zh = sentences([0, 1, 2, 3], "zh")
    en = [Sentence("<0>.", "en"), Sentence("<1> <2>.", "en"), Sentence("<3>.", "en")]
    beads = align(zh, en, BagOfIdsEmbedder(4), AlignConfig())
    assert pairs(beads) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]


def test_a_crossing_pair_is_one_two_two_bead() -> None:
    """The translator swapped two sentences: no 1-1 path keeps both, the 2-2 bead does."""
    zh, en = sentences([0, 1, 2, 3, 4], "zh"), sentences([0, 2, 1, 3, 4], "en")
    beads = align(zh, en, BagOfIdsEmbedder(5), AlignConfig())
    assert pairs(beads) == [((0,), (0,)), ((1, 2), (1, 2)), ((3,), (3,)), ((4,), (4,))]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(["pair", "zh-only", "en-only", "split"]), min_size=1, max_size=14),
    st.sampled_from([MERGING, AlignConfig(), dataclasses.replace(MERGING, skip_cost=0.3)]),
)
def test_every_sentence_is_kept_once_and_in_order(plan: list[str], config: AlignConfig) -> None:
    """Whatever the refinement leaves unaligned, no sentence is lost, repeated or moved."""
    zh: list[Sentence] = []
    en: list[Sentence] = []
    for k, step in enumerate(plan):
        if step != "en-only":
            zh.append(Sentence(f"<{k}>。", "zh"))
        if step == "split":
            en.extend([Sentence(f"<{k}> <{k}>.", "en"), Sentence(f"<{k}>.", "en")])
        elif step != "zh-only":
            en.append(Sentence(f"<{k}>.", "en"))
    beads = align(zh, en, BagOfIdsEmbedder(len(plan)), config)
    assert [i for bead in beads for i in bead.src] == list(range(len(zh)))
    assert [j for bead in beads for j in bead.tgt] == list(range(len(en)))
    assert all(bead.src or bead.tgt for bead in beads)


def test_an_untranslated_passage_is_one_gap_not_folded_into_its_neighbours() -> None:
    """Five Chinese sentences without translation: leaving each alone costs five skips,
    more than folding four of them into the next bead; as one gap they cost one. The
    refinement is off, so this is the programme's own choice."""
    zh = sentences([*range(6), 20, 21, 22, 23, 24, *range(6, 12)], "zh")
    en = sentences(range(12), "en")
    config = AlignConfig(boundary_weight=0.0, omission_gain=9.0)
    beads = align(zh, en, BagOfIdsEmbedder(25), config)
    assert pairs(beads) == [
        *(((k,), (k,)) for k in range(6)),
        *(((k,), ()) for k in range(6, 11)),
        *(((k + 5,), (k,)) for k in range(6, 12)),
    ]
