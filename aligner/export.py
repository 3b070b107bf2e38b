"""Writers and readers for the formats translators and researchers load.

Every writer consumes `Unit`s: one per kept bead, built lazily from the alignments,
so memory stays flat however many pairs are written. Every reader produces units
again, and `read_alignments` groups them back into `Alignment`s by document.

Choices a reader of the files needs to know:
- Sentence ids are 0-based positions. CSV, TSV and Parquet write them space-separated
  (`0 1`; Parquet as integer lists), JSONL as JSON lists, TMX inside the `x-source`
  prop as `document [0,1]:[0]` (the ladder notation).
- Tabular columns are named by language (`zh,en,...` or `en,zh,...`, source first);
  documents of the other direction are written into the same columns by language.
- TSV and Moses are read by line-oriented tools, so tabs and line breaks inside a
  text become spaces there, and TSV has no quoting (pandas: `quoting=csv.QUOTE_NONE`);
  CSV and JSONL keep the text exactly.
- CSV is plain UTF-8 without a BOM, since researchers read it with csv/pandas, where a
  BOM sticks to the first column name; BOM-marked CSV is accepted on reading.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from lxml import etree

from aligner.config import ExportOptions
from aligner.data import AlignerError, Alignment, Bead, Sentence
from aligner.io import atomic_file, output_stream, read_text
from aligner.text import (
    Lang,
    Script,
    detect_script,
    language_of_code,
    script_of_code,
)
from aligner.version import VERSION

FORMATS = ("tmx", "csv", "tsv", "jsonl", "align", "moses", "parquet")
READABLE_FORMATS = ("tmx", "csv", "tsv", "jsonl", "parquet")

_EXTENSIONS = {
    ".tmx": "tmx",
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".align": "align",
    ".parquet": "parquet",
}
_LADDER_LINE = re.compile(r"^\s*(\[[\d,\s]*\])\s*:\s*(\[[\d,\s]*\])\s*(?::\s*([-+\d.eE]+))?\s*$")
_SOURCE_PROP = re.compile(r"^(?:(.*)\s)?(\[[\d,\s]*\]):(\[[\d,\s]*\])$", re.DOTALL)
# Characters XML 1.0 cannot carry at all, even escaped.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Everything `str.splitlines` breaks on, plus tabs: would split a line-oriented row.
_ROW_BREAKERS = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_INLINE_CODES = {"bpt", "ept", "ph", "it", "ut"}
_PARQUET_BATCH = 8192
# Bare TSV: no quoting at all, so `cut`, `awk` and pandas read it alike.
_TSV: dict[str, Any] = {"delimiter": "\t", "quoting": csv.QUOTE_NONE, "quotechar": None}


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


def format_for(path: str, explicit: str | None) -> str:
    """The output format: `--format` if given, else the extension; stdout defaults to TSV."""
    if explicit:
        fmt = explicit.lower()
        if fmt not in FORMATS:
            raise AlignerError(f"unknown format {explicit!r}: use one of {', '.join(FORMATS)}")
        return fmt
    if path == "-":
        return "tsv"
    fmt = _EXTENSIONS.get(Path(path).suffix.lower())
    if fmt is None:
        raise AlignerError(
            f"cannot tell the format of {path!r} from its extension: "
            f"use --format ({', '.join(FORMATS)})"
        )
    return fmt


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
    texts = (" ".join(_XML_ILLEGAL.sub("", unit.text_in(lang)).split()) for lang in ("zh", "en"))
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


def write_alignments(
    alignments: Iterable[Alignment], out: str, fmt: str, options: ExportOptions | None = None
) -> int:
    """Write documents to one output and return the number of units written.

    `out` may be "-" for stdout; for Moses it is the corpus name, giving
    `out.en-zh.zh` and `out.en-zh.en`. Files appear only once complete.
    """
    options = options or ExportOptions()
    if fmt not in FORMATS:
        raise AlignerError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if out == "-" and fmt in ("moses", "parquet"):
        raise AlignerError(f"{fmt} cannot go to stdout: give an output file with -o")
    if fmt == "moses":
        return _write_moses(alignments, out, options)
    if fmt == "parquet":
        return _write_parquet(alignments, out, options)
    if fmt == "align":
        return _write_ladder(alignments, out, options)
    with output_stream(out) as stream:
        if fmt == "tmx":
            return _write_tmx(alignments, stream, options)
        with _text(stream, "utf-8") as text:
            if fmt == "jsonl":
                return _write_jsonl(alignments, text, options)
            return _write_table(alignments, text, options, fmt)


@contextmanager
def _text(stream: IO[bytes], encoding: str) -> Iterator[io.TextIOWrapper]:
    """A text view of a binary stream that leaves the stream open (it may be stdout)."""
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        yield text
    finally:
        text.flush()
        text.detach()


def _peek(alignments: Iterable[Alignment]) -> tuple[Alignment | None, Iterator[Alignment]]:
    """The first document (its languages name the header) and all documents still to come."""
    rest = iter(alignments)
    first = next(rest, None)
    return first, rest if first is None else chain([first], rest)


def _xml_text(text: str) -> str:
    return _XML_ILLEGAL.sub("", text).strip()


def _one_line(text: str) -> str:
    return _ROW_BREAKERS.sub(" ", text).strip()


def _id_list(ids: tuple[int, ...]) -> str:
    return "[" + ",".join(map(str, ids)) + "]"


def _write_tmx(alignments: Iterable[Alignment], stream: IO[bytes], options: ExportOptions) -> int:
    """TMX 1.4b, one `<tu>` per aligned pair, serialised element by element."""
    first, documents = _peek(alignments)
    header_lang = (
        options.code(first.src_lang, first.zh_script) if first else options.code("zh", None)
    )
    header = etree.Element(
        "header",
        {
            "creationtool": "aligner",
            "creationtoolversion": VERSION,
            "segtype": "sentence",
            "o-tmf": "aligner",
            "adminlang": "en",
            "srclang": header_lang,
            "datatype": "plaintext",
            "creationdate": datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
        },
    )
    written = 0
    with etree.xmlfile(stream, encoding="utf-8") as xml:
        xml.write_declaration()
        xml.write_doctype('<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
        with xml.element("tmx", version="1.4"):
            xml.write("\n", header, "\n")
            with xml.element("body"):
                for unit in iter_units(documents, options):
                    tu = _translation_unit(unit, header_lang, options)
                    if tu is not None:
                        xml.write("\n", tu)
                        written += 1
                xml.write("\n")
            xml.write("\n")
    return written


def _translation_unit(
    unit: Unit, header_lang: str, options: ExportOptions
) -> etree._Element | None:
    src_text, tgt_text = _xml_text(unit.src_text), _xml_text(unit.tgt_text)
    if not src_text or not tgt_text:
        return None
    src_code = options.code(unit.src_lang, unit.zh_script)
    tu = etree.Element("tu", srclang=src_code) if src_code != header_lang else etree.Element("tu")
    location = f"{_xml_text(unit.document)} {_id_list(unit.src_ids)}:{_id_list(unit.tgt_ids)}"
    for kind, value in (
        ("x-score", f"{unit.score:.4f}"),
        ("x-type", unit.kind_in(unit.src_lang, unit.tgt_lang)),
        ("x-source", location.strip()),
    ):
        etree.SubElement(tu, "prop", type=kind).text = value
    for lang, text in ((unit.src_lang, src_text), (unit.tgt_lang, tgt_text)):
        tuv = etree.SubElement(tu, "tuv", {_XML_LANG: options.code(lang, unit.zh_script)})
        etree.SubElement(tuv, "seg").text = text
    return tu


def _columns(first: Lang, second: Lang) -> list[str]:
    return [first, second, "score", "type", f"{first}_ids", f"{second}_ids", "document"]


def _column_langs(first: Alignment | None) -> tuple[Lang, Lang]:
    return (first.src_lang, first.tgt_lang) if first else ("zh", "en")


def _write_table(
    alignments: Iterable[Alignment], text: IO[str], options: ExportOptions, fmt: str
) -> int:
    first, documents = _peek(alignments)
    langs = _column_langs(first)
    if fmt == "tsv":
        writer = csv.writer(text, lineterminator="\n", **_TSV)
        clean = _one_line
    else:
        writer = csv.writer(text, lineterminator="\r\n")
        clean = str
    writer.writerow(_columns(*langs))
    written = 0
    for unit in iter_units(documents, options):
        writer.writerow(
            [
                clean(unit.text_in(langs[0])),
                clean(unit.text_in(langs[1])),
                f"{unit.score:.4f}",
                unit.kind_in(*langs),
                " ".join(map(str, unit.ids_in(langs[0]))),
                " ".join(map(str, unit.ids_in(langs[1]))),
                clean(unit.document),
            ]
        )
        written += 1
    return written


def _write_jsonl(alignments: Iterable[Alignment], text: IO[str], options: ExportOptions) -> int:
    """Hugging Face `translation` rows; the source language is the first key."""
    written = 0
    for unit in iter_units(alignments, options):
        row = {
            "translation": {unit.src_lang: unit.src_text, unit.tgt_lang: unit.tgt_text},
            "score": round(unit.score, 4),
            "type": unit.kind_in(unit.src_lang, unit.tgt_lang),
            f"{unit.src_lang}_ids": list(unit.src_ids),
            f"{unit.tgt_lang}_ids": list(unit.tgt_ids),
            "document": unit.document,
        }
        text.write(json.dumps(row, ensure_ascii=False) + "\n")
        written += 1
    return written


def _write_moses(alignments: Iterable[Alignment], out: str, options: ExportOptions) -> int:
    """Two line-aligned files named the way OPUS names them, aligned pairs only."""
    written = 0
    with ExitStack() as stack:
        files = {}
        for lang in ("zh", "en"):
            stream = stack.enter_context(atomic_file(Path(f"{out}.en-zh.{lang}")))
            files[lang] = stack.enter_context(_text(stream, "utf-8"))
        for unit in iter_units(alignments, options):
            lines = {lang: _one_line(unit.text_in(lang)) for lang in ("zh", "en")}
            if lines["zh"] and lines["en"]:
                for lang, line in lines.items():
                    files[lang].write(line + "\n")
                written += 1
    return written


def _write_ladder(alignments: Iterable[Alignment], out: str, options: ExportOptions) -> int:
    documents = iter(alignments)
    first = next(documents, None)
    with output_stream(out) as stream, _text(stream, "utf-8") as text:
        written = 0
        for unit in iter_units([first] if first else [], options):
            text.write(format_ladder_line(Bead(unit.src_ids, unit.tgt_ids, unit.score)) + "\n")
            written += 1
        if next(documents, None) is not None:
            raise AlignerError(
                "a ladder (.align) file holds one document: use `aligner batch` "
                "or another format for several"
            )
    return written


def _parquet() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise AlignerError("parquet needs pyarrow: pip install 'aligner[parquet]'") from None
    return pyarrow


def _write_parquet(alignments: Iterable[Alignment], out: str, options: ExportOptions) -> int:
    """The CSV columns with native types, written in row groups as units stream by."""
    pa = _parquet()
    first, documents = _peek(alignments)
    langs = _column_langs(first)
    ids = pa.list_(pa.int32())
    types = [pa.string(), pa.string(), pa.float64(), pa.string(), ids, ids, pa.string()]
    schema = pa.schema(list(zip(_columns(*langs), types)))
    units = iter_units(documents, options)
    written = 0
    with atomic_file(Path(out)) as stream, pa.parquet.ParquetWriter(stream, schema) as writer:
        while batch := list(islice(units, _PARQUET_BATCH)):
            columns = [
                [unit.text_in(langs[0]) for unit in batch],
                [unit.text_in(langs[1]) for unit in batch],
                [round(unit.score, 4) for unit in batch],
                [unit.kind_in(*langs) for unit in batch],
                [list(unit.ids_in(langs[0])) for unit in batch],
                [list(unit.ids_in(langs[1])) for unit in batch],
                [unit.document for unit in batch],
            ]
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))
            written += len(batch)
    return written


def read_alignments(path: str) -> list[Alignment]:
    """Documents rebuilt from a tmx, csv, tsv, jsonl or parquet file.

    A bead's joined text goes on its first sentence id (the split into sentences is
    not stored), so writing the documents again gives the same rows.
    """
    fmt = format_for(path, None)
    readers: dict[str, Callable[[Path], Iterator[Unit]]] = {
        "tmx": _read_tmx,
        "csv": _read_csv,
        "tsv": _read_tsv,
        "jsonl": _read_jsonl,
        "parquet": _read_parquet,
    }
    if fmt not in readers:
        raise AlignerError(
            f"{path}: {fmt} files hold no complete pairs to read back; "
            f"use one of {', '.join(READABLE_FORMATS)}"
        )
    try:
        return _assemble(readers[fmt](Path(path)))
    except (etree.XMLSyntaxError, csv.Error, ValueError) as error:
        raise AlignerError(f"{path}: not a readable {fmt} file: {error}") from None


def _seg_text(seg: etree._Element) -> str:
    """Plain text of a `<seg>`, leaving out the content of inline formatting codes."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in _INLINE_CODES:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _read_tmx(path: Path) -> Iterator[Unit]:
    """Zh–en pairs from any TMX; units from other tools get ids when assembled."""
    header_lang = None
    for _, element in etree.iterparse(
        str(path), tag=("header", "tu"), huge_tree=True, resolve_entities=False
    ):
        if element.tag == "header":
            header_lang = element.get("srclang")
            continue
        unit = _tmx_unit(element, header_lang, path)
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
        if unit is not None:
            yield unit


