"""Review project files: JSON holding the sources, the beads and the edit history.

The file is written to a temporary file beside the project and renamed over it with
`os.replace` only once complete and flushed to disk, so a crash or a kill while saving
leaves the previous project file as it was. Opening checks the whole alignment again:
a hand-edited file that loses a sentence is refused with a message, not half-loaded.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from pathlib import Path
from typing import Any

from aligner.data import Alignment, Lang, Sentence
from aligner.review.project import (
    SIDES,
    Change,
    ReviewBead,
    ReviewError,
    ReviewProject,
    TextChange,
)

FORMAT = "aligner-review"
VERSION = 1
_SIGNATURE = re.compile(rb'^(?:\xef\xbb\xbf)?\s*\{\s*"format"\s*:\s*"aligner-review"')


def is_review_project(path: str | Path) -> bool:
    """True for a file this module wrote (it starts with the format's signature)."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(256)
    except OSError:
        return False
    return _SIGNATURE.match(head) is not None


def _bead_record(bead: ReviewBead) -> list[Any]:
    return [list(bead.src), list(bead.tgt), bead.score, bead.confirmed, bead.edited]


def _change_record(change: Change) -> dict[str, Any]:
    return {
        "action": change.action,
        "start": change.start,
        "before": [_bead_record(bead) for bead in change.before],
        "after": [_bead_record(bead) for bead in change.after],
        "texts": [[t.side, t.sentence, t.before, t.after] for t in change.texts],
    }


def project_record(project: ReviewProject) -> dict[str, Any]:
    """The project as JSON-ready data; "format" comes first so the file can be recognised."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": project.name,
        "src_lang": project.src_lang,
        "tgt_lang": project.tgt_lang,
        "zh_script": project.zh_script,
        "sentences": {
            side: [[s.text, s.paragraph] for s in project.sentences[side]] for side in SIDES
        },
        "beads": [_bead_record(bead) for bead in project.beads],
        "undo": [_change_record(change) for change in project.undo_stack],
        "redo": [_change_record(change) for change in project.redo_stack],
    }


def save_project(project: ReviewProject, path: Path) -> None:
    """Write the project atomically and mark it saved."""
    data = json.dumps(project_record(project), ensure_ascii=False, separators=(",", ":"))
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with partial.open("x", encoding="utf-8") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(partial, path)
    except OSError as error:
        raise ReviewError(f"{path}: cannot save the project: {error.strerror or error}") from None
    finally:
        partial.unlink(missing_ok=True)
    project.saved_revision = project.revision


def _bead(record: Any, where: str) -> ReviewBead:
    try:
        src, tgt, score, confirmed, edited = record
        bead = ReviewBead(
            tuple(int(i) for i in src),
            tuple(int(j) for j in tgt),
            float(score),
            bool(confirmed),
            bool(edited),
        )
    except (TypeError, ValueError):
        raise ReviewError(f"{where}: not a bead: {str(record)[:60]}") from None
    return bead


def _change(record: Any, where: str) -> Change:
    try:
        return Change(
            str(record["action"]),
            int(record["start"]),
            tuple(_bead(bead, where) for bead in record["before"]),
            tuple(_bead(bead, where) for bead in record["after"]),
            tuple(TextChange(side, int(i), str(old), str(new))
                  for side, i, old, new in record["texts"]),
        )
    except (KeyError, TypeError, ValueError):
        raise ReviewError(f"{where}: an edit in the history is damaged") from None


def project_from_record(data: Any, where: str) -> ReviewProject:
    """A project from parsed JSON; ReviewError (naming `where`) if anything is off."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ReviewError(f"{where}: not an aligner review project")
    if data.get("version") != VERSION:
        raise ReviewError(f"{where}: review project version {data.get('version')} is not {VERSION}")
    found = (data.get("src_lang"), data.get("tgt_lang"))
    if found not in (("zh", "en"), ("en", "zh")):
        raise ReviewError(f"{where}: the languages must be zh and en, not {found}")
    langs: tuple[Lang, Lang] = ("zh", "en") if found[0] == "zh" else ("en", "zh")
    try:
        sentences = {
            side: [
                Sentence(str(text), langs[n], int(paragraph))
                for text, paragraph in data["sentences"][side]
            ]
            for n, side in enumerate(SIDES)
        }
        beads = [_bead(record, where) for record in data["beads"]]
        undo = [_change(record, where) for record in data.get("undo", [])]
        redo = [_change(record, where) for record in data.get("redo", [])]
    except (KeyError, TypeError, ValueError):
        raise ReviewError(f"{where}: the sentences or beads are damaged") from None
    alignment = Alignment(
        src_lang=langs[0],
        tgt_lang=langs[1],
        src=sentences["src"],
        tgt=sentences["tgt"],
        beads=[],
        name=str(data.get("name", "")),
        zh_script="traditional" if data.get("zh_script") == "traditional" else "simplified",
    )
    try:
        return ReviewProject(alignment, beads, undo, redo)
    except ReviewError as error:
        raise ReviewError(f"{where}: {error}") from None


def load_project(path: Path) -> ReviewProject:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise ReviewError(f"{path}: cannot read: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReviewError(f"{path}: not a readable review project: {error}") from None
    return project_from_record(data, str(path))
