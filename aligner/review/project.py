"""The review model: beads a reviewer can confirm and edit, with undo and redo.

Every edit is one `Change`: a run of beads replaced by another run holding exactly the
same sentences in the same order, plus any sentence texts rewritten. Checking that
property when a change is applied is enough to keep the whole project valid (every
sentence in exactly one bead, in document order), because it held before; the full
check runs once, when a project is built or loaded. Undoing a change applies its
inverse, so undo and redo go through the same check.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from aligner.data import AlignerError, Alignment, Bead, Lang, Sentence

Side = Literal["src", "tgt"]
SIDES: tuple[Side, Side] = ("src", "tgt")
HISTORY_LIMIT = 500
"""Undo steps kept; older ones are dropped so a long session's project file stays small."""


class ReviewError(AlignerError):
    """An edit or a project file that would break the alignment; the message says why."""


@dataclass(frozen=True, slots=True)
class ReviewBead:
    """A bead as the reviewer sees it.

    `edited` beads were shaped by the reviewer (merged, split, a sentence moved); like
    confirmed beads they are never changed by re-alignment, so a fix is never undone
    behind the reviewer's back. Their score is 1.0: a person chose them.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float
    confirmed: bool = False
    edited: bool = False

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def anchored(self) -> bool:
        """True when re-alignment must keep this bead as it is."""
        return self.confirmed or self.edited

    def ids(self, side: Side) -> tuple[int, ...]:
        return self.src if side == "src" else self.tgt


@dataclass(frozen=True, slots=True)
class TextChange:
    """One sentence's text rewritten (a typo fixed)."""

    side: Side
    sentence: int
    before: str
    after: str


@dataclass(frozen=True)
class Change:
    """`beads[start:start + len(before)]` became `after`; `texts` were rewritten."""

    action: str
    start: int
    before: tuple[ReviewBead, ...]
    after: tuple[ReviewBead, ...]
    texts: tuple[TextChange, ...] = ()

    def inverted(self) -> Change:
        texts = tuple(
            TextChange(text.side, text.sentence, text.after, text.before)
            for text in reversed(self.texts)
        )
        return Change(self.action, self.start, self.after, self.before, texts)


def _joined(beads: Iterable[ReviewBead], side: Side) -> list[int]:
    return [i for bead in beads for i in bead.ids(side)]


def check_beads(beads: Sequence[ReviewBead], src_count: int, tgt_count: int) -> None:
    """Raise ReviewError unless every sentence is in exactly one bead, in order."""
    expected = {"src": 0, "tgt": 0}
    for index, bead in enumerate(beads):
        if not bead.src and not bead.tgt:
            raise ReviewError(f"bead {index} holds no sentence")
        if not (0.0 <= bead.score <= 1.0) or math.isnan(bead.score):
            raise ReviewError(f"bead {index}: score {bead.score} is not between 0 and 1")
        for side in SIDES:
            for sentence in bead.ids(side):
                if sentence != expected[side]:
                    raise ReviewError(
                        f"bead {index}: {side} sentence {sentence} is out of order "
                        f"(sentence {expected[side]} comes next)"
                    )
                expected[side] += 1
    for side, count in (("src", src_count), ("tgt", tgt_count)):
        if expected[side] != count:
            raise ReviewError(
                f"{side} sentences {expected[side]} to {count - 1} are in no bead"
            )


