"""Turn a Wikidata export into draft alias entries (`romanize-entities import-wikidata`).

Users who can reach Wikidata download the items they need; this module reads
the file offline and writes alias YAML. Three inputs are accepted, told apart by
their shape:

* the entity JSON of `Special:EntityData/Q….json` and of the `wbgetentities`
  API (both `{"entities": {"Q…": {...}}}`);
* SPARQL query results in JSON (`{"head": {"vars": [...]}, "results":
  {"bindings": [...]}}`) using the variables `?item ?label ?hangul ?hanja
  ?born ?died` (one row per combination; rows of one item are merged).

Every entry is a draft: it carries `review: true`, its QID as `wikidata` and
the item page as its source, and it never takes an id the tables already use
(a clash gets a `-YYYY` or `-qNNN` suffix and a note), because a Wikidata item
is only *possibly* the person an existing entry means, and silently merging two
people is the one mistake a linker cannot recover from.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from romanize_entities.aliases.model import ENTITY_TYPES, Entity
from romanize_entities.aliases.validate import hangul_problem

ITEM_URL = "https://www.wikidata.org/wiki/{qid}"
#: P31 values whose meaning is fixed: "human" is the only one we map without --type.
_HUMAN = "Q5"
_QID = re.compile(r"^Q[1-9][0-9]*$")
_YEAR = re.compile(r"^([+-]?)0*([0-9]{1,4})(?:-|$)")
#: Wikidata time precision 9 = year; 10 month, 11 day. Coarser (decade...) is no year.
_YEAR_PRECISION = 9
SPARQL_VARS = ("item", "label", "hangul", "hanja", "born", "died")


class WikidataImportError(ValueError):
    """The file is not one of the accepted Wikidata export formats."""


@dataclass
class WikidataItem:
    """What an import needs of one Wikidata item, from any of the three formats."""

    qid: str
    labels: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    born: set[int] = field(default_factory=set)
    died: set[int] = field(default_factory=set)
    instance_of: list[str] = field(default_factory=list)
    #: Hangul/Hanja given directly (SPARQL ?hangul ?hanja), checked like labels.
    hangul: list[str] = field(default_factory=list)
    hanja: list[str] = field(default_factory=list)


def is_han(text: str) -> bool:
    """True when every character of `text` is a CJK ideograph (a Hanja spelling)."""
    return bool(text) and all(_is_han_char(ch) for ch in text)


def _is_han_char(ch: str) -> bool:
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x3134F)


# -- reading -------------------------------------------------------------------


def read_export(path: str | Path) -> list[WikidataItem]:
    """Parse FILE.json in whichever accepted format it is; errors name the file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise WikidataImportError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: "
                                  f"{exc.msg}") from exc
    except UnicodeDecodeError as exc:
        raise WikidataImportError(f"{path}: not UTF-8: {exc}") from exc
    try:
        return parse_export(data)
    except WikidataImportError as exc:
        raise WikidataImportError(f"{path}: {exc}") from exc


def parse_export(data: Any) -> list[WikidataItem]:
    """Items of an already-decoded export (entity JSON or SPARQL results)."""
    if isinstance(data, Mapping) and isinstance(data.get("entities"), Mapping):
        return parse_entity_json(data)
    if isinstance(data, Mapping) and isinstance(data.get("results"), Mapping):
        return parse_sparql(data)
    raise WikidataImportError(
        "not a Wikidata export: expected entity JSON ({\"entities\": {...}}, from "
        "Special:EntityData or wbgetentities) or SPARQL JSON results "
        "({\"head\": ..., \"results\": {\"bindings\": [...]}})")


def parse_entity_json(data: Mapping[str, Any]) -> list[WikidataItem]:
    """Items of Special:EntityData / wbgetentities JSON; missing items are skipped."""
    items = []
    for key, entity in data["entities"].items():
        if not isinstance(entity, Mapping):
            raise WikidataImportError(f"entity {key!r} is not an object")
        if "missing" in entity:
            continue
        qid = str(entity.get("id", key))
        if not _QID.match(qid):
            continue  # lexemes, properties: not entities of the alias table
        item = WikidataItem(qid)
        for lang, label in (entity.get("labels") or {}).items():
            if isinstance(label, Mapping) and isinstance(label.get("value"), str):
                item.labels[lang] = label["value"]
        for lang, values in (entity.get("aliases") or {}).items():
            item.aliases[lang] = [v["value"] for v in values
                                  if isinstance(v, Mapping) and isinstance(v.get("value"), str)]
        claims = entity.get("claims") or {}
        item.born = _claim_years(claims.get("P569"))
        item.died = _claim_years(claims.get("P570"))
        for statement in _best(claims.get("P31")):
            value = _datavalue(statement)
            if isinstance(value, Mapping) and isinstance(value.get("id"), str):
                item.instance_of.append(value["id"])
        items.append(item)
    return items


def _best(statements: Any) -> list[Mapping[str, Any]]:
    """Preferred-rank statements if any, else the normal ones (deprecated never)."""
    if not isinstance(statements, list):
        return []
    usable = [s for s in statements if isinstance(s, Mapping) and s.get("rank") != "deprecated"]
    preferred = [s for s in usable if s.get("rank") == "preferred"]
    return preferred or usable


