"""Saved web pages: the main text only, headings and paragraphs kept.

Boilerplate removal is trafilatura's: on pages built around real articles (a bilingual
interview, a Chinese news story, an English blog post, each with cookie banner,
navigation, sidebar, comments and footer; `benchmarks/bench_html_extract.py`) it kept
98-100% of the article text and leaked none of the boilerplate, where jusText lost
13% of the interview and all of the Chinese story, and a plain walk over the page
minus its landmark elements leaked 43-100% of the boilerplate.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import lxml.html
from lxml import etree

from aligner.data import AlignerError
from aligner.readers.common import BlockList, check_file, local_name
from aligner.readers.document import SourceDocument
from aligner.readers.markup import SKIPPED, read_markup
from aligner.readers.plain import decode

_LANDMARKS = frozenset({"nav", "header", "footer", "aside", "form"})
_SPACE = re.compile(r"\s+")
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAGS = re.compile(
    rb"<(?:p|div|br|span|a|h[1-6]|body|head|table|li|meta|title)\b[^>]*>", re.IGNORECASE
)


def looks_like_html(head: bytes) -> bool:
    """A doctype or `<html>` at the start, or markup dense enough to be a page fragment."""
    if _HTML_START.match(head):
        return True
    tags = _HTML_TAGS.findall(head)
    return len(tags) >= 3 and len(b"".join(tags)) > len(head) * 0.02


_DECLARED_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=|<\?xml[^>]+encoding\s*=|^(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)",
    re.IGNORECASE,
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def _parse(data: bytes, path: Path, guesses: Counter[str]) -> etree._Element:
    """A page whose encoding is declared is parsed as bytes, as a browser would; one that
    declares none is decoded like a text file (UTF-8, else the best guess) first."""
    if _DECLARED_CHARSET.search(data[:4096]):
        return lxml.html.document_fromstring(data)
    return lxml.html.document_fromstring(_XML_DECLARATION.sub("", decode(data, str(path), guesses)))


def _normal(text: str) -> str:
    return _SPACE.sub("", text)


def _count_skipped(tree: etree._Element, dropped: Counter[str]) -> list[str]:
    """Count the page's scripts, styles and landmarks; return the landmarks' texts."""
    landmark_texts: list[str] = []
    for element in tree.iter():
        tag = local_name(element).lower()
        if SKIPPED.get(tag):
            dropped[SKIPPED[tag]] += 1
        if tag in _LANDMARKS:
            landmark_texts.append(_normal(element.text_content()))
    return landmark_texts


def read_html_bytes(data: bytes, path: Path) -> SourceDocument:
    """The main text of a page held in memory (the reader's work without the file)."""
    dropped: Counter[str] = Counter()
    guesses: Counter[str] = Counter()
    try:
        tree = _parse(data, path, guesses)
    except (etree.ParserError, ValueError) as error:
        raise AlignerError(f"{path}: not a readable HTML page ({error})") from None
    import trafilatura  # a second to import: only when a page is read

    landmark_texts = _count_skipped(tree, dropped)
    everything = BlockList()
    read_markup(tree, everything, Counter())
    extracted = trafilatura.extract(
        tree,
        output_format="html",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
    )
    found = BlockList()
    if extracted:
        read_markup(lxml.html.document_fromstring(extracted), found, Counter())
    blocks = BlockList()
    for block in found.blocks:
        text = _normal(block.text)
        if any(text in landmark for landmark in landmark_texts):
            dropped["navigation"] += 1
            continue
        blocks.add(block.text, block.ref, heading=block.heading)
    if not blocks.blocks:
        raise AlignerError(
            f"{path}: no main text found in the page (only navigation, scripts or boilerplate)"
        )
    kept = _normal("".join(block.text for block in blocks.blocks))
    left_out = sum(1 for block in everything.blocks if _normal(block.text) not in kept)
    if left_out:
        dropped["boilerplate paragraphs"] += left_out
    return SourceDocument(path, "html", blocks=blocks.blocks, dropped=dropped, repairs=guesses)


def read_html(path: Path) -> SourceDocument:
    check_file(path)
    return read_html_bytes(path.read_bytes(), path)
