"""The whole pipeline for one document: read, clean, split, segment, align.

This module only chains the stages; each stage lives in its own module and is
called through its public functions.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from aligner.align import align
from aligner.clean import clean
from aligner.config import CleanOptions, PipelineOptions
from aligner.data import AlignerError, Alignment, Paragraph, Sentence
from aligner.embed import Embedder, load_embedder
from aligner.io import read_text
from aligner.segment import presegmented, segment
from aligner.split import dominant_language, split_languages, split_monolingual
from aligner.text import LANGUAGE_NAMES, Lang, detect_script, foreign_language

logger = logging.getLogger(__name__)


@dataclass
class AlignedDocument:
    """The aligned document plus what cleaning repaired, for `--report`."""

    alignment: Alignment
    repairs: Counter[str]


def _clean_lines(text: str, options: CleanOptions, repairs: Counter[str]) -> str:
    cleaned = clean(text, options)
    repairs.update(cleaned.repairs)
    return cleaned.text


def _sentences_of(text: str, lang: Lang, options: PipelineOptions, origin: str) -> list[Sentence]:
    """One monolingual file's sentences; presegmented input keeps line numbers as ids."""
    if options.presegmented:
        sentences = presegmented(text, lang)
    else:
        sentences = segment(split_monolingual(text, lang), options.segment)
    if not any(sentence.text.strip() for sentence in sentences):
        raise AlignerError(f"{origin}: no sentences found")
    return sentences


def _language_of(text: str, given: Lang | None, origin: str) -> Lang:
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
) -> AlignedDocument:
    """Align two sentence lists; the TMX language code follows the Chinese side's script."""
    zh_sentences = src if langs[0] == "zh" else tgt
    logger.info(
        "%s: aligning %d %s and %d %s sentences",
        name, len(src), LANGUAGE_NAMES[langs[0]], len(tgt), LANGUAGE_NAMES[langs[1]],
    )
    alignment = Alignment(
        src_lang=langs[0],
        tgt_lang=langs[1],
        src=src,
        tgt=tgt,
        beads=align(src, tgt, embedder, options.align),
        name=name,
        zh_script=detect_script("".join(sentence.text for sentence in zh_sentences)),
    )
    return AlignedDocument(alignment, repairs)


def align_pair(
    src_path: Path, tgt_path: Path, embedder: Embedder, options: PipelineOptions | None = None
) -> AlignedDocument:
    """Align two monolingual files (languages detected unless given)."""
    options = options or PipelineOptions()
    repairs: Counter[str] = Counter()
    src_text = _clean_lines(read_text(src_path, repairs), options.clean, repairs)
    tgt_text = _clean_lines(read_text(tgt_path, repairs), options.clean, repairs)
    src_lang = _language_of(src_text, options.src_lang, str(src_path))
    tgt_lang = _language_of(tgt_text, options.tgt_lang, str(tgt_path))
    if src_path.resolve() == tgt_path.resolve():
        raise AlignerError(f"{src_path} is given twice; give one Chinese and one English file")
    if src_lang == tgt_lang:
        raise AlignerError(
            f"both {src_path} and {tgt_path} are {LANGUAGE_NAMES[src_lang]}; "
            "give one Chinese and one English file (or name each file's language)"
        )
    src = _sentences_of(src_text, src_lang, options, str(src_path))
    tgt = _sentences_of(tgt_text, tgt_lang, options, str(tgt_path))
    return _aligned((src_lang, tgt_lang), src, tgt, embedder, options, src_path.name, repairs)


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
    text = _clean_lines(read_text(path, repairs), options.clean, repairs)
    paragraphs = _without_foreign_paragraphs(split_languages(text), repairs)
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
    return _aligned((src_lang, tgt_lang), src, tgt, embedder, options, path.name, repairs)


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
