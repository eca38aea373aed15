"""A W3C Entity Reconciliation API 0.2 service over the alias table (``romanize-entities serve``).

:mod:`.service` holds the logic (plain dicts in and out), :mod:`.pages` the HTML,
:mod:`.app` the Starlette wiring (extra ``romanize-entities[serve]``). See docs/serve.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from romanize_entities.reconcile.service import QueryError, ReconcileService, parse_batch

__all__ = ["QueryError", "ReconcileService", "build_service", "parse_batch"]

_TABLE_KEYS = ("aliases", "include_default")


def build_service(aliases: Sequence[str | Path] = (), *, include_default: bool = True,
                  threshold: float | None = None,
                  settings: Mapping[str, Any] | None = None) -> ReconcileService:
    """A service linking exactly as the spaCy component configured with *settings* would.

    The component is built through spaCy's factory, so ``--set`` values are
    checked by spaCy's config validation (unknown keys, wrong types) with its
    own error messages; its table, threshold and labels are then used.
    *threshold*, when given, overrides a ``threshold`` in *settings*.
    """
    import spacy

    settings = dict(settings or {})
    clash = [k for k in _TABLE_KEYS if k in settings]
    if clash:
        raise ValueError(f"--set {clash[0]}=... is not accepted here: use --aliases/--no-default")
    config: dict[str, Any] = {"aliases": [str(p) for p in aliases],
                              "include_default": include_default, **settings}
    if threshold is not None:
        config["threshold"] = threshold
    nlp = spacy.blank("en")
    pipe: Any = nlp.add_pipe("romanize_entities", config=config)
    table = pipe.table  # loaded here, once, before the first request
    return ReconcileService(table, threshold=float(pipe.threshold),
                            labels=sorted(pipe.allowed_labels))
