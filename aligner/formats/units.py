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
from aligner.text import HAN, LATIN_LETTER, Lang, Script, damage_count, detect_script


@dataclass(frozen=True, slots=True)
class Unit:
    """One exported row: a bead's two texts and where they came from.

    Empty ids mean the row came from a file that does not record them (e.g. a TMX
    from another tool); `zh_script` is None when the file does not say. `src_ref` and
    `tgt_ref` say where each side came from in its document (`page 3 para 2`), empty
    for plain text; `times` are a subtitle bead's start and end in seconds (its source
    cues', else its target cues').
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
    bead: int | None = None
    """The bead's position in its document's ladder (None: the file does not say)."""
    src_paragraphs: tuple[int, ...] = ()
    tgt_paragraphs: tuple[int, ...] = ()
    """The paragraph of each sentence id, in the same order (empty: not recorded)."""
    doc_repairs: int = 0
    """Cleaning repairs made to the whole document (repairs are counted per document)."""
    src_ref: str = ""
    tgt_ref: str = ""
    times: tuple[float, float] | None = None

    def text_in(self, lang: Lang) -> str:
        return self.src_text if lang == self.src_lang else self.tgt_text

    def ref_in(self, lang: Lang) -> str:
        return self.src_ref if lang == self.src_lang else self.tgt_ref

    def ids_in(self, lang: Lang) -> tuple[int, ...]:
        return self.src_ids if lang == self.src_lang else self.tgt_ids

    def paragraphs_in(self, lang: Lang) -> tuple[int, ...]:
        return self.src_paragraphs if lang == self.src_lang else self.tgt_paragraphs

    @property
    def length_ratio(self) -> float | None:
        """English characters per Chinese character (about 3 for faithful pairs), None
        when a side is empty: the length signal bitext filters threshold."""
        zh, en = len(self.text_in("zh")), len(self.text_in("en"))
        return round(en / zh, 4) if zh and en else None

    def script_share(self, lang: Lang) -> float | None:
        """A cheap language-ID confidence: the share of the side's letters written in its
        language's script (Han for Chinese, Latin for English); None without letters."""
        text = self.text_in(lang)
        letters = sum(character.isalpha() for character in text)
        if not letters:
            return None
        script = HAN if lang == "zh" else LATIN_LETTER
        return round(len(script.findall(text)) / letters, 4)

    @property
    def pair_hash(self) -> str:
        """The normalised pair's digest (either direction, spacing ignored): equal hashes
        are exact duplicates."""
        return _pair_key(self).hex()

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
        for position, bead in enumerate(alignment.beads):
            if not options.keeps(bead):
                continue
            unit = _unit_of(alignment, bead, alignment.bead_number(position))
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


def _unit_of(alignment: Alignment, bead: Bead, number: int) -> Unit:
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
        bead=number,
        src_paragraphs=tuple(alignment.src[i].paragraph for i in bead.src),
        tgt_paragraphs=tuple(alignment.tgt[i].paragraph for i in bead.tgt),
        doc_repairs=alignment.repairs,
        src_ref=_refs(alignment.src, bead.src),
        tgt_ref=_refs(alignment.tgt, bead.tgt),
        times=_times(alignment.src, bead.src) or _times(alignment.tgt, bead.tgt),
    )


def _times(sentences: list[Sentence], ids: tuple[int, ...]) -> tuple[float, float] | None:
    """From the first start to the last end of a bead side's subtitle cues."""
    spans = [span for i in ids if (span := sentences[i].times) is not None]
    return (min(s for s, _ in spans), max(e for _, e in spans)) if spans else None


def _refs(sentences: list[Sentence], ids: tuple[int, ...]) -> str:
    """The distinct references of a bead side's sentences, in order (`para 3; para 4`)."""
    return "; ".join(dict.fromkeys(sentences[i].ref for i in ids if sentences[i].ref))


def has_refs(alignment: Alignment | None) -> bool:
    """Whether a document's sentences say where they came from (plain text's do not)."""
    if alignment is None:
        return False
    return any(sentence.ref for sentence in chain(alignment.src, alignment.tgt))


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
        self.repairs = first.doc_repairs
        self.texts: dict[Lang, dict[int, str]] = {"zh": {}, "en": {}}
        self.paragraphs: dict[Lang, dict[int, int]] = {"zh": {}, "en": {}}
        self.next_id: dict[Lang, int] = {"zh": 0, "en": 0}
        self.beads: list[Bead] = []
        self.bead_numbers: list[int | None] = []

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
        self.bead_numbers.append(unit.bead)
        for lang in ("zh", "en"):
            self.paragraphs[lang].update(zip(unit.ids_in(lang), unit.paragraphs_in(lang)))

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
            repairs=self.repairs,
            bead_numbers=self._bead_numbers(),
        )

    def _bead_numbers(self) -> list[int]:
        """The recorded bead positions, or none unless every unit recorded its own."""
        numbers = [number for number in self.bead_numbers if number is not None]
        return numbers if len(numbers) == len(self.beads) else []

    def _sentences(self, lang: Lang) -> list[Sentence]:
        known, paragraphs = self.texts[lang], self.paragraphs[lang]
        return [
            Sentence(known.get(i, ""), lang, paragraphs.get(i, 0))
            for i in range(self.next_id[lang])
        ]


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
