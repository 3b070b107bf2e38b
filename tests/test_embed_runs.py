"""Runs and clauses embedded from their sentences' token states (`aligner.embed.runs`), and
long texts embedded in pieces: the same vectors and beads as embedding every text."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.align import align
from aligner.align.features import edge_texts
from aligner.config import AlignConfig
from aligner.data import Sentence
from aligner.embed import (
    LONG_TEXT,
    CachedEmbedder,
    Embedder,
    runs_of_texts,
    split_long,
    stack_runs,
)
from aligner.embed.states import TokenStates
from aligner.segment import presegmented
from tests.support import BagOfIdsEmbedder

ZH = ["“你去哪儿？”", "他笑了笑，没有回答。", "是。", "好。",
      "門外的雪下了一整夜，到天亮還沒有停，", "他說：“走吧。”", "對。",
      "風很大，路上一個人也沒有，只有幾隻烏鴉在樹上叫。"]
EN = ["'Where are you going?'", "He smiled, and did not answer.", "Yes.", "Fine.",
      "The snow fell all night outside the door, and it had not stopped by dawn;",
      "'Let's go,' he said.", "Right.", "The wind was strong, and there was no one on the road."]


def _sentences(texts: list[str], lang: str) -> list[Sentence]:
    return [Sentence(text, lang, paragraph=k // 3) for k, text in enumerate(texts)]  # type: ignore[arg-type]


@pytest.mark.parametrize(("texts", "lang"), [(ZH, "zh"), (EN, "en")])
def test_pooled_runs_are_the_texts_vectors_and_clauses_near_them(
    embedder: Embedder, texts: list[str], lang: str
) -> None:
    sentences = _sentences(texts, lang)
    clauses = edge_texts(sentences, AlignConfig())
    joiner = "" if lang == "zh" else " "
    runs, clause_vectors = embedder.encode_runs(texts, joiner, 5, clauses)  # type: ignore[attr-defined]
    expected = stack_runs(embedder.encode(runs_of_texts(texts, joiner, 5)), len(texts), 5)
    assert runs.shape == expected.shape == (5, len(texts), embedder.dimension)  # type: ignore[attr-defined]
    ends = np.arange(len(texts))[None] > len(texts) - np.arange(1, 6)[:, None]
    assert not runs[ends].any()  # zero past the last text
    assert np.min(np.sum(runs * expected, axis=2)[~ends]) > 0.9999
    similarity = np.sum(clause_vectors * embedder.encode(clauses), axis=1)
    whole = np.array(clauses) == np.array(texts + texts)
    assert whole.any() and not whole.all()
    assert np.min(similarity[whole]) > 0.9999  # a clause that is its sentence
    assert np.mean(similarity[~whole]) > 0.9  # pooled from the sentence: near the text's


@pytest.mark.parametrize(("texts", "lang"), [(ZH, "zh"), (EN, "en")])
def test_approximate_runs_are_near_the_texts_vectors(
    embedder: Embedder, texts: list[str], lang: str
) -> None:
    joiner = "" if lang == "zh" else " "
    runs, _ = embedder.encode_runs(texts, joiner, 4, [], False)  # type: ignore[attr-defined]
    expected = stack_runs(embedder.encode(runs_of_texts(texts, joiner, 4)), len(texts), 4)
    similarity = np.sum(runs * expected, axis=2)[expected.any(axis=2)]
    assert np.min(similarity[: len(texts)]) > 0.9999  # a run of one is its sentence
    assert np.mean(similarity[len(texts) :]) > 0.9
    assert np.min(similarity[len(texts) :]) < 0.9999  # approximate: not the texts' own


def test_the_aligners_encoder_gives_the_encoder_packages_vectors(embedder: Embedder) -> None:
    """The cheaper runtime (per-id first layer, sentencepiece tokenizer) keeps the vectors
    of the package's own forward pass, unknown characters and an empty text included."""
    texts = [*ZH, *EN, "𠀀𪚥 惭愧惭愧 x", "", "ＡＢＣ１２３", " ".join(EN * 3)]
    ours = embedder.encode(texts)
    package = embedder._model.encode(embedder._prepared(texts))  # type: ignore[attr-defined]
    np.testing.assert_allclose(ours, package, atol=1e-5)


