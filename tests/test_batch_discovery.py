"""Which files make a batch document: pairing by name tag and by zh/en folder."""

from __future__ import annotations

from pathlib import Path

from aligner.batch import find_documents


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
