"""The whole pipeline for one document: read, clean, split, segment, align.

This module only chains the stages; each stage lives in its own module and is
called through its public functions.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from aligner.align import align_sections
from aligner.clean import REPAIR_NAMES, clean
from aligner.config import CleanOptions, PipelineOptions
from aligner.data import AlignerError, Alignment, Paragraph, Sentence, chinese_script
from aligner.embed import Embedder, load_embedder
from aligner.readers import SourceDocument, read_document
from aligner.segment import presegmented, segment
from aligner.sources import (
    cleaned_blocks,
    mixed_paragraphs,
    monolingual_paragraphs,
    units_alignment,
)
from aligner.split import dominant_language, split_languages, split_monolingual
from aligner.text import LANGUAGE_NAMES, Lang, foreign_language

logger = logging.getLogger(__name__)

LONG_SENTENCES_SPLIT = "long-sentences-split"
"""Not a repair: sentences too long to embed at once, embedded in pieces (text unchanged)."""


@dataclass
class AlignedDocument:
    """The aligned document plus what cleaning repaired and what the readers left out
    (`pdf: page numbers`), for `--report`."""

    alignment: Alignment
    repairs: Counter[str]
    dropped: Counter[str] = field(default_factory=Counter)


def _read(path: Path, repairs: Counter[str], dropped: Counter[str]) -> SourceDocument:
    """Any supported document; what its reader guessed or left out is counted."""
    document = read_document(path)
    repairs.update(document.repairs)
    dropped.update({f"{document.kind}: {what}": n for what, n in document.dropped.items()})
    return document


def _clean_lines(text: str, options: CleanOptions, repairs: Counter[str]) -> str:
    cleaned = clean(text, options)
    repairs.update(cleaned.repairs)
    return cleaned.text


def _sentences_of(
    text: str, lang: Lang, options: PipelineOptions, document: SourceDocument
) -> list[Sentence]:
    """One monolingual file's sentences; presegmented input keeps line numbers as ids; a
    structured document's sentences keep their paragraph's reference and section."""
    origin = str(document.path)
    if options.presegmented:
        if document.plain_text is None:
            raise AlignerError(f"{origin}: presegmented input must be plain text")
        sentences = presegmented(text, lang)
    elif document.plain_text is None:
        paragraphs = monolingual_paragraphs(cleaned_blocks(document, text), lang)
        sentences = segment(paragraphs, options.segment)
    else:
        sentences = segment(split_monolingual(text, lang), options.segment)
    if not any(sentence.text.strip() for sentence in sentences):
        raise AlignerError(f"{origin}: no sentences found")
    return sentences


def language_of(text: str, given: Lang | None, origin: str) -> Lang:
    """A monolingual file's language: the one given, else the one detected; a third
    language (Japanese, Korean) or no Chinese or English at all is one clear error."""
    if (foreign := foreign_language(text)) is not None:
        raise AlignerError(
            f"{origin}: looks like {foreign}; the aligner aligns Chinese with English"
        )
    if given is not None:
        return given
    lang = dominant_language(text)
    if lang is None:
        raise AlignerError(f"{origin}: found neither Chinese nor English text")
    return lang


def _aligned(
    langs: tuple[Lang, Lang],
    src: list[Sentence],
    tgt: list[Sentence],
    embedder: Embedder,
    options: PipelineOptions,
    name: str,
    repairs: Counter[str],
    mixed: bool,
) -> AlignedDocument:
    """Align two sentence lists, section by section where the documents have headings;
    the TMX language code follows the Chinese side's script."""
    zh_sentences = src if langs[0] == "zh" else tgt
    logger.info(
        "%s: aligning %d %s and %d %s sentences",
        name, len(src), LANGUAGE_NAMES[langs[0]], len(tgt), LANGUAGE_NAMES[langs[1]],
    )
    split_before = getattr(embedder, "long_texts_split", 0)
    beads = align_sections(src, tgt, embedder, options.align, shared_numbering=mixed)
    if split := getattr(embedder, "long_texts_split", 0) - split_before:
        repairs[LONG_SENTENCES_SPLIT] += split
    alignment = Alignment(
        src_lang=langs[0],
        tgt_lang=langs[1],
        src=src,
        tgt=tgt,
        beads=beads,
        name=name,
        zh_script=chinese_script(zh_sentences),
        repairs=sum(repairs[kind] for kind in REPAIR_NAMES),
    )
    return AlignedDocument(alignment, repairs)


