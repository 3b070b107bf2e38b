"""The reviewer's edits, each built as a `Change` from the project as it is now.

Building never alters the project: `ReviewProject.apply` does, after checking the
change. Beads the reviewer shaped come out `edited` (so re-alignment leaves them be)
and unconfirmed, with score 1.0; confirming never changes which sentences a bead holds.
Requests from the page arrive as JSON objects and are checked field by field here, so a
bad request gets a message that names the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from aligner.review.project import (
    SIDES,
    Change,
    ReviewBead,
    ReviewError,
    ReviewProject,
    Side,
    TextChange,
)

MAX_TEXT_CHARACTERS = 20_000


@dataclass(frozen=True)
class Edit:
    """A change, and whether the beads around it should be re-aligned afterwards."""

    change: Change
    realign: bool


def _shaped(src: tuple[int, ...], tgt: tuple[int, ...]) -> ReviewBead:
    return ReviewBead(src, tgt, 1.0, confirmed=False, edited=True)


def merge(project: ReviewProject, index: int, with_next: bool) -> Change:
    """One bead from a bead and its next (or previous) neighbour."""
    first = index if with_next else index - 1
    if first < 0 or first + 1 >= len(project.beads):
        where = "next" if with_next else "previous"
        raise ReviewError(f"bead {index} has no {where} bead to merge with")
    pair = (project.beads[first], project.beads[first + 1])
    merged = _shaped(pair[0].src + pair[1].src, pair[0].tgt + pair[1].tgt)
    return Change(f"merge beads {first} and {first + 1}", first, pair, (merged,))


def split(project: ReviewProject, index: int, src_cut: int, tgt_cut: int) -> Change:
    """Two beads: the first takes `src_cut` source and `tgt_cut` target sentences."""
    bead = project.bead_at(index)
    for side, cut in (("source", src_cut), ("target", tgt_cut)):
        size = len(bead.src if side == "source" else bead.tgt)
        if not 0 <= cut <= size:
            raise ReviewError(f"bead {index} has {size} {side} sentences; cannot cut at {cut}")
    first = _shaped(bead.src[:src_cut], bead.tgt[:tgt_cut])
    second = _shaped(bead.src[src_cut:], bead.tgt[tgt_cut:])
    if not (first.src or first.tgt) or not (second.src or second.tgt):
        raise ReviewError(f"splitting bead {index} there would leave one part empty")
    return Change(f"split bead {index}", index, (bead,), (first, second))


def move(project: ReviewProject, index: int, side: Side, to_next: bool) -> Change:
    """Move the last sentence of a side to the next bead, or the first to the previous."""
    bead = project.bead_at(index)
    ids = bead.ids(side)
    if not ids:
        raise ReviewError(f"bead {index} has no {side} sentence to move")
    other = index + 1 if to_next else index - 1
    if not 0 <= other < len(project.beads):
        raise ReviewError(f"bead {index} has no {'next' if to_next else 'previous'} bead")
    neighbour = project.beads[other]
    moved, kept = ((ids[-1],), ids[:-1]) if to_next else ((ids[0],), ids[1:])
    joined = moved + neighbour.ids(side) if to_next else neighbour.ids(side) + moved
    shrunk = _with_side(bead, side, kept)
    grown = _with_side(neighbour, side, joined)
    pair = (shrunk, grown) if to_next else (grown, shrunk)
    start = min(index, other)
    after = tuple(b for b in pair if b.src or b.tgt)
    before = (bead, neighbour) if to_next else (neighbour, bead)
    return Change(f"move {side} sentence {moved[0]}", start, before, after)


def _with_side(bead: ReviewBead, side: Side, ids: tuple[int, ...]) -> ReviewBead:
    src, tgt = (ids, bead.tgt) if side == "src" else (bead.src, ids)
    return _shaped(src, tgt)


def unalign(project: ReviewProject, index: int, side: Side, sentence: int) -> Change:
    """Take the first or last sentence of a bead's side out on its own, with no partner."""
    bead = project.bead_at(index)
    ids = bead.ids(side)
    if sentence not in ids:
        raise ReviewError(f"{side} sentence {sentence} is not in bead {index}")
    if not (bead.src and bead.tgt) and len(ids) == 1:
        raise ReviewError(f"{side} sentence {sentence} is already unaligned")
    if sentence not in (ids[0], ids[-1]):
        raise ReviewError(
            f"{side} sentence {sentence} is inside bead {index}: only a first or last "
            "sentence can leave it without reordering; split the bead first"
        )
    alone = _shaped((sentence,), ()) if side == "src" else _shaped((), (sentence,))
    rest = _with_side(bead, side, tuple(i for i in ids if i != sentence))
    parts = (alone, rest) if sentence == ids[0] else (rest, alone)
    after = tuple(part for part in parts if part.src or part.tgt)
    return Change(f"unalign {side} sentence {sentence}", index, (bead,), after)


