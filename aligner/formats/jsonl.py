"""JSON Lines in the Hugging Face `translation` layout, one pair per line.

Ids are JSON lists under `zh_ids`/`en_ids`; the source language is the first key of
`translation`. The text is kept exactly. The filter signals of the tables follow, under
the same names (docs/corpus-schema.md), languages in the row's own order. A side read
from a structured format says where it came from under `zh_source_ref`/`en_source_ref`
(absent for plain text).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from aligner.config import ExportOptions
from aligner.data import AlignerError, Alignment
from aligner.formats.output import text_view
from aligner.formats.registry import Format
from aligner.formats.table import signal_columns, signal_values
from aligner.formats.units import Unit, iter_units
from aligner.io import output_stream


def write_jsonl(alignments: Iterable[Alignment], out: str, options: ExportOptions) -> int:
    """Hugging Face `translation` rows; the source language is the first key."""
    written = 0
    with output_stream(out) as stream, text_view(stream) as text:
        for unit in iter_units(alignments, options):
            langs = (unit.src_lang, unit.tgt_lang)
            row = {
                "translation": {unit.src_lang: unit.src_text, unit.tgt_lang: unit.tgt_text},
                "score": round(unit.score, 4),
                "type": unit.kind_in(unit.src_lang, unit.tgt_lang),
                f"{unit.src_lang}_ids": list(unit.src_ids),
                f"{unit.tgt_lang}_ids": list(unit.tgt_ids),
                "document": unit.document,
                "damaged": unit.damaged,
                **dict(zip(signal_columns(*langs), signal_values(unit, *langs))),
            }
            for lang in (unit.src_lang, unit.tgt_lang):
                if unit.ref_in(lang):
                    row[f"{lang}_source_ref"] = unit.ref_in(lang)
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
            bead=None if row.get("bead") is None else int(row["bead"]),
            src_paragraphs=tuple(map(int, row.get(f"{src_lang}_paragraphs", ()))),
            tgt_paragraphs=tuple(map(int, row.get(f"{tgt_lang}_paragraphs", ()))),
            doc_repairs=int(row.get("doc_repairs", 0)),
            src_ref=str(row.get(f"{src_lang}_source_ref", "")),
            tgt_ref=str(row.get(f"{tgt_lang}_source_ref", "")),
        )
    except (ValueError, KeyError, TypeError):
        raise AlignerError(
            f'{where}: not a row like {{"translation": {{"zh": ..., "en": ...}}, ...}}'
        ) from None


JSONL = Format(
    "jsonl", "alignment", (".jsonl", ".ndjson"), write_jsonl, read_jsonl, keeps_unaligned=False
)
