"""Review: every edit through the HTTP API, undo/redo, re-alignment, project files,
exports, the CLI, and the server's security. A fake embedder keeps these offline and fast."""

from __future__ import annotations

import io
import json
import socket
import zipfile
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from starlette.testclient import TestClient
from typer.testing import CliRunner

from aligner.cli import app
from aligner.data import AlignerError, Alignment
from aligner.review import storage
from aligner.review.project import ReviewBead, ReviewError, ReviewProject, check_beads
from aligner.review.realign import MAX_STRETCH_BEADS, MemoEmbedder
from aligner.review.server import MAX_REQUEST_BYTES, ReviewServer, create_app
from aligner.review.session import ReviewSession
from aligner.review.sources import open_inputs
from aligner.review.storage import is_review_project, load_project, save_project
from tests.review_fakes import TokenEmbedder, numbered_alignment

TOKEN = "test-token-0123456789"
DTD = Path(__file__).resolve().parents[1].parent / "shared" / "specs" / "tmx14.dtd"


def make_session(tmp_path: Path, alignment: Alignment | None = None) -> ReviewSession:
    project = ReviewProject(alignment or numbered_alignment(8))
    return ReviewSession(project, tmp_path / "numbers.review.json", TokenEmbedder())


@pytest.fixture
def session(tmp_path: Path) -> ReviewSession:
    return make_session(tmp_path)


@pytest.fixture
def client(session: ReviewSession) -> TestClient:
    return TestClient(create_app(session, TOKEN), base_url="http://127.0.0.1:8000")


def api(client: TestClient, path: str) -> str:
    return f"/{TOKEN}/api/{path}"


def edit(client: TestClient, **payload: object) -> httpx.Response:
    revision = client.get(api(client, "document")).json()["revision"]
    return client.post(api(client, "edit"), json={"revision": revision, **payload})


def pairs(session: ReviewSession) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(bead.src, bead.tgt) for bead in session.project.beads]


def assert_complete(project: ReviewProject) -> None:
    check_beads(project.beads, len(project.sentences["src"]), len(project.sentences["tgt"]))


# Every operation ------------------------------------------------------------------------


def test_document_lists_texts_beads_and_formats(client: TestClient) -> None:
    document = client.get(api(client, "document")).json()
    assert document["src"][3] == "第3句话讲的是3号。"
    assert document["beads"][3] == [[3], [3], 0.75, False, False]
    assert document["revision"] == 0 and document["dirty"] is False
    formats = client.get(api(client, "formats")).json()["formats"]
    assert {"tmx", "csv", "tsv", "jsonl", "align", "moses", "parquet"} <= set(formats)


def test_merge_with_next_and_previous(client: TestClient, session: ReviewSession) -> None:
    response = edit(client, op="merge", bead=2, next=True)
    assert response.status_code == 200, response.text
    assert pairs(session)[2] == ((2, 3), (2, 3))
    assert session.project.beads[2].edited and session.project.beads[2].score == 1.0
    assert response.json()["focus"] == 2
    edit(client, op="merge", bead=5, next=False)
    assert pairs(session)[4] == ((5, 6), (5, 6))
    assert_complete(session.project)


def test_split_puts_the_chosen_sentences_in_each_part(
    client: TestClient, session: ReviewSession
) -> None:
    edit(client, op="merge", bead=2, next=True)
    response = edit(client, op="split", bead=2, src_cut=1, tgt_cut=2)
    assert response.status_code == 200, response.text
    assert pairs(session)[2:4] == [((2,), (2, 3)), ((3,), ())]
    assert_complete(session.project)


def test_move_a_sentence_to_either_neighbour(client: TestClient, session: ReviewSession) -> None:
    edit(client, op="merge", bead=2, next=True)
    assert edit(client, op="move", bead=2, side="tgt", next=True).status_code == 200
    assert pairs(session)[2:4] == [((2, 3), (2,)), ((4,), (3, 4))]
    assert edit(client, op="move", bead=3, side="src", next=False).status_code == 200
    assert pairs(session)[2:4] == [((2, 3, 4), (2,)), ((), (3, 4))]
    assert_complete(session.project)


