"""What the writers share: text views of binary outputs and the characters some formats
cannot carry."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

# Characters XML 1.0 cannot carry at all, even escaped.
XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Everything `str.splitlines` breaks on, plus tabs: would split a line-oriented row.
_ROW_BREAKERS = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


@contextmanager
def text_view(stream: IO[bytes]) -> Iterator[io.TextIOWrapper]:
    """A UTF-8 text view of a binary stream that leaves the stream open (it may be stdout)."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    try:
        yield text
    finally:
        text.flush()
        text.detach()


def xml_text(text: str) -> str:
    """Text as XML can hold it: illegal characters dropped, edges trimmed."""
    return XML_ILLEGAL.sub("", text).strip()


def one_line(text: str) -> str:
    """Text for a line-oriented row (TSV, Moses): breaks and tabs become spaces."""
    return _ROW_BREAKERS.sub(" ", text).strip()
