"""File-system helpers shared by the outputs and the compiled alias table."""

from __future__ import annotations

import os
import re

__all__ = ["give_new_file_mode", "new_file_mode"]

_UMASK_LINE = re.compile(r"^Umask:\s*([0-7]+)$", re.MULTILINE)


def _umask() -> int:
    """The process umask, read without changing it where the OS allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            found = _UMASK_LINE.search(fh.read())
        if found:
            return int(found.group(1), 8)
    except OSError:
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore (the only portable way to read it)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode ``open()`` would give a new file: 0o666 minus the umask.

    ``tempfile.mkstemp`` creates its files 0600 whatever the umask; files moved
    into place from one get this mode instead, so outputs are shared as the
    user's umask says, like any file they create.
    """
    return 0o666 & ~_umask()


def give_new_file_mode(fd: int) -> None:
    """Give the open file *fd* (from ``tempfile.mkstemp``) :func:`new_file_mode`."""
    if hasattr(os, "fchmod"):  # not on Windows before 3.13, where modes mean little anyway
        os.fchmod(fd, new_file_mode())
