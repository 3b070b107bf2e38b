"""Every reader gives back the seed interview's paragraphs, with structure and references.

The seed (`001`, Chinese and English paragraphs) is written in each format by
`reader_fixtures`; read back, it must give the same paragraphs as the plain text, less
what the format legitimately drops, with headings, sections and references right.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.data import AlignerError
from aligner.readers import SUPPORTED_EXTENSIONS, read_document, reader_for
from aligner.readers.common import join_wrapped
from aligner.readers.document import SourceDocument
from aligner.readers.plain import read_text
from tests.reader_fixtures import (
    html_page,
    write_docx,
    write_epub,
    write_markdown,
    write_odt,
    write_pdf,
    write_srt,
    write_vtt,
)
from tests.support import SEEDS

SEED = SEEDS / "001_80f9d8cd20d446c8.txt"
HEADING = "訪談摘錄 Interview excerpts"
_SPACE = re.compile(r"\s+")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    """The seed's paragraphs as the plain-text reader sees them, spaces collapsed."""
    document = read_document(SEED)
    return [" ".join(block.text.split()) for block in document.blocks]


@pytest.fixture(scope="module")
def heading_at(paragraphs: list[str]) -> int:
    return paragraphs.index(HEADING)


def texts(document: SourceDocument) -> list[str]:
    return [" ".join(block.text.split()) for block in document.blocks]


def assert_structure(document: SourceDocument, heading_at: int) -> None:
    """The heading opens section 1; everything before it is section 0."""
    blocks = document.blocks
    assert blocks[heading_at].heading
    assert [block.section for block in blocks] == [0] * heading_at + [1] * (
        len(blocks) - heading_at
    )
    assert sum(block.heading for block in blocks) == 1


def test_plain_text_is_read_exactly_as_before() -> None:
    document = read_document(SEED)
    assert document.kind == "text"
    assert document.text == read_text(SEED)
    assert all(block.ref == "" for block in document.blocks)
    assert len(document.blocks) == 66


def test_docx_reads_back_the_seed(tmp_path: Path, paragraphs: list[str], heading_at: int) -> None:
    path = write_docx(tmp_path / "seed.docx", paragraphs, {heading_at})
    document = read_document(path)
    assert document.kind == "docx"
    assert texts(document) == paragraphs
    assert_structure(document, heading_at)
    assert document.blocks[4].ref == "para 5"
    assert document.dropped == {"running headers/footers": 1}


def test_docx_table_cells_are_read_row_by_row(tmp_path: Path) -> None:
    import docx

    word = docx.Document()
    word.add_paragraph("Before the table.")
    table = word.add_table(rows=2, cols=2)
    for row, col, text in ((0, 0, "甲"), (0, 1, "乙"), (1, 0, "丙"), (1, 1, "丁")):
        table.cell(row, col).text = text
    word.add_paragraph("After the table.")
    word.save(str(tmp_path / "table.docx"))
    document = read_document(tmp_path / "table.docx")
    assert texts(document) == ["Before the table.", "甲", "乙", "丙", "丁", "After the table."]
    assert document.blocks[4].ref == "table 1 row 2 cell 2"


def test_odt_reads_back_the_seed(tmp_path: Path, paragraphs: list[str], heading_at: int) -> None:
    document = read_document(write_odt(tmp_path / "seed.odt", paragraphs, {heading_at}))
    assert document.kind == "odt"
    assert texts(document) == paragraphs
    assert_structure(document, heading_at)
    assert document.dropped == {"footnotes": 1}


def test_html_keeps_the_article_and_counts_the_boilerplate(
    tmp_path: Path, paragraphs: list[str], heading_at: int
) -> None:
    path = tmp_path / "seed.html"
    path.write_text(html_page(paragraphs, {heading_at}), encoding="utf-8")
    document = read_document(path)
    assert document.kind == "html"
    assert texts(document) == paragraphs
    assert_structure(document, heading_at)
    assert document.dropped["scripts"] == 2
    assert document.dropped["styles"] == 1
    assert document.dropped["navigation"] >= 1
    assert document.dropped["page footers"] == 1
    assert document.dropped["boilerplate paragraphs"] >= 1
    leaked = ("cookies", "Related articles", "All rights reserved", "About us", "tracking")
    assert not any(word in document.text for word in leaked)


