"""Batch output to an fsspec URL (`s3://bucket/run`, `gs://…`, `memory://…`).

Documents are aligned into a local staging folder, which keeps the journal, so an
interrupted run resumes there on the same machine, and the folder is uploaded when the
run ends (the embedding cache excepted). The folder's place depends only on the URL, so
re-running the same command finds it again.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from aligner.batch.settings import EMBEDDING_CACHE_FOLDER
from aligner.data import AlignerError
from aligner.io import user_cache_dir

logger = logging.getLogger(__name__)


def staging_folder(url: str) -> Path:
    """The local folder a run for `url` writes to before uploading, under the user's
    cache folder (`aligner.io.user_cache_dir`)."""
    digest = hashlib.blake2b(url.rstrip("/").encode(), digest_size=8).hexdigest()
    return user_cache_dir() / "batch-output" / digest


def upload(folder: Path, url: str) -> int:
    """Copy every file of `folder` (but the embedding cache) under `url`; returns how many
    were copied."""
    try:
        import fsspec
    except ImportError:
        raise AlignerError(f"{url}: writing to a URL needs fsspec: pip install fsspec") from None
    try:
        filesystem, root = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as error:
        raise AlignerError(f"{url}: cannot write there: {error}") from None
    copied = 0
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or relative.parts[0] == EMBEDDING_CACHE_FOLDER:
            continue
        target = f"{root.rstrip('/')}/{relative.as_posix()}"
        filesystem.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
        filesystem.put_file(str(path), target)
        copied += 1
    logger.info("%s: uploaded %d files from %s", url, copied, folder)
    return copied
