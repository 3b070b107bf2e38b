"""Time and peak memory of the aligner on the Bible scaling set (src = en, tgt = zh).

The DP-alone series replaces the embedder with deterministic random vectors, so it
times everything the aligner itself does (run features, coarse pass, banded DP);
the end-to-end series uses the real embedder and also reports F1 against the gold.
Ratios to the smallest document show whether time and memory grow linearly.

    python benchmarks/bench_scaling.py                    # DP alone on all six
    python benchmarks/bench_scaling.py --end-to-end 001 002
"""

from __future__ import annotations

import hashlib
import time
import tracemalloc
from collections.abc import Sequence
from typing import Any

import numpy as np
from _common import (
    BIBLE_DOCUMENTS,
    GoldDocument,
    add_config_options,
    add_embedder_options,
    benchmark_parser,
    config_from,
    embedder_from,
    load_bible,
    write_results,
)

from aligner.align import align
from aligner.config import AlignConfig
from aligner.data import Bead
from aligner.embed import Embedder
from aligner.evaluate import evaluate


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


def measure(
    document: GoldDocument, embedder: Embedder, config: AlignConfig
) -> tuple[list[Bead], float, float]:
    """Beads, CPU seconds and peak traced memory (MiB) of one alignment.

    CPU time rather than wall time; still, run it on an otherwise idle machine: other jobs
    on the cores inflate the multi-threaded embedder's CPU time by half or more.
    """
    tracemalloc.start()
    started = time.process_time()
    beads = align(document.src, document.tgt, embedder, config)
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


def series(
    documents: list[str], embedder: Embedder, config: AlignConfig, label: str
) -> list[dict[str, Any]]:
    """Print one row per document and return the rows."""
    warm_up = load_bible("001")
    align(warm_up.src[:50], warm_up.tgt[:50], embedder, config)  # compile
    print(f"\n{label}")
    print(f"{'doc':>4} {'en':>6} {'zh':>6} {'CPU s':>8} {'s ratio':>8} {'peak MiB':>9} "
          f"{'mem ratio':>9} {'per-sentence ratio':>18} {'sent/CPU-s':>10} {'strict F1':>9} "
          f"{'verse F1':>9}")
    first: tuple[int, float, float] | None = None
    rows = []
    for name in documents:
        document = load_bible(name)
        beads, seconds, peak = measure(document, embedder, config)
        en, zh = len(document.src), len(document.tgt)
        size = en + zh
        first = first or (size, seconds, peak)
        gold = document.gold
        f1 = evaluate([gold], [beads])["f1_strict"]
        verse_f1 = evaluate([gold], [merge_verse_splits(gold, beads)])["f1_strict"]
        print(f"{name:>4} {en:>6} {zh:>6} "
              f"{seconds:>8.1f} {seconds / first[1]:>8.2f} {peak:>9.0f} {peak / first[2]:>9.2f} "
              f"{size / first[0]:>18.2f} {size / seconds:>10.0f} {f1:>9.3f} {verse_f1:>9.3f}",
              flush=True)
        rows.append({"document": name, "en": en, "zh": zh, "cpu_seconds": round(seconds, 2),
                     "peak_mib": round(peak, 1), "strict_f1": f1, "verse_f1": verse_f1})
    return rows


def main() -> None:
    parser = benchmark_parser("bench_scaling", __doc__)
    parser.add_argument("--dp-only", nargs="*", default=BIBLE_DOCUMENTS, metavar="DOC")
    parser.add_argument("--end-to-end", nargs="*", default=[], metavar="DOC")
    add_embedder_options(parser)
    add_config_options(parser)
    args = parser.parse_args()
    config = config_from(args)
    results: dict[str, Any] = {"data": "Bible scaling set (en source, zh target)"}
    if args.dp_only:
        label = "DP alone (random embeddings; F1 meaningless)"
        results["dp_alone"] = series(args.dp_only, RandomEmbedder(), config, label)
    if args.end_to_end:
        label = (f"End to end (real embedder, runs of up to {config.embedded_run} sentences, "
                 f"{'exact' if config.exact_runs else 'approximate'} joins)")
        embedder = embedder_from(args)
        results["end_to_end"] = series(args.end_to_end, embedder, config, label)
        results["embedder"] = embedder.name
    write_results(args, results, config)


if __name__ == "__main__":
    main()
