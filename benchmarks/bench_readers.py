"""Memory of reading a large translation memory: streamed reader vs whole-tree parse.

Builds a TMX of N units in a temporary folder, then reports, in one run, the file size,
and for `aligner.readers.read_document` and for parsing the whole tree with lxml the
growth of the peak resident memory (each in a fresh process, so libxml2's memory counts
too) as a ratio to the file size, and the time. The reader must hold the units it
returns, not a second copy of the file.

    python benchmarks/bench_readers.py --units 200000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

MEASURE = """
import json, resource, sys, time
from pathlib import Path
from lxml import etree
from aligner.readers import read_document
path = Path(sys.argv[1])
runs = {"reader": lambda: read_document(path), "tree": lambda: etree.parse(str(path))}
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
result = runs[sys.argv[2]]()
elapsed = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grown": (after - before) * 1024, "seconds": elapsed}))
"""


def write_tmx(path: Path, units: int) -> None:
    with path.open("w", encoding="utf-8") as file:
        file.write(
            '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="b" '
            'creationtoolversion="1" segtype="sentence" o-tmf="b" adminlang="en" srclang="zh-CN" '
            'datatype="plaintext"/><body>\n'
        )
        for number in range(units):
            file.write(
                f'<tu tuid="{number}"><tuv xml:lang="zh-CN"><seg>第{number}句話，商湯科技的研發投入'
                f'逐年增加。</seg></tuv><tuv xml:lang="en-US"><seg>Sentence {number}: SenseTime '
                "invests more in R&amp;D every year.</seg></tuv></tu>\n"
            )
        file.write("</body></tmx>\n")


def measured(path: Path, run: str) -> tuple[float, float]:
    """Growth of the peak resident memory in bytes, and seconds, of one read in a new process."""
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), run], check=True, capture_output=True, text=True
    ).stdout
    result = json.loads(output)
    return result["grown"], result["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=200_000)
    units = parser.parse_args().units
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "memory.tmx"
        write_tmx(path, units)
        size = path.stat().st_size
        table = Table(title=f"Reading a {size / 2**20:.1f} MiB TMX of {units} units")
        for column in ("reader", "peak memory growth", "growth / file size", "seconds"):
            table.add_column(column)
        runs = {
            "aligner.readers (iterparse, units kept)": "reader",
            "lxml etree.parse (whole tree)": "tree",
        }
        for name, run in runs.items():
            peak, seconds = measured(path, run)
            table.add_row(name, f"{peak / 2**20:.1f} MiB", f"{peak / size:.2f}", f"{seconds:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