def _tmx_unit(tu: etree._Element, header_lang: str | None, path: Path) -> Unit | None:
    texts: dict[Lang, str] = {}
    codes: dict[Lang, str] = {}
    for tuv in tu.iterfind("tuv"):
        code = tuv.get(_XML_LANG) or tuv.get("lang") or ""
        lang = language_of_code(code)
        seg = tuv.find("seg")
        if lang is not None and lang not in texts and seg is not None:
            texts[lang], codes[lang] = _seg_text(seg).strip(), code
    if len(texts) < 2:
        return None
    src_lang = language_of_code(tu.get("srclang") or header_lang) or next(iter(texts))
    tgt_lang: Lang = "en" if src_lang == "zh" else "zh"
    props = {prop.get("type"): prop.text or "" for prop in tu.iterfind("prop")}
    where = f"{path}:{tu.sourceline}"
    document, src_ids, tgt_ids = path.stem, (), ()
    if "x-source" in props:
        match = _SOURCE_PROP.match(props["x-source"].strip())
        if match is None:
            raise AlignerError(f"{where}: x-source is not `document [ids]:[ids]`")
        document = match.group(1) or ""
        src_ids, tgt_ids = _ladder_ids(match.group(2)), _ladder_ids(match.group(3))
    traditional = script_of_code(codes["zh"]) == "traditional"
    return Unit(
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        src_text=texts[src_lang],
        tgt_text=texts[tgt_lang],
        score=_score(props.get("x-score", "1"), where),
        src_ids=src_ids,
        tgt_ids=tgt_ids,
        document=document,
        zh_script="traditional" if traditional else "simplified",
    )


