"""Sentence alignment: embeddings of sentence runs scored by a banded dynamic programme.

Two passes keep time and memory linear in the document length. A coarse pass finds a
1-1 path: the sentence embeddings are averaged over blocks of 2, 4, 8… sentences until
the grid is small, aligned there, and the path is projected back down and refined in a
narrow band at each level (Vecalign's recursive downsampling; `search`). The fine pass
then tries every bead shape up to `max_align` sentences a side inside a band around that
path, scoring each bead by the embedding of its concatenated sentences (`kernel`).

A bead's quality is its cosine similarity minus how similar both sides are to random
sentences of the other language (hub-ness normalisation, as in Vecalign; `features`),
plus how well its end fits as a boundary clause by clause (`boundary_fit`), minus a
length-ratio penalty measured against the document's own zh/en character ratio, minus a
penalty for spanning a paragraph boundary, minus a penalty for ending inside a quotation
on one side only, minus the share of its numbers written in digits that only one side
has (when both have some; `signals`). In a mixed document the paragraphs are paired first
(`pair_paragraphs`) and a bead whose target lies outside its source paragraph's partner
pays for it. After the programme, a merged bead whose first or last sentence on the
side with fewer sentences only makes it worse leaves that sentence unaligned, as a
translator's omission (`refine`).
`engine` puts these together; every tuned number is a field of
`aligner.config.AlignConfig`.
"""

from aligner.align.engine import align
from aligner.align.kernel import (
    ANY_PARAGRAPH,
    NO_GAPS,
    Features,
    Weights,
    band_dp,
    bead_quality,
    boundary_fit,
    neutral_features,
    number_disagreement,
)
from aligner.align.paragraphs import pair_paragraphs
from aligner.align.search import bead_shapes, gap_shapes
from aligner.align.sections import align_sections
from aligner.align.signals import EITHER, INSIDE, OUTSIDE, number_index, quote_states

__all__ = [
    "ANY_PARAGRAPH",
    "EITHER",
    "INSIDE",
    "NO_GAPS",
    "OUTSIDE",
    "Features",
    "Weights",
    "align",
    "align_sections",
    "band_dp",
    "bead_quality",
    "bead_shapes",
    "boundary_fit",
    "gap_shapes",
    "neutral_features",
    "number_disagreement",
    "number_index",
    "pair_paragraphs",
    "quote_states",
]
