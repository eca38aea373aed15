"""Check raw entries field by field and merge files by id.

Every check produces a `Problem` located at the offending value, so `check`
can print them all in one pass instead of stopping at the first.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from romanize_entities.aliases.loader import Mark, ParsedFile, RawEntry
from romanize_entities.aliases.model import ENTITY_TYPES, KINDS, Problem
from romanize_entities.hangul import is_syllable
from romanize_entities.transliteration.unihan import is_han

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
REQUIRED = ("id", "type", "name")
LIST_KEYS = ("aliases", "sources", "demonyms")
STR_KEYS = ("name", "hangul", "hanja", "wikidata", "note", "replaced_by", "hangul_source",
            "cyrillic", "hanzi", "part_of", "kind")
INT_KEYS = ("born", "died")
BOOL_KEYS = ("review",)
#: Structure keys (issue 12) with checks of their own.
STRUCTURE_KEYS = ("ordinal", "date")
KNOWN_KEYS = frozenset(("id", "type", *STR_KEYS, *LIST_KEYS, *INT_KEYS, *BOOL_KEYS,
                        *STRUCTURE_KEYS))
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
#: Keys that decide *who* an entity is: a later file may not change them.
IDENTITY_KEYS = ("type", "hangul")
_HANGUL_EXTRA = frozenset("0123456789·- ")
#: Besides letters of its script, a Cyrillic or Han name may hold these separators
#: ("Жданов, Андрей Александрович"; "諸葛 亮" marks a two-character surname).
_CYRILLIC_EXTRA = frozenset(" -,.'’")
_HAN_EXTRA = frozenset(" ·")


@dataclass
class Located:
    """Where a merged value was last written."""

    path: str
    mark: Mark


@dataclass
class MergedRecord:
    """An entity after merging all files; `where` locates each key, `alias_where` each alias."""

    id: str
    values: dict[str, Any]
    origin: Located
    where: dict[str, Located] = field(default_factory=dict)
    alias_where: dict[str, Located] = field(default_factory=dict)


def _problem(entry: RawEntry, key: str | None, message: str, severity: str = "error",
             index: int | None = None) -> Problem:
    mark = entry.mark
    if key is not None:
        if index is not None and key in entry.item_marks and index < len(entry.item_marks[key]):
            mark = entry.item_marks[key][index]
        else:
            mark = entry.marks.get(key, entry.mark)
    who = f"entity {entry.id!r}: " if entry.id else ""
    return Problem(entry.path, mark[0], mark[1], entry.id, severity, who + message)


def hangul_problem(value: str) -> str | None:
    """Why `value` is not a usable `hangul` field, or None when it is."""
    if not any(is_syllable(ch) for ch in value):
        return f"hangul {value!r} contains no Hangul syllable"
    others = sorted({ch for ch in value if not is_syllable(ch) and ch not in _HANGUL_EXTRA})
    if others:
        shown = ", ".join(repr(ch) for ch in others)
        return (f"hangul {value!r} contains non-Hangul characters {shown} "
                "(only Hangul syllables, digits, '·', '-' and spaces are allowed)")
    return None


def _is_cyrillic(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CYRILLIC ")


def script_problem(key: str, value: str) -> str | None:
    """Why a `cyrillic`, `hanzi` or `hanja` value is not in its script, or None."""
    if key == "cyrillic":
        ok, extra, what = _is_cyrillic, _CYRILLIC_EXTRA, "Cyrillic letters"
    else:
        ok, extra, what = is_han, _HAN_EXTRA, "Han characters"
    if not any(ok(ch) for ch in value):
        return f"{key} {value!r} contains no {what}"
    others = sorted({ch for ch in value if not ok(ch) and ch not in extra})
    if others:
        shown = ", ".join(repr(ch) for ch in others)
        return (f"{key} {value!r} contains characters that are not {what}: {shown} "
                f"(only {what}, spaces and {' '.join(sorted(extra - {' '}))} are allowed)")
    return None


def check_entry(entry: RawEntry, *, first: bool, require_sources: bool) -> list[Problem]:
    """Field checks for one entry. `first` is False when it extends an earlier file's entity."""
    out = list(entry.tag_errors)
    v = entry.values
    for key in REQUIRED:
        if first and v.get(key) is None:
            where = None if key not in v else key
            out.append(_problem(entry, where, f"missing required key {key!r}"))
        elif not first and key in v and v[key] is None and key != "id":
            out.append(_problem(entry, key, f"required key {key!r} cannot be set to null"))
    for key in v:
        if key not in KNOWN_KEYS:
            out.append(_problem(entry, key, f"unknown key {key!r} ignored", "warning"))
    ident = v.get("id")
    if ident is not None and (not isinstance(ident, str) or not ID_PATTERN.match(ident)):
        out.append(_problem(entry, "id", f"id {ident!r} must be lowercase ASCII words joined by "
                                         "hyphens (^[a-z0-9]+(-[a-z0-9]+)*$)"))
    typ = v.get("type")
    if typ is not None and typ not in ENTITY_TYPES:
        out.append(_problem(entry, "type", f"unknown type {typ!r}; expected one of "
                                           + ", ".join(sorted(ENTITY_TYPES))))
    for key in STR_KEYS:
        value = v.get(key)
        if value is None or key == "id":
            continue
        if not isinstance(value, str):
            out.append(_problem(entry, key, f"{key} must be a string, not {value!r}"))
        elif not value.strip():
            out.append(_problem(entry, key, f"{key} is empty"))
        elif key == "hangul":
            why = hangul_problem(value)
            if why:
                out.append(_problem(entry, key, why))
        elif key in ("cyrillic", "hanzi"):
            why = script_problem(key, value)
            if why:
                out.append(_problem(entry, key, why))
        elif key in ("replaced_by", "part_of") and not ID_PATTERN.match(value):
            out.append(_problem(entry, key, f"{key} {value!r} is not a valid id"))
        elif key == "kind" and value not in KINDS:
            out.append(_problem(entry, key, f"unknown kind {value!r}; expected one of "
                                            + ", ".join(sorted(KINDS))))
    for key in LIST_KEYS:
        value = v.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            out.append(_problem(entry, key, f"{key} must be a list of strings "
                                            f"(write [{value!r}]), not {type(value).__name__}"))
            continue
        singular = key[:-1]
        for i, item in enumerate(value):
            if not isinstance(item, str):
                out.append(_problem(entry, key, f"{singular} {item!r} must be a string", index=i))
            elif not item.strip():
                out.append(_problem(entry, key, f"{singular} #{i + 1} is empty", index=i))
    for key in INT_KEYS:
        value = v.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            out.append(_problem(entry, key, f"{key} must be a year as an integer, not {value!r}"))
    review = v.get("review")
    if review is not None and not isinstance(review, bool):
        out.append(_problem(entry, "review", f"review must be true or false, not {review!r}"))
    elif review:
        if require_sources:  # packaged mode: a draft must be checked before it ships
            out.append(_problem(entry, "review", "review: true marks an unchecked draft; the "
                                                 "packaged table refuses it (check the entry "
                                                 "against its sources, then delete the key)"))
        else:
            out.append(_problem(entry, "review", "review: true: unchecked draft (check it "
                                                 "against its sources, then delete the key)",
                                "warning"))
    out += _structure_problems(entry)
    if require_sources and first and not v.get("sources"):
        out.append(_problem(entry, None, "packaged entries need at least one source "
                                         "(sources: [https://...])"))
    return out


