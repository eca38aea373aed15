"""What the readers produce and raise, and how file names are shown in outputs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Document", "ReadError", "SkippedFile", "display_path"]


@dataclass(frozen=True)
class Document:
    """One decoded input file.

    ``relpath`` is relative to the INPUT it was found under (not to the current
    directory) so that output files can mirror the input layout regardless of
    where the batch was started from. ``sha256`` is over the raw bytes so that a
    re-run can tell whether a file changed without re-decoding it.
    """

    path: Path
    relpath: str
    text: str
    encoding: str
    sha256: str


class ReadError(Exception):
    """A supported file that could not be turned into text.

    The message always starts with the path so a batch log line is
    self-explanatory; ``reason`` holds the message without the path for callers
    that format their own reports.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{display_path(str(path))}: {reason}")


class SkippedFile(Exception):
    """A file whose suffix is not one we read; not an error, but worth reporting."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{display_path(str(path))}: {reason}")


# Bytes of a file name that are not UTF-8 reach Python as lone surrogates
# U+DC80..U+DCFF (PEP 383); those, and "%" itself, are what display_path escapes.
_NOT_TEXT = re.compile("[%\udc80-\udcff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return "%25" if char == "%" else f"%{ord(char) - 0xDC00:02X}"


def display_path(name: str) -> str:
    """*name* (a path as the OS gave it) as valid UTF-8 text for outputs and messages.

    A file name that is not UTF-8 (CP949 names from Korean archives) cannot be
    written to ``mentions.jsonl`` as it is: each byte that is not UTF-8 becomes
    ``%XX`` (its hex value), and a literal ``%`` becomes ``%25`` so two names
    never collide and the original bytes can be recovered. UTF-8 names without
    ``%`` are returned unchanged.
    """
    if _NOT_TEXT.search(name) is None:
        return name
    return _NOT_TEXT.sub(_escape, name)
