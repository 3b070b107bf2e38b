"""Repair the damage web text picks up on its way to us.

Every repair works inside single lines and never adds or removes a line break,
because the pipeline also cleans one-sentence-per-line files whose line numbers are
sentence ids. Each repair is counted, so `--report` can say what was changed.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache

import ftfy
from pypinyin import Style, pinyin

from aligner.config import CleanOptions
from aligner.data import AlignerError, Cleaned
from aligner.text import (
    HAN,
    HAN_RANGES,
    LATIN_LETTER,
    PINYIN_LETTERS,
    Script,
    damage_count,
    opencc_converter,
)

# Each repair's one name: the key of its count in `--report` and what `--no-repair` takes.
PINYIN_GLOSSES = "pinyin-glosses"
BIG5_MOJIBAKE = "big5-mojibake"
ENCODING_MOJIBAKE = "encoding-mojibake"
PDF_HYPHENS = "pdf-hyphens"
HTML_RESIDUE = "html-residue"
INVISIBLE_CHARS = "invisible-chars"
WHITESPACE = "whitespace"
SCRIPT_CONVERSION = "script-conversion"
DAMAGED_TEXT = "damaged-text"
"""Not a repair: text found damaged beyond repair, counted so the user knows it is there."""


# ---------------------------------------------------------------- repairs

_LINE_REPAIR = Callable[[str, Counter[str]], str]

_PINYIN_GLOSS = re.compile(f"([{HAN_RANGES}])[(（]([{PINYIN_LETTERS}]{{1,7}})[)）]", re.IGNORECASE)
_TONE_MARKS = re.compile("[\u0300\u0304\u030c\u0301]")


def _plain_syllable(syllable: str) -> str:
    """A syllable compared ignoring case and how ü is written (ü, v, u:)."""
    return syllable.lower().replace("u:", "ü").replace("v", "ü")


@cache
def _readings(character: str) -> frozenset[str]:
    readings = pinyin(character, style=Style.TONE, heteronym=True, errors="ignore")
    return frozenset(_plain_syllable(reading) for reading in (readings[0] if readings else []))


def _has_tone_mark(syllable: str) -> bool:
    return bool(_TONE_MARKS.search(unicodedata.normalize("NFD", syllable)))


def _strip_pinyin_glosses(line: str, counts: Counter[str]) -> str:
    """`產(chǎn)` -> `產`: web converters gloss characters with their reading.

    Only a tone-marked syllable that is a reading of the character before it goes, so
    `美國(USA)` and `USB(yes)` stay.
    """
    if "(" not in line and "（" not in line:
        return line

    def replace(match: re.Match[str]) -> str:
        character, syllable = match.groups()
        if _has_tone_mark(syllable) and _plain_syllable(syllable) in _readings(character):
            counts[PINYIN_GLOSSES] += 1
            return character
        return match.group()

    return _PINYIN_GLOSS.sub(replace, line)


def _big5_of(punctuation: str) -> str:
    """What a punctuation mark looks like when its GBK bytes are read as Big5."""
    return punctuation.encode("gbk").decode("big5")


_DASHES = {_big5_of(dash): dash for dash in "–―"}
_DASH = re.compile(
    f"(?<![A-Za-z{HAN_RANGES}])[{''.join(_DASHES)}]|[{''.join(_DASHES)}](?![A-Za-z{HAN_RANGES}])"
)
_APOSTROPHE = re.compile(
    f"(?<=[A-Za-z0-9]){_big5_of('’')}(?=[A-Za-z0-9\\s])|(?<=\\s){_big5_of('’')}(?=[0-9])"
)
_DOUBLE_QUOTES = re.compile(f"{_big5_of('“')}([^{_big5_of('“')}{_big5_of('”')}]*){_big5_of('”')}")
_EM_DASH = re.compile(_big5_of("—"))
_MOJIBAKE_MARKS = frozenset(_big5_of(mark) for mark in "’“”–―—")


def _pair_double_quotes(line: str) -> tuple[str, int]:
    """`※…§` -> `“…”`, innermost pairs first so nested quotations pair up too."""
    total = 0
    while True:
        line, found = _DOUBLE_QUOTES.subn(r"“\1”", line)
        if not found:
            return line, total
        total += found


def _repair_big5_mojibake(line: str, counts: Counter[str]) -> str:
    """`China＊s` -> `China’s`, `※…§` -> `“…”`, ` 每 ` -> ` – ` in English lines only.

    These marks (and 每, a common Chinese character) are real in Chinese text, so a
    line with any other Han character is left alone; a dash must stand apart from
    letters, and an apostrophe must touch a Latin letter or digit (`1980＊s`, `PhD ＊96`).
    """
    if not _MOJIBAKE_MARKS.intersection(line):
        return line
    if not LATIN_LETTER.search(line) or HAN.search(_DASH.sub("", line)):
        return line
    repaired, apostrophes = _APOSTROPHE.subn("’", line)
    repaired, quotes = _pair_double_quotes(repaired)
    repaired, dashes = _DASH.subn(lambda match: _DASHES[match.group()], repaired)
    repaired, em_dashes = _EM_DASH.subn("—", repaired)
    counts[BIG5_MOJIBAKE] += apostrophes + quotes + dashes + em_dashes
    return repaired


def _repair_encoding(line: str, counts: Counter[str]) -> str:
    """UTF-8 read as Latin-1/cp1252 (`donâ€™t`); fix_text would also rewrite Chinese punctuation."""
    if line.isascii():
        return line
    repaired = ftfy.fix_encoding(line)
    if repaired != line and "\n" not in repaired:
        counts[ENCODING_MOJIBAKE] += 1
        return repaired
    return line


_PDF_HYPHEN = re.compile(r"(?<=[A-Za-z])\[1\](?=[a-z])")


def _repair_pdf_hyphens(line: str, counts: Counter[str]) -> str:
    """`Co[1]founder` -> `Co-founder`: a PDF extractor's stand-in for the hyphen glyph."""
    if "[1]" not in line:
        return line
    repaired, found = _PDF_HYPHEN.subn("-", line)
    counts[PDF_HYPHENS] += found
    return repaired