def normalize_date(value: Any) -> str | None:
    """`date` as YYYY[-MM[-DD]] text, or None when it is not a valid date.

    YAML reads `1956-08-30` as a date and `1958` as an integer; both are
    accepted and turned back into the text the user wrote.
    """
    if isinstance(value, datetime.date):
        return value.isoformat()[:10]
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}"
    if not isinstance(value, str):
        return None
    m = DATE_PATTERN.match(value.strip())
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        datetime.date(year or 1, month or 1, day or 1)
    except ValueError:
        return None
    return value.strip()


def _structure_problems(entry: RawEntry) -> list[Problem]:
    """`ordinal` a positive integer, `date` YYYY[-MM[-DD]], `demonyms` only on places."""
    out: list[Problem] = []
    v = entry.values
    ordinal = v.get("ordinal")
    if ordinal is not None and (not isinstance(ordinal, int) or isinstance(ordinal, bool)
                                or ordinal < 1):
        out.append(_problem(entry, "ordinal",
                            f"ordinal must be a positive integer (4 for Fourth), not {ordinal!r}"))
    date = v.get("date")
    if date is not None and normalize_date(date) is None:
        out.append(_problem(entry, "date", f"date must be YYYY, YYYY-MM or YYYY-MM-DD "
                                           f"(a real date), not {date!r}"))
    if v.get("demonyms") and v.get("type") not in (None, "GPE", "LOC"):
        out.append(_problem(entry, "demonyms", "demonyms are for places (type GPE or LOC)",
                            "warning"))
    if v.get("part_of") is not None and v.get("part_of") == v.get("id"):
        out.append(_problem(entry, "part_of", "an entity cannot be part_of itself"))
    return out


def _canon_hangul(value: Any) -> Any:
    return value.replace(" ", "") if isinstance(value, str) else value


