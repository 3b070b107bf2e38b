"""End-to-end alignment time as a multiple of embedding each sentence once (issue 12).

For each input and setting, back to back in one process: a fresh embedder (no cache)
embeds every sentence once (the bare one-pass embedding, the floor any aligner using this
encoder pays), then another fresh embedder of the same kind aligns the same sentences
(`align`, no cache). Both are timed in wall-clock and CPU seconds; the model's weights are
loaded before either clock starts and the numba kernels are compiled beforehand. Prints
both times, their ratio and the F1 (MAC-Dev: strict and exact-bead over all six chapters;
Bible 001: verse-level F1 as `bench_scaling` computes it).

The machine's other jobs change both times, so only the ratio within one run means much.

    python benchmarks/bench_speed.py                       # default and --embedded-run 2
    python benchmarks/bench_speed.py --inputs mac-dev --settings default text-runs
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from _common import (
    MAC_DEV_CHAPTERS,
    GoldDocument,
    benchmark_parser,
    load_bible,
    load_mac_dev,
    write_results,
)
from bench_scaling import merge_verse_splits

from aligner.align import align
from aligner.config import AlignConfig
from aligner.data import Bead
from aligner.embed import load_embedder
from aligner.evaluate import evaluate

SETTINGS = {
    "default": AlignConfig(),
    "embedded-run-2": AlignConfig(embedded_run=2),
    "text-runs": AlignConfig(pool_run_states=False),
}
"""`text-runs` is the previous default: every run of up to `embedded_run` sentences
embedded as its text."""


def inputs(name: str) -> list[GoldDocument]:
    if name == "mac-dev":
        return [load_mac_dev(chapter) for chapter in MAC_DEV_CHAPTERS]
    return [load_bible("001")]


def _fresh_embedder(threads: int | None) -> Any:
    """A new embedder with its weights loaded (a one-off cost neither clock should see)."""
    embedder = load_embedder(None, threads=threads)
    embedder.encode(["warm up"])
    return embedder


def _timed(work: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def measure(documents: list[GoldDocument], config: AlignConfig, threads: int | None,
            verse_level: bool) -> dict[str, float]:
    """Bare embedding and full alignment of `documents`, back to back."""
    embedder = _fresh_embedder(threads)
    texts = [sentence.text for document in documents
             for sentence in (*document.src, *document.tgt)]
    _, bare_wall, bare_cpu = _timed(lambda: embedder.encode(texts))
    embedder = _fresh_embedder(threads)
    beads, wall, cpu = _timed(
        lambda: [align(document.src, document.tgt, embedder, config) for document in documents]
    )
    golds = [document.gold for document in documents]
    scored: list[list[Bead]] = beads
    if verse_level:
        scored = [merge_verse_splits(gold, test) for gold, test in zip(golds, beads)]
    scores = evaluate(golds, scored)
    return {
        "sentences": len(texts), "bare_wall_s": bare_wall, "bare_cpu_s": bare_cpu,
        "align_wall_s": wall, "align_cpu_s": cpu, "ratio_wall": wall / bare_wall,
        "ratio_cpu": cpu / bare_cpu, "f1_strict": scores["f1_strict"],
        "f1_bead": scores["f1_bead"],
        "long_texts_split": float(getattr(embedder, "long_texts_split", 0)),
    }


def main() -> None:
    parser = benchmark_parser("bench_speed", __doc__)
    parser.add_argument("--inputs", nargs="+", default=["mac-dev", "bible-001"],
                        choices=["mac-dev", "bible-001"])
    parser.add_argument("--settings", nargs="+", default=["default", "embedded-run-2"],
                        choices=sorted(SETTINGS))
    parser.add_argument("--threads", type=int, default=None, help="BLAS threads (default all)")
    arguments = parser.parse_args()
    warm = load_mac_dev("001")
    align(warm.src[:30], warm.tgt[:30], _fresh_embedder(arguments.threads))  # compile
    results: dict[str, dict[str, dict[str, float]]] = {}
    print(f"{'input':<10} {'setting':<10} {'sentences':>9} {'bare s':>7} {'align s':>8} "
          f"{'ratio':>6} {'CPU ratio':>9} {'strict F1':>9} {'bead F1':>8}")
    for name in arguments.inputs:
        documents = inputs(name)
        for setting in arguments.settings:
            figures = measure(documents, SETTINGS[setting], arguments.threads,
                              verse_level=name != "mac-dev")
            results.setdefault(name, {})[setting] = figures
            print(f"{name:<10} {setting:<10} {figures['sentences']:>9} "
                  f"{figures['bare_wall_s']:>7.1f} {figures['align_wall_s']:>8.1f} "
                  f"{figures['ratio_wall']:>6.2f} {figures['ratio_cpu']:>9.2f} "
                  f"{figures['f1_strict']:>9.3f} {figures['f1_bead']:>8.3f}", flush=True)
    configs = {setting: dataclasses.asdict(SETTINGS[setting]) for setting in arguments.settings}
    write_results(arguments, results, configs)


if __name__ == "__main__":
    main()
