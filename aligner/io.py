"""Reading the user's files and writing ours without ever leaving half a file.

Input files arrive in any encoding (UTF-8, UTF-16, GB18030, Big5…) and with any line
ends; output is written beside its target and renamed into place only when complete.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from charset_normalizer import from_bytes

from aligner.data import AlignerError

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_BINARY_CONTROLS = bytes(byte for byte in range(0x20) if byte not in b"\t\n\r\f\x1b")
_NEWLINES = re.compile(r"\r\n?")


def decode(data: bytes, origin: str) -> str:
    """Decode by BOM, else as UTF-8 when valid, else by charset-normalizer's best guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise AlignerError(f"{origin}: starts like {encoding} but is not: {error.reason}")
    controls = len(data) - len(data.translate(None, _BINARY_CONTROLS))
    if b"\x00" in data or controls > len(data) * 0.05:
        raise AlignerError(f"{origin}: binary data, not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise AlignerError(
            f"{origin}: cannot tell the text encoding (tried UTF-8, UTF-16, GB18030, Big5)"
        )
    return str(best)


def read_text(path: Path) -> str:
    """A user's text file as a string with `\\n` line ends, whatever its encoding."""
    if not path.exists():
        raise AlignerError(f"{path}: no such file")
    if path.is_dir():
        raise AlignerError(f"{path}: is a directory, expected a text file")
    text = _NEWLINES.sub("\n", decode(path.read_bytes(), str(path)))
    if not text.strip():
        raise AlignerError(f"{path}: the file is empty")
    return text


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """Write beside `path` and rename at the end, so a failure never leaves half a file."""
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        opened = partial.open("xb")
    except OSError as error:
        raise AlignerError(f"{path}: cannot write: {error.strerror}") from None
    try:
        with opened as stream:
            yield stream
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@contextmanager
def output_stream(out: str) -> Iterator[IO[bytes]]:
    """A binary stream to `out`: stdout for "-", else a file that appears only when complete."""
    if out == "-":
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
    else:
        with atomic_file(Path(out)) as stream:
            yield stream