def test_moving_a_bead_s_last_sentence_away_drops_the_empty_bead(
    client: TestClient, session: ReviewSession
) -> None:
    edit(client, op="unalign", bead=0, side="tgt", sentence=0)
    assert pairs(session)[:2] == [((), (0,)), ((0,), ())]
    edit(client, op="move", bead=1, side="src", next=False)
    assert pairs(session)[0] == ((0,), (0,))
    assert len(session.project.beads) == 8


def test_mark_first_or_last_sentence_unaligned(client: TestClient, session: ReviewSession) -> None:
    edit(client, op="merge", bead=2, next=True)
    assert edit(client, op="unalign", bead=2, side="src", sentence=3).status_code == 200
    assert pairs(session)[2:4] == [((2,), (2, 3)), ((3,), ())]
    assert edit(client, op="unalign", bead=2, side="tgt", sentence=2).status_code == 200
    assert pairs(session)[2:4] == [((), (2,)), ((2,), (3,))]
    assert_complete(session.project)


def test_confirm_unconfirm_and_confirm_everything_above(
    client: TestClient, session: ReviewSession
) -> None:
    edit(client, op="confirm", bead=6, confirmed=True)
    assert session.project.beads[6].confirmed
    edit(client, op="confirm", bead=6, confirmed=False)
    assert not session.project.beads[6].confirmed
    edit(client, op="confirm_through", bead=4)
    assert [bead.confirmed for bead in session.project.beads] == [True] * 5 + [False] * 3


def test_edit_a_sentence_text(client: TestClient, session: ReviewSession) -> None:
    response = edit(client, op="edit_text", bead=1, side="tgt", sentence=1, text="Sentence one.")
    assert response.status_code == 200, response.text
    assert response.json()["texts"] == [["tgt", 1, "Sentence one."]]
    assert session.project.text("tgt", 1) == "Sentence one."
    assert pairs(session)[1] == ((1,), (1,))


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"op": "explode", "bead": 1}, "unknown edit"),
        ({"op": "merge", "bead": 99, "next": True}, "no next bead"),
        ({"op": "merge", "bead": 0, "next": False}, "no previous bead"),
        ({"op": "merge", "bead": "1"}, "integer 'bead'"),
        ({"op": "split", "bead": 1, "src_cut": 0, "tgt_cut": 0}, "one part empty"),
        ({"op": "split", "bead": 1, "src_cut": 2, "tgt_cut": 0}, "cannot cut at 2"),
        ({"op": "move", "bead": 0, "side": "src", "next": False}, "no previous bead"),
        ({"op": "move", "bead": 1, "side": "left", "next": True}, "'side'"),
        ({"op": "unalign", "bead": 1, "side": "src", "sentence": 5}, "not in bead 1"),
        ({"op": "edit_text", "bead": 1, "side": "src", "sentence": 1, "text": "  "}, "empty"),
        ({"op": "edit_text", "bead": 1, "side": "src", "sentence": 2, "text": "x"}, "not in"),
        ({"op": "confirm", "bead": -1}, "no bead -1"),
    ],
)
def test_bad_edits_are_refused_with_a_message(
    client: TestClient, session: ReviewSession, payload: dict[str, object], message: str
) -> None:
    before = list(session.project.beads)
    response = edit(client, **payload)
    assert response.status_code == 422
    assert message in response.json()["error"]
    assert session.project.beads == before


def test_a_middle_sentence_cannot_leave_its_bead(
    client: TestClient, session: ReviewSession
) -> None:
    edit(client, op="merge", bead=2, next=True)
    edit(client, op="merge", bead=2, next=True)
    response = edit(client, op="unalign", bead=2, side="src", sentence=3)
    assert response.status_code == 422 and "split the bead first" in response.json()["error"]


