"""Finding the documents of a batch: pairing files by name tag or by zh/en folder, or
reading them from a manifest.

Files are paired by name (`ch1.zh.txt` + `ch1.en.txt`, `ch1.zh.docx` + `ch1.en.pdf`,
`zh/001` + `en/001`); any other file in a readable format (`.txt`, `.docx`, `.html`,
`.tmx`, …; see `aligner.readers`) is a mixed or bilingual document. A manifest (JSONL or
CSV) lists documents that do not sit in one folder. Each document's name is where its
outputs go, so two documents may not share one, and none may take the combined corpus's
name.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from aligner.batch.journal import DocumentRecord
from aligner.batch.sources import Source, is_url, source_name
from aligner.data import AlignerError
from aligner.readers import SUPPORTED_EXTENSIONS
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
    inputs: tuple[Source, ...]
    langs: tuple[Lang, ...] = ()

    def failed(self, reason: str) -> DocumentRecord:
        """The record of this document when it cannot be aligned at all."""
        return DocumentRecord(self.name, [str(p) for p in self.inputs], "failed", reason=reason)


def find_documents(
    input_dir: Path, skip: Path | None = None, src_lang: Lang = "zh"
) -> tuple[list[Document], list[DocumentRecord]]:
    """The documents in `input_dir` (recursively) and the files that could not be paired.

    Hidden files and folders, files under `skip` (the output folder, if it is inside),
    and untagged files in no readable format (gold ladders, metadata) are ignored.
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
        suffix = path.suffix.lower()
        bare = relative.name[: -len(suffix)] if suffix in SUPPORTED_EXTENSIONS else relative.name
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
        elif suffix in SUPPORTED_EXTENSIONS:
            mixed.append(Document(relative.with_suffix("").as_posix(), (path,)))
    documents, problems = _pair_tagged(tagged, src_lang)
    return _unique_names(sorted(documents + mixed, key=lambda d: d.name), problems)


MANIFEST_KEYS = ("name", "zh", "en", "path")
"""A manifest entry: `zh` and `en` files (a pair) or one mixed `path`, and an optional
output `name` (default: the Chinese or mixed file's name without extension and tag)."""


def read_manifest(
    manifest: Path, src_lang: Lang = "zh"
) -> tuple[list[Document], list[DocumentRecord]]:
    """The documents a `.jsonl` or `.csv` manifest lists; relative paths are read from the
    manifest's folder, URLs through fsspec. A malformed entry stops the run: it names
    the line."""
    order: tuple[Lang, Lang] = (src_lang, "en" if src_lang == "zh" else "zh")
    documents: list[Document] = []
    for where, entry in _manifest_entries(manifest):
        unknown = sorted(set(entry) - set(MANIFEST_KEYS))
        files = {key: str(entry.get(key) or "").strip() for key in MANIFEST_KEYS}
        if unknown or not (bool(files["zh"]) == bool(files["en"]) != bool(files["path"])):
            raise AlignerError(
                f"{where}: expected `zh` and `en` files or one mixed `path` (and an optional "
                f"`name`), got {sorted(entry)}"
            )
        paths: dict[str, Source] = {
            key: value if is_url(value) else manifest.parent / value
            for key, value in files.items()
            if value and key != "name"
        }
        if files["path"]:
            name = _manifest_name(files["name"], paths["path"], where)
            document = Document(name, (paths["path"],))
        else:
            name = _manifest_name(files["name"], paths["zh"], where)
            document = Document(name, (paths[order[0]], paths[order[1]]), order)
        documents.append(document)
    if not documents:
        raise AlignerError(f"{manifest}: the manifest lists no documents")
    return _unique_names(documents, [])


def _manifest_entries(manifest: Path) -> Iterator[tuple[str, dict[str, object]]]:
    suffix = manifest.suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        raise AlignerError(f"{manifest}: a manifest is a .jsonl or .csv file")
    with manifest.open(encoding="utf-8-sig", newline="") as stream:
        if suffix == ".csv":
            for number, row in enumerate(csv.DictReader(stream), start=2):
                yield f"{manifest}:{number}", {k: v for k, v in row.items() if k is not None}
            return
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
            if not isinstance(entry, dict):
                raise AlignerError(
                    f"{manifest}:{number}: not a JSON object like "
                    '{"zh": "a.zh.txt", "en": "a.en.txt"}'
                )
            yield f"{manifest}:{number}", entry


def _manifest_name(given: str, source: Source, where: str) -> str:
    """The output name: the one given (a relative path inside the output folder) or the
    file's name without `.txt` and language tag."""
    if not given:
        bare = source_name(source).removesuffix(".txt")
        match = _TAGGED_NAME.match(bare)
        return match["stem"] if match else bare
    name = PurePosixPath(given)
    if name.is_absolute() or ".." in name.parts or given.startswith("\\"):
        raise AlignerError(f"{where}: name {given!r} must stay inside the output folder")
    return name.as_posix()


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
        label = f"{document.name} ({source_name(document.inputs[0])})"  # the kept one owns the name
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
