"""The alignment engine end to end: hand-checked merges and insertions with the real
embedder, structural guarantees, and paragraph pairing in mixed documents. The numba
kernel is pinned in test_align_kernel.py, numbers and quote states in
test_align_signals.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from aligner.align import align, bead_shapes, pair_paragraphs
from aligner.config import AlignConfig
from aligner.data import Bead, Sentence
from aligner.embed import Embedder
from aligner.segment import presegmented
from aligner.text import Lang
from tests.support import BagOfIdsEmbedder


def sentences(texts: Sequence[str], lang: Lang, paragraph: int = 0) -> list[Sentence]:
    return [Sentence(text, lang, paragraph) for text in texts]


def pairs(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(bead.src, bead.tgt) for bead in beads]


def assert_well_formed(beads: list[Bead], src_count: int, tgt_count: int) -> None:
    """Every id exactly once, in order, and scores in [0, 1]."""
    assert [i for bead in beads for i in bead.src] == list(range(src_count))
    assert [j for bead in beads for j in bead.tgt] == list(range(tgt_count))
    assert all(0.0 <= bead.score <= 1.0 for bead in beads)
    assert all(bead.src or bead.tgt for bead in beads)


def test_one_two_merge_and_untranslated_insertion(embedder: Embedder) -> None:
    zh = ["我今天早上去了市场。", "我买了一些苹果，还买了三根香蕉。",
          "然后我回家给孩子们做了午饭。", "下午我们一起去公园散步。"]
    en = ["This morning I went to the market.", "I bought some apples.",
          "I also bought three bananas.",
          "It was raining heavily in the city of London that week.",
          "Then I went home and cooked lunch for the children.",
          "In the afternoon we took a walk in the park together."]
    beads = align(sentences(zh, "zh"), sentences(en, "en"), embedder)
    assert pairs(beads) == [((0,), (0,)), ((1,), (1, 2)), ((), (3,)), ((2,), (4,)), ((3,), (5,))]


def test_two_one_merge(embedder: Embedder) -> None:
    zh = ["天亮了。", "他走进房间。", "他坐了下来。", "桌上放着一封信。"]
    en = ["Day broke.", "He walked into the room and sat down.", "A letter lay on the table."]
    beads = align(sentences(zh, "zh"), sentences(en, "en"), embedder)
    assert pairs(beads) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]


def test_empty_and_single_sentence_sides(embedder: Embedder) -> None:
    en = sentences(["One.", "Two."], "en")
    assert pairs(align([], en, embedder)) == [((), (0,)), ((), (1,))]
    assert pairs(align(en, [], embedder)) == [((0,), ()), ((1,), ())]
    assert align([], [], embedder) == []
    single = align(sentences(["你好。"], "zh"), sentences(["Hello."], "en"), embedder)
    assert pairs(single) == [((0,), (0,))]


def test_very_unequal_lengths_are_covered(embedder: Embedder) -> None:
    zh = sentences(["他笑了。"], "zh")
    en = sentences([f"Sentence number {k} says something else entirely." for k in range(12)], "en")
    beads = align(zh, en, embedder, AlignConfig(max_align=3))
    assert_well_formed(beads, 1, 12)
    assert max(len(bead.tgt) for bead in beads) <= 3


def test_real_chapter_is_well_formed_and_mostly_right(embedder: Embedder, shared_dir: Path) -> None:
    """The opening of a MAC-Dev chapter; gold beads are kept well inside both cut-offs."""
    mac = shared_dir / "eval" / "mac-dev"
    zh = presegmented((mac / "zh" / "001").read_text(encoding="utf-8"), "zh")[:16]
    en = presegmented((mac / "en" / "001").read_text(encoding="utf-8"), "en")[:18]
    beads = align(zh, en, embedder)
    assert_well_formed(beads, len(zh), len(en))
    gold_lines = (mac / "gold" / "001.align").read_text(encoding="utf-8").splitlines()
    gold = {line for line in gold_lines if all(int(n) < 12 for n in re.findall(r"\d+", line))}
    found = {f"[{','.join(map(str, b.src))}]:[{','.join(map(str, b.tgt))}]" for b in beads}
    assert len(gold & found) >= 0.8 * len(gold)


@pytest.mark.parametrize("embedded_run", [1, 2, 5])
def test_long_runs_are_combined_from_embedded_pieces(embedded_run: int) -> None:
    """Only runs up to `embedded_run` sentences are embedded; a 3-1 merge is still found."""
    src = sentences([f"<{k}>。" for k in range(6)], "zh")
    tgt = sentences(["<0>.", "<1> <2> <3>.", "<4>.", "<5>."], "en")
    embedder = BagOfIdsEmbedder(6)
    beads = align(src, tgt, embedder, AlignConfig(embedded_run=embedded_run))
    assert max(text.count("。") + text.count(".") for text in embedder.seen) == embedded_run
    assert pairs(beads) == [((0,), (0,)), ((1, 2, 3), (1,)), ((4,), (2,)), ((5,), (3,))]


def test_long_input_goes_through_coarse_pass_and_finds_deletions() -> None:
    """3000 × 2990 sentences exceed the full-grid limit, so the path comes from halving.

    The boundary term is off: with one-token sentences a 3-1 bead that holds the true
    pair is as good a match (cosine .58) as real text never gives, and the boundary bonus
    it earns makes such merges as good as skipping the two deleted sentences."""
    count = 3000
    dropped = {5, 700, 701, 1999, 2500, 2501, 2999}
    src = sentences([f"<{k}>" for k in range(count)], "zh")
    tgt = sentences([f"<{k}>" for k in range(count) if k not in dropped], "en")
    beads = align(src, tgt, BagOfIdsEmbedder(count), AlignConfig(boundary_weight=0.0))
    assert_well_formed(beads, count, count - len(dropped))
    assert {bead.src[0] for bead in beads if not bead.tgt} == dropped
    assert all(len(bead.src) == len(bead.tgt) == 1 for bead in beads if bead.tgt)


def test_a_row_left_out_of_a_numbered_list_stays_unaligned(embedder: Embedder) -> None:
    """Rows that differ only in their numbers embed almost alike, so without the numbers
    the row the translator left out is merged with its neighbour."""
    months = [12, 18, 24, 36, 48, 60, 14, 30, 42, 54, 20, 27]
    zh = sentences([f"第{10 + k}条规定，合同期限为{m}个月。" for k, m in enumerate(months)], "zh")
    en = sentences([
        f"Article {10 + k} provides that the term of the contract is {m} months."
        for k, m in enumerate(months) if k != 7
    ], "en")
    expected = [((k,), (k - (k > 7),)) if k != 7 else ((7,), ()) for k in range(12)]
    assert pairs(align(zh, en, embedder)) == expected
    assert pairs(align(zh, en, embedder, AlignConfig(number_weight=0.0))) != expected


def test_paragraph_boundaries_are_not_merged_across() -> None:
    """The same six pairs, but a merge that fits as well is refused across a paragraph."""
    embedder = BagOfIdsEmbedder(8)
    src = sentences(["<0>", "<1>"], "zh", 0) + sentences(["<2>"], "zh", 2)
    tgt = sentences(["<0>", "<1>", "<2>"], "en", 1)
    beads = align(src, tgt, embedder)
    assert pairs(beads) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_mixed_document_prefers_the_usual_neighbour_paragraph() -> None:
    """Translations follow their originals here, so the decoy paragraph *before* the last
    Chinese paragraph (identical to its real translation after it) stays unaligned."""
    embedder = BagOfIdsEmbedder(8)
    zh = sentences(["<0>", "<1>"], "zh", 0) + sentences(["<2>", "<3>"], "zh", 3)
    en = (sentences(["<0>", "<1>"], "en", 1) + sentences(["<2>", "<3>"], "en", 2)
          + sentences(["<2>", "<3>"], "en", 4))
    beads = align(zh, en, embedder)
    assert pairs(beads) == [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((), (3,)), ((2,), (4,)),
                            ((3,), (5,))]


MIXED_LAYOUT = [("zh", 0, "<0> <1>"), ("en", 1, "<0> <1>"), ("en", 2, "<5> <6>"),
                ("zh", 3, "<2>"), ("en", 4, "<2>"), ("zh", 5, "<7>"), ("en", 6, "<8>")]
"""zh 0 -> en 1, zh 3 -> en 4; en 2 and 6 are untranslated, and so is zh 5."""


def mixed_partners(config: AlignConfig | None = None) -> np.ndarray:
    """`pair_paragraphs` on MIXED_LAYOUT."""
    embedder = BagOfIdsEmbedder(10)
    zh = [Sentence(text, "zh", paragraph) for lang, paragraph, text in MIXED_LAYOUT if lang == "zh"]
    en = [Sentence(text, "en", paragraph) for lang, paragraph, text in MIXED_LAYOUT if lang == "en"]
    vectors = embedder.encode([s.text for s in zh + en])
    return pair_paragraphs(
        vectors[: len(zh)], vectors[len(zh) :],
        np.array([s.paragraph for s in zh]), np.array([s.paragraph for s in en]), config,
    )


def test_paragraphs_pair_with_their_translation_and_untranslated_ones_stay_alone() -> None:
    partners = mixed_partners()
    assert partners[:2].tolist() == [[1, 1], [4, 4]]
    assert partners[2, 0] > partners[2, 1]


def test_paragraph_pairing_reads_its_threshold_from_the_config() -> None:
    """No pair can score 2, so none is found and each paragraph keeps both neighbours."""
    partners = mixed_partners(AlignConfig(paragraph_pair_threshold=2.0))
    assert partners.tolist() == [[-1, 1], [2, 4], [4, 6]]


@pytest.mark.parametrize("count", [1, 4])
def test_mixed_document_with_one_paragraph_a_side_still_aligns(count: int) -> None:
    """One paragraph a side leaves nothing to measure hub-ness against, so both
    neighbours stay partners instead of no paragraph being paired."""
    zh = sentences([f"<{k}>" for k in range(count)], "zh", 0)
    en = sentences([f"<{k}>" for k in range(count)], "en", 1)
    beads = align(zh, en, BagOfIdsEmbedder(count))
    assert pairs(beads) == [((k,), (k,)) for k in range(count)]


def test_mixed_document_question_does_not_take_the_untranslated_answer() -> None:
    """The question's second sentence has no translation; without the partner penalty it
    is glued to the unrelated answer after the question's translation, as a bead of
    near-zero quality costs less than leaving three sentences unaligned."""
    embedder = BagOfIdsEmbedder(8)
    zh = sentences(["<0>", "<1>"], "zh", 0) + sentences(["<5>"], "zh", 3)
    en = (sentences(["<0>"], "en", 1) + sentences(["<6>", "<7>"], "en", 2)
          + sentences(["<5>"], "en", 4))
    unguarded = align(zh, en, embedder, AlignConfig(partner_penalty=0.0))
    assert ((1,), (1, 2)) in pairs(unguarded)
    assert pairs(align(zh, en, embedder)) == [
        ((0,), (0,)), ((), (1,)), ((), (2,)), ((1,), ()), ((2,), (3,)),
    ]


def test_boundary_weight_moves_a_split_sentence_to_the_neighbour_whose_clause_it_translates(
) -> None:
    """en 1 ("<1>") is closer to zh 1 ("<1> <1> <2>") than to zh 0 ("<0>，<1>") as a
    whole, but it matches zh 0's last clause, so with the boundary term it joins zh 0."""
    embedder = BagOfIdsEmbedder(4)
    zh = sentences(["<0>，<1>。", "<1> <1> <2>。"], "zh")
    en = sentences(["<0>.", "<1>.", "<2>."], "en")
    with_edges = align(zh, en, embedder, AlignConfig(boundary_weight=1.0))
    assert pairs(with_edges) == [((0,), (0, 1)), ((1,), (2,))]
    assert pairs(align(zh, en, embedder, AlignConfig(boundary_weight=0.0))) != pairs(with_edges)


