"""Writers and readers for the formats translators and researchers load.

Each format lives in its own module, which describes it as a `Format` record; this package
registers them all in `registry` (in the order they are listed to users), so the registry
is complete as soon as anything in `aligner.formats` is imported, and it offers the
operations on whole files: write, read back, convert, merge.

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
import importlib.util
from collections.abc import Iterable
from dataclasses import replace
from itertools import chain
from pathlib import Path

from lxml import etree

from aligner.config import ExportOptions
from aligner.data import AlignerError, Alignment
from aligner.formats import glossaries, jsonl, ladder, moses, parquet, table, tmx
from aligner.formats.glossaries import glossary_format, write_glossary
from aligner.formats.ladder import format_ladder_line, parse_ladder, read_ladder
from aligner.formats.registry import (
    Format,
    alignment_format,
    format_for,
    format_names,
    formats,
    register,
)
from aligner.formats.units import Unit, assemble, iter_units

# One place, in the order users see them listed, rather than registration as a side effect
# of each module's import, whose order the import graph and the import sorter would decide.
for _format in (
    tmx.TMX,
    table.CSV,
    table.TSV,
    jsonl.JSONL,
    ladder.LADDER,
    moses.MOSES,
    parquet.PARQUET,
    glossaries.CSV,
    glossaries.TSV,
    glossaries.TBX,
    glossaries.OMEGAT,
):
    register(_format)

__all__ = [
    "FORMATS",
    "READABLE_FORMATS",
    "Format",
    "Unit",
    "alignment_format",
    "check_destination",
    "convert",
    "format_for",
    "format_ladder_line",
    "formats",
    "glossary_format",
    "iter_units",
    "merge",
    "parse_ladder",
    "read_alignments",
    "read_ladder",
    "write_alignments",
    "write_glossary",
]

FORMATS = format_names("alignment")
"""Names of the aligned-pair formats, as listed to users (a view of the registry)."""
READABLE_FORMATS = tuple(fmt.name for fmt in formats("alignment") if fmt.read is not None)
"""Those whose files hold whole pairs, so they can be read back, converted and merged."""


def check_destination(fmt: str, out: str) -> None:
    """Fail before any work when `fmt` cannot be written to `out`: a format that needs a
    real file sent to stdout, or one whose optional library is not installed."""
    chosen = alignment_format(fmt)
    if out == "-" and not chosen.streams_to_stdout:
        raise AlignerError(f"{fmt} cannot go to stdout: give an output file")
    if chosen.requires is not None and importlib.util.find_spec(chosen.requires) is None:
        raise AlignerError(f"{fmt} needs {chosen.requires}: pip install 'aligner[{fmt}]'")


def write_alignments(
    alignments: Iterable[Alignment], out: str, fmt: str, options: ExportOptions | None = None
) -> int:
    """Write documents to one output and return the number of units written.

    `out` may be "-" for stdout; for Moses it is the corpus name, giving
    `out.en-zh.zh` and `out.en-zh.en`. Files appear only once complete.
    """
    check_destination(fmt, out)
    chosen = alignment_format(fmt)
    options = options or ExportOptions()
    if options.drop_unaligned is None:
        options = replace(options, drop_unaligned=not chosen.keeps_unaligned)
    return chosen.write(alignments, out, options)


def read_alignments(path: str) -> list[Alignment]:
    """Documents rebuilt from a tmx, csv, tsv, jsonl or parquet file.

    A bead's joined text goes on its first sentence id (the split into sentences is
    not stored), so writing the documents again gives the same rows.
    """
    fmt = alignment_format(format_for(path, None))
    if fmt.read is None:
        raise AlignerError(
            f"{path}: {fmt.name} files hold no complete pairs to read back; "
            f"use one of {', '.join(READABLE_FORMATS)}"
        )
    try:
        return assemble(fmt.read(Path(path)))
    except (etree.XMLSyntaxError, csv.Error, ValueError) as error:
        raise AlignerError(f"{path}: not a readable {fmt.name} file: {error}") from None


def convert(source: str, out: str, fmt: str | None, options: ExportOptions) -> int:
    """`aligner convert`: read one file of pairs, write it in another format."""
    return write_alignments(read_alignments(source), out, format_for(out, fmt), options)


def merge(sources: list[str], out: str, fmt: str | None, options: ExportOptions) -> int:
    """`aligner merge`: several files of pairs into one, reading one input at a time."""
    documents = chain.from_iterable(read_alignments(source) for source in sources)
    return write_alignments(documents, out, format_for(out, fmt), options)
