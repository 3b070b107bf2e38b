"""Plain records that flow forward through the pipeline stages.

Every stage takes and returns these dataclasses, so no stage needs to know another
stage's internals: clean -> split -> segment -> embed -> align -> export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from aligner.text import Lang, Script, detect_script, join_sentences


class AlignerError(Exception):
    """A problem with the user's input that they can fix.

    The CLI prints its message as one line on stderr and exits non-zero, so the
    message must stand on its own (say which file and what is wrong).
    """


@dataclass(frozen=True)
class Cleaned:
    """Text after repair, with a count per repair kind so nothing is changed silently."""

    text: str
    repairs: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Paragraph:
    """A run of text in one language, in document order.

    `index` is the paragraph's position in the whole document (both languages share
    one numbering), so the aligner can tell which paragraphs were neighbours. `ref`
    says where it came from (`page 3 para 2`, `cue 12`; empty for plain text),
    `section` which heading or chapter it falls under (no bead crosses sections), and
    `times` a subtitle cue's start and end in seconds.
    """

    lang: Lang
    text: str
    index: int
    ref: str = ""
    section: int = 0
    times: tuple[float, float] | None = None


@dataclass(frozen=True)
class Sentence:
    """One sentence; its id is its position in its language's sentence list.

    `ref`, `section` and `times` are its paragraph's (see `Paragraph`).
    """

    text: str
    lang: Lang
    paragraph: int = 0
    ref: str = ""
    section: int = 0
    times: tuple[float, float] | None = None


def chinese_script(sentences: Sequence[Sentence]) -> Script:
    """The script the Chinese side of an alignment is written in (TMX's zh-CN or zh-TW)."""
    return detect_script("".join(sentence.text for sentence in sentences))


@dataclass(frozen=True)
class Bead:
    """A group of source sentences aligned with a group of target sentences.

    Either side may be empty (an unaligned sentence). `score` is a confidence in [0, 1].
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float

    @property
    def kind(self) -> str:
        """The bead type as researchers write it, e.g. `1-2` or `0-1`."""
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def is_aligned(self) -> bool:
        return bool(self.src) and bool(self.tgt)


@dataclass
class Alignment:
    """A whole aligned document: both sentence lists and the beads that join them."""

    src_lang: Lang
    tgt_lang: Lang
    src: list[Sentence]
    tgt: list[Sentence]
    beads: list[Bead]
    name: str = ""
    zh_script: Script = "simplified"
    repairs: int = 0
    """Cleaning repairs made to the document's text, all kinds together (a filter signal)."""
    bead_numbers: list[int] = field(default_factory=list)
    """Each bead's position in the document as it was aligned, kept when beads are read
    back from a file that left some out; empty means the list positions are those."""

    def bead_number(self, position: int) -> int:
        return self.bead_numbers[position] if self.bead_numbers else position

    def side_text(self, bead: Bead, lang: Lang) -> str:
        """The text of one side of a bead, its sentences joined as the language writes
        them (empty sentences left out, so they add no stray space)."""
        sentences, ids = (self.src, bead.src) if lang == self.src_lang else (self.tgt, bead.tgt)
        return join_sentences([sentences[i].text for i in ids if sentences[i].text], lang)


@dataclass(frozen=True)
class TermPair:
    """One glossary entry: a Chinese term, its English equivalent and the evidence.

    It lives here, beside the other records, because the glossary extraction produces it
    and the glossary formats write it, and neither may import the other's internals.
    """

    zh: str
    en: str
    score: float
    frequency: int
    example_zh: str
    example_en: str
