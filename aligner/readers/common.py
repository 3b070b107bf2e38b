"""Helpers every reader shares: checking the file, opening zips and XML, building blocks."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from lxml import etree

from aligner.data import AlignerError
from aligner.readers.document import Block

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
_ENDS_CJK = re.compile(f"[{_CJK}]$")
_STARTS_CJK = re.compile(f"^[{_CJK}]")
_STARTS_CJK_PUNCTUATION = re.compile("^[\u3000-\u303f\uff00-\uffef]")
_STARTS_SYMBOL_OR_DIGIT = re.compile(r"^[^\w\s]|^\d")
_ENDS_MARK = re.compile(r"[^\w\s]$")
_ENDS_WORD_HYPHEN = re.compile(r"[A-Za-z]-$")
_SPACE_RUN = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n")


def check_file(path: Path) -> None:
    """The errors every reader gives before opening a file, worded as `read_text` words them."""
    if not path.exists():
        raise AlignerError(f"{path}: no such file")
    if path.is_dir():
        raise AlignerError(f"{path}: is a directory, expected a document")
    if path.stat().st_size == 0:
        raise AlignerError(f"{path}: the file is empty")


def join_wrapped(lines: Iterable[str]) -> str:
    """Join lines that were wrapped for display into one line.

    Chinese takes no space between characters, and the segmenter reads a line break in
    Chinese text as a sentence end. So a wrap joins with nothing after a CJK character
    before another one, a digit or punctuation (`聯` + `(lián)`), after any mark before
    CJK (`機制,` + `創始`), after a hyphen inside a word (`Co-` + `founder`), and before
    CJK punctuation; any other wrap joins with one space
    (`在` + `AI領域` keeps a space the original may not have had).
    """
    joined = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if joined and not _glued(joined, line):
            joined += " "
        joined += line
    return joined


def _glued(before: str, after: str) -> bool:
    if _ENDS_WORD_HYPHEN.search(before) and after[:1].isalpha():
        return True
    if _ENDS_CJK.search(before):
        return bool(_STARTS_CJK.match(after) or _STARTS_SYMBOL_OR_DIGIT.match(after))
    if _ENDS_MARK.search(before):
        return bool(_STARTS_CJK.match(after))
    return bool(_STARTS_CJK_PUNCTUATION.match(after))


_UNTIDY = re.compile(r"\s\s|[^\S ]|^\s|\s$")


def tidy(text: str) -> str:
    """Runs of spaces made one, line ends stripped, no blank line left inside."""
    if not _UNTIDY.search(text):
        return text
    lines = (_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()


class BlockList:
    """Collects a document's blocks and numbers its sections.

    A heading opens a new section, and so does a chapter; an empty section is never
    opened twice, so a chapter that starts with a heading is one section.
    """

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._section = 0
        self._section_empty = True

    def new_section(self) -> None:
        if not self._section_empty:
            self._section += 1
            self._section_empty = True

    def add(
        self,
        text: str,
        ref: str,
        heading: bool = False,
        times: tuple[float, float] | None = None,
    ) -> None:
        text = tidy(text)
        if not text:
            return
        if heading:
            self.new_section()
        self.blocks.append(Block(text, ref, self._section, heading, times))
        self._section_empty = False


def open_zip(path: Path, what: str) -> zipfile.ZipFile:
    """A zip-based document opened for reading, or one clear error if it is damaged."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise AlignerError(f"{path}: not a readable {what} (damaged zip: {error})") from None


def zip_member(archive: zipfile.ZipFile, name: str, path: Path, what: str) -> bytes:
    """One member's bytes; a missing or damaged member is one clear error."""
    try:
        return archive.read(name)
    except KeyError:
        raise AlignerError(f"{path}: not a readable {what} (it has no {name})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise AlignerError(f"{path}: not a readable {what} (damaged {name}: {error})") from None


SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def parse_xml(source: bytes | IO[bytes], path: Path, what: str) -> etree._Element:
    """XML without entity expansion or network access; malformed XML is one clear error."""
    try:
        if isinstance(source, bytes):
            return etree.fromstring(source, SAFE_XML)
        return etree.parse(source, SAFE_XML).getroot()
    except etree.XMLSyntaxError as error:
        raise AlignerError(f"{path}: not a readable {what} (bad XML: {error})") from None


def local_name(element: etree._Element) -> str:
    """A tag without its namespace; comments and processing instructions give ''."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
