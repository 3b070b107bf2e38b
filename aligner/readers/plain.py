"""Plain text: read as it always was, blank-line separated paragraphs.

`read_text` and `decode` (encoding detection, line ends) are imported here and nowhere
else in the readers, so moving them changes one import.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from aligner.io import decode, read_text
from aligner.readers.document import Block, SourceDocument

__all__ = ["decode", "read_plain", "read_text"]

BLANK_LINES = re.compile(r"\n[^\S\n]*\n\s*")
"""Blank-line paragraph breaks, as the splitter finds them (aligner.split.BLANK_LINES)."""


def read_plain(path: Path) -> SourceDocument:
    """The text exactly as read, for byte-identical results, plus its paragraphs as blocks.

    Plain text has no references: the paragraph is all there is, and output made from
    plain text must not change.
    """
    guesses: Counter[str] = Counter()
    text = read_text(path, guesses)
    blocks = [Block(block.strip()) for block in BLANK_LINES.split(text) if block.strip()]
    return SourceDocument(path, "text", blocks=blocks, plain_text=text, repairs=guesses)
