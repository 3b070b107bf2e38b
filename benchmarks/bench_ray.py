"""Ray vs the local engine: throughput with 1 and 2 workers, and Ray's cost per document.

The workload is MAC-Dev chapters copied N times (`--chapters`, `--mac-copies`), or cut
to their first `--lines` lines: many tiny documents, where a per-document overhead
shows most. A first local run with one worker and an empty
embedding cache measures the whole pipeline ("embed") and fills the cache; then each
configuration runs on an empty output folder with that cache ("warm": reading,
alignment, export and the engine's own cost remain; `--states embed warm` also repeats
the whole pipeline per configuration). A Ray instance is started once, before the runs,
and its start-up is reported apart.

Reported per run: wall seconds (engine start-up and model loading included), the time to
the first finished document (start-up), and the steady rate after it, from which the
per-document overhead of Ray is the difference of seconds per document against local.
Each worker gets cores/workers BLAS threads, as the local engine's pool does. The
driver's CPU seconds are reported too: for the local engine with one worker all the work
is in the driver, so sentences per CPU second is the per-core rate, which a busy shared
machine does not distort the way it distorts wall time.

    python benchmarks/bench_ray.py --mac-copies 1 --workers 1 2
    python benchmarks/bench_ray.py --mac-copies 20 --lines 10 \
        --results benchmarks/results/bench_ray-tiny.json
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import (
    MAC_DEV,
    MAC_DEV_CHAPTERS,
    add_config_options,
    benchmark_parser,
    config_from,
    write_results,
)
from rich.console import Console

from aligner.batch import BatchProgress, BatchSettings, Engine, LocalEngine, run_batch
from aligner.batch.ray_engine import RayEngine
from aligner.config import AlignConfig, PipelineOptions


def stage(root: Path, chapters: list[str], copies: int, lines: int) -> Path:
    """zh/NAME + en/NAME copies of the chosen chapters, whole or cut to `lines` lines."""
    folder = root / "mac"
    for lang in ("zh", "en"):
        (folder / lang).mkdir(parents=True)
        for chapter in chapters:
            text = (MAC_DEV / lang / chapter).read_text(encoding="utf-8")
            if lines:
                text = "".join(text.splitlines(keepends=True)[:lines])
            for copy in range(copies):
                (folder / lang / f"{chapter}_{copy}").write_text(text, encoding="utf-8")
    return folder


def measure(
    source: Path, output: Path, engine: Engine, jobs: int, cache: Path | None, config: AlignConfig
) -> dict[str, Any]:
    shutil.rmtree(output, ignore_errors=True)
    settings = BatchSettings(
        pipeline=PipelineOptions(presegmented=True, align=config),
        fmt="tsv",
        jobs=jobs,
        cache=cache is not None,
        cache_dir=cache,
    )
    ends: list[float] = []

    def stamp(event: BatchProgress) -> None:
        if event.record is not None:
            ends.append(time.perf_counter())

    started, cpu = time.perf_counter(), time.process_time()
    report = run_batch(source, output, settings, engine, on_progress=stamp)
    cpu = time.process_time() - cpu
    summary = report.summary()
    if summary["failed"]:
        raise SystemExit(f"failures: {[(r.name, r.reason) for r in report.failures]}")
    steady = (ends[-1] - ends[0]) / (len(ends) - 1) if len(ends) > 1 else float("nan")
    return {
        "documents": summary["aligned"],
        "sentences": summary["sentences"],
        "embedded": summary["embedded"],
        "seconds": round(report.seconds, 2),
        "driver_cpu_s": round(cpu, 2),
        "first_document_s": round(ends[0] - started, 2),
        "steady_s_per_document": round(steady, 3),
        "steady_sentences_per_s": round(summary["sentences"] / summary["aligned"] / steady, 1),
    }


def main() -> None:
    parser = benchmark_parser("bench_ray", __doc__)
    parser.add_argument("--mac-copies", type=int, default=1, help="copies of each chapter")
    parser.add_argument("--chapters", nargs="+", default=MAC_DEV_CHAPTERS, help="MAC-Dev chapters")
    parser.add_argument("--lines", type=int, default=0, help="keep the first N lines (0: all)")
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--in-flight", type=int, default=2, help="documents queued per actor")
    parser.add_argument("--states", nargs="+", default=["warm"], choices=["embed", "warm"])
    add_config_options(parser)
    arguments = parser.parse_args()
    config = config_from(arguments)
    cores = os.cpu_count() or 1
    console = Console()
    rows: list[dict[str, Any]] = []
    import ray

    with tempfile.TemporaryDirectory(prefix="bench-ray-") as temporary:
        root = Path(temporary)
        source = stage(root, arguments.chapters, arguments.mac_copies, arguments.lines)
        cache = root / "cache"
        primed = measure(source, root / "prime", LocalEngine(), 1, cache, config)
        rows.append({"engine": "local", "workers": 1, "cache": "embed (filling)", **primed})
        started = time.perf_counter()
        ray.init(num_cpus=cores, include_dashboard=False, logging_level="WARNING")
        ray_start = round(time.perf_counter() - started, 2)
        console.print(f"ray.init: {ray_start} s; {cores} cores (a shared machine)")
        console.print(
            "engine | workers | cache | docs | sentences | seconds | first doc s | "
            "steady s/doc | steady sentences/s"
        )
        console.print(" | ".join(str(value) for value in rows[0].values()), highlight=False)
        for workers in arguments.workers:
            threads = max(1, cores // workers)
            engines: dict[str, Engine] = {
                "local": LocalEngine(),
                "ray": RayEngine(cpus_per_worker=threads, in_flight=arguments.in_flight),
            }
            for name, engine in engines.items():
                for state in arguments.states:
                    chosen = cache if state == "warm" else None
                    row = measure(source, root / "out", engine, workers, chosen, config)
                    row = {"engine": name, "workers": workers, "cache": state, **row}
                    rows.append(row)
                    console.print(" | ".join(str(value) for value in row.values()), highlight=False)
        ray.shutdown()
    write_results(arguments, {"ray_init_s": ray_start, "cores": cores, "runs": rows}, config)


if __name__ == "__main__":
    main()
