"""What is not language is not aligned as if it were: code fences, rows of symbols and
binary junk (a user's `print(open(...).read())` pasted into a document)."""

from __future__ import annotations

from aligner.align import align
from aligner.align.engine import _discount_junk
from aligner.data import Bead, Sentence
from aligner.embed import Embedder
from aligner.segment import presegmented
from aligner.text import linguistic_share


def test_linguistic_share_tells_sentences_from_symbols() -> None:
    assert linguistic_share("他说：“好。”") == 1.0
    assert linguistic_share("Hello, world!") == 1.0
    assert linguistic_share("```") == 0.0
    assert linguistic_share("#$%^&*@") == 0.0
    assert linguistic_share("") == 0.0


def test_a_code_fence_is_left_unaligned(embedder: Embedder) -> None:
    zh = presegmented("今天天气很好。\n```\n我们去公园散步。\n", "zh")
    en = presegmented(
        "The weather is nice today.\n```python\nWe went for a walk in the park.\n", "en"
    )
    beads = align(zh, en, embedder)
    assert Bead((1,), (), 1.0) in beads and Bead((), (1,), 1.0) in beads
    assert not any(1 in bead.src for bead in beads if bead.is_aligned)
    assert [(b.src, b.tgt) for b in beads if b.is_aligned] == [((0,), (0,)), ((2,), (2,))]


def test_a_bead_that_is_mostly_junk_scores_low() -> None:
    src = [Sentence("%$#@!&*^~|<>{}%$#@ 表", "zh")]
    tgt = [Sentence("&*^%$#@!~|<>{}&*^% x", "en")]
    discounted = _discount_junk(Bead((0,), (0,), 0.9), src, tgt)
    assert discounted.score < 0.2
    clean = [Sentence("今天天气很好。", "zh")], [Sentence("Nice weather.", "en")]
    assert _discount_junk(Bead((0,), (0,), 0.9), *clean).score == 0.9