def test_long_texts_are_summed_chunk_by_chunk_exactly(embedder: Embedder) -> None:
    states = TokenStates(embedder._model._model)  # type: ignore[attr-defined]
    ids = states.token_ids([[" ".join(EN * 40)]])
    assert len(ids[0]) > 1000  # more than the token budget: summed in chunks
    whole = np.array([len(ids[0])])
    chunked = states.range_sums(ids, [(np.array([3]), whole)])[0]
    direct = states.features(ids)[3:].sum(0) @ states.head_map
    np.testing.assert_allclose(chunked[0], direct, rtol=1e-4, atol=1e-3)


def test_a_long_line_without_punctuation_is_embedded_in_pieces(embedder: Embedder) -> None:
    line = "字" * (3 * LONG_TEXT + 17)
    before = embedder.long_texts_split  # type: ignore[attr-defined]
    vector = embedder.encode([line, "字"])[0]
    assert embedder.long_texts_split == before + 1  # type: ignore[attr-defined]
    np.testing.assert_allclose(np.linalg.norm(vector), 1.0, atol=1e-5)
    runs, _ = embedder.encode_runs([line, "他笑了。"], "", 2)  # type: ignore[attr-defined]
    assert runs.shape == (2, 2, 512)
    np.testing.assert_allclose(runs[0, 0], vector, atol=1e-5)


def test_on_a_small_document_exactly_pooled_runs_give_the_same_beads(
    embedder: Embedder, shared_dir: Path
) -> None:
    """Runs pooled exactly give the beads of embedding the runs' texts (without clause
    vectors, which are pooled approximately in any case)."""
    folder = shared_dir / "eval" / "mac-dev"
    src = presegmented((folder / "zh" / "003").read_text(encoding="utf-8"), "zh")[:60]
    tgt = presegmented((folder / "en" / "003").read_text(encoding="utf-8"), "en")[:60]
    for config in (AlignConfig(boundary_weight=0), AlignConfig(boundary_weight=0, embedded_run=2)):
        by_text = align(src, tgt, embedder, dataclasses.replace(config, pool_run_states=False))
        pooled = align(src, tgt, embedder, config)
        assert [(b.src, b.tgt) for b in pooled] == [(b.src, b.tgt) for b in by_text]


def test_cached_pooled_runs_are_read_back(embedder: Embedder, tmp_path: Path) -> None:
    cached = CachedEmbedder(embedder, tmp_path)
    first = cached.encode_runs(ZH, "", 3, ZH + ZH)
    again = cached.encode_runs(ZH, "", 3, ZH + ZH)
    assert cached.hits and cached.misses
    for computed, read in zip(first, again):
        np.testing.assert_allclose(computed, read, atol=1e-6)
    cached.close()


class _RunsFromTexts(BagOfIdsEmbedder):
    """A fake embedder with `encode_runs` built on its own `encode`, to check that the
    engine lays out what `encode_runs` returns as it lays out embedded run texts."""

    calls = 0

    def encode_runs(
        self, texts: Sequence[str], joiner: str, max_run: int, clauses: Sequence[str] = (),
        exact: bool = True, room: int = 0,
    ) -> tuple[np.ndarray, np.ndarray]:
        self.calls += 1
        runs = [joiner.join(texts[start : start + size]) for size in range(1, max_run + 1)
                for start in range(len(texts) - size + 1)]
        return stack_runs(self.encode(runs), len(texts), max_run, room), self.encode(
            list(clauses))


def test_the_engine_reads_encode_runs_like_embedded_run_texts() -> None:
    order = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    src = [Sentence(f"<{k}>, <{k + 20}>.", "en") for k in order]
    tgt = [Sentence(f"<{k}>, <{k + 20}>" + ("." if k % 3 else f", <{k + 40}>."), "en")
           for k in order]
    plain = align(src, tgt, BagOfIdsEmbedder(64))
    runs = _RunsFromTexts(64)
    pooled = align(src, tgt, runs)
    assert [(b.src, b.tgt, round(b.score, 6)) for b in pooled] == [
        (b.src, b.tgt, round(b.score, 6)) for b in plain
    ]
    assert runs.calls == 2  # one call per side


@given(st.text(alphabet=st.sampled_from("ab ，。,.字\n"), max_size=300),
       st.integers(min_value=4, max_value=50))
def test_split_long_loses_nothing_and_keeps_pieces_short(text: str, limit: int) -> None:
    pieces = split_long(text, limit)
    assert "".join(pieces) == text
    assert all(0 < len(piece) <= limit for piece in pieces)


def test_split_long_cuts_at_clause_marks_or_spaces() -> None:
    assert split_long("aaaa bbbb cccc", 10) == ["aaaa bbbb ", "cccc"]
    assert split_long("一二三四，五六七八九十", 8) == ["一二三四，", "五六七八九十"]
    assert split_long("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
