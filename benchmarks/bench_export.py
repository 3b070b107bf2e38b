"""Export speed and memory: peak traced memory must stay flat as the pair count grows.

Documents are generated on the fly (1,000 beads each), as a batch run would hand them
over, so what grows with the count can only be the exporter's own memory.

    python benchmarks/bench_export.py                 # 10k and 100k pairs
    python benchmarks/bench_export.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _common import benchmark_parser, write_results

from aligner.data import Alignment, Bead, Sentence
from aligner.formats import write_alignments

BEADS_PER_DOCUMENT = 1000
ZH = "这是第{}句中文，用来测试导出的速度和内存是否保持平稳。"
EN = "This is English sentence {}, used to check that export speed and memory stay flat."


def documents(pairs: int) -> Iterator[Alignment]:
    """`pairs` 1-1 beads split into documents, each built only when the writer asks."""
    for start in range(0, pairs, BEADS_PER_DOCUMENT):
        count = min(BEADS_PER_DOCUMENT, pairs - start)
        yield Alignment(
            src_lang="zh",
            tgt_lang="en",
            src=[Sentence(ZH.format(start + i), "zh") for i in range(count)],
            tgt=[Sentence(EN.format(start + i), "en") for i in range(count)],
            beads=[Bead((i,), (i,), 0.9) for i in range(count)],
            name=f"doc{start // BEADS_PER_DOCUMENT}",
        )


def measure(pairs: int, fmt: str, folder: Path) -> tuple[float, float, float]:
    """Seconds (untraced run), peak traced MiB (second run) and output MiB."""
    out = folder / f"bench.{fmt}"
    started = time.perf_counter()
    written = write_alignments(documents(pairs), str(out), fmt)
    seconds = time.perf_counter() - started
    assert written == pairs, (written, pairs)
    tracemalloc.start()
    write_alignments(documents(pairs), str(out), fmt)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    size = out.stat().st_size
    out.unlink()
    return seconds, peak / 2**20, size / 2**20


def main() -> None:
    parser = benchmark_parser("bench_export", __doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="+", default=["tmx", "csv", "jsonl"])
    args = parser.parse_args()
    print(
        f"{'format':<7}{'pairs':>10}{'seconds':>10}{'pairs/s':>10}{'peak MiB':>10}{'file MiB':>10}"
    )
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        for fmt in args.formats:
            for pairs in args.sizes:
                seconds, peak, size = measure(pairs, fmt, Path(folder))
                print(
                    f"{fmt:<7}{pairs:>10}{seconds:>10.2f}{pairs / seconds:>10.0f}"
                    f"{peak:>10.2f}{size:>10.1f}",
                    flush=True,
                )
                rows.append({"format": fmt, "pairs": pairs, "seconds": round(seconds, 3),
                             "peak_mib": round(peak, 2), "file_mib": round(size, 1)})
    print("Peak traced memory includes the one generated document being written.")
    write_results(args, {"runs": rows})


if __name__ == "__main__":
    main()
