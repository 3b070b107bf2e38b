"""Writers and readers for the formats translators and researchers load."""

from __future__ import annotations

import json
import re
from pathlib import Path

from aligner.data import AlignerError, Bead

_LADDER_LINE = re.compile(r"^\s*(\[[\d,\s]*\])\s*:\s*(\[[\d,\s]*\])\s*(?::\s*([-+\d.eE]+))?\s*$")


def format_ladder_line(bead: Bead) -> str:
    """One bead as `[0,1]:[0]:0.8312` (0-based ids, as in Bertalign's gold files)."""
    src = ",".join(map(str, bead.src))
    tgt = ",".join(map(str, bead.tgt))
    return f"[{src}]:[{tgt}]:{bead.score:.4f}"


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
        beads.append(
            Bead(tuple(json.loads(src)), tuple(json.loads(tgt)), float(score) if score else 1.0)
        )
    return beads


def read_ladder(path: Path) -> list[Bead]:
    return parse_ladder(path.read_text(encoding="utf-8"), origin=str(path))