def test_empty_sentences_stay_unaligned_in_their_place() -> None:
    """Blank presegmented lines add nothing to a bead's text, so they are never joined."""
    zh = sentences(["<0>", "", "<1>", "  "], "zh")
    en = sentences(["", "<0>", "<1>"], "en")
    beads = align(zh, en, BagOfIdsEmbedder(2))
    assert_well_formed(beads, 4, 3)
    assert pairs(beads) == [((), (0,)), ((0,), (1,)), ((1,), ()), ((2,), (2,)), ((3,), ())]


def test_an_empty_sentence_inside_a_bead_joins_it() -> None:
    zh = sentences(["<0>", "", "<1>", "<2>"], "zh")
    en = sentences(["<0> <1>", "<2>"], "en")
    beads = align(zh, en, BagOfIdsEmbedder(3))
    assert_well_formed(beads, 4, 2)
    assert pairs(beads) == [((0, 1, 2), (0,)), ((3,), (1,))]


def test_bead_shapes_beyond_127_decode_correctly() -> None:
    """With --max-align 16 there are 138 shapes; the 16-1 bead is the last one."""
    src = sentences([f"<{k}>。" for k in range(16)], "zh")
    tgt = sentences([" ".join(f"<{k}>" for k in range(16)) + "."], "en")
    config = AlignConfig(max_align=16)
    assert len(bead_shapes(config.max_align)) > 127
    beads = align(src, tgt, BagOfIdsEmbedder(16), config)
    assert pairs(beads) == [(tuple(range(16)), (0,))]
