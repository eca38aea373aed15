"""The component's configuration, written once: defaults, checks, the candidate generator.

The factory's ``default_config``, ``RomanizeEntities.__init__``, the command
line's ``--set KEY=VALUE`` (:mod:`romanize_entities.settings`) and ``run.json``
all read :data:`DEFAULT_CONFIG`, so a default is changed in one place, and
:func:`check_settings` rejects impossible values wherever they come from.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from spacy.util import registry

from romanize_entities.aliases import DEFAULT_THRESHOLD, AliasTable, Candidate

__all__ = [
    "DEFAULT_CONFIG", "DEFAULT_SPANS_KEY", "NER_LABELS", "SETTING_KEYS", "CandidateGenerator",
    "check_settings", "create_candidate_generator", "table_lookup",
]

DEFAULT_SPANS_KEY = "romanize_entities"
NER_LABELS = frozenset({"PERSON", "ORG", "GPE", "EVENT", "LOC", "NORP", "FAC", "WORK_OF_ART"})

#: Every config key of the component with its default, written once: the factory's
#: ``default_config``, ``RomanizeEntities.__init__``, :func:`check_settings` and the
#: command line's ``--set KEY=VALUE`` all read it.
DEFAULT_CONFIG: dict[str, Any] = {
    "aliases": [],
    "include_default": True,
    "threshold": DEFAULT_THRESHOLD,
    "labels": [],
    "overwrite_ents": False,
    "spans_key": DEFAULT_SPANS_KEY,
    "max_window": 6,
    "link_partial": True,
    "unlinked_korean_names": True,
    "candidates_limit": 5,
    "get_candidates": {"@misc": "romanize_entities.get_candidates.v1"},
}
#: The keys whose value is plain data (settable from the command line and JSON).
SETTING_KEYS: tuple[str, ...] = tuple(k for k in DEFAULT_CONFIG if k != "get_candidates")

#: ``(table, text, limit) -> candidates, best first``: the candidate generator.
CandidateGenerator = Callable[[AliasTable, str, int], list[Candidate]]


def table_lookup(table: AliasTable, text: str, limit: int) -> list[Candidate]:
    """The default candidate generator: :meth:`AliasTable.lookup`.

    table (AliasTable): The compiled alias table.
    text (str): The mention as written.
    limit (int): How many candidates to return at most.
    RETURNS (list[Candidate]): Ranked candidates, best first.
    """
    return table.lookup(text, limit=limit)


def create_candidate_generator() -> CandidateGenerator:
    """Registered function behind the ``get_candidates`` config key.

    Like ``EntityLinker``'s ``get_candidates``: register your own function
    under ``@misc`` (for example one that wraps :func:`table_lookup` and drops
    some entities) and name it in the config to swap or wrap the generator.

    RETURNS (Callable[[AliasTable, str, int], list[Candidate]]): The generator.
    """
    return table_lookup


# registered by call, not as a decorator, so the function keeps its type for mypy
registry.misc.register("romanize_entities.get_candidates.v1", func=create_candidate_generator)


def check_settings(settings: dict[str, Any]) -> None:
    """Reject impossible component settings with a message naming the key.

    settings (dict[str, Any]): Config keys and values (a subset of
        :data:`DEFAULT_CONFIG`); unknown keys are an error too.
    RAISES (ValueError): For the first unknown key or impossible value.
    """
    for key, value in settings.items():
        if key not in DEFAULT_CONFIG:
            raise ValueError(
                f"unknown romanize_entities setting {key!r}; known: {', '.join(SETTING_KEYS)}"
            )
        problem = _setting_problem(key, value)
        if problem:
            raise ValueError(f"romanize_entities setting {key!r}: {problem}, not {value!r}")


def _setting_problem(key: str, value: Any) -> str:
    default = DEFAULT_CONFIG[key]
    if key == "get_candidates":
        return "" if callable(value) else "must be a callable (table, text, limit)"
    if isinstance(default, bool):
        return "" if isinstance(value, bool) else "must be true or false"
    if key == "threshold":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1
        return "" if ok else "must be a number between 0 and 1"
    if key in ("max_window", "candidates_limit"):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        return "" if ok else "must be a whole number of at least 1"
    if key == "spans_key":
        return "" if isinstance(value, str) and value else "must be a non-empty string"
    if not isinstance(value, (list, tuple)) or not all(
        isinstance(v, (str, Path)) for v in value
    ):
        return "must be a list of strings"
    if key == "labels":
        unknown = set(value) - NER_LABELS
        if unknown:
            return f"has unknown labels {sorted(unknown)}; valid: {sorted(NER_LABELS)}"
    return ""
