"""Cut paragraphs into sentences, the units the aligner pairs up.

Chinese ends sentences with its own marks and web text breaks lines at sentence
ends, so a line break there is a boundary; English text is often hard-wrapped, so
its lines are joined and only punctuation ends a sentence. Neither language's
sentences ever cross a paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from aligner.config import SegmentOptions
from aligner.data import Paragraph, Sentence
from aligner.text import SENTENCE_CLOSERS, SENTENCE_OPENERS, Lang

_FIELD_BREAK = re.compile(r"[\n\t]+")
# An ASCII ?/! in Chinese text is a converter's question mark (`理解呢?`) unless a lowercase
# Latin letter follows: then it stands for a lost character before pinyin debris (`全球?qū)`).
_ZH_ASCII_END = "[!?]+(?![ \t]*[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü])"
_ZH_END = re.compile(f"(?:[。！？][。！？!?]*|{_ZH_ASCII_END}|…+)[{SENTENCE_CLOSERS}]*")
_ZH_END_OR_SEMICOLON = re.compile(
    f"(?:[。！？；;][。！？!?；;]*|{_ZH_ASCII_END}|…+)[{SENTENCE_CLOSERS}]*"
)
_ZH_OPENING_QUOTES = "“「『"
_ZH_CLOSING_QUOTES = "”」』"

# Abbreviations that never end a sentence inside a paragraph: a name or example follows.
_NEVER_FINAL = frozenset(
    ["Dr", "Mr", "Mrs", "Ms", "Prof", "St", "vs", "e.g", "i.e", "U.S", "U.K", "Co"]
)
# These often end a sentence (`… Co., Ltd. Established in 2014`): final before a capital.
_FINAL_BEFORE_CAPITAL = frozenset(["etc", "Inc", "Ltd"])
_EN_END = re.compile(f"(?:[.?!;]+|…+)[{SENTENCE_CLOSERS}]*")
# The word before a period; a letter glued to a digit or `&` is the end of a longer token
# (`R&D.`, `AT&T.`, `5G.`), not an initial like the `J.` of `J. Smith`.
_WORD_BEFORE = re.compile(r"(?<![A-Za-z0-9&])((?:[A-Za-z]\.)*[A-Za-z]+)$")
_SPACES = re.compile(r"\s*")
_LAST_WORD = re.compile(r"\w+$")
_FIRST_WORD = re.compile(r"\w+")
_CLOSING_QUOTES = "”’\"'"
# A question or exclamation in quotes followed by its named speaker and a verb of saying
# that ends the clause is one sentence with them (`"Can you print it?" Wang asked.`); a
# pronoun speaker would be lowercase, so a capital pronoun starts a new sentence.
_SPEECH_TAG = re.compile(
    r"(?!(?:He|She|They|We|It|You|I)\b)[A-Z][a-z]+(?: [A-Z][a-z]+)? (?:asked|said|replied|"
    r"answered|cried|shouted|called|whispered|muttered|murmured|exclaimed|protested|"
    r"snapped|added|continued|insisted|demanded|interrupted|yelled|screamed|retorted|"
    r"begged)[.,;:!?]"
)
_LONGEST_ABBREVIATION = 12


def _pieces(text: str, boundaries: list[int]) -> list[str]:
    """Stripped, non-empty pieces of `text` cut at the given positions."""
    cuts = [0, *boundaries, len(text)]
    return [piece for a, b in pairwise(cuts) if (piece := text[a:b].strip())]


def _chinese_sentences(text: str, options: SegmentOptions) -> list[str]:
    """Cut after 。！？!? and …… (with their closing quotes), and at every line break.

    An ellipsis inside a quotation that goes on after it is a pause or a stammer in the
    speech (`“我……我头痛得很，怕……怕得厉害。”`), not a sentence end: human segmentations
    (MAC-Dev's) keep such a line whole, and its translation is one sentence."""
    pattern = _ZH_END_OR_SEMICOLON if options.split_on_semicolon else _ZH_END
    sentences: list[str] = []
    for line in _FIELD_BREAK.split(text):
        boundaries = []
        open_quotes = scanned = 0
        for match in pattern.finditer(line):
            # Quotation depth counted once over the line, so a line stays linear time.
            open_quotes = max(0, open_quotes + _quote_depth_change(line, scanned, match.start()))
            scanned = match.start()
            marks = match.group()
            pause = marks.startswith("…") and marks[-1] not in SENTENCE_CLOSERS
            if not (pause and open_quotes > 0):
                boundaries.append(match.end())
        sentences.extend(_pieces(line, boundaries))
    return sentences


def _quote_depth_change(line: str, start: int, end: int) -> int:
    """Opening minus closing Chinese quotation marks in line[start:end]."""
    return sum(line.count(mark, start, end) for mark in _ZH_OPENING_QUOTES) - sum(
        line.count(mark, start, end) for mark in _ZH_CLOSING_QUOTES
    )


def _word_before(text: str, end_mark: int) -> str:
    """The word, or the dotted initials (`U.S`), just before a period at `end_mark`; ''
    when a digit, `&` or nothing but punctuation comes before it."""
    word = _WORD_BEFORE.search(text, max(0, end_mark - _LONGEST_ABBREVIATION), end_mark)
    return word.group(1) if word else ""


def _is_glued_boundary(text: str, end_mark: int, following: int, marks: str) -> bool:
    """Whether an end mark with no space after it ends a sentence (`world.The`), as text
    pasted from web pages and PDFs often has. After a lowercase letter or a closing quote
    a capital is enough unless it is an initial (`Ph.D.`); after a digit, a bracket or an
    acronym (`2007.So`, `(AI).Since`, `AI.An`) the next word must also go on in
    lowercase, so `U.S.A.` and `3.5` stay whole."""
    next_char = text[following]
    closed_quote = marks[-1] in SENTENCE_CLOSERS and marks[-1] not in "')]"
    before = text[end_mark - 1] if end_mark else ""
    initial_follows = following + 1 < len(text) and text[following + 1] == "."
    if (next_char.isupper() or next_char == "“") and (before.islower() or closed_quote):
        return not initial_follows
    word_follows = (
        next_char.isupper() and following + 1 < len(text) and text[following + 1].islower()
    )
    if not word_follows or marks[0] != ".":
        return False
    word = _word_before(text, end_mark)
    acronym = word.isalpha() and len(word) >= 2
    return before.isdigit() or before in ")]" or acronym


def _is_stammer(text: str, end_mark: int, following: int, marks: str) -> bool:
    """Whether an ellipsis sits between a word and its repetition (`I… I don't`, `We...
    We lost`): a stammer inside one sentence, as `我……我` is in Chinese."""
    if not marks.startswith(("…", "...")):
        return False
    before = _LAST_WORD.search(text, max(0, end_mark - _LONGEST_ABBREVIATION), end_mark)
    after = _FIRST_WORD.match(text, following)
    if before is None or after is None:
        return False
    return before.group().lower() == after.group().lower()


def _is_english_boundary(text: str, match: re.Match[str]) -> bool:
    """Whether an end mark ends the sentence, judged by the words around it.

    Inside a quotation too: the Chinese rule ends sentences at 。 inside quotations, and
    so do human segmentations of translations (MAC-Dev's English). A quoted speech kept
    whole in English faced its Chinese sentences one by one, and past `max_align` of them
    the rest were left without a partner."""
    end_mark, mark_end = match.start(), match.end()
    spaces = _SPACES.match(text, mark_end)
    following = spaces.end() if spaces else mark_end
    if following == len(text):
        return True
    next_char = text[following]
    glued = following == mark_end
    marks = match.group()
    if marks.startswith(";"):
        return not glued
    if glued:
        return _is_glued_boundary(text, end_mark, following, marks)
    if next_char.islower() or _is_stammer(text, end_mark, following, marks):
        return False
    if marks[0] in "?!" and marks[-1] in _CLOSING_QUOTES and _SPEECH_TAG.match(text, following):
        return False
    if marks[0] != ".":
        return True
    abbreviation = _word_before(text, end_mark)
    if abbreviation in _NEVER_FINAL or (len(abbreviation) == 1 and abbreviation.isupper()):
        return False
    if abbreviation == "No":
        return not next_char.isdigit()
    if abbreviation in _FINAL_BEFORE_CAPITAL:
        return next_char.isupper()
    return (
        next_char.isupper()
        or next_char.isdigit()
        or next_char in SENTENCE_OPENERS
        or not next_char.isascii()
    )


_SHORT_LINE = 30
"""A line shorter than this is not a hard-wrapped piece of a longer sentence."""


def _unwrapped_lines(field: str) -> list[str]:
    """Lines joined where they were hard-wrapped; a short line without an end mark before
    a capitalised one (a title, a list of words, `Hello` over `Thank you`) stands alone."""
    groups: list[list[str]] = []
    for line in (line.strip() for line in field.split("\n")):
        if not line:
            continue
        previous = groups[-1][-1] if groups else ""
        stands_alone = (
            len(previous) < _SHORT_LINE
            and not _EN_END.search(previous[-1:])
            and (line[0].isupper() or line[0].isdigit())
        )
        if groups and not stands_alone:
            groups[-1].append(line)
        else:
            groups.append([line])
    return [" ".join(" ".join(group).split()) for group in groups]


def _english_sentences(text: str, options: SegmentOptions) -> list[str]:
    """Cut at end marks that start a new sentence; hard-wrapped lines are joined first.

    A tab separates fields (`title<TAB>body`), which never share a sentence.
    """
    sentences: list[str] = []
    for joined in (line for field in text.split("\t") for line in _unwrapped_lines(field)):
        boundaries = [
            match.end()
            for match in _EN_END.finditer(joined)
            if (options.split_on_semicolon or not match.group().startswith(";"))
            and _is_english_boundary(joined, match)
        ]
        sentences.extend(_pieces(joined, boundaries))
    return sentences


def segment(
    paragraphs: Sequence[Paragraph], options: SegmentOptions | None = None
) -> list[Sentence]:
    """All sentences of the paragraphs, in order, each tagged with its paragraph index."""
    options = options or SegmentOptions()
    sentences: list[Sentence] = []
    for paragraph in paragraphs:
        split = _chinese_sentences if paragraph.lang == "zh" else _english_sentences
        sentences.extend(
            Sentence(
                text,
                paragraph.lang,
                paragraph=paragraph.index,
                ref=paragraph.ref,
                section=paragraph.section,
                times=paragraph.times,
            )
            for text in split(paragraph.text, options)
        )
    return sentences


def presegmented(text: str, lang: Lang) -> list[Sentence]:
    """One sentence per line, empty lines included, so line numbers stay sentence ids."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return [Sentence(line.strip(), lang) for line in lines]


_ZH_CLAUSE = re.compile("(?<=[，；：,;:])")
_EN_CLAUSE = re.compile(r"(?<=[,;:])\s+|\s*—\s*|\s+-{1,2}\s+")


def edge_clauses(text: str, lang: Lang, minimum: int) -> tuple[str, str]:
    """The first and the last clause of a sentence, each grown clause by clause to at
    least `minimum` characters.

    Where a translator splits one long sentence into two, the first half of the
    translation matches the original's opening clauses and the second half its closing
    ones; the aligner compares these edges to place bead boundaries.
    """
    clauses = [piece for piece in (_ZH_CLAUSE if lang == "zh" else _EN_CLAUSE).split(text) if piece]
    joiner = "" if lang == "zh" else " "

    def grow(pieces: list[str]) -> list[str]:
        grown: list[str] = []
        for piece in pieces:
            grown.append(piece)
            if sum(len(part) for part in grown) >= minimum:
                break
        return grown

    head = joiner.join(grow(clauses)).strip()
    tail = joiner.join(reversed(grow(clauses[::-1]))).strip()
    return head or text.strip(), tail or text.strip()
