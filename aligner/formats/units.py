"""Units: the rows every format writes and reads, and their way back into documents.

Every writer consumes `Unit`s: one per kept bead, built lazily from the alignments, so
memory stays flat however many pairs are written. Every reader produces units again, and
`assemble` groups them back into `Alignment`s by document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

from aligner.config import ExportOptions
from aligner.data import AlignerError, Alignment, Bead, Sentence
from aligner.formats.output import XML_ILLEGAL
from aligner.text import Lang, Script, damage_count, detect_script


@dataclass(frozen=True, slots=True)
class Unit:
    """One exported row: a bead's two texts and where they came from.

    Empty ids mean the row came from a file that does not record them (e.g. a TMX
    from another tool); `zh_script` is None when the file does not say.
    """

    src_lang: Lang
    tgt_lang: Lang
    src_text: str
    tgt_text: str
    score: float
    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    document: str
    zh_script: Script | None = None

    def text_in(self, lang: Lang) -> str:
        return self.src_text if lang == self.src_lang else self.tgt_text

    def ids_in(self, lang: Lang) -> tuple[int, ...]:
        return self.src_ids if lang == self.src_lang else self.tgt_ids

    def kind_in(self, first: Lang, second: Lang) -> str:
        """The bead type counted in a file's column order, e.g. `1-2`."""
        return f"{len(self.ids_in(first))}-{len(self.ids_in(second))}"

    @property
    def damaged(self) -> bool:
        """Whether either text carries damage no repair could undo, so a translator
        checks the pair before it enters a translation memory."""
        return bool(damage_count(self.src_text) or damage_count(self.tgt_text))


def iter_units(alignments: Iterable[Alignment], options: ExportOptions) -> Iterator[Unit]:
    """The units to write, filtered, one at a time.

    Deduplication remembers a 16-byte digest per distinct pair, not the texts.
    """
    seen: set[bytes] = set()
    for alignment in alignments:
        for bead in alignment.beads:
            if not options.keeps(bead):
                continue
            unit = _unit_of(alignment, bead)
            if options.dedupe:
                key = _pair_key(unit)
                if key in seen:
                    continue
                seen.add(key)
            yield unit


def _pair_key(unit: Unit) -> bytes:
    """The same pair in either direction, ignoring spacing and characters no format keeps."""
    texts = (" ".join(XML_ILLEGAL.sub("", unit.text_in(lang)).split()) for lang in ("zh", "en"))
    return hashlib.blake2b("\0".join(texts).encode(), digest_size=16).digest()


def _unit_of(alignment: Alignment, bead: Bead) -> Unit:
    return Unit(
        src_lang=alignment.src_lang,
        tgt_lang=alignment.tgt_lang,
        src_text=alignment.side_text(bead, alignment.src_lang),
        tgt_text=alignment.side_text(bead, alignment.tgt_lang),
        score=bead.score,
        src_ids=bead.src,
        tgt_ids=bead.tgt,
        document=alignment.name,
        zh_script=alignment.zh_script,
    )


def peek(alignments: Iterable[Alignment]) -> tuple[Alignment | None, Iterator[Alignment]]:
    """The first document (its languages name the header) and all documents still to come."""
    rest = iter(alignments)
    first = next(rest, None)
    return first, rest if first is None else chain([first], rest)


def parse_score(text: str, where: str) -> float:
    """A score read from a file, or an error naming the place."""
    try:
        return float(text)
    except ValueError:
        raise AlignerError(f"{where}: score {text!r} is not a number") from None


class _DocumentBuilder:
    """Collects one document's units back into sentences and beads."""

    def __init__(self, first: Unit) -> None:
        self.name = first.document
        self.src_lang, self.tgt_lang = first.src_lang, first.tgt_lang
        self.zh_script = first.zh_script
        self.texts: dict[Lang, dict[int, str]] = {"zh": {}, "en": {}}
        self.next_id: dict[Lang, int] = {"zh": 0, "en": 0}
        self.beads: list[Bead] = []

    def fits(self, unit: Unit) -> bool:
        """False when the unit's ids already hold other text: a same-named other document."""
        for lang in ("zh", "en"):
            known = self.texts[lang]
            ids, text = unit.ids_in(lang), unit.text_in(lang)
            expected = [text] + [""] * (len(ids) - 1)
            if any(known.get(i, want) != want for i, want in zip(ids, expected)):
                return False
        return True

    def add(self, unit: Unit) -> None:
        src = self._place(unit, self.src_lang)
        tgt = self._place(unit, self.tgt_lang)
        self.beads.append(Bead(src, tgt, unit.score))

    def _place(self, unit: Unit, lang: Lang) -> tuple[int, ...]:
        """Record a side's text under its first id, numbering sides that came without ids."""
        ids, text = unit.ids_in(lang), unit.text_in(lang)
        known = self.texts[lang]
        if not ids and text:
            ids = (self.next_id[lang],)
        for position, sentence_id in enumerate(ids):
            if position == 0 or sentence_id not in known:
                known[sentence_id] = text if position == 0 else ""
        self.next_id[lang] = max([self.next_id[lang], *(i + 1 for i in ids)])
        return ids

    def build(self) -> Alignment:
        sentences = {lang: self._sentences(lang) for lang in ("zh", "en")}
        return Alignment(
            src_lang=self.src_lang,
            tgt_lang=self.tgt_lang,
            src=sentences[self.src_lang],
            tgt=sentences[self.tgt_lang],
            beads=self.beads,
            name=self.name,
            zh_script=self.zh_script or detect_script("".join(self.texts["zh"].values())),
        )

    def _sentences(self, lang: Lang) -> list[Sentence]:
        known = self.texts[lang]
        return [Sentence(known.get(i, ""), lang) for i in range(self.next_id[lang])]


def assemble(units: Iterable[Unit]) -> list[Alignment]:
    """Documents in order of first appearance; merged files may repeat a name.

    A bead's joined text goes on its first sentence id (the split into sentences is not
    stored), so writing the documents again gives the same rows.
    """
    builders: list[_DocumentBuilder] = []
    current: dict[str, _DocumentBuilder] = {}
    for unit in units:
        builder = current.get(unit.document)
        if builder is None or not builder.fits(unit):
            builder = current[unit.document] = _DocumentBuilder(unit)
            builders.append(builder)
        builder.add(unit)
    return [builder.build() for builder in builders]
