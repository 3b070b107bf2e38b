"""What the benchmarks share: data paths, gold loaders, options, ladders and stamped results.

Every benchmark writes its figures to `benchmarks/results/<benchmark>.json` (or the file
given with `--results`), stamped with the git commit, the date, the command line and the
alignment configuration, so a figure quoted in the README can be traced to the run and
the settings that made it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from aligner.config import AlignConfig
from aligner.data import Bead, Sentence
from aligner.embed import CachedEmbedder, Embedder, load_embedder
from aligner.formats import format_ladder_line, read_ladder
from aligner.segment import presegmented
from aligner.text import Lang

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
MAC_DEV = SHARED / "eval" / "mac-dev"
BIBLE = SHARED / "eval" / "bible-scaling"
SEEDS = REPO / "seeds"
RESULTS = REPO / "benchmarks" / "results"
MAC_DEV_CHAPTERS = ["001", "002", "003", "004", "005", "006"]
BIBLE_DOCUMENTS = ["001", "002", "003", "004", "005", "006"]


@dataclass
class GoldDocument:
    """A document of an evaluation set: one sentence per line on each side, and its gold."""

    name: str
    src: list[Sentence]
    tgt: list[Sentence]
    gold: list[Bead]


def load_gold(folder: Path, name: str, src_lang: Lang, tgt_lang: Lang) -> GoldDocument:
    """Document `name` of an evaluation set laid out as `zh/`, `en/` and `gold/NAME.align`."""

    def sentences(lang: Lang) -> list[Sentence]:
        return presegmented((folder / lang / name).read_text(encoding="utf-8"), lang)

    gold = read_ladder(folder / "gold" / f"{name}.align")
    return GoldDocument(name, sentences(src_lang), sentences(tgt_lang), gold)


def load_mac_dev(chapter: str) -> GoldDocument:
    """A MAC-Dev chapter (zh source, en target) with its gold beads."""
    return load_gold(MAC_DEV, chapter, "zh", "en")


def load_bible(document: str) -> GoldDocument:
    """A Bible scaling document (en source, zh target) with its verse-level gold beads."""
    return load_gold(BIBLE, document, "en", "zh")


def write_ladder(path: Path, beads: list[Bead]) -> None:
    """Beads as a ladder file, one `[src]:[tgt]:score` line each, as `aligner` writes them."""
    path.write_text("".join(format_ladder_line(bead) + "\n" for bead in beads), encoding="utf-8")


def benchmark_parser(name: str, doc: str | None) -> argparse.ArgumentParser:
    """A parser with the module docstring as help and `--results FILE`."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--results", type=Path, default=RESULTS / f"{name}.json", metavar="FILE",
        help=f"where to write the figures as JSON (default benchmarks/results/{name}.json)",
    )
    parser.set_defaults(benchmark=name)
    return parser


def add_embedder_options(parser: argparse.ArgumentParser) -> None:
    """`--model` and `--cache`, for benchmarks that embed with the real model."""
    parser.add_argument("--model", default=None, help="sentence-transformers model (default USE)")
    parser.add_argument("--cache", type=Path, default=None, help="directory for an embedding cache")


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """`--embedded-run` and `--set NAME=VALUE`, reaching every AlignConfig field."""
    parser.add_argument(
        "--embedded-run", type=int, default=AlignConfig.embedded_run,
        help="longest sentence run embedded as text (longer runs are combined vectors)",
    )
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE",
        help="override an AlignConfig field, e.g. --set skip_cost=0.2 (repeatable)",
    )


def embedder_from(arguments: argparse.Namespace, threads: int | None = None) -> Embedder:
    """The embedder `--model` names, behind the `--cache` folder if one is given."""
    embedder = load_embedder(arguments.model, threads=threads)
    return CachedEmbedder(embedder, arguments.cache) if arguments.cache else embedder


def config_from(arguments: argparse.Namespace) -> AlignConfig:
    """AlignConfig with `--embedded-run`, then each `--set NAME=VALUE`, cast to the field's type."""
    config = AlignConfig(embedded_run=arguments.embedded_run)
    fields = {field.name for field in dataclasses.fields(AlignConfig)}
    changes: dict[str, Any] = {}
    for item in arguments.set:
        name, _, value = item.partition("=")
        if name not in fields or not value:
            raise SystemExit(f"--set {item}: expected NAME=VALUE with NAME an AlignConfig field")
        kind = type(getattr(config, name))
        changes[name] = value.lower() in ("1", "true", "yes") if kind is bool else kind(value)
    return dataclasses.replace(config, **changes)


def write_results(
    arguments: argparse.Namespace, results: dict[str, Any], config: object = None
) -> Path:
    """Save `results` with the commit, date, command line and configuration that made them."""
    record = {
        "benchmark": arguments.benchmark,
        "commit": _git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": ["python", f"benchmarks/{Path(sys.argv[0]).name}", *sys.argv[1:]],
        "arguments": {
            name: value
            for name, value in vars(arguments).items()
            if name not in ("benchmark", "results")
        },
        "config": _as_dict(config),
        "results": results,
    }
    path: Path = arguments.results
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record, ensure_ascii=False, indent=1, default=_plain)
    path.write_text(text + "\n", encoding="utf-8")
    print(f"results: {path}", file=sys.stderr)
    return path


def _as_dict(config: object) -> object:
    if dataclasses.is_dataclass(config) and not isinstance(config, type):
        return dataclasses.asdict(config)
    return config


def _git(*command: str) -> str:
    """Output of a git command in the repository, or "" where git or the repository is missing."""
    try:
        done = subprocess.run(
            ["git", *command], cwd=REPO, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return ""
    return done.stdout.strip()


def _plain(value: object) -> object:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)
