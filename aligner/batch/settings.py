"""What a user chooses about a batch run, in one picklable value every engine receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aligner.config import ExportOptions, PipelineOptions

EMBEDDING_CACHE_FOLDER = ".cache"
"""The embedding cache inside an output folder by default (kept local, never uploaded)."""


@dataclass(frozen=True)
class BatchSettings:
    """Everything a user chooses about a batch run; `jobs` worker processes share the cores.

    `cache_dir` defaults to `.cache` inside the output folder; `cache=False` keeps no
    embeddings on disk at all.
    """

    pipeline: PipelineOptions = field(default_factory=PipelineOptions)
    export: ExportOptions = field(default_factory=ExportOptions)
    fmt: str = "tmx"
    model: str | None = None
    device: str = "cpu"
    jobs: int = 1
    cache: bool = True
    cache_dir: Path | None = None

    def cache_folder(self, output_dir: Path) -> Path | None:
        """Where embeddings are kept for a run writing to `output_dir`, or None for no cache."""
        if not self.cache:
            return None
        return self.cache_dir or output_dir / EMBEDDING_CACHE_FOLDER
