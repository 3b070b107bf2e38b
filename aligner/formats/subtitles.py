"""Bilingual subtitles (.srt): one cue per bead, the source line above the target line.

Only alignments of subtitle files have cue times: each bead takes the span of its source
cues (of its target cues when it has no source), so the aligned film keeps its timing.
Texts are one line each, as players show them.
"""

from __future__ import annotations

from collections.abc import Iterable

from aligner.config import ExportOptions
from aligner.data import AlignerError, Alignment
from aligner.formats.output import one_line, text_view
from aligner.formats.registry import Format
from aligner.formats.units import iter_units
from aligner.io import output_stream


def srt_time(seconds: float) -> str:
    """`HH:MM:SS,mmm`, the SRT timestamp."""
    millis = round(seconds * 1000)
    hours, minutes, whole = millis // 3_600_000, millis // 60_000 % 60, millis // 1000 % 60
    return f"{hours:02}:{minutes:02}:{whole:02},{millis % 1000:03}"


def write_srt(alignments: Iterable[Alignment], out: str, options: ExportOptions) -> int:
    written = 0
    with output_stream(out) as stream, text_view(stream) as text:
        for unit in iter_units(alignments, options):
            if unit.times is None:
                raise AlignerError(
                    f"{unit.document}: .srt output needs subtitles as input (.srt or .vtt)"
                )
            lines = [one_line(unit.src_text), one_line(unit.tgt_text)]
            start, end = unit.times
            written += 1
            text.write(f"{written}\n{srt_time(start)} --> {srt_time(end)}\n")
            text.write("\n".join(line for line in lines if line) + "\n\n")
    return written


SRT = Format("srt", "alignment", (".srt",), write_srt)
