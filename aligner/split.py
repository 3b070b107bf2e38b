"""Split a document into paragraphs that are each in one language.

Web pages and interviews interleave Chinese and English paragraphs, sometimes on one
line (`訪談摘錄 Interview excerpts`). The aligner needs each language's text on its
own, in document order, without losing a character: a line with no letters (`----`,
a page number) is kept with its neighbour instead of being dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aligner.data import Paragraph
from aligner.text import CJK_TEXT, HAN, LATIN_LETTER, LATIN_WORD, Lang

BLANK_LINES = re.compile(r"\n[^\S\n]*\n\s*")
# Chinese text with embedded Latin (`AI 技術`, `《知產人物 IP PEOPLE》英文`) stays Chinese, so
# only a stretch without Han ideographs or CJK punctuation can become English.
_NON_CJK_STRETCH = re.compile(f"[^{CJK_TEXT}]+")
_CHINESE_SENTENCE_END = "。！？!?…"


@dataclass
class _Piece:
    """A run of one line in one language; `lang` None means no letters at all."""

    lang: Lang | None
    text: str


def _is_english_stretch(line: str, start: int, end: int) -> bool:
    """Whether a Han-free stretch of a Chinese line is an English phrase of its own.

    It must hold at least two words, start with a capital (a heading or a sentence),
    and be set apart from the Chinese on each side by a space or a sentence end, so
    `訪談摘錄 Interview excerpts` splits while `商湯科技聯合創始人 IP PEOPLE》` does not.
    """
    stretch = line[start:end]
    words = LATIN_WORD.findall(stretch)
    body = stretch.strip()
    if len(words) < 2 or not body or not body[0].isupper() or body.endswith((":", "：")):
        return False
    left_apart = start == 0 or stretch[0].isspace() or line[start - 1] in _CHINESE_SENTENCE_END
    right_apart = end == len(line) or stretch[-1].isspace() or body[-1] in ".?!"
    return left_apart and right_apart


def _line_pieces(line: str) -> list[_Piece]:
    """A line cut at its language changes."""
    if not HAN.search(line):
        return [_Piece("en" if LATIN_LETTER.search(line) else None, line)]
    pieces: list[_Piece] = []
    position = 0
    for stretch in _NON_CJK_STRETCH.finditer(line):
        if _is_english_stretch(line, stretch.start(), stretch.end()):
            if stretch.start() > position:
                pieces.append(_Piece("zh", line[position : stretch.start()]))
            pieces.append(_Piece("en", stretch.group()))
            position = stretch.end()
    if position < len(line):
        pieces.append(_Piece("zh", line[position:]))
    return pieces


def _merge_block(lines: list[str]) -> list[_Piece]:
    """Runs of one language within a blank-line block; letterless lines join a neighbour."""
    merged: list[_Piece] = []
    pending_neutral: list[str] = []
    for line in lines:
        for piece in _line_pieces(line):
            if piece.lang is None:
                if merged:
                    merged[-1].text += "\n" + piece.text
                else:
                    pending_neutral.append(piece.text)
                continue
            if pending_neutral:
                piece.text = "\n".join([*pending_neutral, piece.text])
                pending_neutral = []
            if merged and merged[-1].lang == piece.lang:
                merged[-1].text += "\n" + piece.text
            else:
                merged.append(piece)
    if pending_neutral:
        merged.append(_Piece(None, "\n".join(pending_neutral)))
    return merged


def _blocks(text: str) -> list[str]:
    """Blank-line separated blocks, without blank ones."""
    return [block for block in BLANK_LINES.split(text) if block.strip()]


def split_languages(text: str) -> list[Paragraph]:
    """Paragraphs of a mixed Chinese/English document, each in one language, in order.

    A block that has no letters at all joins the previous paragraph (or the next one
    at the start of the document); a document with no letters gives no paragraphs.
    """
    pieces: list[_Piece] = []
    for block in _blocks(text):
        for piece in _merge_block(block.split("\n")):
            if piece.lang is None and pieces:
                pieces[-1].text += "\n\n" + piece.text
            elif pieces and pieces[-1].lang is None and piece.lang is not None:
                piece.text = pieces.pop().text + "\n\n" + piece.text
                pieces.append(piece)
            else:
                pieces.append(piece)
    paragraphs: list[Paragraph] = []
    for piece in pieces:
        if piece.lang is not None:
            paragraphs.append(Paragraph(piece.lang, piece.text.strip(), len(paragraphs)))
    return paragraphs


def split_monolingual(text: str, lang: Lang) -> list[Paragraph]:
    """Blank-line blocks of a one-language file, all labelled `lang`."""
    return [
        Paragraph(lang=lang, text=block.strip(), index=index)
        for index, block in enumerate(_blocks(text))
    ]


def dominant_language(text: str) -> Lang | None:
    """The language a file is written in, or None when it has neither Han nor Latin letters.

    Translations run to about three Latin letters per Han character, so Chinese wins
    unless Latin letters outnumber Han characters more than three to one (a Chinese
    file full of English names stays Chinese).
    """
    han = len(HAN.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    if not han and not latin:
        return None
    return "zh" if han * 3 >= latin else "en"
