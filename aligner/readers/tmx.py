"""TMX translation memories as input: each `<tu>` is one unit, source and target.

The source variant is the one in the header's `srclang` (the first one when that is
`*all*`), the target the first variant in another language; inline codes are left
out. Units with a single language are counted and skipped.
"""

from __future__ import annotations

import re
from collections import Counter
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


def _variants(unit: etree._Element) -> list[tuple[str, str]]:
    """(language, text) of each `<tuv>`; TMX 1.1 writes `lang` where 1.4 writes `xml:lang`."""
    variants = []
    for variant in unit:
        if local_name(variant) != "tuv":
            continue
        lang = variant.get(XML_LANG) or variant.get("lang") or ""
        segment = next((child for child in variant if local_name(child) == "seg"), None)
        variants.append((lang, segment_text(segment, _CODE) if segment is not None else ""))
    return variants


def read_tmx(path: Path) -> SourceDocument:
    check_file(path)
    units: list[SourceUnit] = []
    dropped: Counter[str] = Counter()
    source_lang = ""
    langs = ("", "")
    number = 0
    for event, element in iter_elements(path, _WHAT, frozenset({"header", "tu"})):
        if local_name(element) == "header":
            if event == "start":
                source_lang = element.get("srclang", "")
            continue
        if event != "end":
            continue
        number += 1
        variants = _variants(element)
        source = next(
            (v for v in variants if source_lang != "*all*" and same_language(v[0], source_lang)),
            variants[0] if variants else ("", ""),
        )
        target = next((v for v in variants if not same_language(v[0], source[0])), None)
        if target is None or not source[1] or not target[1]:
            dropped["units with one language"] += 1
            continue
        if not units:
            langs = (source[0], target[0])
        ref = f"tu {element.get('tuid') or number}"
        units.append(SourceUnit(source[1], target[1], ref))
    if not units:
        raise AlignerError(f"{path}: the TMX file has no unit with two languages")
    return SourceDocument(path, "tmx", units=units, dropped=dropped, langs=langs)
