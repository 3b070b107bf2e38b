"""What `aligner review` can open: raw texts to align, an alignment we wrote, or a project.

- a review project (recognised by its content, whatever its name): continue it;
- a tmx, csv, tsv, jsonl or parquet file of one document: review those beads;
- a ladder file (`.align`) followed by its source and target, one sentence per line;
- one mixed document, or a source and a target file: align them first, as `align` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.data import Alignment, Bead
from aligner.review.project import ReviewError, ReviewProject
from aligner.review.stages import align_files, read_ladder, read_pairs
from aligner.review.storage import is_review_project, load_project

if TYPE_CHECKING:
    from aligner.embed import Embedder

PAIR_SUFFIXES = (".tmx", ".csv", ".tsv", ".jsonl", ".ndjson", ".parquet")
PROJECT_SUFFIX = ".review.json"


@dataclass
class Opened:
    """A project ready to review and the file it is saved to unless told otherwise."""

    project: ReviewProject
    path: Path


def _default_path(first: Path) -> Path:
    stem = first.name.split(".")[0] or "alignment"
    return first.with_name(stem + PROJECT_SUFFIX)


def _completed(alignment: Alignment) -> Alignment:
    """Every sentence in a bead: a file read back may skip some (TMX keeps aligned pairs only).

    Sentences the file never gave text for and no bead names are dropped (renumbering
    the rest); a skipped sentence with text becomes an unaligned bead in its place.
    """
    sides = {"src": alignment.src, "tgt": alignment.tgt}
    used = {side: {i for bead in alignment.beads for i in _ids(bead, side)} for side in sides}
    renumbered = {
        side: {old: new for new, old in enumerate(
            i for i, sentence in enumerate(sentences) if i in used[side] or sentence.text
        )}
        for side, sentences in sides.items()
    }
    beads: list[Bead] = []
    following = {"src": 0, "tgt": 0}

    def fill_to(side: str, stop: int) -> None:
        for i in range(following[side], stop):
            beads.append(Bead((i,), (), 1.0) if side == "src" else Bead((), (i,), 1.0))
        following[side] = max(following[side], stop)

    for bead in alignment.beads:
        ids = {side: tuple(renumbered[side][i] for i in _ids(bead, side)) for side in sides}
        for side, side_ids in ids.items():
            if not side_ids:
                continue
            if side_ids[0] < following[side] or side_ids != tuple(
                range(side_ids[0], side_ids[-1] + 1)
            ):
                raise ReviewError(
                    f"the beads are out of order or overlap at {side} sentence {side_ids[0]}"
                )
            fill_to(side, side_ids[0])
            following[side] = side_ids[-1] + 1
        beads.append(Bead(ids["src"], ids["tgt"], bead.score))
    for side in sides:
        fill_to(side, len(renumbered[side]))
    return replace(
        alignment,
        src=[alignment.src[i] for i in renumbered["src"]],
        tgt=[alignment.tgt[i] for i in renumbered["tgt"]],
        beads=beads,
    )


def _ids(bead: Bead, side: str) -> tuple[int, ...]:
    return bead.src if side == "src" else bead.tgt


def open_inputs(
    inputs: Sequence[Path], embedder: Embedder, presegmented: bool = False
) -> Opened:
    """The project the inputs describe; raises AlignerError with a message otherwise."""
    if not inputs:
        raise ReviewError("give a document to review (or two files, or a saved project)")
    first = inputs[0]
    if not first.is_file():
        raise ReviewError(f"{first}: no such file")
    if is_review_project(first):
        if len(inputs) > 1:
            raise ReviewError(f"{first} is a review project; open it on its own")
        return Opened(load_project(first), first)
    if first.suffix.lower() == ".align":
        if len(inputs) != 3:
            raise ReviewError(
                f"{first} is a ladder file: give it with its source and target files "
                "(one sentence per line): aligner review LADDER SRC TGT"
            )
        alignment = read_ladder(first, inputs[1], inputs[2])
    elif first.suffix.lower() in PAIR_SUFFIXES:
        if len(inputs) > 1:
            raise ReviewError(f"{first} holds aligned pairs; open it on its own")
        documents = read_pairs(first)
        if len(documents) != 1:
            raise ReviewError(
                f"{first} holds {len(documents)} documents; a review takes one "
                "(split the file, or review the documents' own outputs)"
            )
        alignment = documents[0]
    else:
        alignment = align_files(inputs, embedder, presegmented)
    try:
        return Opened(ReviewProject(_completed(alignment)), _default_path(first))
    except ReviewError as error:
        raise ReviewError(f"{first}: {error}") from None
