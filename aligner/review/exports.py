"""Writing a reviewed alignment: every output format, triage, and its glossary.

The page downloads what these functions produce; `aligner convert PROJECT` writes the
same files. Triage splits the beads in one step: "ready" holds the confirmed beads and
those scoring at least a threshold, "to review" holds the rest, so the ready part can
go into a translation memory while the doubtful part waits.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.review.project import ReviewBead, ReviewError, ReviewProject
from aligner.review.stages import format_of, output_formats, write_pairs, write_term_pairs
from aligner.review.storage import load_project

if TYPE_CHECKING:
    from aligner import ExportOptions
    from aligner.embed import Embedder

SUFFIXES = {"tmx": ".tmx", "csv": ".csv", "tsv": ".tsv", "jsonl": ".jsonl", "align": ".align",
            "parquet": ".parquet", "moses": ""}
GLOSSARY_SUFFIXES = {"csv": ".csv", "tsv": ".tsv", "tbx": ".tbx", "omegat": ".txt"}
Keep = Callable[[ReviewBead], bool]


@dataclass(frozen=True)
class Download:
    """A file for the browser to save: its suggested name, type and bytes."""

    filename: str
    media_type: str
    content: bytes


def keep_beads(confirmed_only: bool) -> Keep | None:
    return (lambda bead: bead.confirmed) if confirmed_only else None


def is_ready(min_score: float) -> Keep:
    """Triage: a bead is ready when confirmed or scoring at least `min_score`."""
    return lambda bead: bead.confirmed or bead.score >= min_score


def triage_paths(out: Path) -> tuple[Path, Path]:
    """`out.tmx` gives `out.ready.tmx` and `out.to-review.tmx`."""
    suffix = "".join(out.suffixes[-1:])
    stem = out.name[: len(out.name) - len(suffix)] if suffix else out.name
    return out.with_name(f"{stem}.ready{suffix}"), out.with_name(f"{stem}.to-review{suffix}")


def write_project(
    project: ReviewProject, out: Path, fmt: str, keep: Keep | None = None
) -> int:
    return write_pairs(project.alignment(keep), out, fmt)


def write_triage(project: ReviewProject, out: Path, fmt: str, min_score: float) -> tuple[int, int]:
    """Write the ready and to-review files beside `out`; returns how many units each got."""
    ready_path, review_path = triage_paths(out)
    ready = is_ready(min_score)
    return (
        write_project(project, ready_path, fmt, ready),
        write_project(project, review_path, fmt, lambda bead: not ready(bead)),
    )


def _stem(project: ReviewProject) -> str:
    stem = Path(project.name or "alignment").name.split(".")[0]
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in stem) or "alignment"


def _check_format(fmt: str) -> None:
    if fmt not in output_formats():
        raise ReviewError(f"unknown format {fmt!r}; use one of {', '.join(output_formats())}")


def _zipped(folder: Path, filename: str) -> Download:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return Download(filename, "application/zip", buffer.getvalue())


def download(project: ReviewProject, fmt: str, confirmed_only: bool) -> Download:
    """One export as bytes; Moses (two files) comes as a zip."""
    _check_format(fmt)
    stem = _stem(project) + (".confirmed" if confirmed_only else "")
    with tempfile.TemporaryDirectory(prefix="aligner-review-") as folder:
        target = Path(folder) / (stem + SUFFIXES[fmt])
        write_project(project, target, fmt, keep_beads(confirmed_only))
        if fmt == "moses":
            return _zipped(Path(folder), f"{stem}.moses.zip")
        return Download(target.name, "application/octet-stream", target.read_bytes())


def triage_download(project: ReviewProject, fmt: str, min_score: float) -> Download:
    """The ready and to-review files together in one zip."""
    _check_format(fmt)
    if not 0.0 <= min_score <= 1.0:
        raise ReviewError(f"the triage score must be between 0 and 1, not {min_score}")
    with tempfile.TemporaryDirectory(prefix="aligner-review-") as folder:
        out = Path(folder) / "files" / (_stem(project) + SUFFIXES[fmt])
        out.parent.mkdir()
        write_triage(project, out, fmt, min_score)
        return _zipped(out.parent, f"{_stem(project)}.triage.zip")


def glossary_download(project: ReviewProject, fmt: str, embedder: Embedder | None) -> Download:
    """Term pairs from the reviewed beads (confirmed or not), as csv, tsv, tbx or OmegaT."""
    if fmt not in GLOSSARY_SUFFIXES:
        raise ReviewError(f"unknown glossary format {fmt!r}; use {', '.join(GLOSSARY_SUFFIXES)}")
    with tempfile.TemporaryDirectory(prefix="aligner-review-") as folder:
        target = Path(folder) / (_stem(project) + ".glossary" + GLOSSARY_SUFFIXES[fmt])
        write_term_pairs(project.alignment(), target, embedder)
        return Download(target.name, "application/octet-stream", target.read_bytes())


def convert_project(
    source: str,
    out: str,
    fmt: str | None,
    options: ExportOptions,
    confirmed_only: bool = False,
    triage: float | None = None,
) -> int:
    """`aligner convert PROJECT -o OUT`: export a review project; returns units written.

    The usual filters (`options`) apply on top of `confirmed_only`; with `triage`, the
    ready and to-review files are written beside OUT instead of OUT itself.
    """
    project = load_project(Path(source))
    chosen = format_of(out, fmt)
    if triage is None:
        alignment = project.alignment(keep_beads(confirmed_only))
        return write_pairs(alignment, out, chosen, options)
    if out == "-":
        raise ReviewError("--triage writes two files: give an output file with -o")
    if not 0.0 <= triage <= 1.0:
        raise ReviewError(f"--triage takes a score between 0 and 1, not {triage}")
    ready = is_ready(triage)
    ready_path, review_path = triage_paths(Path(out))
    return write_pairs(project.alignment(ready), ready_path, chosen, options) + write_pairs(
        project.alignment(lambda bead: not ready(bead)), review_path, chosen, options
    )