def _datavalue(statement: Mapping[str, Any]) -> Any:
    snak = statement.get("mainsnak")
    if not isinstance(snak, Mapping) or snak.get("snaktype", "value") != "value":
        return None
    dv = snak.get("datavalue")
    return dv.get("value") if isinstance(dv, Mapping) else None


def _claim_years(statements: Any) -> set[int]:
    years = set()
    for statement in _best(statements):
        value = _datavalue(statement)
        if not isinstance(value, Mapping):
            continue
        precision = value.get("precision", _YEAR_PRECISION)
        if isinstance(precision, int) and precision < _YEAR_PRECISION:
            continue  # "1910s" is not a year
        year = parse_year(value.get("time"))
        if year is not None:
            years.add(year)
    return years


def parse_year(value: Any) -> int | None:
    """The year of a Wikidata/XSD time ('+1912-04-15T00:00:00Z', '1912', 1912); None for BCE."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    if not isinstance(value, str):
        return None
    m = _YEAR.match(value.strip())
    if not m or m.group(1) == "-":
        return None
    year = int(m.group(2))
    return year or None


def parse_sparql(data: Mapping[str, Any]) -> list[WikidataItem]:
    """Items of SPARQL JSON results with ?item ?label ?hangul ?hanja ?born ?died."""
    head = data.get("head")
    names = head.get("vars") if isinstance(head, Mapping) else None
    if not isinstance(names, list) or "item" not in names:
        raise WikidataImportError(
            "SPARQL results need an ?item variable (expected variables: "
            + " ".join("?" + v for v in SPARQL_VARS) + ")")
    bindings = data["results"].get("bindings")
    if not isinstance(bindings, list):
        raise WikidataImportError("SPARQL results have no 'bindings' list")
    by_qid: dict[str, WikidataItem] = {}
    for row in bindings:
        if not isinstance(row, Mapping):
            continue
        uri = _binding(row, "item")
        qid = uri.rsplit("/", 1)[-1] if uri else None
        if not qid or not _QID.match(qid):
            continue
        item = by_qid.setdefault(qid, WikidataItem(qid))
        label = _binding(row, "label")
        if label:
            lang = str(row["label"].get("xml:lang", "en"))
            if lang not in item.labels:
                item.labels[lang] = label
            elif label != item.labels[lang] and label not in item.aliases.get(lang, []):
                item.aliases.setdefault(lang, []).append(label)
        for var, target in (("hangul", item.hangul), ("hanja", item.hanja)):
            value = _binding(row, var)
            if value and value not in target:
                target.append(value)
        for var, years in (("born", item.born), ("died", item.died)):
            year = parse_year(_binding(row, var))
            if year is not None:
                years.add(year)
    return list(by_qid.values())


def _binding(row: Mapping[str, Any], var: str) -> str | None:
    cell = row.get(var)
    if isinstance(cell, Mapping) and isinstance(cell.get("value"), str):
        value = cell["value"].strip()
        return value or None
    return None


# -- turning items into entries ------------------------------------------------


@dataclass
class Known:
    """What the existing tables already hold: ids, and who has which QID or Hangul."""

    ids: dict[str, str] = field(default_factory=dict)  # id -> display name
    by_wikidata: dict[str, list[str]] = field(default_factory=dict)
    by_hangul: dict[str, list[str]] = field(default_factory=dict)

    def add(self, ident: str, name: str, wikidata: str | None, hangul: str | None) -> None:
        """Record one existing entity."""
        self.ids.setdefault(ident, name)
        if wikidata:
            self.by_wikidata.setdefault(wikidata, []).append(ident)
        if hangul:
            self.by_hangul.setdefault(hangul.replace(" ", ""), []).append(ident)


def known_from_files(paths: Iterable[str | Path]) -> Known:
    """Ids, QIDs and Hangul of alias files, read with the table's own safe parser."""
    from romanize_entities.aliases.loader import parse_file

    known = Known()
    for path in paths:
        for entry in parse_file(path).entries:
            v = entry.values
            if entry.id is None:
                continue
            known.add(entry.id, str(v.get("name") or entry.id),
                      v.get("wikidata") if isinstance(v.get("wikidata"), str) else None,
                      v.get("hangul") if isinstance(v.get("hangul"), str) else None)
    return known


@dataclass
class Draft:
    """One entry to write: the YAML values and comment lines a reviewer should read."""

    values: dict[str, Any]
    comments: list[str] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    """An item that could not become an entry, and why."""

    qid: str
    reason: str


def slug(text: str) -> str:
    """The table's id form of a display name: ASCII, lowercase, words joined by hyphens."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch)).encode(
        "ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_only.lower()))


def entity_fields() -> frozenset[str]:
    """The keys this version's `Entity` knows (cyrillic/hanzi arrive with another issue)."""
    return frozenset(f.name for f in fields(Entity))


