"""aligner: Chinese–English parallel-text alignment.

The public API, loaded lazily so that `import aligner` (and the CLI's `--help`)
stays fast:

    from aligner import align_document, write_alignments
    document = align_document("seeds/001_80f9d8cd20d446c8.txt")
    write_alignments([document.alignment], "interview.tmx", "tmx")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "AlignerError": "aligner.data",
    "Alignment": "aligner.data",
    "Bead": "aligner.data",
    "Sentence": "aligner.data",
    "Paragraph": "aligner.data",
    "load_embedder": "aligner.embed",
    "AlignConfig": "aligner.config",
    "PipelineOptions": "aligner.config",
    "AlignedDocument": "aligner.pipeline",
    "align_document": "aligner.pipeline",
    "write_alignments": "aligner.formats",
    "read_alignments": "aligner.formats",
    "ExportOptions": "aligner.config",
    "__version__": "aligner.version",
}

__all__ = [
    "AlignConfig",
    "AlignedDocument",
    "AlignerError",
    "Alignment",
    "Bead",
    "ExportOptions",
    "Paragraph",
    "PipelineOptions",
    "Sentence",
    "__version__",
    "align_document",
    "load_embedder",
    "read_alignments",
    "write_alignments",
]

if TYPE_CHECKING:
    from aligner.config import AlignConfig, ExportOptions, PipelineOptions
    from aligner.data import AlignerError, Alignment, Bead, Paragraph, Sentence
    from aligner.embed import load_embedder
    from aligner.formats import read_alignments, write_alignments
    from aligner.pipeline import AlignedDocument, align_document
    from aligner.version import VERSION as __version__


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'aligner' has no attribute {name!r}")
    attribute = "VERSION" if name == "__version__" else name
    return getattr(import_module(_EXPORTS[name]), attribute)
