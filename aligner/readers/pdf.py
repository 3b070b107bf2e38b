"""PDF (.pdf): the text layer as paragraphs, without running headers, footers or page numbers.

pdfminer.six (MIT) lays each page out into text boxes of lines; a box is a paragraph
unless a short line ending a sentence splits it. Lines are joined (no space between
Chinese characters), a hyphen that breaks a word at a line end is removed, and a
paragraph cut by a page break is joined again. A line in the top or bottom margin
that repeats on most pages is a running header or footer, and a bare number there a
page number: both are counted and dropped. Boxes set in a clearly larger size than
the body text are headings. A PDF without a text layer (a scan) needs OCR first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.data import AlignerError
from aligner.readers.common import BlockList, check_file, join_wrapped
from aligner.readers.document import SourceDocument

if TYPE_CHECKING:
    from pdfminer.layout import LTPage, LTTextLine

MARGIN = 0.1
"""Share of the page height at the top and at the bottom where running heads live."""
HEADING_SIZE = 1.15
"""A box set this many times larger than the body text is a heading."""
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—(]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)]?(?:\s*(?:/|of)\s*\d{1,4})?$"
    r"|^第\s*\d{1,4}\s*页(?:\s*/?\s*共\s*\d{1,4}\s*页)?$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"[.!?。！？…:：][”’\"')）」』]*$")
_WORD_HYPHEN = re.compile(r"[A-Za-z]-$")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    size: float


@dataclass
class _Box:
    lines: list[_Line]
    page: int
    y0: float
    y1: float
    x1: float
    in_margin: bool = False

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


@dataclass
class _Paragraph:
    lines: list[_Line]
    page: int
    heading: bool = False


def _line(line: LTTextLine) -> _Line:
    from pdfminer.layout import LTChar

    sizes = [char.size for char in line if isinstance(char, LTChar)]
    size = sum(sizes) / len(sizes) if sizes else 0.0
    return _Line(" ".join(line.get_text().split()), line.x0, line.x1, size)


def _boxes(page: LTPage, number: int) -> list[_Box]:
    from pdfminer.layout import LTTextBox, LTTextLine

    boxes = []
    for element in page:
        if not isinstance(element, LTTextBox):
            continue
        lines = [_line(line) for line in element if isinstance(line, LTTextLine)]
        lines = [line for line in lines if line.text]
        if lines:
            in_margin = element.y0 > page.height * (1 - MARGIN) or element.y1 < page.height * MARGIN
            boxes.append(_Box(lines, number, element.y0, element.y1, element.x1, in_margin))
    return boxes


def _pages(path: Path) -> Iterator[list[_Box]]:
    """Each page's text boxes; pdfminer is imported here, when a PDF is read."""
    from pdfminer.high_level import extract_pages
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSEOF, PSSyntaxError

    try:
        for number, page in enumerate(extract_pages(path), start=1):
            yield _boxes(page, number)
    except PDFPasswordIncorrect:
        raise AlignerError(
            f"{path}: the PDF is encrypted with a password; decrypt it first"
        ) from None
    except PDFEncryptionError as error:
        raise AlignerError(
            f"{path}: the PDF is encrypted in a way that cannot be read ({error})"
        ) from None
    except (PDFSyntaxError, PSEOF, PSSyntaxError, ValueError, KeyError, TypeError) as error:
        raise AlignerError(f"{path}: not a readable PDF (damaged: {error})") from None


def _drop_running_heads(pages: list[list[_Box]], dropped: Counter[str]) -> None:
    """Remove page numbers and margin lines repeated on at least half of the pages."""
    seen_on: Counter[str] = Counter()
    for boxes in pages:
        seen_on.update({_DIGITS.sub("#", box.text) for box in boxes if box.in_margin})
    repeated = max(2, (len(pages) + 1) // 2)
    for boxes in pages:
        for box in list(boxes):
            if not box.in_margin:
                continue
            if _PAGE_NUMBER.match(box.text.strip()):
                dropped["page numbers"] += 1
            elif seen_on[_DIGITS.sub("#", box.text)] >= repeated:
                dropped["running headers/footers"] += 1
            else:
                continue
            boxes.remove(box)


def _body_size(pages: list[list[_Box]]) -> float:
    """The size most of the text is set in, counted by characters outside the margins."""
    sizes: Counter[float] = Counter()
    for boxes in pages:
        for box in boxes:
            for line in [] if box.in_margin else box.lines:
                sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _split_box(box: _Box, body_size: float) -> list[_Paragraph]:
    """A box cut after each short line that ends a sentence (paragraphs set without gaps)."""
    mean_size = sum(line.size for line in box.lines) / len(box.lines)
    heading = body_size > 0 and mean_size >= body_size * HEADING_SIZE and len(box.lines) <= 3
    if heading:
        return [_Paragraph(box.lines, box.page, heading=True)]
    width = box.x1 - min(line.x0 for line in box.lines)
    paragraphs = [_Paragraph([], box.page)]
    for number, line in enumerate(box.lines):
        paragraphs[-1].lines.append(line)
        short = box.x1 - line.x1 > width * 0.15
        if short and _SENTENCE_END.search(line.text) and number < len(box.lines) - 1:
            paragraphs.append(_Paragraph([], box.page))
    return paragraphs


def _continues(previous: _Paragraph, following: _Paragraph, right_edge: float) -> bool:
    """Whether a page break cut a paragraph: the last line runs full and ends mid-sentence."""
    if previous.page == following.page or previous.heading or following.heading:
        return False
    last = previous.lines[-1]
    return last.x1 >= right_edge * 0.9 and not _SENTENCE_END.search(last.text)


def _joined(lines: list[_Line], dropped: Counter[str]) -> str:
    """Lines joined into one, word-breaking hyphens at line ends removed."""
    texts = [line.text for line in lines]
    for number in range(len(texts) - 1):
        following = texts[number + 1]
        if _WORD_HYPHEN.search(texts[number]) and following[:1].islower():
            texts[number] = texts[number][:-1]
            texts[number + 1] = "\0" + following
            dropped["line-end hyphens"] += 1
    return join_wrapped(texts).replace(" \0", "").replace("\0", "")


def read_pdf(path: Path) -> SourceDocument:
    check_file(path)
    dropped: Counter[str] = Counter()
    pages = list(_pages(path))
    if not any(pages):
        raise AlignerError(
            f"{path}: the PDF has no text layer (a scan?); it needs OCR first, "
            "e.g. with ocrmypdf, before it can be aligned"
        )
    empty = sum(1 for boxes in pages if not boxes)
    if empty:
        dropped["pages without text (scans?)"] += empty
    _drop_running_heads(pages, dropped)
    body_size = _body_size(pages)
    right_edge = max((box.x1 for boxes in pages for box in boxes), default=0.0)
    paragraphs: list[_Paragraph] = []
    for boxes in pages:
        for box in boxes:
            for paragraph in _split_box(box, body_size):
                if paragraphs and _continues(paragraphs[-1], paragraph, right_edge):
                    paragraphs[-1].lines.extend(paragraph.lines)
                else:
                    paragraphs.append(paragraph)
    blocks = BlockList()
    on_page: Counter[int] = Counter()
    for paragraph in paragraphs:
        on_page[paragraph.page] += 1
        ref = f"page {paragraph.page} para {on_page[paragraph.page]}"
        blocks.add(_joined(paragraph.lines, dropped), ref, heading=paragraph.heading)
    return SourceDocument(path, "pdf", blocks=blocks.blocks, dropped=dropped)
