"""Documents of every format through the pipeline: paragraphs keep where they came from,
bilingual files become beads, and each format of the seed aligns to the text's pairs."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from aligner.data import AlignerError
from aligner.embed import Embedder
from aligner.formats import write_alignments
from aligner.pipeline import align_document
from aligner.readers import Block, SourceDocument, read_document
from aligner.sources import cleaned_blocks, mixed_paragraphs
from tests.reader_fixtures import (
    XLIFF_12,
    html_page,
    tmx_text,
    write_docx,
    write_epub,
    write_markdown,
    write_odt,
    write_pdf,
    write_srt,
    write_vtt,
)
from tests.support import INTERVIEW, HashEmbedder

HEADING = "訪談摘錄 Interview excerpts"
_NOT_COMPARED = re.compile("[\\s\ue000-\uf8ff]")


def test_cleaned_text_is_cut_back_into_the_blocks() -> None:
    document = SourceDocument(
        Path("x.docx"), "docx", blocks=[Block("a\u200b\nb", "para 1"), Block("c", "para 2", 1)]
    )
    blocks = cleaned_blocks(document, "a\nb\n\nc")
    assert [(block.text, block.ref, block.section) for block in blocks] == [
        ("a\nb", "para 1", 0),
        ("c", "para 2", 1),
    ]


def test_a_block_without_letters_joins_the_paragraph_before_it() -> None:
    blocks = [Block("2021", "para 1"), Block("中文。", "para 2"), Block("---", "para 3")]
    paragraphs = mixed_paragraphs(blocks + [Block("English.", "para 4", 1)])
    assert [(p.lang, p.text, p.ref, p.section, p.index) for p in paragraphs] == [
        ("zh", "2021\n\n中文。\n\n---", "para 2", 0, 0),
        ("en", "English.", "para 4", 1, 1),
    ]


def test_a_pair_of_documents_keeps_references_on_every_sentence(tmp_path: Path) -> None:
    zh = write_docx(tmp_path / "book.zh.docx", ["第一章", "他來了。她走了。"], {0})
    en = write_pdf(tmp_path / "book.en.pdf", ["Chapter One", "He came. She left."], {0}, False)
    document = align_document(zh, en, embedder=HashEmbedder())
    alignment = document.alignment
    assert [(s.text, s.ref, s.section) for s in alignment.src] == [
        ("第一章", "para 1", 0),
        ("他來了。", "para 2", 0),
        ("她走了。", "para 2", 0),
    ]
    assert [s.ref for s in alignment.tgt] == ["page 1 para 1", "page 1 para 2", "page 1 para 2"]
    assert document.dropped == {"docx: running headers/footers": 1}


def test_a_bilingual_file_becomes_beads_directly(tmp_path: Path) -> None:
    path = tmp_path / "job.xlf"
    path.write_text(XLIFF_12, "utf-8")
    embedder = HashEmbedder()
    document = align_document(path, embedder=embedder)
    alignment = document.alignment
    assert (alignment.src_lang, alignment.tgt_lang) == ("zh", "en")
    assert [(bead.src, bead.tgt) for bead in alignment.beads] == [((i,), (i,)) for i in range(4)]
    assert alignment.tgt[1].text == "First." and alignment.tgt[1].ref == "unit u4 segment 1"
    assert embedder.seen == []
    assert document.dropped == {
        "xliff: units without translation": 1,
        "xliff: locked units": 1,
    }


def test_a_tmx_keeps_its_own_direction(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    path.write_text(tmx_text([("你好。", "Hello.")]), "utf-8")
    alignment = align_document(path, embedder=HashEmbedder()).alignment
    assert (alignment.src_lang, alignment.src[0].text, alignment.tgt[0].text) == (
        "en",
        "Hello.",
        "你好。",
    )


def test_a_bilingual_file_cannot_be_one_side_of_a_pair(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    path.write_text(tmx_text([("你好。", "Hello.")]), "utf-8")
    with pytest.raises(AlignerError, match=r"memory\.tmx: is already bilingual"):
        align_document(path, INTERVIEW, embedder=HashEmbedder())


class LookupEmbedder:
    """Texts in one group share a vector; any other text gets its own."""

    name = "lookup"

    def __init__(self, groups: list[list[str]]) -> None:
        self.group = {text: number for number, texts in enumerate(groups) for text in texts}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row, self.group.get(text, 32 + zlib.crc32(text.encode()) % 32)] = 1.0
        return vectors


class MemoEmbedder:
    """The real model, each distinct text embedded once across the whole module."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.vectors: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, self.inner.encode(missing)))
        return np.array([self.vectors[text] for text in texts])


@pytest.fixture(scope="module")
def memo(embedder: Embedder) -> MemoEmbedder:
    return MemoEmbedder(embedder)


def pairs(path: Path, embedder: Embedder) -> set[tuple[str, str]]:
    alignment = align_document(path, embedder=embedder).alignment
    return {
        tuple(_NOT_COMPARED.sub("", alignment.side_text(bead, lang)) for lang in ("zh", "en"))  # type: ignore[misc]
        for bead in alignment.beads
        if bead.is_aligned
    }


