"""End to end in a real browser: Debian's Chromium driven by Playwright.

The seed interview is aligned with the fake embedder (no model loaded), served
in-process on a free port, and reviewed through the keyboard and the page's buttons:
merge two beads, undo, confirm, fix a typo, export TMX; the TMX must be valid and hold
the fix. Skipped only when /usr/bin/chromium is missing (CI installs it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lxml import etree

from aligner.review.project import ReviewProject
from aligner.review.server import ReviewServer
from aligner.review.session import ReviewSession
from aligner.review.sources import open_inputs
from tests.review_fakes import TokenEmbedder

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "001_80f9d8cd20d446c8.txt"
DTD = REPO.parent / "shared" / "specs" / "tmx14.dtd"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's Chromium: apt-get install -y chromium"
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ReviewSession, str]]:
    embedder = TokenEmbedder()
    opened = open_inputs([SEED], embedder)
    project_path = tmp_path_factory.mktemp("review") / "interview.review.json"
    session = ReviewSession(opened.project, project_path, embedder)
    server = ReviewServer(session)
    server.start()
    yield session, server.url
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def settled(page: object, revision: int) -> None:
    """Wait until the page has drawn the answer to its request for `revision`."""
    page.wait_for_selector(f'body[data-revision="{revision}"]')  # type: ignore[attr-defined]


def first_pair(project: ReviewProject, start: int = 0) -> int:
    """The first bead from `start` whose merge with the next joins Chinese and English
    (the fake embedder leaves most of the interview unaligned, so these are many)."""
    beads = project.beads
    return next(
        i for i in range(start, len(beads) - 1)
        if (beads[i].src or beads[i + 1].src) and (beads[i].tgt or beads[i + 1].tgt)
    )


def test_review_the_seed_interview_in_chromium(
    served: tuple[ReviewSession, str], browser: object, tmp_path: Path
) -> None:
    session, url = served
    project = session.project
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector("section.bead")
    assert page.locator("section.bead").count() == min(100, len(project.beads))
    assert "beads" in page.locator("#stats").inner_text()

    # Merge two beads with the keyboard, then undo.
    original = list(project.beads)
    index = first_pair(project)
    merged_ids = project.beads[index].src + project.beads[index + 1].src
    page.locator(f'section.bead[data-index="{index}"] .gutter .index').click()
    page.keyboard.press("m")
    settled(page, 1)
    assert any(bead.src == merged_ids for bead in project.beads)
    page.wait_for_selector(f'#status:has-text("merge beads {index} and {index + 1}")')
    page.keyboard.press("Control+z")
    settled(page, 2)
    assert project.beads == original
    page.wait_for_selector("#redo:not([disabled])")

    # Redo the merge (the button), then confirm the merged bead with its button.
    page.locator("#redo").click()
    settled(page, 3)
    target = next(i for i, bead in enumerate(project.beads) if bead.src == merged_ids)
    assert project.beads[target].src and project.beads[target].tgt
    row = page.locator(f'section.bead[data-index="{target}"]')
    row.locator("button.confirm").click()
    settled(page, 4)
    assert project.beads[target].confirmed
    page.wait_for_selector(f'section.bead.confirmed[data-index="{target}"]')

    # Fix a typo in an English sentence: select it, e, type, Enter.
    sentence_id = project.beads[target].tgt[0]
    fixed = project.text("tgt", sentence_id) + " (typo fixed)"
    row.locator('p.sentence[data-side="tgt"]').first.click()
    page.keyboard.press("e")
    editor = page.locator("textarea.editor")
    editor.fill(fixed)
    editor.press("Enter")
    settled(page, 5)
    assert project.text("tgt", sentence_id) == fixed
    page.wait_for_selector(f'section.bead[data-index="{target}"] p.sentence:has-text("typo fixed")')

    # Export TMX from the page.
    with page.expect_download() as download_info:
        page.locator("#export").click()
    exported = tmp_path / "interview.tmx"
    download_info.value.save_as(exported)
    tree = etree.parse(str(exported), etree.XMLParser(load_dtd=False, resolve_entities=False))
    if DTD.is_file():
        dtd = etree.DTD(str(DTD))
        assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    segments = [seg.text or "" for seg in tree.iter("seg")]
    assert any(segment.endswith("(typo fixed)") for segment in segments)
    sources = [prop.text for prop in tree.iter("prop") if prop.get("type") == "x-source"]
    assert any(f"[{','.join(map(str, merged_ids))}]:" in text for text in sources)

    # Save from the keyboard; the project file reopens with the confirmation and the fix.
    page.keyboard.press("Control+s")
    wait_until(lambda: session.path.exists() and not project.dirty, "the save")
    assert errors == []
    page.close()


def test_every_edit_from_the_keyboard(browser: object, tmp_path: Path) -> None:
    """Jump to the doubtful bead, split it, move and unalign sentences, undo, search,
    confirm down to a bead and merge, all without the mouse."""
    from aligner.data import Bead
    from tests.review_fakes import numbered_alignment

    alignment = numbered_alignment(12, [((n,), (n,)) for n in range(7)] + [
        ((7, 8), (7, 8)), ((9,), (9,)), ((10,), (10,)), ((11,), (11,))
    ])
    alignment.beads = [Bead(b.src, b.tgt, 0.4 if len(b.src) == 2 else 0.95)
                       for b in alignment.beads]
    session = ReviewSession(ReviewProject(alignment), tmp_path / "n.review.json", TokenEmbedder())
    project = session.project
    server = ReviewServer(session)
    server.start()
    page = browser.new_page(viewport={"width": 1200, "height": 800})  # type: ignore[attr-defined]
    try:
        page.goto(server.url)
        page.wait_for_selector("section.bead")
        page.locator("#beads").focus()

        page.keyboard.press("n")
        page.wait_for_selector('section.bead.current[data-index="7"]')
        page.keyboard.press("s")
        page.wait_for_selector("div.cut.active")
        page.keyboard.press("Enter")
        settled(page, 1)
        assert [(b.src, b.tgt) for b in project.beads[7:9]] == [((7,), (7,)), ((8,), (8,))]

        page.wait_for_selector('section.bead.current[data-index="7"]')
        page.keyboard.press("Shift+ArrowDown")
        settled(page, 2)
        assert [(b.src, b.tgt) for b in project.beads[7:9]] == [((), (7,)), ((7, 8), (8,))]
        page.keyboard.press("Control+z")
        settled(page, 3)

        page.locator('section.bead[data-index="9"] .gutter .index').click()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("u")
        settled(page, 4)
        assert [(b.src, b.tgt) for b in project.beads[9:11]] == [((), (9,)), ((9,), ())]
        page.keyboard.press("Control+z")
        settled(page, 5)

        page.keyboard.press("/")
        page.keyboard.type("sentence 10 ")
        page.wait_for_function("() => document.querySelectorAll('section.bead').length === 1")
        page.keyboard.press("Escape")  # clears the search box and leaves it
        wait_until(lambda: page.locator("section.bead").count() == len(project.beads),
                   "all beads shown again")

        page.locator('section.bead[data-index="4"] .gutter .index').click()
        page.keyboard.press("Shift+C")
        settled(page, 6)
        assert [b.confirmed for b in project.beads[:6]] == [True] * 5 + [False]
        page.keyboard.press("j")
        page.keyboard.press("Shift+M")
        settled(page, 7)
        assert (project.beads[4].src, project.beads[4].tgt) == ((4, 5), (4, 5))

        page.keyboard.press("?")
        page.wait_for_selector("dialog#help[open]")
    finally:
        page.close()
        server.stop()
