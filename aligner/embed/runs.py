"""Vectors of every run of consecutive sentences, and of each sentence's first and last
clause, from the sentences' token states (see `aligner.embed.states`).

A token's feature depends only on the tokens within `REACH` of it, so joining sentences
changes the features of only a few tokens at each join. A run's feature sum is therefore
its sentences' sums, minus the features of the tokens near the joins as they were alone,
plus those tokens' features computed anew in their new context: the same vector as
embedding the run's text, at a fraction of the cost of embedding each sentence again.

Approximate runs (`exact=False`, the `--fast` setting) skip the recomputing: a run is its
sentences' features less the begin and end markers inside it, each marker taken as the
document's mean one. Clauses are always pooled so (`_Clauses`). Both then cost little
more than the head that maps each sum to a vector.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aligner.embed.states import BEGIN, END, REACH, TokenStates


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
    feature sums (as head inputs, `TokenStates.range_sums`) `run_vectors` corrects at
    the joins.

    A token's feature depends on the tokens within `REACH` of it, so joining sentences
    changes only the last `REACH` tokens and the end marker before a join, and after it
    the begin marker, the tokens that read differently after a sentence (`lead`: in
    Chinese, which is joined without a space, the first character loses the word-start
    mark the tokenizer puts at the start of a text) and the `REACH` tokens after them.
    A short sentence is near a join all through.
    """

    def __init__(
        self, states: TokenStates, texts: Sequence[Sequence[str]], joiner: str,
        clause_texts: Sequence[str], exact_joins: bool,
    ) -> None:
        self.states = states
        count = len(texts)
        distinct: dict[tuple[object, ...], int] = {}
        no_clauses = [""] * count
        keys = zip(map(tuple, texts), clause_texts[:count] or no_clauses,
                   clause_texts[count:] or no_clauses)
        inverse = np.array([distinct.setdefault(key, len(distinct)) for key in keys], np.int64)
        firsts = np.zeros(len(distinct), dtype=np.int64)
        firsts[inverse[::-1]] = np.arange(count)[::-1]
        """A repeated sentence (with its clauses) is tokenized and summed once: `firsts`
        holds each distinct one's first row, `inverse` each row's distinct one."""
        distinct_ids = states.token_ids([texts[row] for row in firsts.tolist()])
        repeated = len(firsts) < count
        self.alone = [distinct_ids[index] for index in inverse] if repeated else distinct_ids
        clauses = _Clauses(states, self.alone, ["".join(pieces) for pieces in texts],
                           clause_texts)
        self.lengths = np.array([len(ids) for ids in self.alone])
        if exact_joins:
            self.joined = self._after_sentence(texts, joiner)
            shared = np.array([_common_suffix(ids[1:-1], joined)
                               for ids, joined in zip(self.alone, self.joined)])
            self.joined_lengths = np.array([len(ids) for ids in self.joined])
        else:  # approximately, a sentence reads alike after another
            self.joined = []
            shared = self.joined_lengths = self.lengths - 2
        self.replaced = self.lengths - 2 - shared
        """Tokens after the begin marker that read differently after a sentence."""
        self.lead = self.joined_lengths - shared
        self.long = self.lengths >= 2 * REACH + 2 + self.replaced
        self.clauses = clauses
        zeros = np.zeros_like(self.lengths)
        ranges = [(zeros, self.lengths), (zeros, clauses.shared[:count]),
                  (self.lengths - clauses.shared[count:], self.lengths)]
        if exact_joins:  # the tokens at either end whose features a join changes
            ranges += [(zeros, np.minimum(REACH + 1 + self.replaced, self.lengths)),
                       (np.maximum(self.lengths - 1 - REACH, 0), self.lengths)]
        ranges += [(zeros, np.minimum(1, self.lengths)),
                   (np.maximum(self.lengths - 1, 0), self.lengths)]
        if repeated:
            ranges = [(starts[firsts], stops[firsts]) for starts, stops in ranges]
        sums = states.range_sums(distinct_ids, ranges, totals=2)
        if repeated:
            sums[:-2] = [rows[inverse] for rows in sums[:-2]]
        self.wholes, self.clause_heads, self.clause_tails = sums[:3]
        self.heads, self.tails = (sums[3], sums[4]) if exact_joins else (
            sums[0][:0], sums[0][:0])
        self.begin, self.end = (total / max(len(firsts), 1) for total in sums[-2:])
        """The mean begin and end markers of the document's distinct sentences, (1, dim):
        what clauses and approximate runs take for each sentence's own (no worse on
        MAC-Dev and Bible 001, and it saves mapping two sums per sentence)."""

    def _after_sentence(self, texts: Sequence[Sequence[str]], joiner: str) -> list[list[int]]:
        """The tokens of each sentence as it reads after another (without its markers)."""
        plain = [ids[1:-1] for ids in self.alone]
        if joiner:
            return plain
        marker = self.states.tokenize(_JOIN_CONTEXT)
        afters = self.states.tokenize_all([_JOIN_CONTEXT + (pieces[0] if pieces else "")
                                           for pieces in texts])
        joined = []
        for ids, pieces, after in zip(plain, texts, afters):
            if not pieces or after[: len(marker)] != marker:
                joined.append(ids)
                continue
            rest = self.states.tokenize_all(pieces[1:]) if len(pieces) > 1 else []
            joined.append(after[len(marker) :] + [token for piece in rest for token in piece])
        return joined


