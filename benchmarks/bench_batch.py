"""Batch throughput: documents/s and sentences/s, one vs two workers, cold vs warm cache.

Two workloads: a few long Bible documents (bible-scaling 001.., 5k+ sentences each)
and many short ones (the six MAC-Dev chapters copied N times). Each run starts with
an empty output folder; "cold" also starts with an empty embedding cache, "warm"
reuses the cache the cold run filled, so only alignment and export remain.

    python benchmarks/bench_batch.py --bible 001 002 --mac-copies 5 --jobs 1 2
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from _common import BIBLE, MAC_DEV, add_config_options, benchmark_parser, config_from, write_results
from rich.console import Console

from aligner.batch import BatchSettings, run_batch
from aligner.config import AlignConfig, PipelineOptions


def stage_bible(root: Path, names: list[str]) -> Path:
    """zh/NNN + en/NNN links to the chosen Bible documents (gold files left out)."""
    folder = root / "bible"
    for lang in ("zh", "en"):
        (folder / lang).mkdir(parents=True)
        for name in names:
            (folder / lang / name).symlink_to(BIBLE / lang / name)
    return folder


def stage_mac(root: Path, copies: int) -> Path:
    """The MAC-Dev chapters repeated under distinct names: many small documents."""
    folder = root / "mac"
    for lang in ("zh", "en"):
        (folder / lang).mkdir(parents=True)
        for chapter in sorted((MAC_DEV / lang).iterdir()):
            for copy in range(copies):
                (folder / lang / f"{chapter.name}_{copy}").symlink_to(chapter)
    return folder


def measure(
    source: Path, work: Path, jobs: int, cache: Path, config: AlignConfig
) -> tuple[float, int, int]:
    output = work / "out"
    shutil.rmtree(output, ignore_errors=True)
    settings = BatchSettings(
        pipeline=PipelineOptions(presegmented=True, align=config),
        fmt="tsv",
        jobs=jobs,
        cache_dir=cache,
    )
    report = run_batch(source, output, settings)
    summary = report.summary()
    if summary["failed"]:
        raise SystemExit(f"failures: {[(r.name, r.reason) for r in report.failures]}")
    return report.seconds, summary["aligned"], summary["sentences"]


def main() -> None:
    parser = benchmark_parser("bench_batch", __doc__)
    parser.add_argument("--bible", nargs="*", default=["001"], help="bible-scaling documents")
    parser.add_argument("--mac-copies", type=int, default=5, help="copies of MAC-Dev (0: skip)")
    parser.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    add_config_options(parser)
    arguments = parser.parse_args()
    config = config_from(arguments)
    rows: list[dict[str, Any]] = []
    console = Console()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as temporary:
        root = Path(temporary)
        workloads = {}
        if arguments.bible:
            workloads[f"bible {'+'.join(arguments.bible)}"] = stage_bible(root, arguments.bible)
        if arguments.mac_copies:
            workloads[f"MAC-Dev x{arguments.mac_copies}"] = stage_mac(root, arguments.mac_copies)
        console.print("workload | jobs | cache | docs | sentences | seconds | docs/s | sentences/s")
        for label, source in workloads.items():
            for jobs in arguments.jobs:
                cache = root / f"cache-{source.name}-{jobs}"
                for state in ("cold", "warm"):
                    seconds, documents, sentences = measure(source, root, jobs, cache, config)
                    console.print(
                        f"{label} | {jobs} | {state} | {documents} | {sentences} | {seconds:.1f} | "
                        f"{documents / seconds:.2f} | {sentences / seconds:.0f}",
                        highlight=False,
                    )
                    rows.append({"workload": label, "jobs": jobs, "cache": state,
                                 "documents": documents, "sentences": sentences,
                                 "seconds": round(seconds, 2)})
    write_results(arguments, {"runs": rows}, config)


if __name__ == "__main__":
    main()
