"""Time and peak memory of the aligner on the Bible scaling set (src = en, tgt = zh).

The DP-alone series replaces the embedder with deterministic random vectors, so it
times everything the aligner itself does (run features, coarse pass, banded DP);
the end-to-end series uses the real embedder and also reports F1 against the gold.
Ratios to the smallest document show whether time and memory grow linearly.

    python benchmarks/bench_scaling.py                    # DP alone on all six
    python benchmarks/bench_scaling.py --end-to-end 001 002
"""

from __future__ import annotations

import argparse
import hashlib
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from aligner.align import align
from aligner.config import AlignConfig
from aligner.data import Bead, Sentence
from aligner.embed import Embedder, load_embedder
from aligner.evaluate import evaluate
from aligner.formats import read_ladder
from aligner.text import Lang

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "bible-scaling"
DOCUMENTS = ["001", "002", "003", "004", "005", "006"]


class RandomEmbedder:
    """Unit vectors seeded by each text's hash: free to compute, identical across runs."""

    name = "random"
    dimension = 512

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            vectors[row] = np.random.default_rng(seed).standard_normal(self.dimension)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def sentences(document: str, lang: Lang) -> list[Sentence]:
    lines = (DATA / lang / document).read_text(encoding="utf-8").splitlines()
    return [Sentence(line, lang) for line in lines]


def measure(
    document: str, embedder: Embedder, config: AlignConfig
) -> tuple[list[Bead], float, float]:
    """Beads, CPU seconds and peak traced memory (MiB) of one alignment.

    CPU time rather than wall time; still, run it on an otherwise idle machine: other jobs
    on the cores inflate the multi-threaded embedder's CPU time by half or more.
    """
    src, tgt = sentences(document, "en"), sentences(document, "zh")
    tracemalloc.start()
    started = time.process_time()
    beads = align(src, tgt, embedder, config)
    seconds = time.process_time() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return beads, seconds, peak / 2**20


def merge_verse_splits(gold: list[Bead], test: list[Bead]) -> list[Bead]:
    """Test beads that exactly tile one gold bead, merged into it (order not kept: only
    for scoring).

    The Bible gold aligns whole verses, and a verse often holds several sentences that
    the aligner rightly pairs one by one; strict F1 counts every such split as wrong,
    and books with long verses would make F1 look as if it fell with document size.
    """
    src_owner = {i: k for k, bead in enumerate(gold) for i in bead.src}
    tgt_owner = {j: k for k, bead in enumerate(gold) for j in bead.tgt}
    groups: dict[int, list[Bead]] = {}
    merged: list[Bead] = []
    for bead in test:
        owners = {src_owner[i] for i in bead.src} | {tgt_owner[j] for j in bead.tgt}
        if bead.src and bead.tgt and len(owners) == 1:
            groups.setdefault(owners.pop(), []).append(bead)
        else:
            merged.append(bead)
    for owner, pieces in groups.items():
        src = tuple(sorted(i for piece in pieces for i in piece.src))
        tgt = tuple(sorted(j for piece in pieces for j in piece.tgt))
        if (src, tgt) == (gold[owner].src, gold[owner].tgt):
            merged.append(Bead(src, tgt, min(piece.score for piece in pieces)))
        else:
            merged.extend(pieces)
    return merged


def series(documents: list[str], embedder: Embedder, config: AlignConfig, label: str) -> None:
    align(sentences("001", "en")[:50], sentences("001", "zh")[:50], embedder, config)  # compile
    print(f"\n{label}")
    print(f"{'doc':>4} {'en':>6} {'zh':>6} {'CPU s':>8} {'s ratio':>8} {'peak MiB':>9} "
          f"{'mem ratio':>9} {'per-sentence ratio':>18} {'strict F1':>9} {'verse F1':>9}")
    first: tuple[int, float, float] | None = None
    for document in documents:
        beads, seconds, peak = measure(document, embedder, config)
        size = len(sentences(document, "en")) + len(sentences(document, "zh"))
        first = first or (size, seconds, peak)
        gold = read_ladder(DATA / "gold" / f"{document}.align")
        f1 = evaluate([gold], [beads])["f1_strict"]
        verse_f1 = evaluate([gold], [merge_verse_splits(gold, beads)])["f1_strict"]
        print(f"{document:>4} {len(sentences(document, 'en')):>6} {len(sentences(document, 'zh')):>6} "
              f"{seconds:>8.1f} {seconds / first[1]:>8.2f} {peak:>9.0f} {peak / first[2]:>9.2f} "
              f"{size / first[0]:>18.2f} {f1:>9.3f} {verse_f1:>9.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dp-only", nargs="*", default=DOCUMENTS, metavar="DOC")
    parser.add_argument("--end-to-end", nargs="*", default=[], metavar="DOC")
    parser.add_argument("--model", default=None, help="sentence-transformers model (default USE)")
    parser.add_argument(
        "--embedded-run", type=int, default=AlignConfig.embedded_run,
        help="longest sentence run embedded as text (longer runs are combined vectors)",
    )
    args = parser.parse_args()
    config = AlignConfig(embedded_run=args.embedded_run)
    if args.dp_only:
        series(args.dp_only, RandomEmbedder(), config, "DP alone (random embeddings; F1 meaningless)")
    if args.end_to_end:
        label = f"End to end (real embedder, runs up to {config.embedded_run} embedded as text)"
        series(args.end_to_end, load_embedder(args.model), config, label)


if __name__ == "__main__":
    main()
