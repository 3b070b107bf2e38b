"""Headings and chapters are hard boundaries: no bead crosses a section."""

from __future__ import annotations

import pytest

from aligner.align import align, align_sections
from aligner.config import AlignConfig
from aligner.data import Sentence
from tests.support import BagOfIdsEmbedder

CONFIG = AlignConfig(boundary_weight=0.0)


def sentences(ids: list[list[int]], lang: str, sections: list[int]) -> list[Sentence]:
    return [
        Sentence(" ".join(f"<{k}>" for k in group), lang, paragraph=n, section=section)  # type: ignore[arg-type]
        for n, (group, section) in enumerate(zip(ids, sections))
    ]


def covers_once(beads: list, src_count: int, tgt_count: int) -> bool:
    src = [i for bead in beads for i in bead.src]
    tgt = [j for bead in beads for j in bead.tgt]
    return src == list(range(src_count)) and tgt == list(range(tgt_count))


def test_one_section_is_exactly_align() -> None:
    embedder = BagOfIdsEmbedder(10)
    src = sentences([[0], [1], [2], [3]], "zh", [0] * 4)
    tgt = sentences([[0], [1, 2], [3]], "en", [0] * 3)
    assert align_sections(src, tgt, embedder, CONFIG) == align(src, tgt, embedder, CONFIG)


@pytest.mark.parametrize("shared_numbering", [True, False])
def test_no_bead_crosses_a_heading_even_when_the_text_would_pull_it(
    shared_numbering: bool,
) -> None:
    """Target 1 repeats source 1's content but sits after the heading: the bead the text
    asks for is cut at the boundary, each part keeping the bead's score."""
    embedder = BagOfIdsEmbedder(10)
    src = sentences([[0], [1], [2], [3]], "zh", [0, 0, 1, 1])
    tgt = sentences([[0], [1], [2], [3]], "en", [0, 1, 1, 1])
    whole = align(src, tgt, embedder, CONFIG)
    assert ((1,), (1,)) in [(bead.src, bead.tgt) for bead in whole]
    beads = align_sections(src, tgt, embedder, CONFIG, shared_numbering)
    assert covers_once(beads, 4, 4)
    for bead in beads:
        sections = {src[i].section for i in bead.src} | {tgt[j].section for j in bead.tgt}
        assert len(sections) == 1
    crossing = next(bead for bead in whole if bead.src == (1,))
    assert [(b.src, b.tgt, b.score) for b in beads if 1 in b.src or 1 in b.tgt] == [
        ((1,), (), crossing.score),
        ((), (1,), crossing.score),
    ]


def test_two_files_pair_sections_in_order_when_their_counts_match() -> None:
    embedder = BagOfIdsEmbedder(10)
    src = sentences([[0], [1], [2]], "zh", [0, 4, 4])
    tgt = sentences([[0], [1], [2]], "en", [2, 3, 3])
    beads = align_sections(src, tgt, embedder, CONFIG)
    assert [(bead.src, bead.tgt) for bead in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_two_files_with_different_structures_are_aligned_whole() -> None:
    embedder = BagOfIdsEmbedder(10)
    src = sentences([[0], [1], [2]], "zh", [0, 1, 2])
    tgt = sentences([[0], [1], [2]], "en", [0, 0, 1])
    assert align_sections(src, tgt, embedder, CONFIG) == align(src, tgt, embedder, CONFIG)


def test_a_mixed_document_section_with_one_language_leaves_it_unaligned() -> None:
    embedder = BagOfIdsEmbedder(10)
    src = sentences([[0], [2]], "zh", [0, 2])
    tgt = sentences([[0], [1], [2]], "en", [0, 1, 2])
    beads = align_sections(src, tgt, embedder, CONFIG, shared_numbering=True)
    assert covers_once(beads, 2, 3)
    assert ((), (1,)) in [(bead.src, bead.tgt) for bead in beads]
    assert ((1,), (2,)) in [(bead.src, bead.tgt) for bead in beads]
