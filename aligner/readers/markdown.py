"""Markdown (.md): the text with its markup stripped, headings kept as headings.

markdown-it-py parses the file (CommonMark with tables). Code blocks, raw HTML blocks,
images and YAML front matter are not prose to align: they are counted and left out;
inline code stays, since it is part of a sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from aligner.data import AlignerError
from aligner.readers.common import BlockList, check_file, join_wrapped
from aligner.readers.document import SourceDocument
from aligner.readers.plain import read_text

_FRONT_MATTER = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)\n", re.DOTALL)
_DROPPED_BLOCKS = {"fence": "code blocks", "code_block": "code blocks", "html_block": "html blocks"}
_TEXT_CHILDREN = ("text", "code_inline")


def _inline_text(token: Token, dropped: Counter[str]) -> str:
    """Text of an inline token: soft breaks are wraps, hard breaks real line breaks."""
    lines: list[list[str]] = [[""]]
    for child in token.children or []:
        if child.type in _TEXT_CHILDREN:
            lines[-1][-1] += child.content
        elif child.type == "softbreak":
            lines[-1].append("")
        elif child.type == "hardbreak":
            lines.append([""])
        elif child.type == "image":
            dropped["images"] += 1
        elif child.type == "html_inline":
            dropped["html tags"] += 1
    return "\n".join(join_wrapped(wrapped) for wrapped in lines)


def read_markdown(path: Path) -> SourceDocument:
    check_file(path)
    guesses: Counter[str] = Counter()
    text = read_text(path, guesses)
    dropped: Counter[str] = Counter()
    front_matter = _FRONT_MATTER.match(text)
    if front_matter:
        dropped["front matter"] += 1
        text = "\n" * front_matter.group().count("\n") + text[front_matter.end() :]
    blocks = BlockList()
    heading = False
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type in _DROPPED_BLOCKS:
            dropped[_DROPPED_BLOCKS[token.type]] += 1
        elif token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
        elif token.type == "inline":
            line = token.map[0] + 1 if token.map else 0
            blocks.add(_inline_text(token, dropped), f"line {line}", heading=heading)
    if not blocks.blocks:
        raise AlignerError(f"{path}: the Markdown file has no text outside code and markup")
    return SourceDocument(path, "markdown", blocks=blocks.blocks, dropped=dropped, repairs=guesses)