def confirm(project: ReviewProject, index: int, confirmed: bool) -> Change:
    bead = project.bead_at(index)
    verb = "confirm" if confirmed else "unconfirm"
    return Change(f"{verb} bead {index}", index, (bead,), (replace(bead, confirmed=confirmed),))


def confirm_through(project: ReviewProject, index: int) -> Change:
    """Confirm every bead from the first down to `index`."""
    project.bead_at(index)
    before = tuple(project.beads[: index + 1])
    after = tuple(bead if bead.confirmed else replace(bead, confirmed=True) for bead in before)
    return Change(f"confirm beads 0 to {index}", 0, before, after)


def edit_text(project: ReviewProject, index: int, side: Side, sentence: int, text: str) -> Change:
    """Rewrite one sentence (a typo); the bead keeps its sentences."""
    bead = project.bead_at(index)
    if sentence not in bead.ids(side):
        raise ReviewError(f"{side} sentence {sentence} is not in bead {index}")
    if not text.strip():
        raise ReviewError("a sentence cannot be made empty; mark it unaligned instead")
    if len(text) > MAX_TEXT_CHARACTERS:
        raise ReviewError(f"a sentence is limited to {MAX_TEXT_CHARACTERS} characters")
    old = project.text(side, sentence)
    if text == old:
        raise ReviewError(f"{side} sentence {sentence} already reads so")
    texts = (TextChange(side, sentence, old, text),)
    return Change(f"edit {side} sentence {sentence}", index, (bead,), (bead,), texts)


def _int(payload: Mapping[str, Any], key: str) -> int:
    value = payload.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ReviewError(f"the edit needs an integer {key!r}")
    return value


def _bool(payload: Mapping[str, Any], key: str, default: bool | None = None) -> bool:
    value = payload.get(key, default)
    if not isinstance(value, bool):
        raise ReviewError(f"the edit needs {key!r} true or false")
    return value


def _side(payload: Mapping[str, Any]) -> Side:
    value = payload.get("side")
    if value not in SIDES:
        raise ReviewError("the edit needs 'side': 'src' or 'tgt'")
    side: Side = value
    return side


def _str(payload: Mapping[str, Any], key: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str):
        raise ReviewError(f"the edit needs a string {key!r}")
    return value


_BUILDERS: dict[str, Callable[[ReviewProject, Mapping[str, Any]], Edit]] = {
    "merge": lambda p, q: Edit(merge(p, _int(q, "bead"), _bool(q, "next", True)), True),
    "split": lambda p, q: Edit(
        split(p, _int(q, "bead"), _int(q, "src_cut"), _int(q, "tgt_cut")), True
    ),
    "move": lambda p, q: Edit(move(p, _int(q, "bead"), _side(q), _bool(q, "next")), True),
    "unalign": lambda p, q: Edit(
        unalign(p, _int(q, "bead"), _side(q), _int(q, "sentence")), True
    ),
    "confirm": lambda p, q: Edit(confirm(p, _int(q, "bead"), _bool(q, "confirmed", True)), False),
    "confirm_through": lambda p, q: Edit(confirm_through(p, _int(q, "bead")), False),
    "edit_text": lambda p, q: Edit(
        edit_text(p, _int(q, "bead"), _side(q), _int(q, "sentence"), _str(q, "text")), False
    ),
}
OPERATIONS = tuple(_BUILDERS)


def edit_from_request(project: ReviewProject, payload: Mapping[str, Any]) -> Edit:
    """The edit a page asked for, checked; raises ReviewError naming what is wrong."""
    operation = payload.get("op")
    builder = _BUILDERS.get(operation) if isinstance(operation, str) else None
    if builder is None:
        raise ReviewError(f"unknown edit {operation!r}; use one of {', '.join(OPERATIONS)}")
    return builder(project, payload)