class ReviewProject:
    """One document under review: its sentences, beads and edit history.

    `revision` counts applied changes, undos and redos, so a page that shows an older
    state can be told it is out of date instead of editing the wrong bead.
    """

    def __init__(
        self,
        alignment: Alignment,
        beads: Sequence[ReviewBead] | None = None,
        undo: Sequence[Change] = (),
        redo: Sequence[Change] = (),
    ) -> None:
        self.name = alignment.name
        self.src_lang: Lang = alignment.src_lang
        self.tgt_lang: Lang = alignment.tgt_lang
        self.zh_script = alignment.zh_script
        self.sentences: dict[Side, list[Sentence]] = {
            "src": list(alignment.src),
            "tgt": list(alignment.tgt),
        }
        if beads is None:
            beads = [ReviewBead(bead.src, bead.tgt, bead.score) for bead in alignment.beads]
        self.beads: list[ReviewBead] = list(beads)
        check_beads(self.beads, len(self.sentences["src"]), len(self.sentences["tgt"]))
        self.undo_stack: list[Change] = list(undo)
        self.redo_stack: list[Change] = list(redo)
        self.revision = 0
        self.saved_revision = 0

    @property
    def dirty(self) -> bool:
        return self.revision != self.saved_revision

    def lang(self, side: Side) -> Lang:
        return self.src_lang if side == "src" else self.tgt_lang

    def text(self, side: Side, sentence: int) -> str:
        return self.sentences[side][sentence].text

    def bead_at(self, index: int) -> ReviewBead:
        if not 0 <= index < len(self.beads):
            raise ReviewError(f"there is no bead {index} (the document has {len(self.beads)})")
        return self.beads[index]

    def apply(self, change: Change) -> Change:
        """Make an edit, remember it for undo and forget what could be redone."""
        self._perform(change)
        self.undo_stack.append(change)
        del self.undo_stack[:-HISTORY_LIMIT]
        self.redo_stack.clear()
        return change

    def undo(self) -> Change:
        """Revert the last edit; returns the change that did it (its inverse)."""
        if not self.undo_stack:
            raise ReviewError("nothing to undo")
        change = self.undo_stack[-1].inverted()
        self._perform(change)
        self.redo_stack.append(self.undo_stack.pop())
        return change

    def redo(self) -> Change:
        if not self.redo_stack:
            raise ReviewError("nothing to redo")
        change = self.redo_stack[-1]
        self._perform(change)
        self.undo_stack.append(self.redo_stack.pop())
        return change

    def _perform(self, change: Change) -> None:
        self._check(change)
        stop = change.start + len(change.before)
        self.beads[change.start : stop] = change.after
        for text in change.texts:
            sentences = self.sentences[text.side]
            sentences[text.sentence] = replace(sentences[text.sentence], text=text.after)
        self.revision += 1

    def _check(self, change: Change) -> None:
        """The change must replace what is there now by the same sentences, in order."""
        stop = change.start + len(change.before)
        if change.start < 0 or stop > len(self.beads):
            raise ReviewError(f"{change.action}: beads {change.start} to {stop - 1} do not exist")
        if tuple(self.beads[change.start : stop]) != change.before:
            raise ReviewError(f"{change.action}: the beads changed since the edit was made")
        for bead in change.after:
            if not bead.src and not bead.tgt:
                raise ReviewError(f"{change.action}: would leave a bead with no sentence")
        for side in SIDES:
            if _joined(change.after, side) != _joined(change.before, side):
                raise ReviewError(
                    f"{change.action}: would lose, repeat or reorder {side} sentences"
                )
        for text in change.texts:
            sentences = self.sentences[text.side]
            if not 0 <= text.sentence < len(sentences):
                raise ReviewError(f"{change.action}: no {text.side} sentence {text.sentence}")
            if sentences[text.sentence].text != text.before:
                raise ReviewError(f"{change.action}: the sentence text changed meanwhile")

    def alignment(self, keep: Callable[[ReviewBead], bool] | None = None) -> Alignment:
        """The reviewed document for the writers, with only the beads `keep` accepts."""
        return Alignment(
            src_lang=self.src_lang,
            tgt_lang=self.tgt_lang,
            src=list(self.sentences["src"]),
            tgt=list(self.sentences["tgt"]),
            beads=[
                Bead(bead.src, bead.tgt, bead.score)
                for bead in self.beads
                if keep is None or keep(bead)
            ],
            name=self.name,
            zh_script=self.zh_script,
        )