_HTML_TAG_NAMES = "a|b|i|u|em|strong|span|p|div|br|font|sup|sub|h[1-6]|li|ul|ol|td|tr|table"
_HTML_TAG = re.compile(
    f"</?(?:{_HTML_TAG_NAMES})(?:\\s[^<>\n]*)?/?>|(?<![\\w<])/(?:{_HTML_TAG_NAMES})>",
    re.IGNORECASE,
)
_HTML_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _repair_html(line: str, counts: Counter[str]) -> str:
    """Tags and entities left by copying from a page (`<strong>`, a clipped `/strong>`, `&nbsp;`).

    An entity is decoded only when complete with its `;` and known to HTML, and never
    into a line break, so `R&D` and `AT&T;` style text stays.
    """

    def unescape(match: re.Match[str]) -> str:
        decoded = html.unescape(match.group())
        if decoded == match.group() or decoded.splitlines() != [decoded]:
            return match.group()
        counts[HTML_RESIDUE] += 1
        return decoded

    if "<" not in line and ">" not in line and "&" not in line:
        return line
    repaired, tags = _HTML_TAG.subn("", line)
    counts[HTML_RESIDUE] += tags
    return _HTML_ENTITY.sub(unescape, repaired)


def _is_invisible(character: str) -> bool:
    """Zero-width, format, private-use and control characters, except the tab."""
    return unicodedata.category(character) in ("Cf", "Co", "Cc", "Cs") and character != "\t"


def _remove_invisible(line: str, counts: Counter[str]) -> str:
    """Checks each distinct character once: most lines are printable and cost one scan."""
    if line.isprintable():
        return line
    invisible = [character for character in set(line) if _is_invisible(character)]
    if not invisible:
        return line
    counts[INVISIBLE_CHARS] += sum(line.count(character) for character in invisible)
    return line.translate(dict.fromkeys(map(ord, invisible)))


# Runs of two or more, or one that is not a plain space: single spaces need no work.
_SPACE_RUN = re.compile(r"[^\S\n]{2,}|[^\S \n]")


def _normalise_whitespace(line: str, counts: Counter[str]) -> str:
    """One space per run (a tab when the run holds one: `title<TAB>body` is structure), no ends.

    Unicode line separators become spaces too, so every line-splitting rule sees the
    same lines.
    """

    def collapse(match: re.Match[str]) -> str:
        return "\t" if "\t" in match.group() else " "

    repaired = _SPACE_RUN.sub(collapse, line).strip()
    if repaired != line:
        counts[WHITESPACE] += 1
    return repaired


def _converter(script: Script) -> _LINE_REPAIR:
    config = "t2s" if script == "simplified" else "s2t"

    def convert(line: str, counts: Counter[str]) -> str:
        converted = opencc_converter(config).convert(line)
        if converted != line:
            counts[SCRIPT_CONVERSION] += 1
        return converted

    return convert


_REPAIRS: tuple[tuple[str, _LINE_REPAIR], ...] = (
    (INVISIBLE_CHARS, _remove_invisible),
    (BIG5_MOJIBAKE, _repair_big5_mojibake),
    (ENCODING_MOJIBAKE, _repair_encoding),
    (HTML_RESIDUE, _repair_html),
    (PINYIN_GLOSSES, _strip_pinyin_glosses),
    (PDF_HYPHENS, _repair_pdf_hyphens),
    (WHITESPACE, _normalise_whitespace),
)
"""The repairs in the order they must run: Big5 mojibake goes before ftfy, which might
otherwise take `※`/`§` for something else; invisible characters go before tags and
glosses they may split."""
REPAIR_NAMES = tuple(name for name, _ in _REPAIRS)


def check_repair_names(names: Iterable[str]) -> frozenset[str]:
    """The given repair names, normalised (`Pinyin_Glosses` -> `pinyin-glosses`), or an
    error naming the unknown ones and the choices."""
    chosen = frozenset(name.strip().lower().replace("_", "-") for name in names)
    if unknown := sorted(chosen.difference(REPAIR_NAMES)):
        raise AlignerError(
            f"unknown repair {', '.join(unknown)}; choose from {', '.join(sorted(REPAIR_NAMES))}"
        )
    return chosen


def _repairs(options: CleanOptions) -> list[_LINE_REPAIR]:
    """The switched-on repairs in order, then the script conversion if asked for."""
    repairs = [repair for name, repair in _REPAIRS if name not in options.disabled]
    if options.to_script is not None:
        repairs.append(_converter(options.to_script))
    return repairs


def clean(text: str, options: CleanOptions | None = None) -> Cleaned:
    """Repair text line by line; the result has exactly the input's lines."""
    repairs = _repairs(options or CleanOptions())
    counts: Counter[str] = Counter()
    lines = text.split("\n")
    for number, line in enumerate(lines):
        for repair in repairs:
            line = repair(line, counts)
        counts[DAMAGED_TEXT] += damage_count(line)
        lines[number] = line
    return Cleaned("\n".join(lines), {name: count for name, count in counts.items() if count})
