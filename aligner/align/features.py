"""What the kernel compares, per run of consecutive sentences: texts to embed, run vectors,
hub-ness, lengths, paragraph crossings, and the clause change at each sentence gap."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aligner.align.kernel import NO_GAPS
from aligner.config import AlignConfig
from aligner.data import Sentence
from aligner.embed import Embedder
from aligner.segment import edge_clauses
from aligner.text import join_sentences, non_space_length


def run_texts(sentences: Sequence[Sentence], max_run: int) -> list[str]:
    """The text of every run of 1..max_run sentences, all runs of one size after another."""
    texts = []
    for size in range(1, max_run + 1):
        for start in range(len(sentences) - size + 1):
            run = [sentence.text for sentence in sentences[start : start + size]]
            texts.append(join_sentences(run, sentences[0].lang))
    return texts


def embed_runs(
    embedder: Embedder,
    sides: tuple[Sequence[Sentence], Sequence[Sentence]],
    embedded: int,
    clause_texts: list[str],
    pooled: bool,
    exact: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectors of the runs of 1..`embedded` sentences of each side (in `run_texts` order)
    and of `clause_texts` (`edge_texts` of both sides, or none).

    With `pooled`, an embedder that has `encode_runs` (the default model) builds the runs
    from its sentences' token states, at about the cost of embedding each sentence once;
    otherwise every run's text is embedded, which costs 1 + 2 + … + `embedded` times that.
    Not `exact`, the pooled vectors skip the tokens near joins and clause cuts.
    """
    src, tgt = sides
    encode_runs = getattr(embedder, "encode_runs", None) if pooled else None
    if encode_runs is None:
        src_texts, tgt_texts = run_texts(src, embedded), run_texts(tgt, embedded)
        vectors = embedder.encode(src_texts + tgt_texts + clause_texts)
        return np.split(vectors, [len(src_texts), len(src_texts) + len(tgt_texts)])  # type: ignore[return-value]
    clause_count = 2 * len(src) if clause_texts else 0
    src_runs, src_clauses = encode_runs(
        [sentence.text for sentence in src], _separator(src), embedded,
        clause_texts[:clause_count], exact,
    )
    tgt_runs, tgt_clauses = encode_runs(
        [sentence.text for sentence in tgt], _separator(tgt), embedded,
        clause_texts[clause_count:], exact,
    )
    return src_runs, tgt_runs, np.concatenate([src_clauses, tgt_clauses])


def _separator(sentences: Sequence[Sentence]) -> str:
    """What `join_sentences` puts between two sentences of this side."""
    return join_sentences(["", ""], sentences[0].lang)


def _stack_runs(flat: np.ndarray, count: int, max_run: int) -> np.ndarray:
    """Lay the flat run values out as (max_run, count, …), padding runs past the end with 0."""
    stacked = np.zeros((max_run, count, *flat.shape[1:]), dtype=flat.dtype)
    start = 0
    for size in range(1, max_run + 1):
        runs = max(count - size + 1, 0)
        stacked[size - 1, :runs] = flat[start : start + runs]
        start += runs
    return stacked


def _run_vectors(flat: np.ndarray, count: int, embedded: int, max_run: int) -> np.ndarray:
    """All run vectors as (max_run, count, dim) from the embedded runs of 1..`embedded`.

    A longer run is the normalised sum of its first `embedded` sentences' run and the
    rest, which is already known: embedding text costs time in proportion to its length,
    so embedding every run up to 5 costs 15 times the sentences, up to 2 only 3 times.
    """
    stacked = np.zeros((max_run, count, flat.shape[1]), dtype=np.float32)
    stacked[:embedded] = _stack_runs(flat, count, embedded)
    for size in range(embedded + 1, max_run + 1):
        runs = max(count - size + 1, 0)
        combined = (
            stacked[embedded - 1, :runs] + stacked[size - embedded - 1, embedded : embedded + runs]
        )
        norms = np.linalg.norm(combined, axis=1, keepdims=True)
        stacked[size - 1, :runs] = combined / np.maximum(norms, 1e-12)
    return stacked


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


def side_gaps(edges: np.ndarray, src_count: int) -> tuple[np.ndarray, np.ndarray]:
    """Gap vectors of both sides from the clause vectors of `edge_texts(src) +
    edge_texts(tgt)`, or none when they were not embedded."""
    if not len(edges):
        return NO_GAPS, NO_GAPS
    return _gap_vectors(edges[: 2 * src_count]), _gap_vectors(edges[2 * src_count :])


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
    vectors: np.ndarray,
    length_scale: float,
    embedded: int,
    max_run: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run vectors, run lengths in Chinese-character units, and paragraph-crossing flags."""
    lengths = np.array([non_space_length(sentence.text) for sentence in sentences]) * length_scale
    paragraphs = np.array([sentence.paragraph for sentence in sentences])
    breaks = np.zeros((max_run, len(sentences)), dtype=np.bool_)
    for size in range(2, max_run + 1):
        runs = max(len(sentences) - size + 1, 0)
        breaks[size - 1, :runs] = paragraphs[size - 1 : size - 1 + runs] != paragraphs[:runs]
    run_vectors = _run_vectors(vectors, len(sentences), embedded, max_run)
    return run_vectors, _run_sums(lengths, max_run), breaks
