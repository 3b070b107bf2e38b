"""OpenDocument text (.odt): paragraphs and headings from the zip's content.xml.

Read with lxml straight from the archive rather than odfpy: lxml is already a
dependency, the format's text model is a handful of elements, and odfpy has had no
release since 2020. Footnotes, comments and the table of contents are not running
text: they are counted and left out.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from lxml import etree

from aligner.data import AlignerError
from aligner.readers.common import (
    BlockList,
    check_file,
    local_name,
    open_zip,
    parse_xml,
    zip_member,
)
from aligner.readers.document import SourceDocument

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_SKIPPED = {
    "note": "footnotes",
    "annotation": "comments",
    "table-of-content": "tables of contents",
    "tracked-changes": "tracked changes",
    "sequence-decls": "",
}
_WHAT = "OpenDocument text (.odt)"


def _inline_text(element: etree._Element, dropped: Counter[str]) -> str:
    """A paragraph's text: spans and links joined, `text:s` spaces and breaks restored."""
    pieces = [element.text or ""]
    for child in element:
        name = local_name(child)
        if name in _SKIPPED:
            if _SKIPPED[name]:
                dropped[_SKIPPED[name]] += 1
        elif name == "s":
            pieces.append(" " * int(child.get(f"{{{TEXT_NS}}}c", "1")))
        elif name == "tab":
            pieces.append("\t")
        elif name == "line-break":
            pieces.append("\n")
        elif name:
            pieces.append(_inline_text(child, dropped))
        pieces.append(child.tail or "")
    return "".join(pieces)


class _Reader:
    def __init__(self) -> None:
        self.blocks = BlockList()
        self.dropped: Counter[str] = Counter()
        self.number = 0

    def walk(self, element: etree._Element) -> None:
        for child in element:
            name = local_name(child)
            if name in _SKIPPED:
                if _SKIPPED[name]:
                    self.dropped[_SKIPPED[name]] += 1
            elif name in ("p", "h"):
                self.number += 1
                text = _inline_text(child, self.dropped)
                self.blocks.add(text, f"para {self.number}", heading=name == "h")
            elif name:
                self.walk(child)


def read_odt(path: Path) -> SourceDocument:
    check_file(path)
    with open_zip(path, _WHAT) as archive:
        if "mimetype" in archive.namelist():
            mimetype = zip_member(archive, "mimetype", path, _WHAT)
            if not mimetype.startswith(ODT_MIMETYPE):
                raise AlignerError(f"{path}: not an OpenDocument text file (it is {mimetype!r})")
        root = parse_xml(zip_member(archive, "content.xml", path, _WHAT), path, _WHAT)
    body = root.find(f"{{{OFFICE_NS}}}body/{{{OFFICE_NS}}}text")
    if body is None:
        raise AlignerError(f"{path}: not an OpenDocument text document (no office:text body)")
    reader = _Reader()
    reader.walk(body)
    if not reader.blocks.blocks:
        raise AlignerError(f"{path}: the OpenDocument file has no text")
    return SourceDocument(path, "odt", blocks=reader.blocks.blocks, dropped=reader.dropped)
