"""Exceptions shared by the batch runner and its engines."""

from __future__ import annotations

__all__ = ["BatchConfigError"]


class BatchConfigError(Exception):
    """A problem with the run as a whole (missing INPUT, incompatible DIR): exit status 2."""
