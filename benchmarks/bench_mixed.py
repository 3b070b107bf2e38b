"""Mixed-document accuracy: MAC-Dev chapters rebuilt as interleaved zh/en documents with gold.

The mixed mode (`align_mixed`) had only the seed interview to test on, which has no gold.
Each MAC-Dev chapter's gold beads are cut into paragraphs of 2-6 beads; every paragraph
is written as its Chinese, then its English (`--en-first`: the other way round). After
about 30% of paragraphs an untranslated English paragraph (2-5 sentences of a different
chapter) is inserted after the pair, and about 10% of paragraphs lose their English
translation, as in real interviews and web pages. The aligner re-splits the joined
paragraphs into sentences itself; where it cuts differently from MAC-Dev, the gold beads
are carried over to its sentences by character position (beads that share a sentence are
merged), so the gold is always stated in the aligner's own sentence ids. Everything is seeded by the
chapter number, so runs are comparable. The documents and the gold and test ladders are
written to `--out`.

    python benchmarks/bench_mixed.py --cache /tmp/alignwork/embcache --threads 1 [--en-first]
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from _common import (
    MAC_DEV_CHAPTERS,
    add_config_options,
    add_embedder_options,
    benchmark_parser,
    config_from,
    embedder_from,
    load_mac_dev,
    write_ladder,
    write_results,
)
from rich.console import Console
from rich.table import Table

from aligner.config import PipelineOptions
from aligner.data import Bead, Paragraph
from aligner.evaluate import evaluate
from aligner.pipeline import align_mixed
from aligner.segment import segment
from aligner.text import Lang, join_sentences

PARAGRAPH_BEADS = (2, 6)
INSERTED_SENTENCES = (2, 5)
INSERT_SHARE = 0.3
DROP_SHARE = 0.1


@dataclass
class Chapter:
    """A MAC-Dev chapter: sentences of both sides (whitespace normalised) and gold beads."""

    name: str
    zh: list[str]
    en: list[str]
    gold: list[Bead]


@dataclass
class Unit:
    """One cut of consecutive gold beads, re-split by the segmenter.

    `texts` are the zh, en and inserted paragraphs as written; `zh`, `en` and `inserted`
    their segmenter sentences. `beads` hold unit-local sentence ids; `inserted` is the
    untranslated English paragraph that follows the unit.
    """

    texts: tuple[str, str, str]
    zh: list[str]
    en: list[str]
    beads: list[tuple[list[int], list[int]]]
    dropped: bool
    inserted: list[str]


@dataclass
class Counts:
    """Integer counters that pool over chapters field by field."""

    def add(self, other: Counts) -> None:
        for item in dataclasses.fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


@dataclass
class Resplit(Counts):
    """How far the segmenter's sentences differ from MAC-Dev's, pooled over chapters."""

    zh_differ: int = 0
    en_differ: int = 0
    units: int = 0
    merged: int = 0
    beads: int = 0


@dataclass
class MixedDocument:
    """The mixed text, its gold ladder in aligner ids, and the ids the extra figures need.

    `en_unit[j]` is the unit whose translation English sentence j belongs to, or -1 for
    inserted sentences; `zh_unit[i]` is the unit of Chinese sentence i.
    """

    text: str = ""
    zh: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    gold: list[Bead] = field(default_factory=list)
    zh_unit: list[int] = field(default_factory=list)
    en_unit: list[int] = field(default_factory=list)
    inserted: list[int] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)


def load_chapter(name: str) -> Chapter:
    """One chapter; English whitespace is normalised as the segmenter normalises it."""
    loaded = load_mac_dev(name)
    zh = [sentence.text for sentence in loaded.src]
    en = [" ".join(sentence.text.split()) for sentence in loaded.tgt]
    return Chapter(name, zh, en, loaded.gold)


def cut_sizes(count: int, rng: np.random.Generator) -> list[int]:
    """Paragraph sizes in beads, each within PARAGRAPH_BEADS, summing to `count`."""
    low, high = PARAGRAPH_BEADS
    sizes: list[int] = []
    remaining = count
    while remaining:
        size = min(int(rng.integers(low, high + 1)), remaining)
        if 0 < remaining - size < low:  # never leave a remainder too short for a paragraph
            size = remaining if remaining <= high else size - (low - (remaining - size))
        sizes.append(size)
        remaining -= size
    return sizes


def resplit(sentences: list[str], lang: Lang) -> tuple[str, list[str], list[list[int]]]:
    """The joined paragraph, its segmenter sentences, and the MAC sentences each overlaps.

    The paragraph must be written as joined here: segmenter sentences are stripped, so
    joining them again could differ (`。 ”` becomes `。”` and no longer ends a sentence).
    """
    text = join_sentences(sentences, lang)
    gap = 0 if lang == "zh" else 1
    spans, start = [], 0
    for sentence in sentences:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + gap
    pieces = [s.text for s in segment([Paragraph(lang, text, 0)])] if text else []
    owners, cursor = [], 0
    for piece in pieces:
        begin = text.index(piece, cursor)
        cursor = begin + len(piece)
        owners.append([k for k, (a, b) in enumerate(spans) if a < cursor and b > begin])
    return text, pieces, owners


def build_unit(
    chapter: Chapter, gold: list[Bead], dropped: bool, inserted: list[str], stats: Resplit
) -> Unit:
    """Re-split a cut and carry its gold beads over; beads sharing a segmenter sentence merge."""
    zh_ids = [i for bead in gold for i in bead.src]
    en_ids = [j for bead in gold for j in bead.tgt]
    zh_bead = [k for k, bead in enumerate(gold) for _ in bead.src]
    en_bead = [k for k, bead in enumerate(gold) for _ in bead.tgt]
    zh_sentences = [chapter.zh[i] for i in zh_ids]
    en_sentences = [chapter.en[j] for j in en_ids]
    zh_text, zh_pieces, zh_owners = resplit(zh_sentences, "zh")
    en_text, en_pieces, en_owners = resplit(en_sentences, "en")
    inserted_text, inserted_pieces, _ = resplit(inserted, "en")
    stats.units += 1
    stats.zh_differ += zh_pieces != zh_sentences
    stats.en_differ += en_pieces != en_sentences
    glued = [False] * len(gold)  # glued[k]: bead k is merged with bead k + 1
    for owners, bead_of in ((zh_owners, zh_bead), (en_owners, en_bead)):
        for owned in owners:
            for k in range(bead_of[owned[0]], bead_of[owned[-1]]):
                glued[k] = True
    group, groups = 0, []
    for k in range(len(gold)):
        groups.append(group)
        group += not glued[k]
    stats.beads += len(gold)
    stats.merged += len(gold) - group
    beads: list[tuple[list[int], list[int]]] = [([], []) for _ in range(group)]
    for piece, owned in enumerate(zh_owners):
        beads[groups[zh_bead[owned[0]]]][0].append(piece)
    for piece, owned in enumerate(en_owners):
        beads[groups[en_bead[owned[0]]]][1].append(piece)
    return Unit((zh_text, en_text, inserted_text), zh_pieces, en_pieces, beads, dropped,
                inserted_pieces)


def plan_units(chapter: Chapter, others: list[Chapter], stats: Resplit) -> list[Unit]:
    """Cut the chapter into units and choose drops and insertions, seeded by the chapter."""
    rng = np.random.default_rng(int(chapter.name))
    units, start = [], 0
    for size in cut_sizes(len(chapter.gold), rng):
        dropped = bool(rng.random() < DROP_SHARE)
        inserted: list[str] = []
        if rng.random() < INSERT_SHARE:
            other = others[int(rng.integers(len(others)))]
            length = int(rng.integers(INSERTED_SENTENCES[0], INSERTED_SENTENCES[1] + 1))
            first = int(rng.integers(len(other.en) - length + 1))
            inserted = other.en[first : first + length]
        units.append(build_unit(chapter, chapter.gold[start : start + size], dropped, inserted,
                                stats))
        start += size
    return units


def singles(ids: list[int], side: int) -> list[Bead]:
    """Unaligned sentences as one 1-0 (side 0) or 0-1 (side 1) bead each, as ladders write them."""
    return [Bead((i,), (), 1.0) if side == 0 else Bead((), (i,), 1.0) for i in ids]


def assemble(units: list[Unit], en_first: bool) -> MixedDocument:
    """The mixed text (paragraphs separated by blank lines) and its gold in aligner ids."""
    doc = MixedDocument()
    paragraphs: list[str] = []
    for number, unit in enumerate(units):
        zh_ids = list(range(len(doc.zh), len(doc.zh) + len(unit.zh)))
        en_base = len(doc.en)
        zh_text, en_text, inserted_text = unit.texts
        if unit.dropped:
            en_text = ""
        pair = [en_text, zh_text] if en_first else [zh_text, en_text]
        paragraphs.extend(text for text in (*pair, inserted_text) if text)
        doc.zh.extend(unit.zh)
        doc.zh_unit.extend([number] * len(unit.zh))
        if unit.dropped:
            doc.dropped.extend(zh_ids)
            doc.gold.extend(singles(zh_ids, 0))
        else:
            doc.en.extend(unit.en)
            doc.en_unit.extend([number] * len(unit.en))
            for src, tgt in unit.beads:
                zh = tuple(zh_ids[i] for i in src)
                en = tuple(en_base + j for j in tgt)
                if zh and en:
                    doc.gold.append(Bead(zh, en, 1.0))
                else:
                    doc.gold.extend(singles(list(zh), 0) + singles(list(en), 1))
        inserted = list(range(len(doc.en), len(doc.en) + len(unit.inserted)))
        doc.en.extend(unit.inserted)
        doc.en_unit.extend([-1] * len(unit.inserted))
        doc.inserted.extend(inserted)
        doc.gold.extend(singles(inserted, 1))
    doc.text = "\n\n".join(paragraphs) + "\n"
    return doc


def check_sentences(name: str, lang: str, expected: list[str], found: list[str]) -> None:
    """Stop if the pipeline's sentences are not the ones the gold was written for."""
    if expected != found:
        at = next((k for k, (a, b) in enumerate(zip(expected, found)) if a != b),
                  min(len(expected), len(found)))
        raise SystemExit(
            f"{name}: the pipeline's {lang} sentences differ from the gold's at id {at} "
            f"({len(found)} found, {len(expected)} expected): "
            f"{found[at:at + 1]!r} vs {expected[at:at + 1]!r}"
        )