def to_drafts(items: Sequence[WikidataItem], known: Known, *, entity_type: str | None = None
              ) -> tuple[list[Draft], list[Skipped]]:
    """Draft entries for `items`; ids never collide with `known` or with each other."""
    if entity_type is not None and entity_type not in ENTITY_TYPES:
        raise ValueError(f"unknown type {entity_type!r}; expected one of "
                         + ", ".join(sorted(ENTITY_TYPES)))
    model = entity_fields()
    taken = dict(known.ids)
    drafts: list[Draft] = []
    skipped: list[Skipped] = []
    for item in items:
        typ = entity_type
        if typ is None:
            if item.instance_of and _HUMAN not in item.instance_of:
                skipped.append(Skipped(item.qid, "not a human (instance of "
                                       + ", ".join(item.instance_of)
                                       + "); pass --type GPE/ORG/... to import it"))
                continue
            typ = "PERSON"
        draft = _draft(item, typ, known, taken, model)
        taken[draft.values["id"]] = draft.values["name"]
        drafts.append(draft)
    return drafts, skipped


def _draft(item: WikidataItem, typ: str, known: Known, taken: Mapping[str, str],
           model: frozenset[str]) -> Draft:
    name = item.labels.get("en") or next(iter(item.labels.values()), None) or item.qid
    draft = Draft({"id": "", "type": typ, "name": name})
    comments = draft.comments
    values = draft.values
    hangul_label = item.labels.get("ko")
    hangul_candidates = [hangul_label] if hangul_label else []
    hangul_candidates += [h for h in item.hangul if h not in hangul_candidates]
    hangul = next((h for h in hangul_candidates if hangul_problem(h) is None), None)
    for rejected in hangul_candidates:
        if rejected != hangul:
            comments.append(f"hangul not used: {rejected!r} "
                            + ("(another value was taken)" if hangul else
                               f"({hangul_problem(rejected)})"))
    if hangul:
        values["hangul"] = hangul
    hanja_candidates = [a for a in item.aliases.get("ko", []) if is_han(a)]
    hanja_candidates += [h for h in item.hanja if h not in hanja_candidates]
    hanja = [h for h in hanja_candidates if is_han(h)]
    if hanja:
        values["hanja"] = hanja[0]
        if len(hanja) > 1:
            comments.append("other Hanja aliases: " + ", ".join(hanja[1:]))
    for rejected in hanja_candidates:
        if not is_han(rejected):
            comments.append(f"hanja not used: {rejected!r} is not written wholly in Han "
                            "characters")
    aliases = [a for lang in ("en",) for a in item.aliases.get(lang, [])]
    aliases = list(dict.fromkeys(a for a in aliases if a.strip() and a != name))
    if aliases:
        values["aliases"] = aliases
    for lang, key in (("ru", "cyrillic"), ("zh", "hanzi")):
        label = item.labels.get(lang)
        if not label:
            continue
        if key in model:
            values[key] = label
        else:
            draft.trailing.append(f"{key}: {label}  (this version's table has no {key!r} "
                                  "field yet)")
    values["sources"] = [ITEM_URL.format(qid=item.qid)]
    values["wikidata"] = item.qid
    for key, years in (("born", item.born), ("died", item.died)):
        if len(years) == 1:
            values[key] = next(iter(years))
        elif years:
            comments.append(f"{key}: sources disagree ({', '.join(map(str, sorted(years)))}); "
                            "none taken")
    notes = []
    base = slug(name) or item.qid.lower()
    ident = base
    if ident in taken:
        born = values.get("born")
        for candidate in ([f"{base}-{born}"] if born else []) + [f"{base}-{item.qid.lower()}"]:
            if candidate not in taken:
                ident = candidate
                break
        notes.append(f"id {base!r} is taken by {taken[base]!r}: a different entry until a "
                     "reviewer decides they are the same")
    values["id"] = ident
    for other in known.by_wikidata.get(item.qid, []):
        notes.append(f"the table already has {item.qid} as {other!r}")
    if hangul:
        for other in known.by_hangul.get(hangul.replace(" ", ""), []):
            notes.append(f"same Hangul as existing {other!r}")
    values["note"] = "Imported from Wikidata " + item.qid + "; unchecked" + (
        ". " + "; ".join(notes) if notes else "")
    values["review"] = True
    return draft


def render(drafts: Sequence[Draft], skipped: Sequence[Skipped] = (), *, source: str = ""
           ) -> str:
    """The drafts as an alias file, with reviewer comments kept beside each entry."""
    lines = [
        "# Draft entries imported from Wikidata" + (f" ({source})" if source else "") + ".",
        "# Each carries review: true. Check every field against its sources, then delete",
        "# the review key; run: romanize-entities check FILE.yaml --strict",
    ]
    for skip in skipped:
        lines.append(f"# skipped {skip.qid}: {skip.reason}")
    lines.append("entities:")
    for draft in drafts:
        lines.append("")
        lines.extend(f"# {c}" for c in draft.comments)
        body = yaml.safe_dump([draft.values], allow_unicode=True, sort_keys=False,
                              default_flow_style=None, width=100_000).rstrip("\n")
        lines.extend(body.splitlines())
        lines.extend(f"  # {t}" for t in draft.trailing)
    return "\n".join(lines) + "\n"
