"""Where a document's files live: a local path, or a URL fsspec opens (`s3://`, `gs://`,
`https://`, `file://`, ... with the matching fsspec package installed, e.g. s3fs).

A remote file is fingerprinted by its metadata (fsspec's `checksum`: the ETag, or size
and modification time), not read, so the driver of a large run never downloads the
corpus; the worker that aligns a document copies its remote files to a temporary local
folder first, and the copies go when the document is done.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from aligner.data import AlignerError

Source = Path | str
"""A local file (`Path`) or a URL (`str` with a `scheme://`)."""


def is_url(text: str) -> bool:
    return "://" in text


def source_name(source: Source) -> str:
    """The file name, without folders, of a path or a URL."""
    return source.name if isinstance(source, Path) else PurePosixPath(source).name


def update_digest(digest: hashlib.blake2b, source: Source) -> None:
    """Add a file's content (local) or its storage checksum (remote) to `digest`."""
    if isinstance(source, Path):
        with source.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
        return
    filesystem, path = _filesystem(source)
    digest.update(f"{source}\0{filesystem.checksum(path)}".encode())


def size_of(source: Source) -> int:
    if isinstance(source, Path):
        return source.stat().st_size
    filesystem, path = _filesystem(source)
    return int(filesystem.size(path) or 0)


@contextmanager
def local_copies(sources: Iterable[Source]) -> Iterator[list[Path]]:
    """The sources as local files: paths as they are, URLs copied to a temporary folder
    (under their own names, so the messages name the same file)."""
    chosen = list(sources)
    if all(isinstance(source, Path) for source in chosen):
        yield [source for source in chosen if isinstance(source, Path)]
        return
    with tempfile.TemporaryDirectory(prefix="aligner-input-") as folder:
        local: list[Path] = []
        for number, source in enumerate(chosen):
            if isinstance(source, Path):
                local.append(source)
                continue
            filesystem, path = _filesystem(source)
            copy = Path(folder) / str(number) / source_name(source)
            copy.parent.mkdir()
            filesystem.get_file(path, str(copy))
            local.append(copy)
        yield local


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise AlignerError(f"{url}: reading URLs needs fsspec: pip install fsspec") from None
    try:
        return url_to_fs(url)
    except (ImportError, ValueError) as error:
        raise AlignerError(f"{url}: cannot open this URL: {error}") from None