def test_a_txt_that_is_really_html_is_read_as_html(
    tmp_path: Path, paragraphs: list[str], heading_at: int
) -> None:
    path = tmp_path / "saved.txt"
    path.write_text(html_page(paragraphs, {heading_at}), encoding="utf-8")
    assert reader_for(path).name == "html"
    assert texts(read_document(path)) == paragraphs


def test_html_without_main_text_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/x'>About</a></nav>"
        "<footer>© 2020</footer></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(AlignerError, match=r"menu\.html: no main text"):
        read_document(path)


def test_pdf_reads_back_the_seed_without_running_heads(
    tmp_path: Path, paragraphs: list[str], heading_at: int
) -> None:
    """Compared without whitespace: a PDF stores no spaces, pdfminer infers them from gaps.

    The seed's one private-use character is left out: the CID font has no glyph for it.
    """
    clean = [_PRIVATE_USE.sub("", text) for text in paragraphs]
    document = read_document(write_pdf(tmp_path / "seed.pdf", clean, {heading_at}))
    assert document.kind == "pdf"
    assert [_SPACE.sub("", text) for text in texts(document)] == [
        _SPACE.sub("", text) for text in clean
    ]
    assert_structure(document, heading_at)
    pages = len({block.ref.split(" para")[0] for block in document.blocks})
    assert pages > 3
    assert document.dropped["page numbers"] == pages
    assert document.dropped["running headers/footers"] == pages
    assert document.blocks[0].ref == "page 1 para 1"


def test_pdf_joins_words_hyphenated_at_line_ends(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(tmp_path / "hyphen.pdf"))
    lines = ["This paragraph is about the documen-", "tation of a system, its Co-", "Founder and"]
    for number, line in enumerate([*lines, "its results."]):
        canvas.drawString(72, 700 - 14 * number, line)
    canvas.showPage()
    canvas.save()
    document = read_document(tmp_path / "hyphen.pdf")
    assert texts(document) == [
        "This paragraph is about the documentation of a system, its Co-Founder and its results."
    ]
    assert document.dropped == {"line-end hyphens": 1}


def test_scanned_pdf_says_it_needs_ocr(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(tmp_path / "scan.pdf"))
    canvas.rect(100, 100, 300, 400, fill=1)
    canvas.showPage()
    canvas.save()
    with pytest.raises(AlignerError, match=r"scan\.pdf: the PDF has no text layer.*OCR"):
        read_document(tmp_path / "scan.pdf")


def test_encrypted_pdf_is_one_clear_error(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(tmp_path / "locked.pdf"), encrypt="secret")
    canvas.drawString(100, 700, "Confidential text.")
    canvas.showPage()
    canvas.save()
    with pytest.raises(AlignerError, match=r"locked\.pdf: the PDF is encrypted"):
        read_document(tmp_path / "locked.pdf")


def test_epub_reads_chapters_in_spine_order(
    tmp_path: Path, paragraphs: list[str], heading_at: int
) -> None:
    chapters = [paragraphs[:heading_at], paragraphs[heading_at:]]
    document = read_document(write_epub(tmp_path / "seed.epub", chapters, {HEADING}))
    assert document.kind == "epub"
    assert texts(document) == paragraphs
    assert_structure(document, heading_at)
    assert document.blocks[heading_at + 1].ref == "chapter 2 para 2"
    assert document.dropped == {"navigation": 1}


def test_epub_chapters_are_sections_even_without_headings(tmp_path: Path) -> None:
    document = read_document(write_epub(tmp_path / "two.epub", [["一。"], ["Two."]], set()))
    assert [block.section for block in document.blocks] == [0, 1]