def _ladder_ids(text: str) -> tuple[int, ...]:
    return tuple(json.loads(text))


def _score(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise AlignerError(f"{where}: score {text!r} is not a number") from None


def _header_langs(names: list[str], where: str) -> tuple[Lang, Lang]:
    """The column languages, after checking the header is ours."""
    for first, second in (("zh", "en"), ("en", "zh")):
        if names == _columns(first, second):
            return first, second
    raise AlignerError(f"{where}: header must be {','.join(_columns('zh', 'en'))} (or en first)")


def _read_csv(path: Path) -> Iterator[Unit]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        yield from _table_units(csv.reader(stream), path)


def _read_tsv(path: Path) -> Iterator[Unit]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        yield from _table_units(csv.reader(stream, **_TSV), path)


def _table_units(rows: Iterator[list[str]], path: Path) -> Iterator[Unit]:
    header = next(rows, None)
    if header is None:
        raise AlignerError(f"{path}: the file is empty")
    first, second = _header_langs(header, f"{path}:1")
    for number, row in enumerate(rows, start=2):
        if not row:
            continue
        where = f"{path}:{number}"
        if len(row) != 7:
            raise AlignerError(f"{where}: expected 7 columns, found {len(row)}")
        first_text, second_text, score, _, first_ids, second_ids, document = row
        yield Unit(
            src_lang=first,
            tgt_lang=second,
            src_text=first_text,
            tgt_text=second_text,
            score=_score(score, where),
            src_ids=_spaced_ids(first_ids, where),
            tgt_ids=_spaced_ids(second_ids, where),
            document=document,
        )


def _spaced_ids(text: str, where: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split())
    except ValueError:
        raise AlignerError(f"{where}: ids {text!r} are not numbers like `0 1`") from None


def _read_jsonl(path: Path) -> Iterator[Unit]:
    with path.open(encoding="utf-8-sig") as stream:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                yield _json_unit(line, f"{path}:{number}")


def _json_unit(line: str, where: str) -> Unit:
    try:
        row = json.loads(line)
        translation = row["translation"]
        src_lang, tgt_lang = translation
        if {src_lang, tgt_lang} != {"zh", "en"}:
            raise ValueError
        if not all(isinstance(text, str) for text in translation.values()):
            raise ValueError
        return Unit(
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            src_text=translation[src_lang],
            tgt_text=translation[tgt_lang],
            score=float(row.get("score", 1.0)),
            src_ids=tuple(map(int, row.get(f"{src_lang}_ids", ()))),
            tgt_ids=tuple(map(int, row.get(f"{tgt_lang}_ids", ()))),
            document=str(row.get("document", "")),
        )
    except (ValueError, KeyError, TypeError):
        raise AlignerError(
            f'{where}: not a row like {{"translation": {{"zh": ..., "en": ...}}, ...}}'
        ) from None


def _read_parquet(path: Path) -> Iterator[Unit]:
    pa = _parquet()
    table = pa.parquet.ParquetFile(path)
    first, second = _header_langs(table.schema_arrow.names, str(path))
    for batch in table.iter_batches(batch_size=_PARQUET_BATCH):
        for row in batch.to_pylist():
            yield Unit(
                src_lang=first,
                tgt_lang=second,
                src_text=row[first] or "",
                tgt_text=row[second] or "",
                score=row["score"],
                src_ids=tuple(row[f"{first}_ids"] or ()),
                tgt_ids=tuple(row[f"{second}_ids"] or ()),
                document=row["document"] or "",
            )


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


def _assemble(units: Iterable[Unit]) -> list[Alignment]:
    """Documents in order of first appearance; merged files may repeat a name."""
    builders: list[_DocumentBuilder] = []
    current: dict[str, _DocumentBuilder] = {}
    for unit in units:
        builder = current.get(unit.document)
        if builder is None or not builder.fits(unit):
            builder = current[unit.document] = _DocumentBuilder(unit)
            builders.append(builder)
        builder.add(unit)
    return [builder.build() for builder in builders]


def convert(source: str, out: str, fmt: str | None, options: ExportOptions) -> int:
    """`aligner convert`: read one file of pairs, write it in another format."""
    return write_alignments(read_alignments(source), out, format_for(out, fmt), options)


def merge(sources: list[str], out: str, fmt: str | None, options: ExportOptions) -> int:
    """`aligner merge`: several files of pairs into one, reading one input at a time."""
    documents = chain.from_iterable(read_alignments(source) for source in sources)
    return write_alignments(documents, out, format_for(out, fmt), options)


def format_ladder_line(bead: Bead) -> str:
    """One bead as `[0,1]:[0]:0.8312` (0-based ids, as in Bertalign's gold files)."""
    return f"{_id_list(bead.src)}:{_id_list(bead.tgt)}:{bead.score:.4f}"


def parse_ladder(text: str, origin: str = "ladder") -> list[Bead]:
    """Beads from ladder text; a missing score (as in gold files) reads as 1.0."""
    beads = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LADDER_LINE.match(line)
        if match is None:
            raise AlignerError(f"{origin}:{number}: not a ladder line: {line.strip()[:60]!r}")
        src, tgt, score = match.groups()
        try:
            beads.append(Bead(_ladder_ids(src), _ladder_ids(tgt), float(score) if score else 1.0))
        except ValueError:
            raise AlignerError(
                f"{origin}:{number}: not a ladder line: {line.strip()[:60]!r}"
            ) from None
    return beads


def read_ladder(path: Path) -> list[Bead]:
    """A ladder file, read with the same encoding checks as any user input."""
    return parse_ladder(read_text(path), origin=str(path))
