"""Finding the documents of a batch: pairing files by name tag or by zh/en folder.

Files are paired by name (`ch1.zh.txt` + `ch1.en.txt`, `zh/001` + `en/001`); any other
`.txt` file is a mixed document. Each document's name is where its outputs go, so two
documents may not share one, and none may take the combined corpus's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from aligner.batch.journal import DocumentRecord
from aligner.text import LANGUAGE_NAMES, Lang, language_of_code

CORPUS_NAME = "corpus"
_TAGGED_NAME = re.compile(
    r"^(?P<stem>.+?)[._-](?P<tag>(?:zh|en)(?:[-_][a-z]{2,4})?|cn|chs|cht|zho|chi|eng)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Document:
    """One unit of work: a mixed file, or its Chinese and English files (source first).

    `name` is the path of the outputs inside the output folder, without extension.
    """

    name: str
    inputs: tuple[Path, ...]
    langs: tuple[Lang, ...] = ()

    def failed(self, reason: str) -> DocumentRecord:
        """The record of this document when it cannot be aligned at all."""
        return DocumentRecord(self.name, [str(p) for p in self.inputs], "failed", reason=reason)


def find_documents(
    input_dir: Path, skip: Path | None = None, src_lang: Lang = "zh"
) -> tuple[list[Document], list[DocumentRecord]]:
    """The documents in `input_dir` (recursively) and the files that could not be paired.

    Hidden files and folders, files under `skip` (the output folder, if it is inside),
    and untagged files that are not `.txt` (gold ladders, metadata) are ignored.
    """
    tagged: dict[tuple[str, Lang], list[Path]] = {}
    mixed: list[Document] = []
    skipped = skip.resolve() if skip is not None else None
    for path in sorted(input_dir.rglob("*")):
        relative = path.relative_to(input_dir)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        if skipped is not None and path.resolve().is_relative_to(skipped):
            continue
        bare = relative.name.removesuffix(".txt")
        folder_lang = language_of_code(relative.parent.name) if relative.parent.parts else None
        match = _TAGGED_NAME.match(bare)
        name_lang = language_of_code(match["tag"]) if match else None
        if folder_lang is not None:
            tagged.setdefault(((relative.parent.parent / bare).as_posix(), folder_lang), []).append(
                path
            )
        elif match and name_lang is not None:
            key = ((relative.parent / match["stem"]).as_posix(), name_lang)
            tagged.setdefault(key, []).append(path)
        elif path.suffix.lower() == ".txt":
            mixed.append(Document(relative.with_suffix("").as_posix(), (path,)))
    documents, problems = _pair_tagged(tagged, src_lang)
    return _unique_names(sorted(documents + mixed, key=lambda d: d.name), problems)


def _pair_tagged(
    tagged: dict[tuple[str, Lang], list[Path]], src_lang: Lang
) -> tuple[list[Document], list[DocumentRecord]]:
    documents: list[Document] = []
    problems: list[DocumentRecord] = []
    order: tuple[Lang, Lang] = (src_lang, "en" if src_lang == "zh" else "zh")
    for name in sorted({name for name, _ in tagged}):
        sides = [tagged.get((name, lang), []) for lang in order]
        found = [str(path) for side in sides for path in side]
        if all(len(side) == 1 for side in sides):
            documents.append(Document(name, (sides[0][0], sides[1][0]), order))
            continue
        lacking = [LANGUAGE_NAMES[lang] for lang, side in zip(order, sides) if not side]
        reason = (
            f"no {lacking[0]} file to pair it with"
            if lacking
            else "several files claim the same language: " + ", ".join(found)
        )
        problems.append(DocumentRecord(name, found, "failed", reason=reason))
    return documents, problems


def _unique_names(
    documents: list[Document], problems: list[DocumentRecord]
) -> tuple[list[Document], list[DocumentRecord]]:
    """Two documents must not write the same output, nor over the corpus file."""
    taken: set[str] = {problem.name for problem in problems}
    kept: list[Document] = []
    for document in documents:
        inputs = [str(path) for path in document.inputs]
        if document.name == CORPUS_NAME:
            reason = f"the name {CORPUS_NAME!r} is kept for the combined corpus; rename the file"
        elif document.name in taken:
            reason = f"another document also has the output name {document.name!r}"
        else:
            taken.add(document.name)
            kept.append(document)
            continue
        label = f"{document.name} ({document.inputs[0].name})"  # the kept one owns the name
        problems.append(DocumentRecord(label, inputs, "failed", reason=reason))
    return kept, problems


def output_target(output_dir: Path, name: str, fmt: str) -> Path:
    """What the writer is given for an output name: a file, or for Moses the corpus name."""
    base = output_dir / name
    return base if fmt == "moses" else base.with_name(f"{base.name}.{fmt}")


def output_paths(output_dir: Path, name: str, fmt: str) -> list[Path]:
    """The files an output name becomes: Moses writes a pair of line files."""
    target = output_target(output_dir, name, fmt)
    if fmt == "moses":
        return [target.with_name(f"{target.name}.en-zh.{lang}") for lang in ("zh", "en")]
    return [target]