def merge_files(files: list[ParsedFile], *, require_sources: bool = False
                ) -> tuple[dict[str, MergedRecord], str | None, list[Problem]]:
    """Merge parsed files in order (see docs/aliases.md, "Merge rule").

    Returns the records by id, the table version and every problem found.
    """
    records: dict[str, MergedRecord] = {}
    version: str | None = None
    problems: list[Problem] = []
    for parsed in files:
        problems.extend(parsed.problems)
        if parsed.version_set:
            version = parsed.version
        seen_here: dict[str, RawEntry] = {}
        for entry in parsed.entries:
            ident = entry.id
            earlier = records.get(ident) if ident else None
            entry_problems = check_entry(entry, first=earlier is None,
                                         require_sources=require_sources)
            problems.extend(entry_problems)
            if ident is None:
                continue
            if ident in seen_here:
                prev = seen_here[ident]
                problems.append(_problem(entry, "id", f"duplicate id {ident!r} (first defined at "
                                                      f"{prev.path}:{prev.mark[0]})"))
                continue
            seen_here[ident] = entry
            if any(p.severity == "error" for p in entry_problems):
                continue
            if earlier is None:
                records[ident] = _new_record(entry)
                continue
            conflict = False
            for key in IDENTITY_KEYS:
                if key in entry.values and earlier.values.get(key) is not None and (
                        _canon_hangul(entry.values[key]) != _canon_hangul(earlier.values[key])):
                    first = earlier.where.get(key, earlier.origin)
                    problems.append(_problem(
                        entry, key,
                        f"id {ident!r} is already defined at {first.path}:{first.mark[0]} with "
                        f"{key} {earlier.values[key]!r}, not {entry.values[key]!r}: a different "
                        "entity needs a different id"))
                    conflict = True
            if not conflict:
                _extend(earlier, entry)
    return records, version, problems


def _new_record(entry: RawEntry) -> MergedRecord:
    values = {k: v for k, v in entry.values.items() if v is not None and k in KNOWN_KEYS}
    if "date" in values:
        values["date"] = normalize_date(values["date"])
    for key in LIST_KEYS:
        if key in values:
            values[key] = list(dict.fromkeys(values[key]))
    rec = MergedRecord(str(entry.id), values, Located(entry.path, entry.mark))
    rec.where = {k: Located(entry.path, m) for k, m in entry.marks.items()}
    for i, alias in enumerate(entry.values.get("aliases") or []):
        marks = entry.item_marks.get("aliases", [])
        rec.alias_where.setdefault(alias, Located(entry.path, marks[i] if i < len(marks)
                                                  else entry.mark))
    return rec


def _extend(rec: MergedRecord, entry: RawEntry) -> None:
    """Later file wins for scalars, lists are unioned in order, null removes a key."""
    for key, value in entry.values.items():
        if key not in KNOWN_KEYS or key == "id":
            continue
        rec.where[key] = Located(entry.path, entry.marks.get(key, entry.mark))
        if value is None:
            rec.values.pop(key, None)
        elif key in LIST_KEYS:
            rec.values[key] = list(dict.fromkeys([*rec.values.get(key, []), *value]))
            if key == "aliases":
                marks = entry.item_marks.get("aliases", [])
                for i, alias in enumerate(value):
                    rec.alias_where.setdefault(alias, Located(
                        entry.path, marks[i] if i < len(marks) else entry.mark))
        else:
            rec.values[key] = normalize_date(value) if key == "date" else value


def check_references(records: dict[str, MergedRecord]) -> list[Problem]:
    """replaced_by and part_of must point to an existing id and must not loop."""
    out: list[Problem] = []
    for rec in records.values():
        out += _part_of_problems(rec, records)
        target = rec.values.get("replaced_by")
        if target is None:
            continue
        loc = rec.where.get("replaced_by", rec.origin)
        if target not in records:
            out.append(Problem(loc.path, loc.mark[0], loc.mark[1], rec.id, "error",
                               f"entity {rec.id!r}: replaced_by {target!r} points to no entity"))
            continue
        seen = {rec.id}
        while target is not None and target in records:
            if target in seen:
                out.append(Problem(loc.path, loc.mark[0], loc.mark[1], rec.id, "error",
                                   f"entity {rec.id!r}: replaced_by chain loops back to "
                                   f"{target!r}"))
                break
            seen.add(target)
            target = records[target].values.get("replaced_by")
    return out


def _part_of_problems(rec: MergedRecord, records: dict[str, MergedRecord]) -> list[Problem]:
    """part_of names an existing entity and the chain of parents does not loop."""
    parent = rec.values.get("part_of")
    if parent is None:
        return []
    loc = rec.where.get("part_of", rec.origin)
    if parent not in records:
        return [Problem(loc.path, loc.mark[0], loc.mark[1], rec.id, "error",
                        f"entity {rec.id!r}: part_of {parent!r} points to no entity")]
    seen = {rec.id}
    while parent is not None and parent in records:
        if parent in seen:
            return [Problem(loc.path, loc.mark[0], loc.mark[1], rec.id, "error",
                            f"entity {rec.id!r}: part_of chain loops back to {parent!r}")]
        seen.add(parent)
        parent = records[parent].values.get("part_of")
    return []
