"""Shared fixtures: one embedder per test session, since loading USE takes a second.

A test that asks for the real `embedder` is marked `model` automatically, so
`pytest -m "not model"` runs everything that needs no model in a few seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.embed import Embedder, load_embedder
from tests.support import SHARED


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "embedder" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.model)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return load_embedder()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (project data) is not next to the repository")
    return SHARED
