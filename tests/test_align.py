"""The alignment engine: hand-checked merges and insertions with the real embedder,
structural guarantees, and the numba DP against exhaustive search."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from aligner.align import (
    ANY_PARAGRAPH,
    EITHER,
    INSIDE,
    NO_GAPS,
    OUTSIDE,
    align,
    band_dp,
    bead_quality,
    bead_shapes,
    find_anchors,
    pair_paragraphs,
    quote_states,
)
from aligner.config import AlignConfig
from aligner.data import Bead, Sentence
from aligner.embed import Embedder
from aligner.segment import presegmented
from aligner.text import Lang


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


class BagOfIdsEmbedder:
    """Texts are runs of `<k>` tokens on either side; a run embeds as the normalised sum of
    one fixed random 256-d vector per token (chance similarities stay as small as real
    embeddings'), so sentence k on both sides is a perfect pair."""

    name = "bag-of-ids"

    def __init__(self, vocabulary: int, seed: int = 0) -> None:
        self.table = np.random.default_rng(seed).standard_normal((vocabulary, 256))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.array([self.table[[int(k) for k in re.findall(r"<(\d+)>", t)]].sum(0) for t in texts])
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


class RecordingEmbedder(BagOfIdsEmbedder):
    """Remembers how many sentences each text it was asked to embed holds."""

    def __init__(self, vocabulary: int) -> None:
        super().__init__(vocabulary)
        self.run_lengths: list[int] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.run_lengths.extend(text.count("。") + text.count(".") for text in texts)
        return super().encode(texts)


@pytest.mark.parametrize("embedded_run", [1, 2, 5])
def test_long_runs_are_combined_from_embedded_pieces(embedded_run: int) -> None:
    """Only runs up to `embedded_run` sentences are embedded; a 3-1 merge is still found."""
    src = sentences([f"<{k}>。" for k in range(6)], "zh")
    tgt = sentences(["<0>.", "<1> <2> <3>.", "<4>.", "<5>."], "en")
    embedder = RecordingEmbedder(6)
    beads = align(src, tgt, embedder, AlignConfig(embedded_run=embedded_run))
    assert max(embedder.run_lengths) == embedded_run
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


def test_paragraphs_pair_with_their_translation_and_untranslated_ones_stay_alone() -> None:
    """zh 0 -> en 1, zh 3 -> en 4; en 2 and 6 are untranslated, and so is zh 5."""
    embedder = BagOfIdsEmbedder(10)
    layout = [("zh", 0, "<0> <1>"), ("en", 1, "<0> <1>"), ("en", 2, "<5> <6>"),
              ("zh", 3, "<2>"), ("en", 4, "<2>"), ("zh", 5, "<7>"), ("en", 6, "<8>")]
    zh = [Sentence(text, "zh", paragraph) for lang, paragraph, text in layout if lang == "zh"]
    en = [Sentence(text, "en", paragraph) for lang, paragraph, text in layout if lang == "en"]
    vectors = embedder.encode([s.text for s in zh + en])
    partners = pair_paragraphs(
        vectors[: len(zh)], vectors[len(zh) :],
        np.array([s.paragraph for s in zh]), np.array([s.paragraph for s in en]),
    )
    assert partners[:2].tolist() == [[1, 1], [4, 4]]
    assert partners[2, 0] > partners[2, 1]


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


def test_anchors_pair_rare_numbers_and_latin_names() -> None:
    zh = sentences(["2021年商汤SenseTime发布了新模型。", "天气很好。", "收入为11,494元。"], "zh")
    en = sentences(["The weather is good.", "In 2021 SenseTime released a new model.",
                    "Revenue was 11494 yuan, up 5 per cent."], "en")
    assert find_anchors(zh, en) == [(0, 1), (2, 2)]
    common = sentences([f"第{k}段:2021年" for k in range(6)], "zh")
    assert find_anchors(common, sentences(["In 2021."] * 6, "en")) == []


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


def test_quote_penalty_is_charged_when_a_bead_ends_in_speech_on_one_side_only() -> None:
    """Bead ends are compared: inside vs outside costs the penalty, EITHER matches both."""
    unit = np.ones((1, 3, 4)) / 2.0
    features = (
        unit, unit, np.zeros((1, 3)), np.zeros((1, 3)), np.ones((1, 3)), np.ones((1, 3)),
        np.zeros((1, 3), dtype=np.bool_), np.zeros((1, 3), dtype=np.bool_),
        np.tile(ANY_PARAGRAPH, (3, 1)), np.zeros(3, dtype=np.int64),
        np.zeros(4, dtype=np.int64), np.zeros(0, dtype=np.int64),
        np.array([OUTSIDE, INSIDE, OUTSIDE, OUTSIDE], dtype=np.int8),
        np.array([OUTSIDE, OUTSIDE, EITHER, OUTSIDE], dtype=np.int8),
        NO_GAPS, NO_GAPS,
    )
    params = np.array([0.1, 0.2, 0.1, 0.25, 0.0, 0.3, 0.0])
    assert bead_quality(features, 0, 1, 0, 1, params) == pytest.approx(1.0 - 0.3)
    assert bead_quality(features, 1, 1, 1, 1, params) == pytest.approx(1.0)
    assert bead_quality(features, 0, 1, 1, 1, params) == pytest.approx(1.0)
    assert bead_quality(features, 2, 1, 2, 1, params) == pytest.approx(1.0)


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


def test_bead_shapes_bound_both_sides_and_their_sum() -> None:
    assert bead_shapes(2) == [(1, 0), (0, 1), (1, 1), (1, 2), (2, 1)]
    assert (1, 5) in bead_shapes(5) and (2, 4) in bead_shapes(5) and (3, 4) not in bead_shapes(5)


def exhaustive_best(
    features: tuple, shapes: list[tuple[int, int]], rows: int, columns: int,
    skip_cost: float, params: np.ndarray,
) -> float:
    """Best total gain over every monotone bead path, by plain recursion."""

    def best_from(i: int, j: int) -> float:
        if (i, j) == (rows, columns):
            return 0.0
        best = -np.inf
        for a, b in shapes:
            if i + a > rows or j + b > columns:
                continue
            if a == 0 or b == 0:
                step = -skip_cost
            else:
                quality = bead_quality(features, i, a, j, b, params)
                step = (0.5 * (a + b)) ** params[3] * quality
            best = max(best, step + best_from(i + a, j + b))
        return best

    return best_from(0, 0)


@pytest.mark.parametrize("seed", range(6))
def test_dp_matches_exhaustive_search(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows, columns, max_run = int(rng.integers(1, 5)), int(rng.integers(1, 5)), 3

    def unit(*shape: int) -> np.ndarray:
        vectors = rng.standard_normal((*shape, 8))
        return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)

    anchors = [(int(rng.integers(rows)), int(rng.integers(columns)))]
    pointers = np.bincount([i + 1 for i, _ in anchors], minlength=rows + 1).cumsum()
    features = (
        unit(max_run, rows), unit(max_run, columns),
        rng.uniform(0, 0.2, (max_run, rows)), rng.uniform(0, 0.2, (max_run, columns)),
        rng.uniform(1, 60, (max_run, rows)), rng.uniform(1, 60, (max_run, columns)),
        rng.random((max_run, rows)) < 0.3, rng.random((max_run, columns)) < 0.3,
        np.sort(rng.integers(0, 4, (rows, 2)), axis=1)[:, ::-1 if seed % 2 else 1],
        rng.integers(0, 4, columns),
        pointers.astype(np.int64), np.array([j for _, j in anchors], dtype=np.int64),
        rng.integers(0, 3, rows + 1).astype(np.int8), rng.integers(0, 3, columns + 1).astype(np.int8),
        unit(rows + 1), unit(columns + 1),
    )
    shapes = bead_shapes(max_run)
    params = np.array([0.1, 0.2, 0.1, 0.25, 0.3, 0.1, 0.2])
    low = np.zeros(rows + 1, dtype=np.int64)
    high = np.full(rows + 1, columns, dtype=np.int64)
    path, total = band_dp(features, np.array(shapes), low, high, 0.12, params)
    assert total == pytest.approx(exhaustive_best(features, shapes, rows, columns, 0.12, params))
    steps = np.array(shapes)[path]
    assert steps.sum(axis=0).tolist() == [rows, columns]


def test_bead_shapes_beyond_127_decode_correctly() -> None:
    """With --max-align 16 there are 138 shapes; the 16-1 bead is the last one."""
    src = sentences([f"<{k}>。" for k in range(16)], "zh")
    tgt = sentences([" ".join(f"<{k}>" for k in range(16)) + "."], "en")
    config = AlignConfig(max_align=16)
    assert len(bead_shapes(config.max_align)) > 127
    beads = align(src, tgt, BagOfIdsEmbedder(16), config)
    assert pairs(beads) == [(tuple(range(16)), (0,))]
