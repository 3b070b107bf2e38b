"""Review speed: opening a 10,000-bead project and an edit's round trip.

A synthetic project (10,000 beads: mostly 1-1, some 2-1 and unaligned sentences, random
scores) is saved to a project file, then timed:

- open, server side: loading the project file and answering the page's one document
  request (`GET api/document`, all texts and beads) over HTTP;
- open, in Chromium: from navigation to the first page of beads drawn (the page renders
  100 beads at a time);
- edit round trip over HTTP: `POST api/edit` merging two beads, which re-aligns up to
  12 beads on each side and answers with the patch, first with the stretch's sentences
  never embedded in this process (a project opened from a file), then again after an
  undo (their vectors cached, as after `aligner review` aligned the text itself); and
  from the page (key `m` to the bead redrawn), as the page itself measures it.

Right after opening, the page's first request starts embedding every sentence ahead in
the background (`--wait-prefetch` edits only once that is done). The re-alignment runs
on a fake embedder by default (hashing tokens, no model), so the
figures show the review's own cost; `--model use` re-aligns with the real offline model,
whose first edit in a stretch embeds its sentence runs (later ones hit the cache).

    python benchmarks/bench_review.py
    python benchmarks/bench_review.py --model use
    python benchmarks/bench_review.py --screenshot docs/review.png   # real model, seed
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from aligner.data import Alignment, Bead, Sentence  # noqa: E402 (after the sys.path line)
from aligner.review import open_session  # noqa: E402 (after the sys.path line)
from aligner.review.project import ReviewProject  # noqa: E402 (after the sys.path line)
from aligner.review.realign import MemoEmbedder  # noqa: E402 (after the sys.path line)
from aligner.review.server import ReviewServer  # noqa: E402 (after the sys.path line)
from aligner.review.session import ReviewSession  # noqa: E402 (after the sys.path line)
from aligner.review.stages import load_model  # noqa: E402 (after the sys.path line)
from aligner.review.storage import save_project  # noqa: E402 (after the sys.path line)
from tests.review_fakes import TokenEmbedder  # noqa: E402 (after the sys.path line)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ZH = "第{}句中文讲的是第{}件事，用来测试审校页面的速度。"
EN = "English sentence {} tells of matter {}, to test the review page's speed."


def synthetic(beads: int, seed: int = 0) -> Alignment:
    rng = random.Random(seed)
    shapes = rng.choices([(1, 1), (2, 1), (1, 2), (1, 0), (0, 1)], [85, 5, 5, 3, 2], k=beads)
    src_count = sum(a for a, _ in shapes)
    tgt_count = sum(b for _, b in shapes)
    made, i, j = [], 0, 0
    for a, b in shapes:
        score = rng.betavariate(6, 1.2) if a and b else rng.uniform(0.5, 1.0)
        made.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), score))
        i, j = i + a, j + b
    return Alignment(
        "zh", "en",
        [Sentence(ZH.format(n, n), "zh") for n in range(src_count)],
        [Sentence(EN.format(n, n), "en") for n in range(tgt_count)],
        made, name="synthetic.txt",
    )


def launch(playwright: object) -> object:
    return playwright.chromium.launch(  # type: ignore[attr-defined]
        executable_path=CHROMIUM, args=CHROMIUM_ARGS
    )


def time_open(path: Path, embedder: object) -> tuple[ReviewSession, ReviewServer, float, float]:
    """As `aligner review PROJECT` does it (the model itself loads lazily, on first use)."""
    started = time.perf_counter()
    session = open_session([path], path)
    session.embedder = embedder  # type: ignore[assignment]
    server = ReviewServer(session)
    server.start()
    loaded = time.perf_counter()
    document = httpx.get(server.url + "api/document", timeout=60)
    answered = time.perf_counter()
    assert document.status_code == 200
    return session, server, loaded - started, answered - started


def time_http_edits(
    session: ReviewSession, server: ReviewServer, count: int
) -> tuple[list[float], list[float]]:
    """Merges at random places: each once on a cold cache (its sentences never embedded
    in this process), then undone and done again with their vectors cached."""
    rng = random.Random(1)
    cold, warm = [], []
    with httpx.Client(timeout=120) as client:

        def post(path: str, payload: dict[str, object]) -> float:
            started = time.perf_counter()
            response = client.post(server.url + path,
                                   json={**payload, "revision": session.project.revision})
            assert response.status_code == 200, response.text
            return time.perf_counter() - started

        for _ in range(count):
            merge = {"op": "merge", "bead": rng.randrange(len(session.project.beads) - 1)}
            cold.append(post("api/edit", merge))
            post("api/undo", {})
            warm.append(post("api/edit", merge))
    return cold, warm


def figures(times: list[float]) -> str:
    return (f"median {statistics.median(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms")


def time_browser(server: ReviewServer, edits: int) -> tuple[float, list[float]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        started = time.perf_counter()
        page.goto(server.url)
        page.wait_for_selector("section.bead")
        opened = time.perf_counter() - started
        times = []
        for k in range(edits):
            page.locator("section.bead .gutter .index").nth(10 + 3 * k).click()
            before = page.locator("#status").inner_text()
            page.keyboard.press("m")
            page.wait_for_function(
                "before => document.querySelector('#status').textContent !== before", arg=before
            )
            status = page.locator("#status").inner_text()
            times.append(float(status.rsplit("(", 1)[1].split(" ms")[0]) / 1000)
        browser.close()
    return opened, times


def screenshot(out: Path) -> None:
    """The page on the seed interview, aligned with the real model, one bead selected."""
    from playwright.sync_api import sync_playwright

    session = open_session([REPO / "seeds" / "001_80f9d8cd20d446c8.txt"],
                           Path(tempfile.mkdtemp()) / "interview.review.json")
    beads = session.project.beads
    paired = next(i for i in range(len(beads) - 6)
                  if all(bead.src and bead.tgt for bead in beads[i : i + 6]))
    session.edit({"revision": 0, "op": "confirm_through", "bead": paired + 1})
    server = ReviewServer(session)
    server.start()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.goto(server.url)
        page.wait_for_selector("section.bead")
        page.locator(f'section.bead[data-index="{paired}"]').scroll_into_view_if_needed()
        page.locator(f'section.bead[data-index="{paired + 2}"] .gutter .index').click()
        page.keyboard.press("ArrowRight")
        page.evaluate("index => document.querySelector(`section.bead[data-index='${index}']`)"
                      ".scrollIntoView({block: 'start'})", paired)
        page.wait_for_timeout(300)
        page.screenshot(path=str(out))
        browser.close()
    server.stop()
    print(f"wrote {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beads", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--model", default=None, help="'use' for the real offline model")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--wait-prefetch", action="store_true",
                        help="edit only once every sentence has been embedded ahead")
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    if args.screenshot:
        screenshot(args.screenshot)
        return
    embedder = MemoEmbedder(load_model() if args.model == "use" else TokenEmbedder())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.review.json"
        save_project(ReviewProject(synthetic(args.beads)), path)
        size = path.stat().st_size / 1e6
        session, server, loaded, answered = time_open(path, embedder)
        print(f"{len(session.project.beads):,} beads, project file {size:.1f} MB, "
              f"embedder {'USE' if args.model == 'use' else 'fake (hashed tokens)'}")
        print(f"open, server: load project + start {loaded * 1000:.0f} ms; "
              f"+ document request {answered * 1000:.0f} ms")
        session.aligner_ready.wait()  # loaded once the document has been sent
        if args.wait_prefetch:
            started = time.perf_counter()
            session.prefetched.wait()
            print(f"embedding every sentence ahead finished {time.perf_counter() - started:.1f} s "
                  "after the aligner was ready")
        cold, warm = time_http_edits(session, server, args.edits)
        print(f"edit round trip over HTTP (merge + re-align + patch), {len(cold)} edits: "
              f"cold cache {figures(cold)}; cached {figures(warm)}")
        if not args.no_browser:
            opened, clicks = time_browser(server, min(args.edits, 10))
            print(f"open in Chromium (navigation to first 100 beads drawn): {opened * 1000:.0f} ms")
            print(f"edit round trip in the page (key to redrawn), {len(clicks)} edits on a "
                  f"cold cache: {figures(clicks)}")
        server.stop()


if __name__ == "__main__":
    main()
