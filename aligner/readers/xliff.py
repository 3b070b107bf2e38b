"""XLIFF 1.2 and 2.x (.xlf, .xliff): translated units become beads directly.

Each unit's (or, when the file is segmented, each segment's) source and target
text is one unit; inline codes are left out. Untranslated and locked units are
counted and skipped; a file with no translated unit at all cannot be aligned.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from lxml import etree

from aligner.data import AlignerError
from aligner.readers.bilingual import iter_elements, segment_text
from aligner.readers.common import check_file, local_name
from aligner.readers.document import SourceDocument, SourceUnit

_WHAT = "XLIFF file"
_CODE_1 = frozenset({"bpt", "ept", "ph", "it", "x", "bx", "ex", "sub"})
_CODE_2 = frozenset({"ph", "sc", "ec", "sm", "em"})
_XLIFF_ROOT = re.compile(rb"<(?:\w+:)?xliff\b[^>]*\bversion\s*=\s*[\"']([12])", re.DOTALL)


def looks_like_xliff(head: bytes) -> bool:
    return bool(_XLIFF_ROOT.search(head))


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((child for child in element if local_name(child) == name), None)


def _segments(element: etree._Element) -> dict[str, etree._Element]:
    """XLIFF 1.2 `<mrk mtype="seg">` segments by their `mid`."""
    return {
        mark.get("mid", ""): mark
        for mark in element.iter()
        if local_name(mark) == "mrk" and mark.get("mtype") == "seg"
    }


class _Units:
    def __init__(self) -> None:
        self.units: list[SourceUnit] = []
        self.dropped: Counter[str] = Counter()
        self.langs = ("", "")
        self.files = 0

    def add(
        self,
        source: etree._Element | None,
        target: etree._Element | None,
        ref: str,
        code: frozenset[str],
    ) -> None:
        src = segment_text(source, code) if source is not None else ""
        tgt = segment_text(target, code) if target is not None else ""
        if not src:
            self.dropped["empty units"] += 1
        elif not tgt:
            self.dropped["units without translation"] += 1
        else:
            self.units.append(SourceUnit(src, tgt, ref))

    def prefix(self) -> str:
        return f"file {self.files} " if self.files > 1 else ""

    def trans_unit(self, unit: etree._Element) -> None:
        """XLIFF 1.2: `<trans-unit>` with `<source>`, `<target>`, maybe `<seg-source>`."""
        ref = f"{self.prefix()}unit {unit.get('id', '')}".strip()
        if unit.get("translate") == "no":
            self.dropped["locked units"] += 1
            return
        source, target = _child(unit, "source"), _child(unit, "target")
        seg_source = _child(unit, "seg-source")
        if seg_source is not None and target is not None:
            source_segments, target_segments = _segments(seg_source), _segments(target)
            if source_segments and set(source_segments) == set(target_segments):
                for mid, segment in source_segments.items():
                    self.add(segment, target_segments[mid], f"{ref} segment {mid}", _CODE_1)
                return
        self.add(source, target, ref, _CODE_1)

    def unit_2(self, unit: etree._Element) -> None:
        """XLIFF 2: `<unit>` of `<segment>`s (and `<ignorable>` whitespace, skipped)."""
        ref = f"{self.prefix()}unit {unit.get('id', '')}".strip()
        if unit.get("translate") == "no":
            self.dropped["locked units"] += 1
            return
        segments = [child for child in unit if local_name(child) == "segment"]
        for number, segment in enumerate(segments, start=1):
            name = f"{ref} segment {segment.get('id') or number}" if len(segments) > 1 else ref
            self.add(_child(segment, "source"), _child(segment, "target"), name, _CODE_2)


def read_xliff(path: Path) -> SourceDocument:
    check_file(path)
    found = _Units()
    names = frozenset({"xliff", "file", "trans-unit", "unit"})
    for event, element in iter_elements(path, _WHAT, names):
        name = local_name(element)
        if event == "start" and name == "xliff" and element.get("srcLang"):
            found.langs = (element.get("srcLang", ""), element.get("trgLang", ""))
        elif event == "start" and name == "file":
            found.files += 1
            if element.get("source-language"):
                found.langs = (
                    element.get("source-language", ""),
                    element.get("target-language", ""),
                )
        elif event == "end" and name == "trans-unit":
            found.trans_unit(element)
        elif event == "end" and name == "unit":
            found.unit_2(element)
    if not found.units:
        untranslated = found.dropped["units without translation"]
        detail = f" ({untranslated} units have no target)" if untranslated else ""
        raise AlignerError(f"{path}: the XLIFF file has no translated units{detail}")
    return SourceDocument(
        path, "xliff", units=found.units, dropped=found.dropped, langs=found.langs
    )
