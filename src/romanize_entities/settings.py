"""Component settings from the command line: ``--threshold X``, ``--set KEY=VALUE``, ``--model``.

Every command that links text (``run``, ``suggest``, ``lookup``, and the
Spark engine through ``run``) takes the same options, parsed and checked here
against the component's own config (:data:`romanize_entities.component.DEFAULT_CONFIG`
and :func:`~romanize_entities.component.check_settings`), so a setting means the
same everywhere and a typo is an error before any document is read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = [
    "ModelOption",
    "SetOption",
    "SettingsError",
    "ThresholdOption",
    "check_component_settings",
    "check_model",
    "effective_settings",
    "parse_set_options",
    "resolve_settings",
]

#: Keys that choose the alias table; on the command line they merge with --aliases/--no-default.
TABLE_KEYS = ("aliases", "include_default")


class SettingsError(ValueError):
    """A malformed ``--set``, an unknown key or an impossible value: a usage error (exit 2)."""


ThresholdOption = Annotated[
    float | None,
    typer.Option("--threshold", min=0.0, max=1.0, metavar="X",
                 help="Link only at or above this score (0-1); the component's default is 0.8."),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", metavar="KEY=VALUE",
                 help="Any component config key (repeatable); VALUE is read as JSON, else "
                      "as a string: --set max_window=4 --set labels='[\"PERSON\"]'."),
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", metavar="NAME_OR_PATH",
                 help="A spaCy pipeline (installed name or folder) to run before the "
                      "component, e.g. for its NER."),
]


def parse_set_options(values: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` strings as a dict; VALUE is parsed as JSON, else kept as a string.

    values (list[str]): The ``--set`` arguments, in order (a later key wins).
    RETURNS (dict[str, Any]): The settings; values are checked by
        :func:`check_component_settings`.
    RAISES (SettingsError): For an argument without ``=`` or a KEY that is not a
        config key of the component.
    """
    from romanize_entities.component_config import DEFAULT_CONFIG

    out: dict[str, Any] = {}
    for raw in values:
        key, sep, text = raw.partition("=")
        key = key.strip()
        if not sep or not key:
            raise SettingsError(f"--set {raw!r}: expected KEY=VALUE, e.g. --set threshold=0.9")
        if key not in DEFAULT_CONFIG:
            raise SettingsError(f"--set {raw!r}: unknown key {key!r}; the component's keys "
                                f"are {', '.join(DEFAULT_CONFIG)}")
        try:
            out[key] = json.loads(text)
        except ValueError:
            out[key] = text
    return out


def _coerce(key: str, value: Any) -> Any:
    """A comma-separated string for a list key ("PERSON,ORG") becomes the list."""
    from romanize_entities.component_config import DEFAULT_CONFIG

    if isinstance(DEFAULT_CONFIG.get(key), list) and isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def check_component_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """*settings* checked against the component's config keys, list values coerced.

    RAISES (SettingsError): An unknown key or an impossible value, naming the key.
    """
    from romanize_entities.component_config import check_settings

    checked: dict[str, Any] = {}
    for key, value in settings.items():
        value = _coerce(key, value)
        if key == "get_candidates":
            # a registered function by name, resolved by spaCy's config system
            if not (isinstance(value, dict) and isinstance(value.get("@misc"), str)):
                raise SettingsError(
                    "romanize_entities setting 'get_candidates' must name a registered "
                    'function: --set \'get_candidates={"@misc": "my.generator.v1"}\''
                )
        else:
            try:
                check_settings({key: value})
            except ValueError as exc:
                raise SettingsError(str(exc)) from exc
        checked[key] = value
    return checked


def resolve_settings(
    threshold: float | None,
    sets: Sequence[str] | None,
    aliases: Sequence[Path] | None = None,
    no_default: bool = False,
) -> tuple[list[Path], bool, dict[str, Any]]:
    """The command line's ``(alias files, include_default, other settings)``.

    ``--set aliases=...`` adds files after ``--aliases``; ``--set include_default=false``
    is ``--no-default``; ``--threshold`` wins over ``--set threshold=``.

    RAISES (SettingsError): A malformed or impossible setting, or no table at all.
    """
    settings = check_component_settings(parse_set_options(list(sets or [])))
    if threshold is not None:
        settings.update(check_component_settings({"threshold": threshold}))
    paths = [*(aliases or []), *(Path(p) for p in settings.pop("aliases", []))]
    include_default = bool(settings.pop("include_default", True)) and not no_default
    if not include_default and not paths:
        raise SettingsError("--no-default needs at least one --aliases FILE")
    return paths, include_default, settings


def effective_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The component's defaults (except the table keys) with *settings* on top, for run.json."""
    from romanize_entities.component_config import DEFAULT_CONFIG

    out = {k: v for k, v in DEFAULT_CONFIG.items() if k not in TABLE_KEYS}
    out.update({k: v for k, v in settings.items() if k not in TABLE_KEYS})
    return json.loads(json.dumps(out))  # type: ignore[no-any-return]


def check_model(model: str | None) -> None:
    """Fail early on a ``--model`` that is neither an installed pipeline nor a folder."""
    if model is None:
        return
    import spacy.util

    if Path(model).is_dir() or spacy.util.is_package(model):
        return
    raise SettingsError(f"--model {model}: no installed spaCy pipeline or pipeline folder "
                        "of that name")