@dataclass
class Shares(Counts):
    """Counts behind the mixed-mode figures, summable over chapters."""

    inserted_unaligned: int = 0
    inserted: int = 0
    dropped_unaligned: int = 0
    dropped: int = 0
    right_paragraph: int = 0
    gold_aligned_zh: int = 0

    def cells(self) -> list[str]:
        pairs = [(self.inserted_unaligned, self.inserted), (self.dropped_unaligned, self.dropped),
                 (self.right_paragraph, self.gold_aligned_zh)]
        return [f"{hits / total:.3f} ({hits}/{total})" if total else "-" for hits, total in pairs]

    def shares(self) -> dict[str, float | None]:
        """The three shares as numbers, for the results file."""
        pairs = {"inserted_en_unaligned": (self.inserted_unaligned, self.inserted),
                 "dropped_zh_unaligned": (self.dropped_unaligned, self.dropped),
                 "zh_in_right_paragraph": (self.right_paragraph, self.gold_aligned_zh)}
        return {name: hits / total if total else None for name, (hits, total) in pairs.items()}


def shares(doc: MixedDocument, test: list[Bead]) -> Shares:
    """Untranslated sentences left alone, and zh sentences paired inside the right paragraph.

    A zh sentence is in the right paragraph when its test bead is aligned and every English
    sentence of that bead belongs to the translation of the zh sentence's own paragraph.
    """
    aligned_zh = {i for bead in test if bead.is_aligned for i in bead.src}
    aligned_en = {j for bead in test if bead.is_aligned for j in bead.tgt}
    partners = {i: bead.tgt for bead in test if bead.is_aligned for i in bead.src}
    gold_zh = [i for bead in doc.gold if bead.is_aligned for i in bead.src]
    return Shares(
        inserted_unaligned=sum(j not in aligned_en for j in doc.inserted),
        inserted=len(doc.inserted),
        dropped_unaligned=sum(i not in aligned_zh for i in doc.dropped),
        dropped=len(doc.dropped),
        right_paragraph=sum(
            i in partners and all(doc.en_unit[j] == doc.zh_unit[i] for j in partners[i])
            for i in gold_zh
        ),
        gold_aligned_zh=len(gold_zh),
    )


