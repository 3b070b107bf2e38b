"""Shared fixtures: one embedder per test session, since loading USE takes a second."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.embed import Embedder, load_embedder

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return load_embedder()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (project data) is not next to the repository")
    return SHARED
