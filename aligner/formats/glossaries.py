"""Glossary files: CSV/TSV tables (memoQ), OmegaT's tab-separated text, and TBX-Basic.

They write `TermPair` records (from `aligner.data`), so this module needs nothing from
the glossary extraction, and they are registered with the aligned-pair formats when
`aligner.formats` is imported, so the CLI checks a glossary file name without loading
jieba. `-` names a file here, not stdout: a glossary is made for a CAT tool to open.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from aligner.data import AlignerError, TermPair
from aligner.formats.registry import Format, GlossaryWriter, find, find_by_extension
from aligner.io import atomic_file
from aligner.readers.bilingual import XML_LANG

GLOSSARY_COLUMNS = ("zh", "en", "score", "frequency", "example_zh", "example_en")
TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"


def _one_line(text: str) -> str:
    """Tabs and line breaks would split a tab-separated glossary row."""
    return " ".join(text.split())


def _table(terms: Sequence[TermPair], delimiter: str, encoding: str) -> bytes:
    """memoQ-style table: a header row naming each column, one entry per row.

    memoQ maps columns to term base fields by their header names, so the languages are
    named by their ISO codes (`zh`, `en`) like the aligned-pair tables.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(GLOSSARY_COLUMNS)
    for term in terms:
        writer.writerow(
            (
                term.zh,
                term.en,
                f"{term.score:.4f}",
                term.frequency,
                _one_line(term.example_zh),
                _one_line(term.example_en),
            )
        )
    return buffer.getvalue().encode(encoding)


def write_csv(terms: Sequence[TermPair]) -> bytes:
    """Glossaries go to translators' spreadsheets and memoQ, where a BOM makes UTF-8
    unambiguous (unlike the pair tables, which researchers read with pandas)."""
    return _table(terms, ",", "utf-8-sig")


def write_tsv(terms: Sequence[TermPair]) -> bytes:
    return _table(terms, "\t", "utf-8")


def write_omegat(terms: Sequence[TermPair]) -> bytes:
    """OmegaT glossary: source TAB target TAB comment; a `.txt` glossary is read as UTF-8."""
    lines = [
        "\t".join(
            (
                _one_line(term.zh),
                _one_line(term.en),
                f"frequency {term.frequency}, score {term.score:.2f}: {_one_line(term.example_en)}",
            )
        )
        for term in terms
    ]
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def write_tbx(terms: Sequence[TermPair]) -> bytes:
    """TBX-Basic (ISO 30042:2019, DCA style): one conceptEntry per pair, example as context."""
    root = etree.Element(
        f"{{{TBX_NAMESPACE}}}tbx",
        nsmap={None: TBX_NAMESPACE},
        attrib={"type": "TBX-Basic", "style": "dca", XML_LANG: "en"},
    )

    def child(
        parent: etree._Element, tag: str, text: str | None = None, **attrib: str
    ) -> etree._Element:
        element = etree.SubElement(parent, f"{{{TBX_NAMESPACE}}}{tag}", attrib)
        element.text = text
        return element

    source = child(child(child(root, "tbxHeader"), "fileDesc"), "sourceDesc")
    child(source, "p", "Term pairs extracted from aligned text by aligner")
    body = child(child(root, "text"), "body")
    for number, term in enumerate(terms, start=1):
        entry = child(body, "conceptEntry", id=f"c{number}")
        child(entry, "note", f"score {term.score:.4f}; aligned in {term.frequency} beads")
        for lang, text, example in (
            ("zh", term.zh, term.example_zh),
            ("en", term.en, term.example_en),
        ):
            lang_sec = child(entry, "langSec", **{XML_LANG: lang})
            term_sec = child(lang_sec, "termSec")
            child(term_sec, "term", text)
            child(term_sec, "descrip", example, type="context")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


CSV = Format("csv", "glossary", (".csv",), write_csv, streams_to_stdout=False)
TSV = Format("tsv", "glossary", (".tsv",), write_tsv, streams_to_stdout=False)
TBX = Format("tbx", "glossary", (".tbx",), write_tbx, streams_to_stdout=False)
OMEGAT = Format(
    "omegat", "glossary", (".txt",), write_omegat, streams_to_stdout=False, aliases=("txt",)
)


def _glossary_format(out: str, fmt: str | None) -> Format[GlossaryWriter]:
    chosen = find("glossary", fmt.lower()) if fmt else find_by_extension("glossary", out)
    if chosen is None:
        raise AlignerError(
            f"{out}: cannot tell the glossary format; use a .csv, .tsv, .tbx or .txt (OmegaT) "
            "file name or --format csv|tsv|tbx|omegat"
        )
    return chosen


def glossary_format(out: str, fmt: str | None = None) -> str:
    """The format named by `fmt`, else by the file suffix."""
    return _glossary_format(out, fmt).name


def write_glossary(terms: Sequence[TermPair], out: str, fmt: str | None = None) -> None:
    """Write the glossary as CSV, TSV, TBX-Basic or an OmegaT tab-separated file."""
    with atomic_file(Path(out)) as stream:
        stream.write(_glossary_format(out, fmt).write(terms))
