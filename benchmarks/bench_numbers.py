"""Numbered lists with a row left out: the rows differ only in their numbers.

Reports, tables and contracts hold lists whose rows say the same thing about different
figures (`2019年销售额增长了12%。` / `In 2019, sales grew by 12%.`). Their embeddings are
almost alike, so when a translator leaves a row out (or adds one) the embedding alone
cannot tell which, and the row is merged with a neighbour. Built here: five lists of 20
rows (sales by year, headcount, contract articles, profits in 亿 against millions, dated
meetings with the month named in English), each with one row left out of the English or
of the Chinese at every position from 2 to 17: 160 documents. Reported per list and
pooled: the documents aligned exactly right (every row paired with its translation and
the left-out row's partner unaligned) and exact-bead F1, with the configuration given and
with `number_weight` 0 (the numbers not read), in one run. MAC-Dev, whose chapters hold
few numbers, cannot choose `number_weight` (leave-one-chapter-out is flat up to 0.4), so
its value was read off these lists (`docs/tuning.md`).

    python benchmarks/bench_numbers.py --cache /work/cache
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from _common import (
    add_config_options,
    add_embedder_options,
    benchmark_parser,
    config_from,
    embedder_from,
    write_results,
)
from rich.console import Console
from rich.table import Table

from aligner.align import align
from aligner.config import AlignConfig
from aligner.data import Bead, Sentence
from aligner.embed import Embedder
from aligner.evaluate import evaluate

ROWS = 20
LEFT_OUT = range(2, ROWS - 2)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _row_values(rng: random.Random, k: int) -> dict[str, Any]:
    month = rng.randint(1, 12)
    profit = rng.randint(11, 99) / 10
    return {
        "year": 1995 + k, "percent": rng.randint(10, 99), "staff": rng.randint(100, 9999),
        "article": 10 + k, "months": rng.randint(12, 60), "profit_yi": f"{profit:g}",
        "profit_millions": f"{profit * 100:g}", "month": month, "month_name": MONTHS[month - 1],
        "day": rng.randint(10, 28), "meeting": 20 + k,
    }


LISTS = {
    "sales": ("{year}年，该公司的销售额增长了{percent}%。",
              "In {year}, the company's sales grew by {percent}%."),
    "headcount": ("{year}年的员工人数为{staff}人。", "In {year} the workforce numbered {staff}."),
    "articles": ("第{article}条规定，合同期限为{months}个月。",
                 "Article {article} provides that the term of the contract is {months} months."),
    "profits": ("{year}年，集团净利润为{profit_yi}亿元。",
                "In {year}, the group's net profit was {profit_millions} million yuan."),
    "meetings": ("{year}年{month}月{day}日，委员会召开了第{meeting}次会议。",
                 "On {month_name} {day}, {year}, the committee held its {meeting}th meeting."),
}


def documents(name: str) -> list[tuple[list[Sentence], list[Sentence], list[Bead]]]:
    """The list `name` with one row left out of the English, then of the Chinese, at each
    position of `LEFT_OUT`, with the gold beads of each."""
    zh_template, en_template = LISTS[name]
    rng = random.Random(name)
    rows = [_row_values(rng, k) for k in range(ROWS)]
    zh = [Sentence(zh_template.format(**row), "zh") for row in rows]
    en = [Sentence(en_template.format(**row), "en") for row in rows]
    built = []
    for left_out in LEFT_OUT:
        kept = [k for k in range(ROWS) if k != left_out]
        position = {k: n for n, k in enumerate(kept)}
        built.append((zh, [en[k] for k in kept], [
            Bead((k,), (position[k],) if k != left_out else (), 1.0) for k in range(ROWS)
        ]))
        built.append(([zh[k] for k in kept], en, [
            Bead((position[k],) if k != left_out else (), (k,), 1.0) for k in range(ROWS)
        ]))
    return built


def measure(
    name: str, embedder: Embedder, config: AlignConfig, pooled: tuple[list[Any], list[Any]]
) -> dict[str, Any]:
    """The documents of list `name` aligned exactly right, and its exact-bead F1 and the
    rest of `evaluate`; the gold and test beads are added to `pooled`."""
    golds, tests, exact = [], [], 0
    for src, tgt, gold in documents(name):
        test = align(src, tgt, embedder, config)
        exact += {(b.src, b.tgt) for b in test} == {(b.src, b.tgt) for b in gold}
        golds.append(gold)
        tests.append(test)
    pooled[0].extend(golds)
    pooled[1].extend(tests)
    return {"documents": len(golds), "exact": exact, **evaluate(golds, tests)}


def main() -> None:
    parser = benchmark_parser("bench_numbers", __doc__)
    add_embedder_options(parser)
    add_config_options(parser)
    args = parser.parse_args()
    embedder = embedder_from(args)
    config = config_from(args)
    settings = {"configured": config, "numbers not read": dataclasses.replace(
        config, number_weight=0.0)}
    table = Table("list", *(f"{setting}: exact documents, exact-bead F1" for setting in settings))
    results: dict[str, Any] = {"data": "numbered lists built for the check",
                               "embedder": embedder.name, "lists": {}}
    pooled: dict[str, tuple[list[Any], list[Any]]] = {setting: ([], []) for setting in settings}
    exact = dict.fromkeys(settings, 0)
    for name in LISTS:
        found = {setting: measure(name, embedder, each, pooled[setting])
                 for setting, each in settings.items()}
        results["lists"][name] = found
        for setting, figures in found.items():
            exact[setting] += figures["exact"]
        table.add_row(name, *(f"{f['exact']}/{f['documents']}, {f['f1_bead']:.3f}"
                              for f in found.values()))
    results["pooled"] = {
        setting: {"documents": len(golds), "exact": exact[setting], **evaluate(golds, tests)}
        for setting, (golds, tests) in pooled.items()
    }
    table.add_row("all", *(f"{p['exact']}/{p['documents']}, {p['f1_bead']:.3f}"
                           for p in results["pooled"].values()))
    console = Console()
    console.print(f"Numbered lists with one row left out, {embedder.name}")
    console.print(table)
    write_results(args, results, config)


if __name__ == "__main__":
    main()
