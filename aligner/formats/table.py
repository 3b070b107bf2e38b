"""CSV and TSV tables, one pair per row.

- Columns are named by language (`zh,en,...` or `en,zh,...`, source first); documents
  of the other direction are written into the same columns by language.
- Sentence ids are 0-based positions, space-separated (`0 1`).
- CSV keeps the text exactly and starts with a UTF-8 BOM, as the glossary CSV does: a
  `.csv` file is what spreadsheets and CAT tools open, and without the BOM Excel shows
  the Chinese as mojibake. pandas skips the BOM by itself; Python's csv module reads it
  with `encoding="utf-8-sig"`. CSV sent to stdout, and TSV, have no BOM.
- The last column, `damaged`, says `yes` when a text carries damage no repair could undo.
- TSV is read by line-oriented tools, so tabs and line breaks inside a text become
  spaces, and it has no quoting (pandas: `quoting=csv.QUOTE_NONE`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from aligner.config import ExportOptions
from aligner.data import AlignerError, Alignment
from aligner.formats.output import one_line, text_view
from aligner.formats.registry import Format
from aligner.formats.units import Unit, iter_units, parse_score, peek
from aligner.io import output_stream
from aligner.text import Lang

_COLUMN_ORDERS: tuple[tuple[Lang, Lang], ...] = (("zh", "en"), ("en", "zh"))
_CORE_COLUMNS = 7
"""Texts, score, type, both id lists and the document: what a pair needs to be read back."""
# Bare TSV: no quoting at all, so `cut`, `awk` and pandas read it alike.
_TSV: dict[str, Any] = {"delimiter": "\t", "quoting": csv.QUOTE_NONE, "quotechar": None}


def columns(first: Lang, second: Lang) -> list[str]:
    """The column names of a pair table (also Parquet's), languages in file order."""
    return [
        first, second, "score", "type", f"{first}_ids", f"{second}_ids", "document", "damaged"
    ]


def column_langs(first: Alignment | None) -> tuple[Lang, Lang]:
    """The languages of the first two columns: the first document's direction."""
    return (first.src_lang, first.tgt_lang) if first else ("zh", "en")


def header_langs(names: list[str], where: str) -> tuple[Lang, Lang]:
    """The column languages, after checking the header is ours: our first seven columns
    in order (later columns are optional, so files from older versions still read)."""
    for first, second in _COLUMN_ORDERS:
        if names[:_CORE_COLUMNS] == columns(first, second)[:_CORE_COLUMNS]:
            return first, second
    raise AlignerError(f"{where}: header must be {','.join(columns('zh', 'en'))} (or en first)")


def write_csv(alignments: Iterable[Alignment], out: str, options: ExportOptions) -> int:
    with output_stream(out) as stream, text_view(stream) as text:
        if out != "-":
            text.write("\ufeff")
        writer = csv.writer(text, lineterminator="\r\n")
        return _write_rows(alignments, writer, str, options)


def write_tsv(alignments: Iterable[Alignment], out: str, options: ExportOptions) -> int:
    with output_stream(out) as stream, text_view(stream) as text:
        writer = csv.writer(text, lineterminator="\n", **_TSV)
        return _write_rows(alignments, writer, one_line, options)


def _write_rows(
    alignments: Iterable[Alignment],
    writer: Any,
    clean: Callable[[str], str],
    options: ExportOptions,
) -> int:
    first, documents = peek(alignments)
    langs = column_langs(first)
    writer.writerow(columns(*langs))
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
                "yes" if unit.damaged else "",
            ]
        )
        written += 1
    return written


def read_csv(path: Path) -> Iterator[Unit]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        yield from _table_units(csv.reader(stream), path)


def read_tsv(path: Path) -> Iterator[Unit]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        yield from _table_units(csv.reader(stream, **_TSV), path)


def _table_units(rows: Iterator[list[str]], path: Path) -> Iterator[Unit]:
    header = next(rows, None)
    if header is None:
        raise AlignerError(f"{path}: the file is empty")
    first, second = header_langs(header, f"{path}:1")
    for number, row in enumerate(rows, start=2):
        if not row:
            continue
        where = f"{path}:{number}"
        if len(row) != len(header):
            raise AlignerError(f"{where}: expected {len(header)} columns, found {len(row)}")
        first_text, second_text, score, _, first_ids, second_ids, document = row[:7]
        yield Unit(
            src_lang=first,
            tgt_lang=second,
            src_text=first_text,
            tgt_text=second_text,
            score=parse_score(score, where),
            src_ids=_spaced_ids(first_ids, where),
            tgt_ids=_spaced_ids(second_ids, where),
            document=document,
        )


def _spaced_ids(text: str, where: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split())
    except ValueError:
        raise AlignerError(f"{where}: ids {text!r} are not numbers like `0 1`") from None


CSV = Format("csv", "alignment", (".csv",), write_csv, read_csv)
TSV = Format("tsv", "alignment", (".tsv",), write_tsv, read_tsv)
