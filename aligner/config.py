"""Everything a user can choose about one run, stage by stage, with its default.

The CLI takes its defaults from here and the benchmarks' `--set NAME=VALUE` reaches every
`AlignConfig` field, so no tuned number hides in a module. This module imports no numba
and nothing heavy: the CLI's `--help` and the benchmarks read it cheaply. How each
default was chosen is in `docs/tuning.md`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aligner.data import Bead
from aligner.text import Lang, Script, tmx_language_code


@dataclass(frozen=True)
class AlignConfig:
    """The alignment engine's knobs; the scale of the costs is a bead's normalised
    similarity (cosine minus hub-ness, roughly -0.2 to 0.8)."""

    max_align: int = 5
    """Most sentences on one side of a bead."""
    embedded_run: int = 4
    """Longest run of sentences embedded as a whole; longer runs combine vectors."""
    pool_run_states: bool = True
    """Embed a run from its sentences' token states where the model allows it (the
    default model): the same vector as the run's text at about the cost of embedding each
    sentence once (`aligner.embed.runs`). False embeds every run's text."""
    exact_runs: bool = True
    """With pooled runs, recompute the features of the tokens near each sentence join
    and clause cut, so the vectors are those of the texts. False (`--fast`) pools the
    sentences' features as they are: cheaper, a little less accurate (`docs/speed.md`)."""
    skip_cost: float = 0.12
    """What leaving a gap unaligned costs: one sentence, or up to `max_align` sentences in
    a row on one side within one paragraph."""
    length_weight: float = 0.15
    """Weight of the squared log ratio of a bead's two lengths (measured against the
    document's own zh/en character ratio)."""
    length_smoothing: float = 8.0
    """Characters added to both sides before the length ratio, so short lines are not punished."""
    paragraph_penalty: float = 0.2
    """Charged per side whose run crosses a paragraph boundary."""
    mixed_paragraph_penalty: float = 0.6
    """The same in a mixed document, where each paragraph is translated as a whole by a
    nearby one, so an untranslated paragraph is not merged into its neighbour's bead."""
    partner_penalty: float = 0.8
    """In a mixed document: charged per paragraph that a bead's target lies outside the
    source paragraph's partner, so a question does not take the untranslated answer that
    follows its translation."""
    number_weight: float = 0.4
    """Charged times the share of a bead's numbers (written in digits) that only one side
    has, when both sides have some: an embedding barely tells `Article 16` from `Article
    17`, so without it a row a translator left out of a list is merged with its neighbour."""
    quote_penalty: float = 0.1
    """Charged when a bead ends inside a quotation on one side and outside on the other."""
    boundary_weight: float = 0.2
    """Weight of how well a bead's end fits clause to clause (0 skips embedding the
    sentences' first and last clauses)."""
    edge_min_characters_zh: int = 4
    """A Chinese sentence's edge clause grows clause by clause to at least this many characters."""
    edge_min_characters_en: int = 12
    """The same for an English sentence."""
    size_exponent: float = 0.25
    """A bead's gain is its quality times (sentences / 2) ** size_exponent: 0 favours
    splitting into many 1-1 beads, 1 favours merging everything."""
    hub_sample: int = 64
    """Random sentences of the other language used to measure each run's hub-ness."""
    full_grid_cells: int = 500_000
    """Coarse grids up to this many cells are aligned whole; larger ones are halved first."""
    coarse_band: int = 8
    """Half-width (in sentences or blocks) of the band refined around a projected path."""
    fine_band: int = 6
    """Half-width of the band around the 1-1 path in which n-m beads are searched."""
    paragraph_window: int = 8
    """In a mixed document, a paragraph's translation is looked for among this many
    paragraphs of the other language either side of it."""
    paragraph_distance_cost: float = 0.05
    """Cost per paragraph that a paragraph pair lies away from the usual neighbour."""
    paragraph_pair_threshold: float = 0.1
    """Normalised similarity two paragraphs need to be paired."""
    omission_gain: float = 0.03
    """Edge sentences of a merged bead, on the side with fewer sentences, are left
    unaligned when the bead without them is better by more than this per sentence (a
    large value switches the check off)."""
    score_slope: float = 4.8
    """Slope of the logistic map from bead quality to confidence."""
    score_offset: float = -0.07
    """Offset of that map: the quality at which a bead is right half the time."""

    def edge_min_characters(self, lang: Lang) -> int:
        """The edge-clause length for one language."""
        return self.edge_min_characters_zh if lang == "zh" else self.edge_min_characters_en


@dataclass(frozen=True)
class CleanOptions:
    """Which repairs to run: each can be switched off (by its name in
    `aligner.clean.REPAIR_NAMES`) when it misfires on a corpus."""

    disabled: frozenset[str] = frozenset()
    """Names of the repairs not to run."""
    to_script: Script | None = None
    """Convert the Chinese text to this script, or leave it as it is."""


@dataclass(frozen=True)
class SegmentOptions:
    """How sentences are cut."""

    split_on_semicolon: bool = False
    """Also end a sentence at `；`/`;` (translators often do)."""


@dataclass(frozen=True)
class PipelineOptions:
    """Everything a user can choose about aligning one document, grouped by stage."""

    presegmented: bool = False
    """Inputs hold one sentence per line; line numbers are the sentence ids."""
    src_lang: Lang | None = None
    """Source language; detected when not given."""
    tgt_lang: Lang | None = None
    """Target language; detected when not given."""
    clean: CleanOptions = field(default_factory=CleanOptions)
    segment: SegmentOptions = field(default_factory=SegmentOptions)
    align: AlignConfig = field(default_factory=AlignConfig)

    def direction(self) -> tuple[Lang, Lang]:
        """Source and target language: Chinese to English unless the options say otherwise."""
        src_lang: Lang = self.src_lang or ("en" if self.tgt_lang == "zh" else "zh")
        return src_lang, "en" if src_lang == "zh" else "zh"


@dataclass(frozen=True)
class ExportOptions:
    """Which beads to write and how to name the languages.

    `min_score` applies to aligned pairs only: an unaligned sentence has no pair to be
    confident about, and `drop_unaligned` decides about those: None means the format's
    own default (tables keep unaligned sentences as rows with one side empty; JSONL,
    meant for training, leaves them out; TMX and Moses cannot hold them).
    """

    min_score: float = 0.0
    types: frozenset[str] | None = None
    """Bead types to keep (`1-1`, `1-2`…), or all."""
    drop_unaligned: bool | None = None
    dedupe: bool = False
    """Write each distinct pair once."""
    zh_code: str | None = None
    """Chinese language code in TMX; by default `zh-CN` or `zh-TW` from the script."""
    en_code: str = "en-US"

    def keeps(self, bead: Bead) -> bool:
        if self.types is not None and bead.kind not in self.types:
            return False
        if not bead.is_aligned:
            return self.drop_unaligned is not True
        return bead.score >= self.min_score

    def code(self, lang: Lang, zh_script: Script | None) -> str:
        """The language code written in TMX, e.g. `zh-TW` for a Traditional document."""
        return tmx_language_code(lang, zh_script or "simplified", self.zh_code, self.en_code)
