"""TMX 1.4b, the translation-memory format CAT tools load: one `<tu>` per aligned pair.

Where a pair came from goes in the `x-source` prop as `document [0,1]:[0]` (the ladder
notation, 0-based ids), its confidence in `x-score`, its type in `x-type`; a side read
from a structured document says where in it in its `<tuv>`'s `x-source-ref` prop
(`page 3 para 2`). Any TMX with Chinese and English variants reads back; pairs from
other tools get fresh ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from aligner.config import ExportOptions
from aligner.data import AlignerError, Alignment
from aligner.formats.ladder import id_list, ladder_ids
from aligner.formats.output import xml_text
from aligner.formats.registry import Format
from aligner.formats.units import Unit, iter_units, parse_score, peek
from aligner.io import output_stream
from aligner.readers.bilingual import XML_LANG
from aligner.readers.tmx import Variant, props_of, translation_units, variants
from aligner.text import Lang, language_of_code, script_of_code
from aligner.version import VERSION

_SOURCE_PROP = re.compile(r"^(?:(.*)\s)?(\[[\d,\s]*\]):(\[[\d,\s]*\])$", re.DOTALL)


def write_tmx(alignments: Iterable[Alignment], out: str, options: ExportOptions) -> int:
    """TMX 1.4b, one `<tu>` per aligned pair, serialised element by element."""
    with output_stream(out) as stream:
        first, documents = peek(alignments)
        header_lang = (
            options.code(first.src_lang, first.zh_script) if first else options.code("zh", None)
        )
        written = 0
        with etree.xmlfile(stream, encoding="utf-8") as xml:
            xml.write_declaration()
            xml.write_doctype('<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
            with xml.element("tmx", version="1.4"):
                xml.write("\n", _header(header_lang), "\n")
                with xml.element("body"):
                    for unit in iter_units(documents, options):
                        tu = _translation_unit(unit, header_lang, options)
                        if tu is not None:
                            xml.write("\n", tu)
                            written += 1
                    xml.write("\n")
                xml.write("\n")
    return written


def _header(header_lang: str) -> etree._Element:
    return etree.Element(
        "header",
        {
            "creationtool": "aligner",
            "creationtoolversion": VERSION,
            "segtype": "sentence",
            "o-tmf": "aligner",
            "adminlang": "en",
            "srclang": header_lang,
            "datatype": "plaintext",
            "creationdate": datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
        },
    )


def _translation_unit(
    unit: Unit, header_lang: str, options: ExportOptions
) -> etree._Element | None:
    src_text, tgt_text = xml_text(unit.src_text), xml_text(unit.tgt_text)
    if not src_text or not tgt_text:
        return None
    src_code = options.code(unit.src_lang, unit.zh_script)
    tu = etree.Element("tu", srclang=src_code) if src_code != header_lang else etree.Element("tu")
    location = f"{xml_text(unit.document)} {id_list(unit.src_ids)}:{id_list(unit.tgt_ids)}"
    for kind, value in (
        ("x-score", f"{unit.score:.4f}"),
        ("x-type", unit.kind_in(unit.src_lang, unit.tgt_lang)),
        ("x-source", location.strip()),
        *((("x-damaged", "yes"),) if unit.damaged else ()),
    ):
        etree.SubElement(tu, "prop", type=kind).text = value
    for lang, text in ((unit.src_lang, src_text), (unit.tgt_lang, tgt_text)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: options.code(lang, unit.zh_script)})
        if unit.ref_in(lang):
            etree.SubElement(tuv, "prop", type="x-source-ref").text = xml_text(unit.ref_in(lang))
        etree.SubElement(tuv, "seg").text = text
    return tu


def read_tmx(path: Path) -> Iterator[Unit]:
    """Zh–en pairs from any TMX; units from other tools get ids when assembled."""
    for header_lang, element in translation_units(path):
        unit = _tmx_unit(element, header_lang, path)
        if unit is not None:
            yield unit


def _tmx_unit(tu: etree._Element, header_lang: str, path: Path) -> Unit | None:
    found: dict[Lang, Variant] = {}
    for variant in variants(tu):
        lang = language_of_code(variant.lang)
        if lang is not None and lang not in found:
            found[lang] = variant
    if len(found) < 2:
        return None
    declared = language_of_code(tu.get("srclang") or header_lang)
    src_lang: Lang = next(iter(found)) if declared is None else declared
    tgt_lang: Lang = "en" if src_lang == "zh" else "zh"
    props = props_of(tu)
    where = f"{path}:{tu.sourceline}"
    document = path.stem
    src_ids: tuple[int, ...] = ()
    tgt_ids: tuple[int, ...] = ()
    if "x-source" in props:
        match = _SOURCE_PROP.match(props["x-source"].strip())
        if match is None:
            raise AlignerError(f"{where}: x-source is not `document [ids]:[ids]`")
        document = match.group(1) or ""
        src_ids, tgt_ids = ladder_ids(match.group(2)), ladder_ids(match.group(3))
    traditional = script_of_code(found["zh"].lang) == "traditional"
    return Unit(
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        src_text=found[src_lang].text,
        tgt_text=found[tgt_lang].text,
        score=parse_score(props.get("x-score", "1"), where),
        src_ids=src_ids,
        tgt_ids=tgt_ids,
        document=document,
        zh_script="traditional" if traditional else "simplified",
        src_ref=found[src_lang].props.get("x-source-ref", ""),
        tgt_ref=found[tgt_lang].props.get("x-source-ref", ""),
    )


TMX = Format("tmx", "alignment", (".tmx",), write_tmx, read_tmx, keeps_unaligned=False)