_JOIN_CONTEXT = "。"
"""What a Chinese sentence is tokenized after to read it as it reads inside a run."""


class _Clauses:
    """The first and last clause of each sentence, pooled from the sentence's features:
    a clause's feature sum is the sentence's over the tokens they share (as the sentence
    reads them), plus the document's mean end marker (first clauses) or begin marker
    (last clauses). Computing the few tokens near each cut anew, as for joins, gave the
    texts' own vectors but cost half as much as the sentence pass again, and was no more
    accurate (MAC-Dev and Bible 001, `docs/speed.md`): the clauses only say how well a
    bead's edge fits."""

    def __init__(
        self, states: TokenStates, sentences: list[list[int]], texts: Sequence[str],
        clause_texts: Sequence[str],
    ) -> None:
        count = len(sentences)
        self.shared = np.zeros(len(clause_texts) or 2 * count, dtype=np.int64)
        """Per clause (first clauses, then last ones): the tokens it shares with its
        sentence, from the start or from the end; 0 for a clause that is its sentence."""
        self.whole = np.zeros(len(clause_texts), dtype=bool)
        """Whether the clause is its whole sentence (it takes the sentence's vector)."""
        self.lengths = np.zeros(len(clause_texts), dtype=np.int64)
        differing = [row for row, text in enumerate(clause_texts) if text != texts[row % count]]
        clause_ids = [sentences[row % count] for row in range(len(clause_texts))]
        for row, ids in zip(differing, states.tokenize_all([clause_texts[row]
                                                            for row in differing])):
            clause_ids[row] = [BEGIN, *ids, END]
        for row, ids in enumerate(clause_ids):
            sentence = sentences[row % count]
            self.lengths[row] = len(ids)
            if ids is sentence or ids == sentence:
                self.whole[row] = True
            elif row < count:  # the end marker differs: it is added apart
                self.shared[row] = _common_prefix(sentence[:-1], ids[:-1])
            else:
                self.shared[row] = _common_suffix(sentence[1:], ids[1:])

    def vectors(self, sentences: _Sentences, sentence_vectors: np.ndarray) -> np.ndarray:
        """The clauses' unit vectors, first clauses then last ones."""
        if not len(self.whole):
            return np.zeros((0, sentences.states.dimension), dtype=np.float32)
        vectors = np.concatenate([sentence_vectors, sentence_vectors])
        count = len(sentence_vectors)
        for first, sums, marker in ((0, sentences.clause_heads, sentences.end),
                                    (count, sentences.clause_tails, sentences.begin)):
            parts = np.flatnonzero(~self.whole[first : first + count])
            inputs = sums[parts]
            inputs += marker
            vectors[first + parts] = sentences.states.head(inputs, self.lengths[first + parts])
        return vectors


def _segment_sums(
    states: TokenStates, segments: Sequence[tuple[list[int], int, int]]
) -> np.ndarray:
    """For each (tokens, start, stop): the feature sum of tokens[start:stop] as head inputs,
    computed on the tokens alone (their ends taken as a text's ends)."""
    starts = np.array([start for _, start, _ in segments], dtype=np.int64)
    stops = np.array([stop for _, _, stop in segments], dtype=np.int64)
    return states.range_sums([tokens for tokens, _, _ in segments], [(starts, stops)])[0]


