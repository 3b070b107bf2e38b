"""From a read document to paragraphs, or for a bilingual file straight to an alignment.

The pipeline cleans a document's text as one string (cleaning never adds or removes a
line); here that cleaned text is cut back into the reader's blocks by their line counts,
so each paragraph keeps its block's reference, section and cue times. Plain text never
comes here: it goes through the pipeline exactly as it always did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from aligner.data import AlignerError, Alignment, Bead, Paragraph, Sentence, chinese_script
from aligner.readers import Block, SourceDocument
from aligner.split import split_languages
from aligner.text import Lang, language_of_code


def cleaned_blocks(document: SourceDocument, cleaned_text: str) -> list[Block]:
    """The document's blocks with their text replaced by the cleaned text's lines."""
    lines = cleaned_text.split("\n")
    blocks = []
    position = 0
    for block in document.blocks:
        count = block.text.count("\n") + 1
        blocks.append(replace(block, text="\n".join(lines[position : position + count])))
        position += count + 1  # the blank line between two blocks
    return blocks


def _paragraph(block: Block, lang: Lang, text: str, index: int) -> Paragraph:
    return Paragraph(lang, text, index, ref=block.ref, section=block.section, times=block.times)


def monolingual_paragraphs(blocks: list[Block], lang: Lang) -> list[Paragraph]:
    """One paragraph per block that still has text after cleaning."""
    kept = [block for block in blocks if block.text.strip()]
    return [_paragraph(block, lang, block.text.strip(), index) for index, block in enumerate(kept)]


def mixed_paragraphs(blocks: list[Block]) -> list[Paragraph]:
    """Each block split into its language runs; a block without letters (a bare number)
    joins the paragraph before it, or the next one at the start, as in plain text."""
    paragraphs: list[Paragraph] = []
    leading = ""
    for block in blocks:
        found = split_languages(block.text)
        if not found:
            if paragraphs:
                last = paragraphs[-1]
                paragraphs[-1] = replace(last, text=f"{last.text}\n\n{block.text.strip()}")
            elif block.text.strip():
                leading += block.text.strip() + "\n\n"
            continue
        for paragraph in found:
            paragraphs.append(
                _paragraph(block, paragraph.lang, leading + paragraph.text, len(paragraphs))
            )
            leading = ""
    return paragraphs


def _unit_langs(document: SourceDocument, given: Lang | None) -> tuple[Lang, Lang]:
    """The file's own languages when they are Chinese and English, else the given or
    detected ones; the bilingual file's direction is kept."""
    src = language_of_code(document.langs[0])
    tgt = language_of_code(document.langs[1])
    if src is not None and tgt is not None and src != tgt:
        return src, tgt
    if given is not None:
        return given, "en" if given == "zh" else "zh"
    raise AlignerError(
        f"{document.path}: cannot tell which side is Chinese (languages "
        f"{document.langs[0] or '?'} and {document.langs[1] or '?'}); give the source language"
    )


def units_alignment(
    document: SourceDocument, given_src: Lang | None, clean_text: Callable[[str], str]
) -> Alignment:
    """A bilingual file's units as one 1-1 bead each, in file order, with score 1: the
    file says they are translations (`aligner check` scores them)."""
    src_lang, tgt_lang = _unit_langs(document, given_src)
    src: list[Sentence] = []
    tgt: list[Sentence] = []
    for index, unit in enumerate(document.units):
        src.append(Sentence(clean_text(unit.src_text), src_lang, index, ref=unit.ref))
        tgt.append(Sentence(clean_text(unit.tgt_text), tgt_lang, index, ref=unit.ref))
    zh_side = src if src_lang == "zh" else tgt
    return Alignment(
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        src=src,
        tgt=tgt,
        beads=[Bead((index,), (index,), 1.0) for index in range(len(src))],
        name=document.path.name,
        zh_script=chinese_script(zh_side),
    )
