"""Parquet: the CSV columns with native types (ids as integer lists), for data tools.

A module of its own because it needs the optional pyarrow, imported only when a Parquet
file is written or read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from aligner.config import ExportOptions
from aligner.data import AlignerError, Alignment
from aligner.formats.registry import Format
from aligner.formats.table import column_langs, columns, header_langs
from aligner.formats.units import Unit, iter_units, peek
from aligner.io import atomic_file

_BATCH = 8192
"""Rows per row group written, and per batch read: memory stays flat for any size."""


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise AlignerError("parquet needs pyarrow: pip install 'aligner[parquet]'") from None
    return pyarrow


def write_parquet(alignments: Iterable[Alignment], out: str, options: ExportOptions) -> int:
    """The CSV columns with native types, written in row groups as units stream by."""
    pa = _pyarrow()
    first, documents = peek(alignments)
    langs = column_langs(first)
    ids = pa.list_(pa.int32())
    types = [pa.string(), pa.string(), pa.float64(), pa.string(), ids, ids, pa.string(), pa.bool_()]
    schema = pa.schema(list(zip(columns(*langs), types)))
    units = iter_units(documents, options)
    written = 0
    with atomic_file(Path(out)) as stream, pa.parquet.ParquetWriter(stream, schema) as writer:
        while batch := list(islice(units, _BATCH)):
            values = [
                [unit.text_in(langs[0]) for unit in batch],
                [unit.text_in(langs[1]) for unit in batch],
                [round(unit.score, 4) for unit in batch],
                [unit.kind_in(*langs) for unit in batch],
                [list(unit.ids_in(langs[0])) for unit in batch],
                [list(unit.ids_in(langs[1])) for unit in batch],
                [unit.document for unit in batch],
                [unit.damaged for unit in batch],
            ]
            writer.write_table(pa.Table.from_arrays(values, schema=schema))
            written += len(batch)
    return written


def read_parquet(path: Path) -> Iterator[Unit]:
    pa = _pyarrow()
    table = pa.parquet.ParquetFile(path)
    first, second = header_langs(table.schema_arrow.names, str(path))
    for batch in table.iter_batches(batch_size=_BATCH):
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


PARQUET = Format(
    "parquet",
    "alignment",
    (".parquet",),
    write_parquet,
    read_parquet,
    streams_to_stdout=False,
    requires="pyarrow",
)