def _common_prefix(first: Sequence[int], second: Sequence[int]) -> int:
    if first == second:
        return len(first)
    for count, (one, other) in enumerate(zip(first, second)):
        if one != other:
            return count
    return min(len(first), len(second))


def _common_suffix(first: Sequence[int], second: Sequence[int]) -> int:
    return _common_prefix(first[::-1], second[::-1])


class _Joins:
    """Feature corrections at the joins of runs, each distinct group of joins computed
    once: new minus old feature sums (as head inputs) of the tokens near the joins."""

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
        head = alone[:-1] if at_start else alone[len(alone) - 1 - 2 * REACH : -1]
        middle = [token for k in range(first + 1, last) for token in sentences.joined[k]]
        after = sentences.joined[last] + ([END] if at_end else [])
        lead = int(sentences.lead[last])
        tail = after if at_end else after[: lead + 2 * REACH]
        changed_from = max(len(head) - REACH, 0)
        changed_to = len(head) + len(middle) + min(lead + REACH, len(tail))
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
    clause_texts: Sequence[str] = (), exact: bool = True, room: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors of every run of 1..`max_run` consecutive texts (each in pieces, see
    `TokenStates.token_ids`) as (`room` or `max_run`, texts, dim), laid out as
    `aligner.embed.stack_runs` lays them out, and of `clause_texts` (each sentence's first
    clause, then each one's last clause, or none). A run's token features are its
    sentences' plus the corrections at its joins, or, not `exact`, less the (mean)
    markers inside it."""
    sentences = _Sentences(states, texts, joiner, clause_texts, exact)
    corrections = _join_corrections(sentences, max_run) if exact else None
    runs = _runs(sentences, max_run, corrections, room)
    return runs, sentences.clauses.vectors(sentences, runs[0])


Corrections = list[list[tuple[np.ndarray, np.ndarray]]]
"""Per run size, per place of a group of joins in a run: the runs (by start) and the
head inputs to add to them."""


def _join_corrections(sentences: _Sentences, max_run: int) -> Corrections:
    """The head inputs (`TokenStates.range_sums`) that correct each run's sum at its
    joins, each distinct group of joins computed once."""
    joins = _Joins(sentences)
    places: list[list[tuple[list[int], list[int]]]] = []
    for size in range(1, max_run + 1):
        by_place: list[tuple[list[int], list[int]]] = [([], []) for _ in range(size)]
        for start in range(max(len(sentences.alone) - size + 1, 0)):
            for place, (first, last) in enumerate(_run_groups(sentences.long, start, size)):
                by_place[place][0].append(start)
                by_place[place][1].append(joins.row(first, last, start, start + size - 1))
        places.append([(starts, groups) for starts, groups in by_place if starts])
    inputs = joins.corrections()
    return [[(np.array(starts), inputs[groups]) for starts, groups in size_places]
            for size_places in places]


def _runs(
    sentences: _Sentences, max_run: int, corrections: Corrections | None, room: int
) -> np.ndarray:
    """Every run's vector, laid out as `run_vectors` returns them. A run's head inputs
    (`TokenStates.range_sums`, linear in its feature sum) are its sentences', plus the
    `corrections` at its joins, or, without them, less the (mean) begin and end markers
    at its joins. Each size adds one sentence to the runs of the size before, in place,
    and goes through the head before the next, so nothing cancels and no array holds
    every run's inputs."""
    states = sentences.states
    wholes = sentences.wholes
    count = len(wholes)
    vectors = np.zeros((max(room, max_run), count, states.dimension), np.float32)
    markers = sentences.begin + sentences.end
    plain, lengths = wholes.copy(), sentences.lengths
    for size in range(1, min(max_run, count) + 1):
        runs = count - size + 1
        if size > 1:
            plain = plain[:runs]
            plain += wholes[size - 1 :]
            if corrections is None:
                plain -= markers
            lengths = lengths[:runs] + sentences.joined_lengths[size - 1 :]
        inputs = plain
        if corrections is not None and corrections[size - 1]:
            inputs = plain.copy()
            for starts, correction in corrections[size - 1]:
                inputs[starts] += correction
        states.head(inputs, lengths, out=vectors[size - 1, :runs])
    return vectors