def main() -> None:
    parser = benchmark_parser("bench_mixed", __doc__)
    parser.add_argument("--en-first", action="store_true",
                        help="write each English paragraph before its Chinese")
    parser.add_argument("--out", type=Path, default=None,
                        help="directory for the mixed documents and the gold and test ladders")
    add_embedder_options(parser)
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for the default model (default: all cores)")
    add_config_options(parser)
    args = parser.parse_args()
    embedder = embedder_from(args, threads=args.threads)
    out = args.out or Path(tempfile.mkdtemp(prefix="mixed-"))
    out.mkdir(parents=True, exist_ok=True)
    options = PipelineOptions(align=config_from(args))
    chapters = [load_chapter(name) for name in MAC_DEV_CHAPTERS]
    console = Console()
    table = Table("chapter", "paragraphs", "zh", "en", "strict F1", "lax F1", "bead F1",
                  "inserted en unaligned", "dropped zh unaligned", "zh in right paragraph",
                  "seconds")
    gold_all, test_all = [], []
    rows: dict[str, dict[str, Any]] = {}
    pooled_shares, pooled_resplit = Shares(), Resplit()
    sentences = [0, 0]
    started = time.perf_counter()
    for chapter in chapters:
        resplit_stats = Resplit()
        units = plan_units(chapter, [c for c in chapters if c is not chapter], resplit_stats)
        doc = assemble(units, args.en_first)
        path = out / f"{chapter.name}.txt"
        path.write_text(doc.text, encoding="utf-8")
        chapter_started = time.perf_counter()
        alignment = align_mixed(path, embedder, options).alignment
        seconds = time.perf_counter() - chapter_started
        check_sentences(chapter.name, "zh", doc.zh, [s.text for s in alignment.src])
        check_sentences(chapter.name, "en", doc.en, [s.text for s in alignment.tgt])
        write_ladder(out / f"{chapter.name}.gold.align", doc.gold)
        write_ladder(out / f"{chapter.name}.test.align", alignment.beads)
        scores = evaluate([doc.gold], [alignment.beads])
        chapter_shares = shares(doc, alignment.beads)
        table.add_row(chapter.name, str(len(units)), str(len(doc.zh)), str(len(doc.en)),
                      f"{scores['f1_strict']:.3f}", f"{scores['f1_lax']:.3f}",
                      f"{scores['f1_bead']:.3f}", *chapter_shares.cells(), f"{seconds:.1f}")
        rows[chapter.name] = {"paragraphs": len(units), "zh": len(doc.zh), "en": len(doc.en),
                              **scores, **chapter_shares.shares(), "seconds": round(seconds, 2)}
        gold_all.append(doc.gold)
        test_all.append(alignment.beads)
        pooled_shares.add(chapter_shares)
        pooled_resplit.add(resplit_stats)
        sentences = [sentences[0] + len(doc.zh), sentences[1] + len(doc.en)]
    pooled = evaluate(gold_all, test_all)
    total_seconds = time.perf_counter() - started
    table.add_row("pooled", str(pooled_resplit.units), str(sentences[0]), str(sentences[1]),
                  f"{pooled['f1_strict']:.3f}", f"{pooled['f1_lax']:.3f}",
                  f"{pooled['f1_bead']:.3f}", *pooled_shares.cells(),
                  f"{total_seconds:.1f}")
    order = "English first" if args.en_first else "Chinese first"
    console.print(f"MAC-Dev as mixed documents ({order}) with {embedder.name}; files in {out}")
    console.print(table)
    console.print(
        "pooled: " + ", ".join(f"{name} {value:.3f}" for name, value in sorted(pooled.items()))
    )
    console.print(
        f"re-split: {pooled_resplit.zh_differ} zh and {pooled_resplit.en_differ} en paragraphs "
        f"of {pooled_resplit.units} are cut differently from MAC-Dev; "
        f"{pooled_resplit.merged} of {pooled_resplit.beads} gold beads merged into a neighbour"
    )
    results = {
        "data": "MAC-Dev rebuilt as mixed documents (dev set)",
        "order": order,
        "embedder": embedder.name,
        "chapters": rows,
        "pooled": {**pooled, **pooled_shares.shares(), "paragraphs": pooled_resplit.units,
                   "zh": sentences[0], "en": sentences[1], "seconds": round(total_seconds, 2)},
        "resplit": dataclasses.asdict(pooled_resplit),
    }
    write_results(args, results, options.align)


if __name__ == "__main__":
    main()