@pytest.mark.parametrize("kind", ["srt", "vtt"])
def test_subtitles_read_back_one_cue_per_paragraph_with_times(
    tmp_path: Path, paragraphs: list[str], kind: str
) -> None:
    writer = write_srt if kind == "srt" else write_vtt
    document = read_document(writer(tmp_path / f"seed.{kind}", paragraphs))
    assert document.kind == kind
    assert texts(document) == paragraphs
    assert document.blocks[2].times == (6.0, 7.5)
    assert document.blocks[2].ref == "cue 3"
    if kind == "vtt":
        assert document.dropped["notes"] == 1


def test_subtitle_lines_join_without_spaces_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "zh.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\n<i>我們今天</i>\n談人工智能\n", "utf-8")
    document = read_document(path)
    assert texts(document) == ["我們今天談人工智能"]
    assert document.dropped == {"formatting tags": 2}


def test_markdown_strips_markup_and_drops_code(
    tmp_path: Path, paragraphs: list[str], heading_at: int
) -> None:
    document = read_document(write_markdown(tmp_path / "seed.md", paragraphs, {heading_at}))
    assert document.kind == "markdown"
    assert texts(document) == paragraphs
    assert_structure(document, heading_at)
    assert document.dropped == {"front matter": 1, "images": 1, "code blocks": 1}
    assert document.blocks[0].ref.startswith("line ")


def test_markdown_joins_wrapped_lines_and_keeps_hard_breaks(tmp_path: Path) -> None:
    path = tmp_path / "wrap.md"
    path.write_text("中文句子在這裡\n繼續。 *Some* `code`\nwraps.  \nNew line.\n", "utf-8")
    assert texts(read_document(path)) == ["中文句子在這裡繼續。 Some code wraps. New line."]
    assert read_document(path).blocks[0].text.count("\n") == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", r"broken\.docx: not a readable DOCX"),
        ("broken.epub", b"PK\x03\x04 not really a zip", r"broken\.epub: not a readable EPUB"),
        ("broken.odt", b"garbage", r"broken\.odt: not a readable ODT"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", r"broken\.pdf: not a readable PDF"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, r"old\.doc: .*save it as"),
        ("empty.docx", b"", r"empty\.docx: the file is empty"),
    ],
)
def test_damaged_files_are_one_clear_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(AlignerError, match=message):
        read_document(path)


def test_a_docx_missing_its_document_part_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "hollow.epub"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
    with pytest.raises(AlignerError, match=r"hollow\.epub: .*META-INF/container\.xml"):
        read_document(path)


def test_content_wins_over_a_wrong_extension(tmp_path: Path, paragraphs: list[str]) -> None:
    path = write_pdf(tmp_path / "really-a-pdf.docx", paragraphs[:3], set())
    assert reader_for(path).name == "pdf"


def test_unknown_extensions_are_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.log"
    path.write_text("第一段。\n\nSecond paragraph.\n", "utf-8")
    assert read_document(path).kind == "text"


def test_every_format_is_registered() -> None:
    expected = {".docx", ".odt", ".html", ".htm", ".pdf", ".epub", ".srt", ".vtt", ".xlf"}
    assert expected | {".xliff", ".tmx", ".md", ".txt"} <= SUPPORTED_EXTENSIONS


_LINE = st.text(st.sampled_from("中文句子AB c,.。（(1 "), min_size=0, max_size=12)


@given(st.lists(_LINE, max_size=8))
def test_joining_wrapped_lines_never_loses_a_character(lines: list[str]) -> None:
    assert _SPACE.sub("", join_wrapped(lines)) == _SPACE.sub("", "".join(lines))
    assert "\n" not in join_wrapped(lines)


@pytest.mark.parametrize("declared", [True, False])
def test_html_in_gbk_is_decoded_with_or_without_a_declared_charset(
    tmp_path: Path, declared: bool
) -> None:
    paragraphs = ["我市科技创新工作取得新进展，全市高新技术企业数量达到一万二千余家。"] * 3
    page = html_page(paragraphs, set())
    page = (
        page.replace('charset="utf-8"', 'charset="gbk"')
        if declared
        else page.replace('<meta charset="utf-8">', "")
    )
    path = tmp_path / "gbk.html"
    path.write_bytes(page.replace("©", "(c)").encode("gbk"))
    assert texts(read_document(path)) == paragraphs