def _write(kind: str, path: Path, paragraphs: list[str]) -> Path:
    """The seed in one format, its bilingual heading a heading (a chapter in EPUB)."""
    heading = paragraphs.index(HEADING)
    if kind == "html":
        path.write_text(html_page(paragraphs, {heading}), "utf-8")
        return path
    if kind == "epub":
        return write_epub(path, [paragraphs[:heading], paragraphs[heading:]], {HEADING})
    if kind in ("srt", "vtt"):
        return (write_srt if kind == "srt" else write_vtt)(path, paragraphs)
    if kind == "pdf":
        return write_pdf(path, [_NOT_COMPARED.sub(" ", text) for text in paragraphs], {heading})
    writer = {"docx": write_docx, "odt": write_odt, "md": write_markdown}[kind]
    return writer(path, paragraphs, {heading})


@pytest.mark.parametrize("kind", ["docx", "odt", "html", "md", "epub", "srt", "vtt", "pdf"])
def test_the_seed_in_every_format_aligns_to_the_text_versions_pairs(
    tmp_path: Path, memo: MemoEmbedder, kind: str
) -> None:
    """Compared without whitespace, which PDF does not store and subtitles rewrap."""
    paragraphs = [" ".join(block.text.split()) for block in read_document(INTERVIEW).blocks]
    expected = pairs(INTERVIEW, memo)
    assert len(expected) > 20
    assert pairs(_write(kind, tmp_path / f"seed.{kind}", paragraphs), memo) == expected


def test_subtitles_align_into_a_bilingual_srt_that_keeps_the_times(tmp_path: Path) -> None:
    zh = tmp_path / "film.zh.srt"
    en = tmp_path / "film.en.srt"
    zh.write_text(
        "1\n00:00:01,000 --> 00:00:02,500\n<i>你好。</i>\n\n2\n00:00:03,000 --> 00:00:04,000\n"
        "再見。\n",
        "utf-8",
    )
    en.write_text(
        "1\n00:00:01,100 --> 00:00:02,400\nHello.\n\n2\n00:00:03,000 --> 00:00:04,200\nGoodbye.\n",
        "utf-8",
    )
    document = align_document(
        zh, en, embedder=LookupEmbedder([["你好。", "Hello."], ["再見。", "Goodbye."]])
    )
    assert [s.times for s in document.alignment.src] == [(1.0, 2.5), (3.0, 4.0)]
    assert document.dropped == {"srt: formatting tags": 2}
    out = tmp_path / "film.bi.srt"
    write_alignments([document.alignment], str(out), "srt")
    assert out.read_text("utf-8") == (
        "1\n00:00:01,000 --> 00:00:02,500\n你好。\nHello.\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\n再見。\nGoodbye.\n\n"
    )


def test_srt_output_needs_subtitles_as_input(tmp_path: Path) -> None:
    document = align_document(INTERVIEW, embedder=HashEmbedder())
    with pytest.raises(AlignerError, match=r"\.srt output needs subtitles as input"):
        write_alignments([document.alignment], str(tmp_path / "out.srt"), "srt")
    assert not (tmp_path / "out.srt").exists()


def test_batch_finds_documents_of_every_readable_format(tmp_path: Path) -> None:
    from aligner.batch import find_documents

    for name in ("book.zh.docx", "book.en.pdf", "notes.md", "memory.tmx", "page.html"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "gold.align").write_text("[0]:[0]\n", "utf-8")
    documents, problems = find_documents(tmp_path)
    assert problems == []
    assert sorted((d.name, tuple(p.name for p in d.inputs)) for d in documents) == [
        ("book", ("book.zh.docx", "book.en.pdf")),
        ("memory", ("memory.tmx",)),
        ("notes", ("notes.md",)),
        ("page", ("page.html",)),
    ]


def test_report_says_what_reading_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from aligner import embed
    from aligner.cli import app

    monkeypatch.setattr(embed, "load_embedder", lambda model=None, device="cpu": HashEmbedder())
    source = write_docx(tmp_path / "mixed.docx", ["第一段。", "First paragraph."], set())
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["align", str(source), "-o", str(out), "--report", "-q"])
    assert result.exit_code == 0, result.output
    assert "reading left out: docx: running headers/footers 1" in result.output
    assert out.read_text("utf-8-sig").splitlines()[0].endswith("zh_source_ref,en_source_ref")


@pytest.mark.parametrize("name", ["scan.pdf", "broken.docx"])
def test_bad_documents_fail_in_one_line_without_output(tmp_path: Path, name: str) -> None:
    from typer.testing import CliRunner

    from aligner.cli import app

    source = tmp_path / name
    if name == "scan.pdf":
        from reportlab.pdfgen.canvas import Canvas

        canvas = Canvas(str(source))
        canvas.showPage()
        canvas.save()
    else:
        source.write_bytes(b"PK\x03\x04 damaged")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["align", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and name in result.output
    assert not out.exists()
