"""Reading files in the encodings users have, and writing outputs without ever leaving
half a file or replacing what is not ours to replace."""

from __future__ import annotations

import os
import threading
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.data import AlignerError
from aligner.io import check_output, decode, output_stream, read_text

MIXED = "今天天氣很好。\nThe weather is nice today.\n我們去公園散步。\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(encoding: str) -> None:
    guesses: Counter[str] = Counter()
    assert decode(MIXED.encode(encoding), "doc.txt", guesses) == MIXED
    assert guesses == {f"read-as-{encoding}": 1}


def test_latin1_english_keeps_its_accents_and_the_guess_is_counted() -> None:
    text = "Café society: a naïve résumé of the déjà vu.\nThe quick brown fox.\n"
    guesses: Counter[str] = Counter()
    assert decode(text.encode("latin-1"), "en.txt", guesses) == text
    assert guesses == {"read-as-cp1252": 1}


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("今天天气很好，我们去公园散步吧。", "gbk"), ("今天天氣很好，我們去公園散步吧。", "big5")],
)
def test_legacy_chinese_encodings_are_still_read(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding), "zh.txt") == text


def test_binary_data_is_refused() -> None:
    with pytest.raises(AlignerError, match="binary data"):
        decode(bytes(range(256)) * 4, "blob.bin")


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"])))
def test_utf8_text_is_read_back_exactly(text: str) -> None:
    assert decode(text.encode("utf-8"), "any.txt") == text


def test_read_text_normalises_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("一\r\n二\rthree\n".encode())
    assert read_text(path) == "一\n二\nthree\n"


def test_a_symlink_output_replaces_its_target_and_stays_a_link(tmp_path: Path) -> None:
    target, link = tmp_path / "target.tmx", tmp_path / "link.tmx"
    target.write_text("old")
    link.symlink_to(target.name)
    with output_stream(str(link)) as stream:
        stream.write(b"new")
    assert link.is_symlink() and target.read_text() == "new"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link.tmx", "target.tmx"]


def test_a_fifo_output_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    with output_stream(str(fifo)) as stream:
        stream.write(b"through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"] and fifo.is_fifo()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_a_one_line_error_and_stays_a_device() -> None:
    with (
        pytest.raises(AlignerError, match="^/dev/full: cannot write: No space left"),
        output_stream("/dev/full") as stream,
    ):
        stream.write(b"x" * 100_000)
    assert Path("/dev/full").is_char_device()


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("previous")
    with pytest.raises(RuntimeError), output_stream(str(out)) as stream:
        stream.write(b"half")
        raise RuntimeError("the aligner failed midway")
    assert out.read_text() == "previous"
    assert [path.name for path in tmp_path.iterdir()] == ["out.csv"]


def test_outputs_are_checked_before_work(tmp_path: Path) -> None:
    with pytest.raises(AlignerError, match="is a folder"):
        check_output(str(tmp_path))
    with pytest.raises(AlignerError, match="does not exist"):
        check_output(str(tmp_path / "missing" / "out.tmx"))
    check_output(str(tmp_path / "fine.tmx"))
    check_output("-")
