"""Bilingual glossaries: term pairs mined from aligned documents (issue #6).

A translator wants a document's names and terms with their translations before starting.
Aligned beads hold exactly that evidence: `candidates` finds the strings that could be
terms on each side, `extraction` pairs them across the beads. The files are written by
the glossary formats of `aligner.formats`.
"""

from __future__ import annotations

from aligner.data import TermPair
from aligner.embed import Embedder
from aligner.formats import glossary_format, read_alignments, write_glossary
from aligner.glossary.extraction import extract_glossary

__all__ = ["TermPair", "extract_glossary", "glossary_file", "glossary_format", "write_glossary"]


def glossary_file(
    source: str,
    out: str,
    embedder: Embedder | None,
    top: int | None = None,
    min_frequency: int = 2,
    fmt: str | None = None,
) -> int:
    """Read aligned pairs (tmx, csv, tsv, jsonl, parquet) and write their glossary.

    Returns the number of entries written.
    """
    fmt = glossary_format(out, fmt)
    terms = extract_glossary(read_alignments(source), embedder, top, min_frequency)
    write_glossary(terms, out, fmt)
    return len(terms)
