"""TMX translation memories as input: each `<tu>` is one unit, source and target.

The source variant is the one in the header's `srclang` (the first one when that is
`*all*`), the target the first variant in another language; inline codes are left
out. Units with a single language are counted and skipped.

`translation_units` and `variants` are also how `aligner.formats.tmx` reads pairs back,
so a TMX reads the same, and fails with the same message, whichever command is given it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from aligner.data import AlignerError
from aligner.readers.bilingual import XML_LANG, iter_elements, same_language, segment_text
from aligner.readers.common import check_file, local_name
from aligner.readers.document import SourceDocument, SourceUnit

_WHAT = "TMX file"
_CODE = frozenset({"bpt", "ept", "it", "ph", "ut", "sub"})
_TMX_ROOT = re.compile(rb"<tmx\b", re.IGNORECASE)


def looks_like_tmx(head: bytes) -> bool:
    return bool(_TMX_ROOT.search(head))


@dataclass(frozen=True)
class Variant:
    """One `<tuv>`: its language code as written, its segment's text, its props."""

    lang: str
    text: str
    props: dict[str, str]


def translation_units(path: Path) -> Iterator[tuple[str, etree._Element]]:
    """(the header's `srclang`, `<tu>`) for each unit, streamed: a unit is cleared once
    the caller asks for the next, so memory stays flat however long the file is."""
    source_lang = ""
    for event, element in iter_elements(path, _WHAT, frozenset({"header", "tu"})):
        if local_name(element) == "header":
            if event == "start":
                source_lang = element.get("srclang", "")
        elif event == "end":
            yield source_lang, element


def props_of(element: etree._Element) -> dict[str, str]:
    """The `<prop type="…">` children of a `<tu>` or `<tuv>`, by type."""
    return {
        child.get("type", ""): child.text or ""
        for child in element
        if local_name(child) == "prop"
    }


def variants(unit: etree._Element) -> list[Variant]:
    """The `<tuv>`s of a unit; TMX 1.1 writes `lang` where 1.4 writes `xml:lang`."""
    found = []
    for variant in unit:
        if local_name(variant) != "tuv":
            continue
        lang = variant.get(XML_LANG) or variant.get("lang") or ""
        segment = next((child for child in variant if local_name(child) == "seg"), None)
        text = segment_text(segment, _CODE) if segment is not None else ""
        found.append(Variant(lang, text, props_of(variant)))
    return found


def read_tmx(path: Path) -> SourceDocument:
    check_file(path)
    units: list[SourceUnit] = []
    dropped: Counter[str] = Counter()
    langs = ("", "")
    for number, (source_lang, element) in enumerate(translation_units(path), 1):
        found = variants(element)
        source = next(
            (v for v in found if source_lang != "*all*" and same_language(v.lang, source_lang)),
            found[0] if found else Variant("", "", {}),
        )
        target = next((v for v in found if not same_language(v.lang, source.lang)), None)
        if target is None or not source.text or not target.text:
            dropped["units with one language"] += 1
            continue
        if not units:
            langs = (source.lang, target.lang)
        ref = f"tu {element.get('tuid') or number}"
        units.append(SourceUnit(source.text, target.text, ref))
    if not units:
        raise AlignerError(f"{path}: the TMX file has no unit with two languages")
    return SourceDocument(path, "tmx", units=units, dropped=dropped, langs=langs)
