"""What XLIFF and TMX readers share: streaming through units and taking segment text.

Translation memories run to hundreds of megabytes, so both are read with `iterparse`
and each unit is cleared once read: the file is never held whole in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from aligner.data import AlignerError
from aligner.readers.common import local_name, tidy

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def segment_text(element: etree._Element, code: frozenset[str]) -> str:
    """A segment's translatable text: inline codes (`ph`, `bpt`, …) left out, markup joined.

    `cp` (XLIFF 2's escaped character) gives its character back.
    """
    if len(element) == 0:
        return tidy(element.text or "")
    pieces = [element.text or ""]
    for child in element:
        name = local_name(child)
        if name == "cp":
            pieces.append(chr(int(child.get("hex", "20"), 16)))
        elif name and name not in code:
            pieces.append(segment_text(child, code))
        pieces.append(child.tail or "")
    return tidy("".join(pieces))


def iter_elements(
    path: Path, what: str, names: frozenset[str]
) -> Iterator[tuple[str, etree._Element]]:
    """(event, element) for start and end of the named elements, clearing each one ended.

    Clearing happens after the caller has looked at the end event; earlier siblings are
    deleted too, so memory stays flat however long the file is.
    """
    try:
        for event, element in etree.iterparse(
            str(path),
            events=("start", "end"),
            tag=[f"{{*}}{name}" for name in sorted(names)],
            resolve_entities=False,
            no_network=True,
            huge_tree=True,
            remove_comments=True,
        ):
            yield event, element
            if event == "end":
                element.clear(keep_tail=True)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        raise AlignerError(f"{path}: not a readable {what} (bad XML: {error})") from None


def same_language(code: str, other: str) -> bool:
    """`zh-CN` and `zh_cn` name one language; so do `en` and `en-US`."""
    first = code.lower().replace("_", "-")
    second = other.lower().replace("_", "-")
    return (
        first == second
        or first.split("-")[0] == second.split("-")[0]
        and ("-" not in first or "-" not in second)
    )
