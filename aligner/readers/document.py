"""What a reader returns: a document's paragraphs with their structure and origin.

Readers turn a file of any supported format into these plain records, so the rest of
the pipeline never needs to know whether a paragraph came from Word, a PDF page or a
subtitle cue. What a reader leaves out on purpose (scripts, navigation, page numbers,
code blocks) is counted in `dropped`, so `--report` can say so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Block:
    """One paragraph or heading, in reading order.

    `text` is stripped and holds no blank line; a single line break inside it is a real
    one (a line break in Word, a verse line), never a wrap. `ref` says where the
    paragraph came from (`page 3 para 2`, `cue 12`, `line 40`); plain text has none.
    `section` counts the headings and chapters before it: a bead never joins two
    sections. `times` are a subtitle cue's start and end, in seconds.
    """

    text: str
    ref: str = ""
    section: int = 0
    heading: bool = False
    times: tuple[float, float] | None = None


@dataclass(frozen=True)
class SourceUnit:
    """A translation unit of a bilingual file (XLIFF, TMX): one bead, already aligned."""

    src_text: str
    tgt_text: str
    ref: str


@dataclass
class SourceDocument:
    """A whole read document.

    A monolingual or mixed document has `blocks`; a bilingual one (a TM, an XLIFF)
    has `units` in the file's `langs` (source and target language codes as written
    in the file, e.g. `zh-CN`, `en-US`). `repairs` counts what reading had to guess
    (a text file's encoding), as cleaning counts its repairs.
    """

    path: Path
    kind: str
    blocks: list[Block] = field(default_factory=list)
    units: list[SourceUnit] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    langs: tuple[str, str] = ("", "")
    plain_text: str | None = None
    repairs: Counter[str] = field(default_factory=Counter)

    @property
    def bilingual(self) -> bool:
        return bool(self.units)

    @property
    def text(self) -> str:
        """The document as blank-line separated paragraphs; plain text exactly as read."""
        if self.plain_text is not None:
            return self.plain_text
        return "\n\n".join(block.text for block in self.blocks)
