"""The pipeline chains the stages: coverage of every sentence, languages, scripts, repairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner import AlignerError, PipelineOptions, align_document
from aligner.config import CleanOptions
from aligner.data import Alignment
from aligner.embed import Embedder
from aligner.pipeline import AlignedDocument
from tests.support import SEEDS

INTERVIEW = SEEDS / "001_80f9d8cd20d446c8.txt"


def assert_every_sentence_once(alignment: Alignment) -> None:
    src_ids = [i for bead in alignment.beads for i in bead.src]
    tgt_ids = [j for bead in alignment.beads for j in bead.tgt]
    assert src_ids == list(range(len(alignment.src)))
    assert tgt_ids == list(range(len(alignment.tgt)))
    assert all(0.0 <= bead.score <= 1.0 for bead in alignment.beads)


@pytest.fixture(scope="module")
def interview(embedder: Embedder) -> AlignedDocument:
    return align_document(INTERVIEW, embedder=embedder)


def test_mixed_document_is_zh_to_en_and_fully_covered(interview: AlignedDocument) -> None:
    alignment = interview.alignment
    assert (alignment.src_lang, alignment.tgt_lang) == ("zh", "en")
    assert alignment.zh_script == "traditional"
    assert alignment.name == INTERVIEW.name
    assert_every_sentence_once(alignment)
    assert all(sentence.lang == "zh" for sentence in alignment.src)
    assert all(sentence.lang == "en" for sentence in alignment.tgt)


def test_mixed_document_reports_its_repairs(interview: AlignedDocument) -> None:
    assert sum(interview.repairs.values()) > 0
    assert not any("(chǎn)" in sentence.text for sentence in interview.alignment.src)


def test_conversion_to_simplified_changes_text_and_tmx_script(embedder: Embedder) -> None:
    options = PipelineOptions(clean=CleanOptions(to_script="simplified"))
    alignment = align_document(INTERVIEW, embedder=embedder, options=options).alignment
    assert alignment.zh_script == "simplified"
    assert any("商汤" in sentence.text for sentence in alignment.src)
    assert not any("商湯" in sentence.text for sentence in alignment.src)


def test_two_files_in_either_order(tmp_path: Path, embedder: Embedder) -> None:
    en = tmp_path / "story.en"
    zh = tmp_path / "story.zh"
    en.write_text("The cat sat on the mat. It was very happy.\n", encoding="utf-8")
    zh.write_text("貓坐在墊子上。牠非常開心。\n", encoding="utf-8")
    alignment = align_document(en, zh, embedder=embedder).alignment
    assert (alignment.src_lang, alignment.tgt_lang) == ("en", "zh")
    assert len(alignment.src) == 2 and len(alignment.tgt) == 2
    assert_every_sentence_once(alignment)
    assert [(bead.src, bead.tgt) for bead in alignment.beads] == [((0,), (0,)), ((1,), (1,))]


def test_presegmented_mixed_document_is_refused(embedder: Embedder) -> None:
    with pytest.raises(AlignerError, match="two files"):
        align_document(INTERVIEW, embedder=embedder, options=PipelineOptions(presegmented=True))


def test_three_inputs_are_refused(embedder: Embedder) -> None:
    with pytest.raises(AlignerError, match="got 3"):
        align_document(INTERVIEW, INTERVIEW, INTERVIEW, embedder=embedder)
