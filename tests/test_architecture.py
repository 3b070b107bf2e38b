"""The layering in docs/architecture.md, enforced: a module imports only from its own
package and from lower layers, so data flows forward and nothing imports upward."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "aligner"

LAYERS: list[set[str]] = [
    {"text", "version"},
    {"data"},
    {"config", "io"},
    {"clean", "split", "segment", "embed", "readers"},
    {"align"},
    {"pipeline", "formats"},
    {"glossary", "evaluate"},
    {"batch", "review"},
    {"cli", "__init__"},
]
"""Concepts from the bottom up: character knowledge, records, options and files, the
stages in pipeline order, outputs, what is built on aligned documents, the applications
that run many documents or a server, and the command line."""


def layer_of(concept: str) -> int:
    for level, concepts in enumerate(LAYERS):
        if concept in concepts:
            return level
    raise AssertionError(f"aligner.{concept} is in no layer: add it to LAYERS and the docs")


def imported_concepts(path: Path) -> set[str]:
    """The top-level aligner concepts a module imports, wherever the import stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "aligner" and len(parts) > 1:
                found.add(parts[1])
    return found


def concept_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def test_every_module_imports_only_downward() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        concept = concept_of(path)
        for imported in imported_concepts(path) - {concept}:
            if layer_of(imported) >= layer_of(concept) and concept != "__init__":
                upward.append(f"{path.relative_to(PACKAGE)} imports aligner.{imported}")
    assert not upward, "imports that are not downward:\n" + "\n".join(upward)


def test_no_module_is_overgrown() -> None:
    long = [
        f"{path.relative_to(PACKAGE)}: {lines} lines"
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 450
    ]
    assert not long, "split these by concept:\n" + "\n".join(long)