def test_an_edit_against_an_old_revision_is_refused(client: TestClient) -> None:
    client.post(api(client, "edit"), json={"revision": 0, "op": "confirm", "bead": 1})
    response = client.post(api(client, "edit"), json={"revision": 0, "op": "merge", "bead": 1})
    assert response.status_code == 409 and "reload" in response.json()["error"]


def test_a_change_that_would_lose_a_sentence_is_refused(session: ReviewSession) -> None:
    from aligner.review.project import Change

    beads = tuple(session.project.beads[2:4])
    lossy = Change("bad", 2, beads, (ReviewBead((2, 3), (2,), 1.0),))
    with pytest.raises(ReviewError, match="lose, repeat or reorder tgt"):
        session.project.apply(lossy)
    reordered = Change("bad", 2, beads, (ReviewBead((3,), (2,), 1.0), ReviewBead((2,), (3,), 1.0)))
    with pytest.raises(ReviewError, match="reorder src"):
        session.project.apply(reordered)


# Undo and redo ---------------------------------------------------------------------------


def test_undo_and_redo_walk_the_history(client: TestClient, session: ReviewSession) -> None:
    original = list(session.project.beads)
    edit(client, op="merge", bead=1, next=True)
    edit(client, op="edit_text", bead=4, side="src", sentence=5, text="改过的句子。")
    merged = list(session.project.beads)
    for _ in range(2):
        revision = session.project.revision
        assert client.post(api(client, "undo"), json={"revision": revision}).status_code == 200
    assert session.project.beads == original
    assert session.project.text("src", 5) == "第5句话讲的是5号。"
    response = client.post(api(client, "undo"), json={"revision": session.project.revision})
    assert response.status_code == 422 and "nothing to undo" in response.json()["error"]
    for _ in range(2):
        client.post(api(client, "redo"), json={"revision": session.project.revision})
    assert session.project.beads == merged and session.project.text("src", 5) == "改过的句子。"
    response = client.post(api(client, "redo"), json={"revision": session.project.revision})
    assert response.status_code == 422 and "nothing to redo" in response.json()["error"]


def test_a_new_edit_clears_what_could_be_redone(client: TestClient, session: ReviewSession) -> None:
    edit(client, op="merge", bead=1, next=True)
    client.post(api(client, "undo"), json={"revision": session.project.revision})
    edit(client, op="confirm", bead=0)
    assert session.project.redo_stack == []


# Re-alignment ------------------------------------------------------------------------------

WRONG_TAIL = [((n,), (n,)) for n in range(4)] + [
    ((4, 5), (4,)), ((6,), (5, 6)), ((7, 8), (7,)), ((9,), (8, 9)),
]


def test_an_edit_re_aligns_the_unconfirmed_beads_after_it(tmp_path: Path) -> None:
    """Beads 4-7 are wrong; merging beads 0 and 1 re-aligns them into right 1-1 pairs."""
    session = make_session(tmp_path, numbered_alignment(10, WRONG_TAIL))
    session.edit({"revision": 0, "op": "merge", "bead": 0, "next": True})
    assert pairs(session) == [((0, 1), (0, 1))] + [((n,), (n,)) for n in range(2, 10)]
    session.undo({"revision": 1})
    assert pairs(session) == WRONG_TAIL


def test_re_alignment_stops_at_confirmed_and_edited_beads(tmp_path: Path) -> None:
    session = make_session(tmp_path, numbered_alignment(10, WRONG_TAIL))
    session.edit({"revision": 0, "op": "confirm", "bead": 5})
    session.edit({"revision": 1, "op": "merge", "bead": 0, "next": True})
    assert pairs(session)[:4] == [((0, 1), (0, 1)), ((2,), (2,)), ((3,), (3,)), ((4,), (4,))]
    assert pairs(session)[5:] == WRONG_TAIL[5:], "beyond the confirmed bead nothing moved"
    assert not session.project.beads[4].edited


