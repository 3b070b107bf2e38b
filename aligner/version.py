"""The installed package's version, read from its metadata so it is written only once
(in pyproject.toml)."""

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("aligner")
except PackageNotFoundError:
    VERSION = "0+unknown"
"""What TMX headers and `aligner --version` report."""
