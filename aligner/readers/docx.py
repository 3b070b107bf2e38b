"""Word documents (.docx): body paragraphs and table cells in reading order.

Headings are paragraphs whose style is a heading or the title (or that carry an
outline level), so a translator's chapter structure survives. Headers and footers
repeat on every page and are not part of the text: they are counted, not read.
"""

from __future__ import annotations

import zipfile
import zlib
from collections import Counter
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from aligner.data import AlignerError
from aligner.readers.common import BlockList, check_file
from aligner.readers.document import SourceDocument

_HEADING_STYLES = ("heading", "title", "subtitle")


def _is_heading(paragraph: Paragraph) -> bool:
    style = paragraph.style
    name = (style.name or "").lower() if style is not None else ""
    if name.startswith(_HEADING_STYLES):
        return True
    properties = paragraph._p.pPr
    return properties is not None and properties.find(qn("w:outlineLvl")) is not None


def _read_table(table: Table, number: int, blocks: BlockList) -> None:
    """Each cell's paragraphs, row by row; a merged cell is read once."""
    seen: set[object] = set()
    for row_number, row in enumerate(table.rows, start=1):
        for cell_number, cell in enumerate(row.cells, start=1):
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            for paragraph in cell.paragraphs:
                blocks.add(paragraph.text, f"table {number} row {row_number} cell {cell_number}")


def _count_headers_footers(document: docx.document.Document, dropped: Counter[str]) -> None:
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous and any(p.text.strip() for p in part.paragraphs):
                dropped["running headers/footers"] += 1


def read_docx(path: Path) -> SourceDocument:
    check_file(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, KeyError, ValueError) as error:
        raise AlignerError(
            f"{path}: not a readable Word document; damaged or not a .docx ({error})"
        ) from None
    blocks = BlockList()
    dropped: Counter[str] = Counter()
    paragraphs = tables = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            paragraphs += 1
            blocks.add(item.text, f"para {paragraphs}", heading=_is_heading(item))
        else:
            tables += 1
            _read_table(item, tables, blocks)
    _count_headers_footers(document, dropped)
    if not blocks.blocks:
        raise AlignerError(f"{path}: the Word document has no text")
    return SourceDocument(path, "docx", blocks=blocks.blocks, dropped=dropped)
