"""Main-text extraction from saved pages: trafilatura vs jusText vs plain lxml, measured.

For each page of `html_pages` (a bilingual interview, a Chinese news article, an English
blog post, each inside cookie banner, navigation, sidebar, comments and footer) it
reports the share of the true main text kept (characters of paragraphs found whole in
the output) and the share of boilerplate strings that leaked into it.

    python benchmarks/bench_html_extract.py
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import justext
import lxml.html
import trafilatura
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from html_pages import Page, all_pages

from aligner.readers import html as html_reader

_SPACE = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACE.sub("", text)


def _trafilatura(**options: bool) -> Callable[[str], str]:
    def extract(page: str) -> str:
        return trafilatura.extract(page, include_comments=False, **options) or ""

    return extract


def _justext(page: str) -> str:
    """English stoplist for Latin pages; jusText's language-independent mode otherwise."""
    latin = len(re.findall(r"[A-Za-z]", page)) > 3 * len(re.findall(r"[\u4e00-\u9fff]", page))
    if latin:
        paragraphs = justext.justext(page.encode(), justext.get_stoplist("English"))
    else:
        paragraphs = justext.justext(
            page.encode(), frozenset(), stopwords_low=0, stopwords_high=0, length_low=10
        )
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _semantic_lxml(page: str) -> str:
    """All visible text outside script/style/nav/header/footer/aside/form elements."""
    tree = lxml.html.fromstring(page)
    for element in tree.xpath("//script|//style|//nav|//header|//footer|//aside|//form|//head"):
        element.drop_tree()
    return tree.text_content()


def _reader(page: str) -> str:
    """The project's HTML reader (trafilatura underneath, plus its own structure walk)."""
    document = html_reader.read_html_bytes(page.encode(), Path("page.html"))
    return "\n".join(block.text for block in document.blocks)


EXTRACTORS: dict[str, Callable[[str], str]] = {
    "trafilatura": _trafilatura(),
    "trafilatura recall": _trafilatura(favor_recall=True),
    "trafilatura precision": _trafilatura(favor_precision=True),
    "justext": _justext,
    "lxml semantic tags": _semantic_lxml,
    "aligner.readers.html": _reader,
}


def measure(page: Page, output: str) -> tuple[float, float, int]:
    """Kept share of main characters, leaked share of boilerplate characters, paragraphs lost."""
    found = _normal(output)
    main_text = _normal("".join(page.main))
    kept = sum(len(_normal(p)) for p in page.main if _normal(p) in found)
    lost = sum(1 for p in page.main if _normal(p) not in found)
    strings = [s for s in page.boilerplate if _normal(s) not in main_text]
    leaked = sum(len(_normal(s)) for s in strings if _normal(s) in found)
    return (
        kept / len(main_text),
        leaked / sum(len(_normal(s)) for s in strings),
        lost,
    )


def main() -> None:
    table = Table(title="Main-text extraction on built pages")
    for column in ("page", "extractor", "main text kept", "paragraphs lost", "boilerplate leaked"):
        table.add_column(column)
    for page in all_pages():
        for name, extract in EXTRACTORS.items():
            kept, leaked, lost = measure(page, extract(page.html))
            table.add_row(
                page.name, name, f"{kept:.1%}", f"{lost}/{len(page.main)}", f"{leaked:.1%}"
            )
    Console().print(table)


if __name__ == "__main__":
    main()
