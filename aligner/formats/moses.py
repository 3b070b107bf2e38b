"""Moses plain-text corpora: two line-aligned files named the way OPUS names them
(`corpus.en-zh.zh`, `corpus.en-zh.en`), aligned pairs only.

Moses is read by line-oriented tools, so tabs and line breaks inside a text become spaces.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path

from aligner.config import ExportOptions
from aligner.data import Alignment
from aligner.formats.output import one_line, text_view
from aligner.formats.registry import Format
from aligner.formats.units import iter_units
from aligner.io import atomic_file


def write_moses(alignments: Iterable[Alignment], out: str, options: ExportOptions) -> int:
    """`out` is the corpus name; both files appear only once complete."""
    written = 0
    with ExitStack() as stack:
        files = {}
        for lang in ("zh", "en"):
            stream = stack.enter_context(atomic_file(Path(f"{out}.en-zh.{lang}")))
            files[lang] = stack.enter_context(text_view(stream))
        for unit in iter_units(alignments, options):
            lines = {lang: one_line(unit.text_in(lang)) for lang in ("zh", "en")}
            if lines["zh"] and lines["en"]:
                for lang, line in lines.items():
                    files[lang].write(line + "\n")
                written += 1
    return written


MOSES = Format(
    "moses", "alignment", (), write_moses, streams_to_stdout=False, keeps_unaligned=False
)