def test_re_alignment_is_bounded_around_the_edit(tmp_path: Path) -> None:
    count = 4 * MAX_STRETCH_BEADS
    session = make_session(tmp_path, numbered_alignment(count))
    patch = session.edit({"revision": 0, "op": "merge", "bead": count // 2, "next": True})
    assert patch["remove"] == 2 * MAX_STRETCH_BEADS + 2


def test_memo_embedder_embeds_each_text_once() -> None:
    inner = TokenEmbedder()
    memo = MemoEmbedder(inner, capacity=3)
    first = memo.encode(["a 1", "b 2", "a 1"])
    assert first.shape == (3, 128) and (first[0] == first[2]).all()
    memo.encode(["a 1", "b 2"])
    assert inner.calls == 1
    memo.encode(["c 3", "d 4"])
    memo.encode(["a 1"])
    assert inner.calls == 3, "the least recently used text was evicted"
    memo.retain(["a 1", "x"])
    assert memo.size == 1
    memo.encode(["a 1"])
    assert inner.calls == 3


def test_the_page_s_first_request_embeds_every_sentence_ahead(client: TestClient,
                                                              session: ReviewSession) -> None:
    client.get(api(client, "document"))
    assert session.prefetched.wait(30)
    assert session.embedder.size == 16
    calls = session.embedder.inner.calls  # type: ignore[attr-defined]
    edit(client, op="merge", bead=3, next=True)
    assert session.embedder.inner.calls == calls, "the edit re-aligned from cached vectors"  # type: ignore[attr-defined]


# No edit sequence loses or duplicates a sentence ---------------------------------------------

edits = st.one_of(
    st.fixed_dictionaries({"op": st.just("merge"), "bead": st.integers(-1, 14),
                           "next": st.booleans()}),
    st.fixed_dictionaries({"op": st.just("split"), "bead": st.integers(0, 14),
                           "src_cut": st.integers(0, 2), "tgt_cut": st.integers(0, 2)}),
    st.fixed_dictionaries({"op": st.just("move"), "bead": st.integers(0, 14),
                           "side": st.sampled_from(["src", "tgt"]), "next": st.booleans()}),
    st.fixed_dictionaries({"op": st.just("unalign"), "bead": st.integers(0, 14),
                           "side": st.sampled_from(["src", "tgt"]),
                           "sentence": st.integers(-2, 2)}),
    st.fixed_dictionaries({"op": st.just("confirm"), "bead": st.integers(0, 14),
                           "confirmed": st.booleans()}),
    st.fixed_dictionaries({"op": st.just("confirm_through"), "bead": st.integers(0, 14)}),
    st.fixed_dictionaries({"op": st.just("edit_text"), "bead": st.integers(0, 14),
                           "side": st.sampled_from(["src", "tgt"]),
                           "sentence": st.integers(-2, 2), "text": st.text(min_size=1)}),
    st.just({"op": "undo"}),
    st.just({"op": "redo"}),
)


def concrete(step: dict[str, object], project: ReviewProject) -> dict[str, object]:
    """Most generated steps name a real sentence: `sentence` -2..2 picks one of the bead's
    (0 first, -1 last...), as the page does; a bead without sentences keeps the bad value."""
    payload = {**step, "revision": project.revision}
    bead, side = step.get("bead"), step.get("side")
    if "sentence" in step and isinstance(bead, int) and 0 <= bead < len(project.beads):
        ids = project.beads[bead].ids(side)  # type: ignore[arg-type]
        if ids:
            payload["sentence"] = ids[int(step["sentence"]) % len(ids)]  # type: ignore[call-overload]
    return payload


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(edits, max_size=30))
def test_no_edit_sequence_loses_or_duplicates_a_sentence(steps: list[dict[str, object]]) -> None:
    """Random edits, undos and redos through the session (re-alignment included): after
    each one every sentence is in exactly one bead, in order; undoing all restores all."""
    project = ReviewProject(
        numbered_alignment(12, WRONG_TAIL + [((10,), (10,)), ((11,), ()), ((), (11,))])
    )
    session = ReviewSession(project, Path("unused.review.json"), TokenEmbedder())
    original = list(project.beads)
    for step in steps:
        payload = concrete(step, project)
        try:
            if step["op"] in ("undo", "redo"):
                getattr(session, str(step["op"]))(payload)
            else:
                session.edit(payload)
        except ReviewError:
            pass
        assert_complete(project)
        assert len(project.sentences["src"]) == len(project.sentences["tgt"]) == 12
    while project.undo_stack:
        project.undo()
    assert project.beads == original
    assert [s.text for s in project.sentences["tgt"]] == [
        f"Sentence {n} is about number {n}." for n in range(12)
    ]


# Project files --------------------------------------------------------------------------------


def test_save_and_reopen_continue_where_the_review_stopped(
    client: TestClient, session: ReviewSession
) -> None:
    edit(client, op="merge", bead=1, next=True)
    edit(client, op="confirm", bead=0)
    edit(client, op="edit_text", bead=3, side="tgt", sentence=4, text="Fixed typo.")
    client.post(api(client, "undo"), json={"revision": session.project.revision})
    saved = client.post(api(client, "save"), json={})
    assert saved.status_code == 200 and saved.json()["dirty"] is False
    assert is_review_project(session.path)
    reopened = load_project(session.path)
    assert reopened.beads == session.project.beads
    assert reopened.sentences == session.project.sentences
    assert [c.action for c in reopened.undo_stack] == ["merge beads 1 and 2", "confirm bead 0"]
    assert [c.action for c in reopened.redo_stack] == ["edit tgt sentence 4"]
    reopened.redo()
    assert reopened.text("tgt", 4) == "Fixed typo."
    reopened.undo(), reopened.undo(), reopened.undo()
    assert reopened.beads == ReviewProject(numbered_alignment(8)).beads


def test_a_failed_save_leaves_the_previous_project_file_intact(
    session: ReviewSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_project(session.project, session.path)
    before = session.path.read_bytes()
    session.edit({"revision": 0, "op": "merge", "bead": 0, "next": True})

    def killed(descriptor: int) -> None:
        raise KeyboardInterrupt  # as if the process were stopped mid-save

    monkeypatch.setattr(storage.os, "fsync", killed)
    with pytest.raises(KeyboardInterrupt):
        save_project(session.project, session.path)
    assert session.path.read_bytes() == before
    assert [p.name for p in session.path.parent.iterdir()] == [session.path.name]
    assert session.project.dirty


def test_a_damaged_project_file_is_refused(tmp_path: Path, session: ReviewSession) -> None:
    save_project(session.project, session.path)
    data = json.loads(session.path.read_text(encoding="utf-8"))
    data["beads"] = data["beads"][:-1]
    session.path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReviewError, match="sentences 7 to 7 are in no bead"):
        load_project(session.path)
    session.path.write_text('{"format": "aligner-review", "version": 1', encoding="utf-8")
    with pytest.raises(ReviewError, match="not a readable review project"):
        load_project(session.path)


# Exports -------------------------------------------------------------------------------------


def validate_tmx(content: bytes) -> etree._ElementTree:
    tree = etree.parse(io.BytesIO(content), etree.XMLParser(load_dtd=False, resolve_entities=False))
    if DTD.is_file():
        dtd = etree.DTD(str(DTD))
        assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    return tree


def test_export_tmx_holds_the_edits(client: TestClient, session: ReviewSession) -> None:
    if not DTD.is_file():
        pytest.skip("../shared/specs/tmx14.dtd is not next to the repository")
    edit(client, op="edit_text", bead=2, side="tgt", sentence=2, text="Sentence two, fixed.")
    edit(client, op="merge", bead=4, next=True)
    edit(client, op="confirm", bead=4)
    response = client.get(api(client, "export"), params={"format": "tmx"})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    tree = validate_tmx(response.content)
    english = [seg.text for seg in tree.iter("seg") if seg.getparent().get(
        "{http://www.w3.org/XML/1998/namespace}lang").startswith("en")]
    assert "Sentence two, fixed." in english
    assert "Sentence 4 is about number 4. Sentence 5 is about number 5." in english
    confirmed = client.get(api(client, "export"), params={"format": "tmx", "confirmed_only": "1"})
    units = validate_tmx(confirmed.content).findall(".//tu")
    assert len(units) == 1


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "align", "moses", "parquet"])
def test_every_output_format_exports(client: TestClient, fmt: str) -> None:
    response = client.get(api(client, "export"), params={"format": fmt})
    assert response.status_code == 200, response.text
    if fmt == "moses":
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        assert sorted(names) == ["numbers.en-zh.en", "numbers.en-zh.zh"]
    elif fmt != "parquet":
        assert "Sentence 7 is about number 7." in response.text or fmt == "align"
        assert response.content.count(b"\n") >= 8


