"""EPUB e-books: the chapters in spine order, each chapter its own section.

Read with lxml from the zip (container.xml -> package document -> spine) rather than
ebooklib, which is AGPL-licensed. The navigation document and items the spine marks
non-linear (covers, pop-up notes) are not running text: counted and left out.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import lxml.html
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
from aligner.readers.markup import read_markup

EPUB_MIMETYPE = b"application/epub+zip"
_CONTAINER = "META-INF/container.xml"
_WHAT = "EPUB e-book"


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element.iter() if local_name(child) == name]


def _spine(package: etree._Element, path: Path) -> list[tuple[str, str, bool]]:
    """(href, properties, linear) of each spine item, in reading order."""
    manifest = {
        item.get("id"): (unquote(item.get("href", "")), item.get("properties", ""))
        for item in _children(package, "item")
    }
    spine = []
    for itemref in _children(package, "itemref"):
        if itemref.get("idref") not in manifest:
            raise AlignerError(f"{path}: damaged EPUB (spine names a missing item)")
        href, properties = manifest[itemref.get("idref")]
        spine.append((href, properties, itemref.get("linear", "yes") != "no"))
    return spine


def _chapter_root(data: bytes) -> etree._Element:
    """XHTML as XML; a chapter that is not well-formed is read as HTML, as readers do."""
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return lxml.html.document_fromstring(data)


def read_epub(path: Path) -> SourceDocument:
    check_file(path)
    blocks = BlockList()
    dropped: Counter[str] = Counter()
    with open_zip(path, _WHAT) as archive:
        if "META-INF/encryption.xml" in archive.namelist():
            raise AlignerError(f"{path}: the e-book is encrypted (DRM); it cannot be read")
        container = parse_xml(zip_member(archive, _CONTAINER, path, _WHAT), path, _WHAT)
        rootfiles = _children(container, "rootfile")
        if not rootfiles:
            raise AlignerError(f"{path}: damaged EPUB ({_CONTAINER} names no package document)")
        package_path = rootfiles[0].get("full-path", "")
        package = parse_xml(zip_member(archive, package_path, path, _WHAT), path, _WHAT)
        folder = posixpath.dirname(package_path)
        chapters = 0
        for href, properties, linear in _spine(package, path):
            if "nav" in properties.split():
                dropped["navigation"] += 1
                continue
            if not linear:
                dropped["non-linear items (cover, notes)"] += 1
                continue
            member = posixpath.normpath(posixpath.join(folder, href))
            root = _chapter_root(zip_member(archive, member, path, _WHAT))
            chapters += 1
            blocks.new_section()
            read_markup(root, blocks, dropped, ref_prefix=f"chapter {chapters} ")
    if not blocks.blocks:
        raise AlignerError(f"{path}: the e-book has no text in its chapters")
    return SourceDocument(path, "epub", blocks=blocks.blocks, dropped=dropped)
