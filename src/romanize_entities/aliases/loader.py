"""Read alias YAML files into located raw entries, safely.

The file is *composed* (parsed to nodes) rather than loaded, so that every
value keeps the line and column it came from: a historian fixing a typo must be
told where it is. Only the standard YAML tags are accepted; anything else
(`!!python/object`, custom `!tags`) is reported, never constructed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from romanize_entities.aliases.model import Problem

try:  # libyaml is ~10x faster; marks are identical
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

_STD = "tag:yaml.org,2002:"
_SAFE_TAGS = frozenset(
    _STD + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)

Mark = tuple[int, int]  # 1-based line, column


@dataclass
class RawEntry:
    """One entity mapping as written: values (None = explicit null) and their marks."""

    path: str
    mark: Mark
    values: dict[str, Any] = field(default_factory=dict)
    marks: dict[str, Mark] = field(default_factory=dict)
    item_marks: dict[str, list[Mark]] = field(default_factory=dict)
    tag_errors: list[Problem] = field(default_factory=list)

    @property
    def id(self) -> str | None:
        value = self.values.get("id")
        return value if isinstance(value, str) else None


@dataclass
class ParsedFile:
    """A whole alias file: its version, its entries and the problems found reading it."""

    path: str
    version: str | None = None
    version_set: bool = False
    entries: list[RawEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    raw: bytes = b""


def _mark(node: yaml.Node) -> Mark:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _unsafe_tags(node: yaml.Node, path: str, entity_id: str | None) -> list[Problem]:
    """Every node with a tag outside plain YAML, reported instead of constructed."""
    found: list[Problem] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.tag not in _SAFE_TAGS:
            tag = current.tag.replace(_STD, "!!")
            line, col = _mark(current)
            found.append(Problem(path, line, col, entity_id, "error",
                                 f"unsupported YAML tag {tag}: only plain YAML values are "
                                 "allowed (tags are never executed)"))
            continue
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
    return found


class _Constructor(yaml.constructor.SafeConstructor):
    """SafeConstructor used node by node, after the tag check."""


_STR = _STD + "str"


def _construct(node: yaml.Node) -> Any:
    # Strings and lists of strings are nearly every value of an alias file; taking
    # them straight from the node gives what SafeConstructor would and halves
    # the time to read a large table.
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
        return node.value
    if isinstance(node, yaml.SequenceNode) and all(
        isinstance(item, yaml.ScalarNode) and item.tag == _STR for item in node.value
    ):
        return [item.value for item in node.value]
    constructor = _Constructor()
    return constructor.construct_object(node, deep=True)


def parse_file(path: str | os.PathLike[str], data: bytes | None = None) -> ParsedFile:
    """Compose one file into located raw entries; never raises for bad content."""
    spath = str(path)
    parsed = ParsedFile(spath)
    if data is None:
        data = Path(path).read_bytes()  # OSError propagates: an unreadable file is not a table
    parsed.raw = data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        parsed.problems.append(Problem(spath, 1, 1, None, "error", f"not UTF-8: {exc}"))
        return parsed
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        parsed.problems.append(Problem(spath, line, col, None, "error",
                                       f"YAML syntax error: {what}"))
        return parsed
    except yaml.YAMLError as exc:
        parsed.problems.append(Problem(spath, 1, 1, None, "error", f"YAML syntax error: {exc}"))
        return parsed
    if root is None:
        parsed.problems.append(Problem(spath, 1, 1, None, "error",
                                       "file is empty: expected a mapping with 'entities'"))
        return parsed
    if not isinstance(root, yaml.MappingNode):
        line, col = _mark(root)
        parsed.problems.append(Problem(spath, line, col, None, "error",
                                       "top level must be a mapping with 'entities'"))
        return parsed
    entities_node: yaml.Node | None = None
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        line, col = _mark(key_node)
        if key == "entities":
            entities_node = value_node
        elif key == "version":
            parsed.version_set = True
            if value_node.tag == _STD + "null":
                parsed.version = None
            elif isinstance(value_node, yaml.ScalarNode) and value_node.tag in _SAFE_TAGS:
                parsed.version = str(value_node.value)
            else:
                parsed.problems.append(Problem(spath, line, col, None, "error",
                                               "version must be a string"))
        else:
            parsed.problems.append(Problem(spath, line, col, None, "warning",
                                           f"unknown top-level key {key!r} ignored"))
    if entities_node is None:
        line, col = _mark(root)
        parsed.problems.append(Problem(spath, line, col, None, "error",
                                       "missing 'entities' list"))
        return parsed
    if entities_node.tag == _STD + "null":
        return parsed
    if not isinstance(entities_node, yaml.SequenceNode):
        line, col = _mark(entities_node)
        parsed.problems.append(Problem(spath, line, col, None, "error",
                                       "'entities' must be a list of mappings"))
        return parsed
    for item in entities_node.value:
        parsed.entries.extend(_entry(item, spath, parsed.problems))
    return parsed


def _entry(node: yaml.Node, path: str, problems: list[Problem]) -> list[RawEntry]:
    line, col = _mark(node)
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(path, line, col, None, "error",
                                "each entity must be a mapping (id:, type:, name: ...)"))
        return []
    entry = RawEntry(path, (line, col))
    id_guess = next((v.value for k, v in node.value
                     if getattr(k, "value", None) == "id" and isinstance(v, yaml.ScalarNode)),
                    None)
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            kline, kcol = _mark(key_node)
            problems.append(Problem(path, kline, kcol, id_guess, "error",
                                    "entity keys must be plain words"))
            continue
        key = str(key_node.value)
        bad = _unsafe_tags(value_node, path, id_guess)
        if bad:
            entry.tag_errors.extend(bad)
            continue
        if key in entry.values:
            kline, kcol = _mark(key_node)
            problems.append(Problem(path, kline, kcol, id_guess, "error",
                                    f"key {key!r} given twice in one entity"))
        entry.values[key] = _construct(value_node)
        entry.marks[key] = _mark(value_node)
        if isinstance(value_node, yaml.SequenceNode):
            entry.item_marks[key] = [_mark(v) for v in value_node.value]
    return [entry]
