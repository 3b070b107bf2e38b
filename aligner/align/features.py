"""What the kernel compares, per run of consecutive sentences: run vectors,
hub-ness, lengths, paragraph crossings, and the clause change at each sentence gap."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aligner.align.kernel import NO_GAPS
from aligner.config import AlignConfig
from aligner.data import Sentence
from aligner.embed import Embedder, runs_by_text
from aligner.segment import edge_clauses
from aligner.text import join_sentences, non_space_length


def embed_runs(
    embedder: Embedder,
    sides: tuple[Sequence[Sentence], Sequence[Sentence]],
    embedded: int,
    max_run: int,
    clause_texts: list[str],
    pooled: bool,
    exact: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vectors of the runs of 1..`embedded` sentences of each side, as (`max_run`, count,
    dim): [k, start] is the run of k + 1 sentences from start, zero past the end and for
    the longer runs `side_runs` derives in place; then
    the vectors of each side's part of `clause_texts` (`edge_texts` of both sides, or none).

    With `pooled`, an embedder that has `encode_runs` (the default model) builds the runs
    from its sentences' token states, at about the cost of embedding each sentence once;
    otherwise every run's text is embedded (`runs_by_text`), which costs 1 + 2 + … +
    `embedded` times that. Not `exact`, the pooled vectors skip the tokens near joins.
    """
    src, tgt = sides
    clause_count = 2 * len(src) if clause_texts else 0
    encode_runs = getattr(embedder, "encode_runs", None) if pooled else None

    def side(sentences: Sequence[Sentence], clauses: list[str]) -> tuple[np.ndarray, np.ndarray]:
        texts = [sentence.text for sentence in sentences]
        if encode_runs is None:
            return runs_by_text(embedder, texts, _separator(sentences), embedded, clauses,
                                max_run)
        return encode_runs(texts, _separator(sentences), embedded, clauses, exact, max_run)

    src_runs, src_clauses = side(src, clause_texts[:clause_count])
    tgt_runs, tgt_clauses = side(tgt, clause_texts[clause_count:])
    return src_runs, tgt_runs, src_clauses, tgt_clauses


def _separator(sentences: Sequence[Sentence]) -> str:
    """What `join_sentences` puts between two sentences of this side."""
    return join_sentences(["", ""], sentences[0].lang)


def _derive_longer_runs(runs: np.ndarray, embedded: int) -> None:
    """Fill in, in place, the runs (`embed_runs` layout) longer than `embedded`.

    A longer run is the normalised sum of its first `embedded` sentences' run and the
    rest, which is already known: embedding text costs time in proportion to its length,
    so embedding every run up to 5 costs 15 times the sentences, up to 2 only 3 times.
    """
    count = runs.shape[1]
    for size in range(embedded + 1, runs.shape[0] + 1):
        combined = runs[size - 1, : max(count - size + 1, 0)]
        np.add(runs[embedded - 1, : len(combined)],
               runs[size - embedded - 1, embedded : embedded + len(combined)], out=combined)
        combined /= np.maximum(np.linalg.norm(combined, axis=1, keepdims=True), 1e-12)


def edge_texts(sentences: Sequence[Sentence], config: AlignConfig) -> list[str]:
    """First clauses of every sentence, then last clauses."""
    edges = [
        edge_clauses(sentence.text, sentence.lang, config.edge_min_characters(sentence.lang))
        for sentence in sentences
    ]
    return [head for head, _ in edges] + [tail for _, tail in edges]


def _gap_vectors(edges: np.ndarray) -> np.ndarray:
    """(count + 1, dim): at each gap between two sentences, the last clause before it minus
    the first clause after it (zero at both ends), from `edge_texts` vectors."""
    heads, tails = np.split(edges, 2)
    gaps = np.zeros((len(heads) + 1, edges.shape[1]), dtype=np.float32)
    gaps[1:-1] = tails[:-1] - heads[1:]
    return gaps


def side_gaps(src_edges: np.ndarray, tgt_edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gap vectors of both sides from the clause vectors of their `edge_texts`, or none
    when they were not embedded."""
    if not len(src_edges):
        return NO_GAPS, NO_GAPS
    return _gap_vectors(src_edges), _gap_vectors(tgt_edges)


def _run_sums(values: np.ndarray, max_run: int) -> np.ndarray:
    """Sums of `values` over every run of 1..max_run consecutive items (0 past the end)."""
    prefix = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
    sums = np.zeros((max_run, len(values)))
    for size in range(1, max_run + 1):
        runs = max(len(values) - size + 1, 0)
        sums[size - 1, :runs] = prefix[size : size + runs] - prefix[:runs]
    return sums


def hubness(run_vectors: np.ndarray, other_singles: np.ndarray, sample: int) -> np.ndarray:
    """Mean similarity of each run to a fixed random sample of `sample` of the other side's
    sentences (all of them when there are fewer)."""
    rng = np.random.default_rng(0)
    sample_size = min(sample, len(other_singles))
    chosen = other_singles[rng.choice(len(other_singles), sample_size, replace=False)]
    return np.einsum("knd,sd->kn", run_vectors, chosen, optimize=True) / sample_size


def side_runs(
    sentences: Sequence[Sentence],
    run_vectors: np.ndarray,
    length_scale: float,
    embedded: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run vectors (those of `embed_runs`, the longer runs filled in), run lengths in
    Chinese-character units, and paragraph-crossing flags."""
    max_run = len(run_vectors)
    lengths = np.array([non_space_length(sentence.text) for sentence in sentences]) * length_scale
    paragraphs = np.array([sentence.paragraph for sentence in sentences])
    breaks = np.zeros((max_run, len(sentences)), dtype=np.bool_)
    for size in range(2, max_run + 1):
        runs = max(len(sentences) - size + 1, 0)
        breaks[size - 1, :runs] = paragraphs[size - 1 : size - 1 + runs] != paragraphs[:runs]
    _derive_longer_runs(run_vectors, embedded)
    return run_vectors, _run_sums(lengths, max_run), breaks
