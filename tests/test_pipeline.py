"""The pipeline chains the stages: coverage of every sentence, languages, scripts, repairs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from aligner import AlignerError, PipelineOptions, align_document
from aligner.config import CleanOptions
from aligner.data import Alignment
from aligner.embed import Embedder
from aligner.pipeline import AlignedDocument
from tests.support import SEEDS, HashEmbedder

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


def test_a_long_quoted_speech_pairs_sentence_by_sentence(
    tmp_path: Path, embedder: Embedder
) -> None:
    """Seven quoted sentences, more than `max_align`: kept as one English sentence they left
    two Chinese sentences unaligned (a 5-1 bead and two 1-0); cut like the Chinese, every
    sentence has its partner."""
    en = tmp_path / "release.en"
    zh = tmp_path / "release.zh"
    en.write_text(
        'Dr. Xu Li, CEO of SenseTime, said, "We are dedicated to developing cutting-edge AI '
        "technologies. Our engineers work every day on new models. We connect upstream "
        "partners with the downstream market. This investment will help us grow faster. We "
        "will hire more researchers this year. We will open new offices in Asia. We thank "
        'our investors for their trust." The company was founded in 2014.\n',
        encoding="utf-8",
    )
    zh.write_text(
        "商汤科技首席执行官徐立博士表示：“我们致力于开发前沿人工智能技术。我们的工程师每天都在研究"
        "新模型。我们连接上游合作伙伴与下游市场。这笔投资将帮助我们更快成长。今年我们将招聘更多研究"
        "人员。我们将在亚洲开设新办公室。我们感谢投资者的信任。”该公司成立于2014年。\n",
        encoding="utf-8",
    )
    alignment = align_document(zh, en, embedder=embedder).alignment
    assert len(alignment.src) == len(alignment.tgt) == 8
    assert [(bead.src, bead.tgt) for bead in alignment.beads] == [
        ((i,), (i,)) for i in range(8)
    ]


def test_presegmented_mixed_document_is_refused(embedder: Embedder) -> None:
    with pytest.raises(AlignerError, match="two files"):
        align_document(INTERVIEW, embedder=embedder, options=PipelineOptions(presegmented=True))


def test_three_inputs_are_refused(embedder: Embedder) -> None:
    with pytest.raises(AlignerError, match="got 3"):
        align_document(INTERVIEW, INTERVIEW, INTERVIEW, embedder=embedder)


def test_a_japanese_file_is_refused_not_aligned_as_chinese(tmp_path: Path) -> None:
    ja, en = tmp_path / "doc.ja.txt", tmp_path / "doc.en.txt"
    ja.write_text("今日はいい天気ですね。私は学校に行きます。\n", encoding="utf-8")
    en.write_text("The weather is nice today. I go to school.\n", encoding="utf-8")
    with pytest.raises(AlignerError, match="looks like Japanese"):
        align_document(ja, en, embedder=HashEmbedder())


def test_a_korean_file_is_refused(tmp_path: Path) -> None:
    ko, en = tmp_path / "doc.ko.txt", tmp_path / "doc.en.txt"
    ko.write_text("안녕하세요. 저는 학생입니다.\n", encoding="utf-8")
    en.write_text("Hello. I am a student.\n", encoding="utf-8")
    with pytest.raises(AlignerError, match="looks like Korean"):
        align_document(ko, en, embedder=HashEmbedder())


def test_a_japanese_paragraph_in_a_mixed_document_is_left_out_and_counted(
    tmp_path: Path,
) -> None:
    mixed = tmp_path / "mixed.txt"
    mixed.write_text(
        "今天天氣很好。\n\nThe weather is nice today.\n\n"
        "今日はいい天気ですね。\n\n我們去公園散步。\n\nWe went for a walk in the park.\n",
        encoding="utf-8",
    )
    document = align_document(mixed, embedder=HashEmbedder())
    assert document.repairs["skipped-japanese-paragraphs"] == 1
    assert not any("天気ですね" in sentence.text for sentence in document.alignment.src)
    assert len(document.alignment.src) == 2 and len(document.alignment.tgt) == 2


def test_sentences_embedded_in_pieces_are_reported(tmp_path: Path) -> None:
    class PieceCountingEmbedder(HashEmbedder):
        long_texts_split = 0

        def encode(self, texts: Sequence[str]) -> np.ndarray:
            self.long_texts_split += sum(len(text) > 2000 for text in texts)
            return super().encode(texts)

    zh, en = tmp_path / "a.zh.txt", tmp_path / "a.en.txt"
    zh.write_text("今天天气很好。\n\n" + "很长的句子" * 600 + "\n", encoding="utf-8")
    en.write_text("The weather is nice today.\n\nA long one.\n", encoding="utf-8")
    document = align_document(zh, en, embedder=PieceCountingEmbedder())
    assert document.repairs["long-sentences-split"] >= 1
    assert any(len(sentence.text) == 3000 for sentence in document.alignment.src)
