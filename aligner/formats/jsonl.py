"""JSON Lines in the Hugging Face `translation` layout, one pair per line.

Ids are JSON lists under `zh_ids`/`en_ids`; the source language is the first key of
`translation`. The text is kept exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from aligner.config import ExportOptions
from aligner.data import AlignerError, Alignment
from aligner.formats.output import text_view
from aligner.formats.registry import Format
from aligner.formats.units import Unit, iter_units
from aligner.io import output_stream


def write_jsonl(alignments: Iterable[Alignment], out: str, options: ExportOptions) -> int:
    """Hugging Face `translation` rows; the source language is the first key."""
    written = 0
    with output_stream(out) as stream, text_view(stream) as text:
        for unit in iter_units(alignments, options):
            row = {
                "translation": {unit.src_lang: unit.src_text, unit.tgt_lang: unit.tgt_text},
                "score": round(unit.score, 4),
                "type": unit.kind_in(unit.src_lang, unit.tgt_lang),
                f"{unit.src_lang}_ids": list(unit.src_ids),
                f"{unit.tgt_lang}_ids": list(unit.tgt_ids),
                "document": unit.document,
                "damaged": unit.damaged,
            }
            text.write(json.dumps(row, ensure_ascii=False) + "\n")
            written += 1
    return written


def read_jsonl(path: Path) -> Iterator[Unit]:
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


JSONL = Format(
    "jsonl", "alignment", (".jsonl", ".ndjson"), write_jsonl, read_jsonl, keeps_unaligned=False
)
