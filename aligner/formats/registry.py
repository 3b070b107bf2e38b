"""The one table of file formats: every format is registered here as a `Format` record.

Choosing a format by name or by file extension is a lookup in this table, whether the
CLI validates `--format`, the batch runner checks that its outputs can be merged, or a
glossary is written. Aligned pairs and glossaries share file types (`.csv`, `.tsv`) with
different columns, so each format belongs to one kind and lookups name the kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from aligner.config import ExportOptions
from aligner.data import AlignerError, Alignment, TermPair
from aligner.formats.units import Unit

Kind = Literal["alignment", "glossary"]

AlignmentWriter = Callable[[Iterable[Alignment], str, ExportOptions], int]
"""Writes documents to `out` (a path, "-" for stdout, or a corpus name) and returns the
number of units written; the writer opens its own output, since some formats write
several files."""
GlossaryWriter = Callable[[Sequence[TermPair]], bytes]
"""A whole glossary as the bytes of its file (glossaries are small)."""
UnitReader = Callable[[Path], Iterator[Unit]]
"""The units of a file, one at a time, in file order."""

WriterT = TypeVar("WriterT", AlignmentWriter, GlossaryWriter)

STDOUT_FORMAT = "tsv"
"""What goes to stdout when no format is named: it reads well in a terminal and a pipe."""


@dataclass(frozen=True)
class Format(Generic[WriterT]):
    """One file format: how it is named, written and (if it holds whole pairs) read."""

    name: str
    kind: Kind
    extensions: tuple[str, ...]
    """Lower-case suffixes, with the dot, that select this format."""
    write: WriterT
    read: UnitReader | None = None
    """None when the files do not hold whole pairs to read back (ladders, Moses)."""
    streams_to_stdout: bool = True
    """False when the format needs a real file (Parquet, a Moses file pair, glossaries)."""
    aliases: tuple[str, ...] = ()
    """Other names accepted for it (`txt` for OmegaT's tab-separated glossary)."""
    requires: str | None = None
    """A module the writer needs that is an optional extra (`pyarrow` for Parquet)."""
    keeps_unaligned: bool = True
    """Whether unaligned sentences are written (with the other side empty) unless the
    user says otherwise: not where rows are read as training pairs."""


_REGISTRY: dict[Kind, dict[str, Format[Any]]] = {"alignment": {}, "glossary": {}}


def register(fmt: Format[Any]) -> None:
    """Add a format; the order of registration is the order formats are listed to users."""
    for name in (fmt.name, *fmt.aliases):
        if find(fmt.kind, name) is not None:
            raise ValueError(f"a {fmt.kind} format named {name!r} is already registered")
    _REGISTRY[fmt.kind][fmt.name] = fmt


def formats(kind: Kind) -> list[Format[Any]]:
    """The registered formats of one kind, in registration order."""
    return list(_REGISTRY[kind].values())


def find(kind: Kind, name: str) -> Format[Any] | None:
    """The format called `name` (exactly, or by an alias), or None."""
    for fmt in _REGISTRY[kind].values():
        if name == fmt.name or name in fmt.aliases:
            return fmt
    return None


def find_by_extension(kind: Kind, path: str) -> Format[Any] | None:
    """The format a file name's extension selects, or None."""
    suffix = Path(path).suffix.lower()
    return next((fmt for fmt in _REGISTRY[kind].values() if suffix in fmt.extensions), None)


def format_names(kind: Kind = "alignment") -> tuple[str, ...]:
    """The names of one kind's formats, as listed to users."""
    return tuple(fmt.name for fmt in _REGISTRY[kind].values())


def alignment_format(name: str) -> Format[AlignmentWriter]:
    """The aligned-pair format called `name`, or an error listing the known ones."""
    fmt = find("alignment", name)
    if fmt is None:
        raise _unknown(name)
    return fmt


def _unknown(name: str) -> AlignerError:
    return AlignerError(f"unknown format {name!r}: use one of {', '.join(format_names())}")


def format_for(path: str, explicit: str | None) -> str:
    """The output format: `--format` if given, else the extension; stdout defaults to TSV."""
    if explicit:
        fmt = find("alignment", explicit.lower())
        if fmt is None:
            raise _unknown(explicit)
        return fmt.name
    if path == "-":
        return STDOUT_FORMAT
    fmt = find_by_extension("alignment", path)
    if fmt is None:
        raise AlignerError(
            f"cannot tell the format of {path!r} from its extension: "
            f"use --format ({', '.join(format_names())})"
        )
    return fmt.name
