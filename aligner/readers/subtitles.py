"""Subtitles (.srt, .vtt): one block per cue, with its start and end times.

The `srt` and `webvtt-py` libraries parse the files; a cue's lines are display wraps,
so they are joined into one line (without a space between Chinese characters).
Formatting tags (`<i>`, `{\\an8}`) are removed and counted.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import srt
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from aligner.data import AlignerError
from aligner.readers.common import BlockList, check_file, join_wrapped
from aligner.readers.document import SourceDocument
from aligner.readers.plain import read_text

_TAG = re.compile(r"</?[A-Za-z][^<>]*>|\{\\[^{}]*\}")
_SRT_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*\d+\s*\r?\n\s*\d+:\d\d:\d\d[,.]\d+\s*-->")
_VTT_START = re.compile(rb"^(?:\xef\xbb\xbf)?WEBVTT(?:[ \t\r\n]|$)")
_VTT_TIME = re.compile(r"^(?:(\d+):)?(\d\d):(\d\d)\.(\d{3})$")


def looks_like_srt(head: bytes) -> bool:
    return bool(_SRT_START.match(head))


def looks_like_vtt(head: bytes) -> bool:
    return bool(_VTT_START.match(head))


def _cue_text(content: str, dropped: Counter[str]) -> str:
    text, tags = _TAG.subn("", content)
    if tags:
        dropped["formatting tags"] += tags
    return join_wrapped(text.split("\n"))


def read_srt(path: Path) -> SourceDocument:
    check_file(path)
    blocks = BlockList()
    dropped: Counter[str] = Counter()
    guesses: Counter[str] = Counter()
    try:
        for cue in srt.parse(read_text(path, guesses), ignore_errors=False):
            times = (cue.start.total_seconds(), cue.end.total_seconds())
            blocks.add(_cue_text(cue.content, dropped), f"cue {cue.index}", times=times)
    except (srt.SRTParseError, srt.TimestampParseError) as error:
        raise AlignerError(f"{path}: not a readable SRT subtitle file ({error})") from None
    if not blocks.blocks:
        raise AlignerError(f"{path}: the subtitle file has no cues with text")
    return SourceDocument(path, "srt", blocks=blocks.blocks, dropped=dropped, repairs=guesses)


def _seconds(timestamp: str) -> float:
    match = _VTT_TIME.match(timestamp)
    if match is None:
        raise ValueError(timestamp)
    hours, minutes, seconds, millis = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def read_vtt(path: Path) -> SourceDocument:
    check_file(path)
    blocks = BlockList()
    dropped: Counter[str] = Counter()
    guesses: Counter[str] = Counter()
    try:
        captions = webvtt.from_buffer(io.StringIO(read_text(path, guesses)))
        for number, caption in enumerate(captions.captions, start=1):
            times = (_seconds(caption.start), _seconds(caption.end))
            tags = len(_TAG.findall(caption.raw_text))
            if tags:
                dropped["formatting tags"] += tags
            ref = f"cue {caption.identifier or number}"
            blocks.add(join_wrapped(caption.text.split("\n")), ref, times=times)
    except (MalformedFileError, MalformedCaptionError, ValueError) as error:
        raise AlignerError(f"{path}: not a readable WebVTT subtitle file ({error})") from None
    notes = len(captions.header_comments) + len(captions.footer_comments)
    if notes:
        dropped["notes"] += notes
    if captions.styles:
        dropped["styles"] += len(captions.styles)
    if not blocks.blocks:
        raise AlignerError(f"{path}: the subtitle file has no cues with text")
    return SourceDocument(path, "vtt", blocks=blocks.blocks, dropped=dropped, repairs=guesses)
