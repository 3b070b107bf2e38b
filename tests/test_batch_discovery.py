"""Which files make a batch document: pairing by name tag and by zh/en folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.batch import find_documents
from aligner.batch.discovery import read_manifest
from aligner.data import AlignerError


def test_files_pair_by_name_and_folder(tmp_path: Path) -> None:
    for name in [
        "a.zh.txt",
        "a.en.txt",
        "b_ZH.txt",
        "b_en.txt",
        "c-zh-TW.txt",
        "c-en.txt",
        "mixed.txt",
        "lonely.en.txt",
        "gold.align",
        ".hidden.txt",
    ]:
        (tmp_path / name).write_text("x", "utf-8")
    for folder in ["zh", "en", "sub/zh", "sub/en"]:
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "001").write_text("x", "utf-8")
    documents, problems = find_documents(tmp_path)
    pairs = {
        doc.name: [p.relative_to(tmp_path).as_posix() for p in doc.inputs] for doc in documents
    }
    assert pairs == {
        "001": ["zh/001", "en/001"],
        "a": ["a.zh.txt", "a.en.txt"],
        "b": ["b_ZH.txt", "b_en.txt"],
        "c": ["c-zh-TW.txt", "c-en.txt"],
        "mixed": ["mixed.txt"],
        "sub/001": ["sub/zh/001", "sub/en/001"],
    }
    assert [(p.name, p.reason) for p in problems] == [("lonely", "no Chinese file to pair it with")]


def test_source_language_decides_the_pair_order(tmp_path: Path) -> None:
    (tmp_path / "doc.zh.txt").write_text("第1句。", "utf-8")
    (tmp_path / "doc.en.txt").write_text("Sentence 1.", "utf-8")
    (document,), _ = find_documents(tmp_path, src_lang="en")
    assert [path.name for path in document.inputs] == ["doc.en.txt", "doc.zh.txt"]
    assert document.langs == ("en", "zh")


def test_manifests_list_pairs_and_mixed_documents(tmp_path: Path) -> None:
    (tmp_path / "books").mkdir()
    lines = [
        '{"zh": "books/ch1.zh.txt", "en": "books/ch1.en.txt"}',
        '{"name": "web/page", "path": "/data/page.txt"}',
        "",
    ]
    (tmp_path / "list.jsonl").write_text("\n".join(lines), "utf-8")
    (tmp_path / "list.csv").write_text(
        "name,zh,en,path\n,books/ch1.zh.txt,books/ch1.en.txt,\nweb/page,,,/data/page.txt\n",
        "utf-8",
    )
    for manifest in ("list.jsonl", "list.csv"):
        documents, problems = read_manifest(tmp_path / manifest, src_lang="en")
        assert not problems
        assert [(d.name, [str(p) for p in d.inputs]) for d in documents] == [
            ("ch1", [str(tmp_path / "books/ch1.en.txt"), str(tmp_path / "books/ch1.zh.txt")]),
            ("web/page", ["/data/page.txt"]),
        ]
        assert documents[0].langs == ("en", "zh")


def test_manifest_names_must_be_unique_and_stay_inside(tmp_path: Path) -> None:
    manifest = tmp_path / "list.jsonl"
    manifest.write_text('{"path": "a/x.txt"}\n{"path": "b/x.txt"}\n', "utf-8")
    documents, problems = read_manifest(manifest)
    assert [d.name for d in documents] == ["x"]
    assert "another document" in problems[0].reason
    manifest.write_text('{"name": "../up", "path": "a.txt"}\n', "utf-8")
    with pytest.raises(AlignerError, match=r"list.jsonl:1: name '../up' must stay inside"):
        read_manifest(manifest)


@pytest.mark.parametrize(
    "line",
    ['{"zh": "a.txt"}', '{"zh": "a", "en": "b", "path": "c"}', '{"file": "a.txt"}', "[1]", "{"],
)
def test_malformed_manifest_entries_name_their_line(tmp_path: Path, line: str) -> None:
    manifest = tmp_path / "list.jsonl"
    manifest.write_text('{"path": "ok.txt"}\n' + line + "\n", "utf-8")
    with pytest.raises(AlignerError, match=r"list.jsonl:2: "):
        read_manifest(manifest)
