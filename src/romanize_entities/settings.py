"""Component settings given on the command line as ``--set KEY=VALUE``.

One parser for every entry point (run, suggest, lookup, evaluate, serve), so a
setting means the same thing everywhere: VALUE is read as JSON when it parses
(``--set max_window=4``, ``--set labels='["PERSON"]'``, ``--set link_partial=false``)
and is otherwise taken as a plain string (``--set spans_key=mine``), so users do
not have to quote strings twice in a shell.
"""

from __future__ import annotations

import json
from typing import Any


def parse_set_options(values: list[str]) -> dict[str, Any]:
    """Turn ``["KEY=VALUE", ...]`` into a config dict; a later KEY wins.

    Raises ValueError naming the offending item when it has no ``=`` or an
    empty KEY, because a silently ignored setting is worse than a usage error.
    """
    settings: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"--set expects KEY=VALUE, got {item!r}")
        try:
            settings[key] = json.loads(raw)
        except ValueError:
            settings[key] = raw
    return settings