def test_triage_splits_ready_from_to_review(client: TestClient, session: ReviewSession) -> None:
    edit(client, op="confirm", bead=1)
    edit(client, op="merge", bead=5, next=True)  # edited: score 1.0
    response = client.get(api(client, "triage"), params={"format": "csv", "min_score": "0.9"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    ready = archive.read("numbers.ready.csv").decode().splitlines()
    review = archive.read("numbers.to-review.csv").decode().splitlines()
    beads = session.project.beads
    expected_ready = sum(bead.confirmed or bead.score >= 0.9 for bead in beads)
    assert len(ready) - 1 == expected_ready and len(review) - 1 == len(beads) - expected_ready
    assert 0 < expected_ready < len(beads)
    assert any("Sentence 1 is" in row for row in ready)
    assert any("Sentence 5 is about number 5. Sentence 6" in row for row in ready)


def test_glossary_from_the_reviewed_alignment(client: TestClient) -> None:
    response = client.get(api(client, "glossary"), params={"format": "csv"})
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").startswith("zh,en,score")


def test_unknown_export_format_is_refused(client: TestClient) -> None:
    response = client.get(api(client, "export"), params={"format": "docx"})
    assert response.status_code == 422 and "unknown format" in response.json()["error"]


def test_convert_exports_a_project_from_the_command_line(
    tmp_path: Path, session: ReviewSession
) -> None:
    session.edit({"revision": 0, "op": "confirm", "bead": 2})
    session.save()
    runner = CliRunner()
    out = tmp_path / "out.tmx"
    result = runner.invoke(app, ["convert", str(session.path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(validate_tmx(out.read_bytes()).findall(".//tu")) == 8
    result = runner.invoke(app, ["convert", str(session.path), "-o", str(out), "--confirmed-only"])
    assert len(validate_tmx(out.read_bytes()).findall(".//tu")) == 1
    result = runner.invoke(app, ["convert", str(session.path), "-o", str(tmp_path / "t.csv"),
                                 "--triage", "0.8"])
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "t.ready.csv").read_text().splitlines()) == 2
    assert len((tmp_path / "t.to-review.csv").read_text().splitlines()) == 8
    result = runner.invoke(app, ["convert", str(tmp_path / "t.ready.csv"), "-o",
                                 str(tmp_path / "x.tmx"), "--confirmed-only"])
    assert result.exit_code == 1 and "need a review project" in result.output


# Opening inputs ---------------------------------------------------------------------------------


def test_open_an_exported_tmx_completes_the_skipped_sentences(tmp_path: Path) -> None:
    from aligner import write_alignments

    alignment = numbered_alignment(6, [((0,), (0,)), ((1,), ()), ((2, 3), (1, 2)),
                                       ((4,), (3,)), ((), (4,)), ((5,), (5,))])
    out = tmp_path / "doc.tmx"
    write_alignments([alignment], str(out), "tmx")
    opened = open_inputs([out], TokenEmbedder())
    project = opened.project
    assert_complete(project)
    assert [(b.src, b.tgt) for b in project.beads if b.src and b.tgt] == [
        ((0,), (0,)), ((1, 2), (1, 2)), ((3,), (3,)), ((4,), (4,))
    ]
    assert opened.path == tmp_path / "doc.review.json"


def test_open_a_ladder_with_its_sources(tmp_path: Path) -> None:
    (tmp_path / "zh.txt").write_text("第0句。\n第1句。\n第2句。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("Zero.\nOne and two.\n", encoding="utf-8")
    (tmp_path / "doc.align").write_text("[0]:[0]:0.9\n[1,2]:[1]:0.8\n", encoding="utf-8")
    paths = [tmp_path / "doc.align", tmp_path / "zh.txt", tmp_path / "en.txt"]
    project = open_inputs(paths, TokenEmbedder()).project
    assert [(b.src, b.tgt, b.score) for b in project.beads] == [
        ((0,), (0,), 0.9), ((1, 2), (1,), 0.8)
    ]
    with pytest.raises(ReviewError, match="give it with its source and target"):
        open_inputs(paths[:1], TokenEmbedder())
    (tmp_path / "ja.txt").write_text("これは日本語の文です。\nもう一つの文です。\n", "utf-8")
    with pytest.raises(AlignerError, match="looks like Japanese"):
        open_inputs([paths[0], tmp_path / "ja.txt", paths[2]], TokenEmbedder())


def test_open_raw_texts_aligns_them_and_a_saved_project_reopens(tmp_path: Path) -> None:
    (tmp_path / "a.zh.txt").write_text("第1句。第2句。\n", encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("Sentence 1. Sentence 2.\n", encoding="utf-8")
    opened = open_inputs([tmp_path / "a.zh.txt", tmp_path / "a.en.txt"], TokenEmbedder())
    assert [(b.src, b.tgt) for b in opened.project.beads] == [((0,), (0,)), ((1,), (1,))]
    save_project(opened.project, opened.path)
    again = open_inputs([opened.path], TokenEmbedder())
    assert again.path == opened.path and again.project.beads == opened.project.beads


def test_a_file_of_several_documents_is_refused(tmp_path: Path) -> None:
    from aligner import write_alignments

    first, second = numbered_alignment(2), numbered_alignment(2)
    second.name = "other.txt"
    write_alignments([first, second], str(tmp_path / "two.csv"), "csv")
    with pytest.raises(ReviewError, match="holds 2 documents"):
        open_inputs([tmp_path / "two.csv"], TokenEmbedder())


def test_review_command_serves_prints_the_address_and_saves_on_exit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aligner.review import server as server_module

    session = make_session(tmp_path)
    save_project(session.project, session.path)

    def run_one_edit(self: ReviewServer) -> None:
        with httpx.Client() as http:
            answer = http.post(self.url + "api/edit",
                               json={"revision": 0, "op": "confirm", "bead": 3})
            assert answer.status_code == 200, answer.text

    def started(self: ReviewServer) -> None:
        self.start()
        try:
            run_one_edit(self)
        finally:
            self.stop()

    monkeypatch.setattr(server_module.ReviewServer, "run", started)
    monkeypatch.setattr("aligner.review.stages.load_model", lambda model=None: TokenEmbedder())
    monkeypatch.setattr("aligner.review.load_model", lambda model=None: TokenEmbedder())
    result = CliRunner().invoke(app, ["review", str(session.path), "--no-browser"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:" in result.stdout
    assert load_project(session.path).beads[3].confirmed


def test_review_command_reports_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["review", str(tmp_path / "nope.txt"), "--no-browser"])
    assert result.exit_code == 1
    assert "no such file" in result.output and "Traceback" not in result.output


# Security ---------------------------------------------------------------------------------------


def test_requests_without_the_token_are_refused(client: TestClient) -> None:
    assert client.get("/api/document").status_code == 403
    assert client.get("/").status_code == 403
    assert client.get("/wrong-token/api/document").status_code == 403
    assert client.get(f"/{TOKEN}x/api/document").status_code == 403
    assert client.get(f"/{TOKEN}/static/app.js").status_code == 200
    redirect = client.get(f"/{TOKEN}", follow_redirects=False)
    assert redirect.status_code == 307 and redirect.headers["location"].endswith(f"/{TOKEN}/")
    assert client.get("/wrong-token/static/app.js").status_code == 403
    assert client.post("/wrong/api/edit", json={"op": "confirm"}).status_code == 403


def test_other_host_names_are_refused(session: ReviewSession) -> None:
    rebound = TestClient(create_app(session, TOKEN), base_url="http://evil.example:8000")
    assert rebound.get(f"/{TOKEN}/api/document").status_code == 403


def test_oversized_requests_are_refused(client: TestClient, session: ReviewSession) -> None:
    big = {"revision": 0, "op": "edit_text", "bead": 1, "side": "src", "sentence": 1,
           "text": "x" * (MAX_REQUEST_BYTES + 10)}
    assert client.post(api(client, "edit"), json=big).status_code == 413

    def chunks():  # no Content-Length: the cap must hold while reading
        for _ in range(MAX_REQUEST_BYTES // 1000 + 10):
            yield b" " * 1000

    response = client.post(api(client, "edit"), content=chunks(),
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert session.project.revision == 0


def test_no_browser_path_reaches_the_file_system(client: TestClient) -> None:
    for path in ["static/../../project.py", "static/..%2F__init__.py", "static/__init__.py",
                 "static/%2e%2e/server.py"]:
        assert client.get(f"/{TOKEN}/{path}").status_code in (403, 404), path
    response = client.post(api(client, "save"), json={"path": "/tmp/elsewhere.json"})
    assert response.status_code == 200
    assert not Path("/tmp/elsewhere.json").exists()


def test_edits_must_be_json(client: TestClient) -> None:
    response = client.post(api(client, "edit"), content=b"op=merge",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415


def test_the_server_binds_to_127_0_0_1_only(session: ReviewSession) -> None:
    server = ReviewServer(session)
    server.start()
    try:
        assert server.socket.getsockname()[0] == "127.0.0.1"
        assert server.url.startswith(f"http://127.0.0.1:{server.port}/")
        assert httpx.get(server.url + "api/document").status_code == 200
        assert httpx.get(f"http://127.0.0.1:{server.port}/api/document").status_code == 403
        with socket.socket() as probe:
            probe.settimeout(1)
            addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None,
                                                                    socket.AF_INET)}
            outside = sorted(addresses - {"127.0.0.1", "127.0.1.1"})
            if outside:
                assert probe.connect_ex((outside[0], server.port)) != 0
    finally:
        server.stop()


@pytest.mark.model
def test_review_the_seed_with_the_real_model(tmp_path: Path) -> None:
    """The seed interview aligned by the default model; an edit re-aligns its neighbours
    from vectors the first alignment already made (nothing new is embedded)."""
    from aligner.review import open_session

    seed = Path(__file__).resolve().parents[1] / "seeds" / "001_80f9d8cd20d446c8.txt"
    session = open_session([seed], tmp_path / "seed.review.json")
    project = session.project
    assert_complete(project)
    paired = [i for i, bead in enumerate(project.beads) if bead.src and bead.tgt]
    assert len(paired) >= 20
    embedded = session.embedder.size
    index = paired[len(paired) // 2]
    patch = session.edit({"revision": 0, "op": "merge", "bead": index, "next": True})
    assert patch["remove"] > 2, "the neighbours were re-aligned too"
    assert session.embedder.size == embedded == len(set(session.sentence_texts()))
    assert_complete(project)
    session.undo({"revision": 1})
    assert project.undo_stack == [] and len(project.redo_stack) == 1


def test_a_reopened_review_reads_its_vectors_from_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reopening a long document's review must not embed every sentence again."""
    import aligner
    from aligner.review.stages import LazyModel
    from tests.support import HashEmbedder

    models: list[HashEmbedder] = []

    def fake_load(model: str | None = None) -> HashEmbedder:
        models.append(HashEmbedder())
        return models[-1]

    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(aligner, "load_embedder", fake_load)
    texts = ["今天天氣很好。", "The weather is nice today."]
    first = LazyModel().encode(texts)
    second = LazyModel().encode(texts)
    assert models[0].seen == texts and models[1].seen == []
    assert (first == second).all()
