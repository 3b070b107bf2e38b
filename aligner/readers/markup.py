"""Paragraphs and headings out of an HTML or XHTML tree (web pages after boilerplate
removal, EPUB chapters).

Block elements (`p`, `li`, `h1`…`h6`, `td`, …) become blocks; inline elements join
their text; `br` is a real line break. Elements that are never running text (scripts,
styles, navigation, forms, code) are skipped and counted.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from aligner.readers.common import BlockList, join_wrapped, local_name

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BLOCKS = HEADINGS | frozenset(
    {
        "p", "div", "li", "dt", "dd", "blockquote", "figcaption", "td", "th", "caption",
        "address", "section", "article", "main", "body", "ul", "ol", "dl", "table", "tr",
        "figure", "hgroup", "center", "details", "summary",
    }
)  # fmt: skip
SKIPPED = {
    "script": "scripts",
    "noscript": "scripts",
    "template": "scripts",
    "style": "styles",
    "nav": "navigation",
    "header": "page headers",
    "footer": "page footers",
    "aside": "sidebars",
    "form": "forms",
    "button": "forms",
    "select": "forms",
    "iframe": "embedded frames",
    "svg": "images",
    "pre": "code blocks",
    "head": "",
    "title": "",
}
_LINE_BREAK = "\u2028"
_WHITESPACE = re.compile(r"[^\S\u2028]+")


class _Walker:
    """Carries the text of the block being read until a block boundary flushes it."""

    def __init__(self, blocks: BlockList, dropped: Counter[str], ref_prefix: str) -> None:
        self.blocks = blocks
        self.dropped = dropped
        self.ref_prefix = ref_prefix
        self.pieces: list[str] = []
        self.heading_depth = 0
        self.number = 0

    def text(self, text: str | None) -> None:
        if text:
            self.pieces.append(text)

    def flush(self) -> None:
        raw = "".join(self.pieces)
        self.pieces = []
        lines = [
            join_wrapped(_WHITESPACE.sub(" ", line).split("\n")) for line in raw.split(_LINE_BREAK)
        ]
        text = "\n".join(line for line in lines if line.strip())
        if text.strip():
            self.number += 1
            self.blocks.add(text, f"{self.ref_prefix}para {self.number}", self.heading_depth > 0)

    def walk(self, element: etree._Element) -> None:
        tag = local_name(element).lower()
        if not tag:
            return
        if tag in SKIPPED:
            if SKIPPED[tag]:
                self.dropped[SKIPPED[tag]] += 1
            return
        if tag == "br":
            self.text(_LINE_BREAK)
            return
        block = tag in BLOCKS
        if block:
            self.flush()
            self.heading_depth += tag in HEADINGS
        self.text(element.text)
        for child in element:
            self.walk(child)
            self.text(child.tail)
        if block:
            self.flush()
            self.heading_depth -= tag in HEADINGS


def read_markup(
    root: etree._Element, blocks: BlockList, dropped: Counter[str], ref_prefix: str = ""
) -> None:
    """Add the blocks of an (X)HTML tree to `blocks`, counting what was skipped."""
    walker = _Walker(blocks, dropped, ref_prefix)
    walker.walk(root)
    walker.flush()
