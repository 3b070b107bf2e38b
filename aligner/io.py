"""Reading the user's files and writing ours without ever leaving half a file.

Input files arrive in any encoding (UTF-8, UTF-16, GB18030, Big5…) and with any line
ends; output is written beside its target and renamed into place only when complete.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import stat
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from charset_normalizer import from_bytes

from aligner.data import AlignerError
from aligner.text import HAN

logger = logging.getLogger(__name__)

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_BINARY_CONTROLS = bytes(byte for byte in range(0x20) if byte not in b"\t\n\r\f\x1b")
_NEWLINES = re.compile(r"\r\n?")


def _implausible_characters(text: str) -> int:
    """Characters that fit neither Chinese nor English text: letters of other alphabets,
    and accented Latin letters outside a Latin word (GBK bytes read as Latin-1 give runs
    like `ÖÐÎÄ`). Accepted: ASCII, Han, CJK and general punctuation, full-width forms,
    and Latin-1 letters next to a plain letter (`café`, `naïve`)."""
    implausible = 0
    for position, char in enumerate(text):
        code = ord(char)
        if code < 0x80 or HAN.match(char) or 0x2000 <= code <= 0x206F or 0x3000 <= code <= 0x303F:
            continue
        if 0xFF00 <= code <= 0xFFEF or (0xA0 <= code < 0xC0):
            continue
        if 0xC0 <= code <= 0xFF and char.isalpha():
            neighbours = text[max(position - 1, 0) : position] + text[position + 1 : position + 2]
            if any(other.isascii() and other.isalpha() for other in neighbours):
                continue
        implausible += 1
    return implausible


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text with no BOM: NUL bytes are the high halves of ASCII characters, so they
    gather on odd positions (little-endian) or even ones (big-endian)."""
    if len(data) % 2:
        return None
    odd_nuls, even_nuls = data[1::2].count(0), data[0::2].count(0)
    if max(odd_nuls, even_nuls) < len(data) // 40 or min(odd_nuls, even_nuls) * 10 > max(
        odd_nuls, even_nuls
    ):
        return None
    encoding = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return (text, encoding) if _implausible_characters(text) <= len(text) // 20 else None


_GUESSES = ("gb18030", "big5", "cp1252")
"""Legacy encodings a Chinese or English file is likely to be in, most likely first."""


def _best_legacy_reading(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's guess, unless it gives characters that fit neither Chinese nor
    English (Latin-1 `café` read as cp1257 gives `cafķ`): then the usual legacy encoding
    whose reading has the fewest such characters."""
    readings: list[tuple[str, str]] = []
    best = from_bytes(data).best()
    if best is not None:
        readings.append((str(best), best.encoding))
        if not _implausible_characters(readings[0][0]):
            return readings[0]
    for encoding in _GUESSES:
        try:
            readings.append((data.decode(encoding), encoding))
        except UnicodeDecodeError:
            continue
    if not readings:
        return None
    return min(readings, key=lambda reading: _implausible_characters(reading[0]))


def decode(data: bytes, origin: str, guesses: Counter[str] | None = None) -> str:
    """Decode by BOM, else as UTF-8 when valid, else UTF-16 without a BOM, else by the
    most plausible legacy encoding; a guessed encoding is counted in `guesses` as
    `read-as-ENCODING`, so the user can see (and check) the decision."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise AlignerError(
                    f"{origin}: starts like {encoding} but is not: {error.reason}"
                ) from None
    reading = _utf16_without_bom(data) if b"\x00" in data else None
    if reading is None:
        controls = len(data) - len(data.translate(None, _BINARY_CONTROLS))
        if b"\x00" in data or controls > len(data) * 0.05:
            raise AlignerError(f"{origin}: binary data, not a text file")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            reading = _best_legacy_reading(data)
    if reading is None:
        raise AlignerError(
            f"{origin}: cannot tell the text encoding (tried UTF-8, UTF-16, GB18030, Big5)"
        )
    text, encoding = reading
    logger.info("%s: read as %s", origin, encoding)
    if guesses is not None:
        guesses[f"read-as-{encoding.lower().replace('_', '-')}"] += 1
    return text


def read_text(path: Path, guesses: Counter[str] | None = None) -> str:
    """A user's text file as a string with `\\n` line ends, whatever its encoding (a guessed
    encoding is counted in `guesses`)."""
    if not path.exists():
        raise AlignerError(f"{path}: no such file")
    if path.is_dir():
        raise AlignerError(f"{path}: is a directory, expected a text file")
    text = _NEWLINES.sub("\n", decode(path.read_bytes(), str(path), guesses))
    if not text.strip():
        raise AlignerError(f"{path}: the file is empty")
    return text


def _is_special_file(path: Path) -> bool:
    """A device, FIFO, socket or `/dev/fd/N`: something to write through, not replace."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def check_output(out: str) -> None:
    """Fail before any work when `out` cannot be written: a folder, a missing or
    read-only folder. "-" is stdout."""
    if out == "-":
        return
    path = Path(out)
    if path.is_dir():
        raise AlignerError(f"{out}: is a folder; give a file name")
    if _is_special_file(path):
        return
    folder = path.resolve().parent
    if not folder.is_dir():
        raise AlignerError(f"{out}: the folder {path.parent} does not exist")
    if not os.access(folder, os.W_OK):
        raise AlignerError(f"{out}: cannot write in the folder {path.parent}")


def user_cache_dir() -> Path:
    """The aligner's folder for what is worth keeping between runs (embeddings, staged
    batch output): `$ALIGNER_CACHE`, else `$XDG_CACHE_HOME/aligner`, by default
    `~/.cache/aligner`."""
    if configured := os.environ.get("ALIGNER_CACHE"):
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aligner"


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """Write beside `path` and rename at the end, so a failure never leaves half a file.

    A symlink is followed: its target is replaced and the link stays. A write error
    (a full disk) becomes one clear error naming `path`, not the temporary file.
    """
    target = path.resolve()
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        opened = partial.open("xb")
    except OSError as error:
        raise AlignerError(f"{path}: cannot write: {error.strerror}") from None
    try:
        with opened as stream:
            yield stream
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        if error.filename is not None and error.filename != str(partial):
            raise
        raise AlignerError(f"{path}: cannot write: {error.strerror or error}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@contextmanager
def _write_through(path: Path) -> Iterator[IO[bytes]]:
    """Write straight into a device, FIFO or `/dev/fd/N`, which has no folder to rename in."""
    try:
        with path.open("wb") as stream:
            yield stream
    except OSError as error:
        if error.filename is not None and error.filename != str(path):
            raise
        raise AlignerError(f"{path}: cannot write: {error.strerror or error}") from None


@contextmanager
def output_stream(out: str) -> Iterator[IO[bytes]]:
    """A binary stream to `out`: stdout for "-", straight into a device or pipe, else a
    regular file that appears only when complete."""
    if out == "-":
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(out)
    writer = _write_through if _is_special_file(path) else atomic_file
    with writer(path) as stream:
        yield stream
