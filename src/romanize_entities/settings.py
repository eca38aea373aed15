"""``--set KEY=VALUE`` options: component settings given on the command line.

Shared by every command that builds the spaCy component, so that one syntax
works everywhere: the value is read as JSON when it parses (``threshold=0.9``,
``labels=["PERSON"]``, ``link_partial=false``), else kept as the plain string
(``spans_key=names``), which saves shell users from quoting strings twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

__all__ = ["parse_set_options"]


def parse_set_options(values: Iterable[str]) -> dict[str, Any]:
    """``["threshold=0.9", "spans_key=names"]`` → ``{"threshold": 0.9, "spans_key": "names"}``.

    Raises ``ValueError`` naming the bad option when one has no ``=`` or an
    empty key; a later option for the same key wins, as on most command lines.
    """
    out: dict[str, Any] = {}
    for raw in values:
        key, sep, text = raw.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"--set expects KEY=VALUE, got {raw!r}")
        try:
            value: Any = json.loads(text)
        except ValueError:
            value = text
        out[key] = value
    return out
