"""Read documents as users have them: Word, OpenDocument, web pages, PDF, EPUB, subtitles,
XLIFF, TMX, Markdown and plain text.

The reader is chosen by the file's extension and checked against its content: a `.txt`
that is really a saved web page is read as HTML, a `.docx` that is really a PDF as a
PDF. Every reader returns a `SourceDocument`: paragraphs with their structure and
where they came from, or translation units for bilingual files, plus a count of what
it left out.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aligner.data import AlignerError
from aligner.readers.common import check_file
from aligner.readers.document import Block, SourceDocument, SourceUnit
from aligner.readers.docx import read_docx
from aligner.readers.epub import EPUB_MIMETYPE, read_epub
from aligner.readers.html import looks_like_html, read_html
from aligner.readers.markdown import read_markdown
from aligner.readers.odt import ODT_MIMETYPE, read_odt
from aligner.readers.pdf import read_pdf
from aligner.readers.plain import read_plain
from aligner.readers.subtitles import looks_like_srt, looks_like_vtt, read_srt, read_vtt
from aligner.readers.tmx import looks_like_tmx, read_tmx
from aligner.readers.xliff import looks_like_xliff, read_xliff

__all__ = [
    "READERS",
    "SUPPORTED_EXTENSIONS",
    "Block",
    "Reader",
    "SourceDocument",
    "SourceUnit",
    "read_document",
    "reader_for",
]

HEAD_BYTES = 8192
"""How much of a file the content checks look at."""


@dataclass(frozen=True)
class Reader:
    """One input format: its name, extensions, content check and read function.

    `sniff` looks at the first HEAD_BYTES of the file (and may open a zip by its path);
    None means the format cannot be told by content (Markdown, plain text).
    `binary` formats are refused when the content check fails instead of read as text.
    """

    name: str
    extensions: tuple[str, ...]
    sniff: Callable[[bytes, Path], bool] | None
    read: Callable[[Path], SourceDocument]
    binary: bool = False


def _zip_mimetype(path: Path) -> bytes:
    """The `mimetype` member OpenDocument and EPUB files start with, or b'' if none."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "mimetype" in archive.namelist():
                return archive.read("mimetype").strip()
            return b""
    except (zipfile.BadZipFile, OSError, KeyError, EOFError):
        return b""


def _is_docx(head: bytes, path: Path) -> bool:
    if not head.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return False


def _is_pdf(head: bytes, _: Path) -> bool:
    return head.lstrip()[:5] == b"%PDF-"


def _is_odt(head: bytes, path: Path) -> bool:
    return head.startswith(b"PK") and _zip_mimetype(path) == ODT_MIMETYPE


def _is_epub(head: bytes, path: Path) -> bool:
    return head.startswith(b"PK") and _zip_mimetype(path) == EPUB_MIMETYPE


def _by_head(check: Callable[[bytes], bool]) -> Callable[[bytes, Path], bool]:
    return lambda head, _: check(head)


READERS: tuple[Reader, ...] = (
    Reader("pdf", (".pdf",), _is_pdf, read_pdf, binary=True),
    Reader("docx", (".docx",), _is_docx, read_docx, binary=True),
    Reader("odt", (".odt",), _is_odt, read_odt, binary=True),
    Reader("epub", (".epub",), _is_epub, read_epub, binary=True),
    Reader("xliff", (".xlf", ".xliff"), _by_head(looks_like_xliff), read_xliff),
    Reader("tmx", (".tmx",), _by_head(looks_like_tmx), read_tmx),
    Reader("vtt", (".vtt",), _by_head(looks_like_vtt), read_vtt),
    Reader("srt", (".srt",), _by_head(looks_like_srt), read_srt),
    Reader("html", (".html", ".htm", ".xhtml"), _by_head(looks_like_html), read_html),
    Reader("markdown", (".md", ".markdown"), None, read_markdown),
    Reader("text", (".txt", ""), None, read_plain),
)
SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(
    extension for reader in READERS for extension in reader.extensions if extension
)
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BY_NAME = {reader.name: reader for reader in READERS}


def _head(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(HEAD_BYTES)


def reader_for(path: Path) -> Reader:
    """The reader for a file: by extension when the content agrees, else by content.

    Unknown extensions and formats without a content check fall back to plain text,
    which is what the aligner always read.
    """
    check_file(path)
    head = _head(path)
    if head.startswith(_OLE_SIGNATURE):
        raise AlignerError(
            f"{path}: an old binary Office file (.doc, .xls, .ppt); save it as .docx and retry"
        )
    suffix = path.suffix.lower()
    by_extension = next((r for r in READERS if suffix in r.extensions), _BY_NAME["text"])
    if by_extension.sniff is not None and by_extension.sniff(head, path):
        return by_extension
    by_content = next((r for r in READERS if r.sniff is not None and r.sniff(head, path)), None)
    if by_content is not None:
        return by_content
    if by_extension.binary:
        raise AlignerError(
            f"{path}: not a readable {by_extension.name.upper()} file "
            "(damaged, or not the format its extension says)"
        )
    return by_extension


def read_document(path: Path) -> SourceDocument:
    """Read any supported document (see READERS) into blocks or translation units."""
    return reader_for(Path(path)).read(Path(path))
