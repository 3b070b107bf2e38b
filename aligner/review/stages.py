"""The review package's one door to the other stages.

Reading inputs, aligning, writing formats and extracting glossaries belong to other
packages; every call into them goes through this module, so a change in where they
live is fixed here and nowhere else in `aligner.review`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from aligner.data import AlignerError, Alignment, Bead, Sentence, chinese_script

if TYPE_CHECKING:
    from aligner import ExportOptions
    from aligner.embed import CachedEmbedder, Embedder


class LazyModel:
    """The embedding model, whose stage is imported and loaded on first use only: opening
    a saved project needs no model until the first edit, and importing the embedding
    stage (with the text cleaners it uses) takes most of a second.

    Vectors are kept on disk (`aligner.io.user_cache_dir`), so reopening a saved review of a
    long document reads them back instead of embedding every sentence again."""

    def __init__(self, model: str | None = None) -> None:
        self.model = model
        self.name = model or "default"
        self._inner: CachedEmbedder | None = None

    def _embedder(self) -> CachedEmbedder:
        if self._inner is None:
            from aligner import load_embedder
            from aligner.embed import CachedEmbedder
            from aligner.io import user_cache_dir

            self._inner = CachedEmbedder(load_embedder(self.model), user_cache_dir())
        return self._inner

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._embedder().encode(texts)

    def encode_runs(
        self, texts: Sequence[str], joiner: str, max_run: int, clauses: Sequence[str] = (),
        exact: bool = True, room: int = 0,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Run and clause vectors as the aligner builds them outside the review, so a
        re-aligned stretch gets the beads `aligner align` would give it."""
        return self._embedder().encode_runs(texts, joiner, max_run, clauses, exact, room)


def load_model(model: str | None = None) -> Embedder:
    return LazyModel(model)


def align_sentences(
    src: Sequence[Sentence],
    tgt: Sequence[Sentence],
    embedder: Embedder,
    max_align: int,
    embedded_run: int,
    boundary_weight: float,
) -> list[Bead]:
    """`align` with the given knobs, the rest at their defaults."""
    from aligner.align import align
    from aligner.config import AlignConfig

    config = AlignConfig(
        max_align=max_align, embedded_run=embedded_run, boundary_weight=boundary_weight
    )
    return align(src, tgt, embedder, config)


def align_files(paths: Sequence[Path], embedder: Embedder, presegmented: bool) -> Alignment:
    """What `aligner align` does with one mixed document or two files."""
    from aligner import PipelineOptions, align_document

    options = PipelineOptions(presegmented=presegmented)
    return align_document(*paths, embedder=embedder, options=options).alignment


def read_pairs(path: Path) -> list[Alignment]:
    from aligner import read_alignments

    return read_alignments(str(path))


def read_ladder(ladder: Path, src_path: Path, tgt_path: Path) -> Alignment:
    """A ladder file with its two sources, one sentence per line (as `--presegmented`)."""
    from aligner.formats import parse_ladder
    from aligner.io import read_text
    from aligner.pipeline import language_of
    from aligner.segment import presegmented

    beads = parse_ladder(read_text(ladder), origin=str(ladder))
    sides = []
    for path in (src_path, tgt_path):
        text = read_text(path)
        lang = language_of(text, None, str(path))
        sides.append((lang, presegmented(text, lang)))
    (src_lang, src), (tgt_lang, tgt) = sides
    if src_lang == tgt_lang:
        raise AlignerError(f"{src_path} and {tgt_path} are both in one language ({src_lang})")
    zh = src if src_lang == "zh" else tgt
    return Alignment(
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        src=src,
        tgt=tgt,
        beads=beads,
        name=src_path.name,
        zh_script=chinese_script(zh),
    )


def output_formats() -> tuple[str, ...]:
    from aligner.formats import FORMATS

    return tuple(FORMATS)


def format_of(path: str, explicit: str | None) -> str:
    from aligner.formats import format_for

    return format_for(path, explicit)


def write_pairs(
    alignment: Alignment, out: Path | str, fmt: str, options: ExportOptions | None = None
) -> int:
    """Write the beads of `alignment` (the caller has chosen which beads it holds)."""
    from aligner import write_alignments

    return write_alignments([alignment], str(out), fmt, options)


def write_term_pairs(alignment: Alignment, out: Path, embedder: Embedder | None) -> int:
    """The glossary of a reviewed alignment; the format comes from `out`'s extension."""
    from aligner.glossary import extract_glossary, write_glossary

    terms = extract_glossary([alignment], embedder)
    write_glossary(terms, str(out))
    return len(terms)
