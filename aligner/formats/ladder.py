"""Ladder files (`.align`): one bead per line as `[0,1]:[0]:0.8312`.

Sentence ids are 0-based positions, as in Bertalign's gold files. A ladder holds ids and
scores but no text, so it is written, never read back as pairs; the evaluation and the
benchmarks read it as beads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from aligner.config import ExportOptions
from aligner.data import AlignerError, Alignment, Bead
from aligner.formats.output import text_view
from aligner.formats.registry import Format
from aligner.formats.units import iter_units
from aligner.io import output_stream, read_text

_LADDER_LINE = re.compile(r"^\s*(\[[\d,\s]*\])\s*:\s*(\[[\d,\s]*\])\s*(?::\s*([-+\d.eE]+))?\s*$")


def id_list(ids: tuple[int, ...]) -> str:
    """Ids in ladder notation, e.g. `[0,1]`."""
    return "[" + ",".join(map(str, ids)) + "]"


def ladder_ids(text: str) -> tuple[int, ...]:
    """Ids from ladder notation; raises ValueError when `text` is not a list of integers."""
    return tuple(json.loads(text))


def format_ladder_line(bead: Bead) -> str:
    """One bead as `[0,1]:[0]:0.8312` (0-based ids, as in Bertalign's gold files)."""
    return f"{id_list(bead.src)}:{id_list(bead.tgt)}:{bead.score:.4f}"


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
            beads.append(Bead(ladder_ids(src), ladder_ids(tgt), float(score) if score else 1.0))
        except ValueError:
            raise AlignerError(
                f"{origin}:{number}: not a ladder line: {line.strip()[:60]!r}"
            ) from None
    return beads


def read_ladder(path: Path) -> list[Bead]:
    """A ladder file, read with the same encoding checks as any user input."""
    return parse_ladder(read_text(path), origin=str(path))


def write_ladder(alignments: Iterable[Alignment], out: str, options: ExportOptions) -> int:
    """The kept beads of the one document; a second document is an error, since a ladder
    cannot say where one ends."""
    documents = iter(alignments)
    first = next(documents, None)
    with output_stream(out) as stream, text_view(stream) as text:
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


LADDER = Format("align", "alignment", (".align",), write_ladder)