def align_pair(
    src_path: Path, tgt_path: Path, embedder: Embedder, options: PipelineOptions | None = None
) -> AlignedDocument:
    """Align two monolingual files (languages detected unless given)."""
    options = options or PipelineOptions()
    repairs: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    src_document = _read(src_path, repairs, dropped)
    tgt_document = _read(tgt_path, repairs, dropped)
    for document in (src_document, tgt_document):
        if document.bilingual:
            raise AlignerError(
                f"{document.path}: is already bilingual ({document.kind}); align it on its own"
            )
    src_text = _clean_lines(src_document.text, options.clean, repairs)
    tgt_text = _clean_lines(tgt_document.text, options.clean, repairs)
    src_lang = language_of(src_text, options.src_lang, str(src_path))
    tgt_lang = language_of(tgt_text, options.tgt_lang, str(tgt_path))
    if src_path.resolve() == tgt_path.resolve():
        raise AlignerError(f"{src_path} is given twice; give one Chinese and one English file")
    if src_lang == tgt_lang:
        raise AlignerError(
            f"both {src_path} and {tgt_path} are {LANGUAGE_NAMES[src_lang]}; "
            "give one Chinese and one English file (or name each file's language)"
        )
    src = _sentences_of(src_text, src_lang, options, src_document)
    tgt = _sentences_of(tgt_text, tgt_lang, options, tgt_document)
    aligned = _aligned(
        (src_lang, tgt_lang), src, tgt, embedder, options, src_path.name, repairs, mixed=False
    )
    aligned.dropped = dropped
    return aligned


def align_mixed(
    path: Path, embedder: Embedder, options: PipelineOptions | None = None
) -> AlignedDocument:
    """Align one document whose Chinese and English paragraphs are interleaved."""
    options = options or PipelineOptions()
    if options.presegmented:
        raise AlignerError(
            f"{path}: presegmented input needs two files (source and target), "
            "one sentence per line each"
        )
    repairs: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    document = _read(path, repairs, dropped)
    if document.bilingual:
        clean_options = options.clean

        def clean_text(text: str) -> str:
            return _clean_lines(text, clean_options, repairs)

        alignment = units_alignment(document, options.src_lang, clean_text)
        return AlignedDocument(alignment, repairs, dropped)
    text = _clean_lines(document.text, options.clean, repairs)
    if document.plain_text is None:
        paragraphs = mixed_paragraphs(cleaned_blocks(document, text))
    else:
        paragraphs = split_languages(text)
    paragraphs = _without_foreign_paragraphs(paragraphs, repairs)
    by_lang: dict[Lang, list[Paragraph]] = {"zh": [], "en": []}
    for paragraph in paragraphs:
        by_lang[paragraph.lang].append(paragraph)
    missing = [LANGUAGE_NAMES[lang] for lang, found in by_lang.items() if not found]
    if missing:
        raise AlignerError(
            f"{path}: no {' or '.join(missing)} text found; a mixed document needs both languages "
            "(for two files use: aligner align SRC TGT)"
        )
    src_lang, tgt_lang = options.direction()
    src = segment(by_lang[src_lang], options.segment)
    tgt = segment(by_lang[tgt_lang], options.segment)
    aligned = _aligned(
        (src_lang, tgt_lang), src, tgt, embedder, options, path.name, repairs, mixed=True
    )
    aligned.dropped = dropped
    return aligned


def _without_foreign_paragraphs(
    paragraphs: list[Paragraph], skipped: Counter[str]
) -> list[Paragraph]:
    """A mixed document's paragraphs minus those in a third language (a Japanese one
    would pass for Chinese), each counted as `skipped-LANGUAGE-paragraphs`."""
    kept = []
    for paragraph in paragraphs:
        foreign = foreign_language(paragraph.text)
        if foreign is None:
            kept.append(paragraph)
        else:
            skipped[f"skipped-{foreign.lower()}-paragraphs"] += 1
            logger.warning("left out a %s paragraph: %.40s…", foreign, paragraph.text)
    return kept


def align_inputs(
    paths: list[Path], embedder: Embedder, options: PipelineOptions | None = None
) -> AlignedDocument:
    """One path is a mixed document, two are SRC and TGT files."""
    if not paths:
        raise AlignerError("no input file given")
    if len(paths) == 1:
        return align_mixed(paths[0], embedder, options)
    if len(paths) == 2:
        return align_pair(paths[0], paths[1], embedder, options)
    raise AlignerError(f"expected one mixed file or two files (SRC TGT), got {len(paths)}")


def align_document(
    *paths: str | Path,
    embedder: Embedder | None = None,
    options: PipelineOptions | None = None,
) -> AlignedDocument:
    """The Python API's entry point: one mixed document or SRC and TGT, default model."""
    return align_inputs([Path(path) for path in paths], embedder or load_embedder(), options)
