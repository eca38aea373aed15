"""The reconciliation service as plain functions: query dicts in, result dicts out.

W3C Entity Reconciliation API 0.2 (the version OpenRefine 3.x speaks). Nothing
here knows about HTTP: :mod:`romanize_entities.reconcile.app` only parses
requests, calls a :class:`ReconcileService` method and serializes the answer,
so every rule below is testable without a server.

Scoring. A query's name is looked up in the alias table exactly as the spaCy
component looks up a name in running text; each candidate's score (0–1) becomes
0–100. ``match`` is ``true`` only for the candidate the component itself would
link (:func:`_would_link`: best score at or above the threshold, no tie with
another entity, and for a Korean personal name a verified candidate), so a
spreadsheet cell is held to the same strictness as a sentence: Choe Yong-jin
never matches Choe Yong-gon. Query properties (birth/death year, Hangul, Hanja)
move the score up when they agree and down when they disagree; a disagreeing
property also takes ``match`` away, but an agreeing one never adds it: a name
the component would not link stays a candidate for the user to choose.
"""

from __future__ import annotations

import bisect
import json
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from romanize_entities.aliases import AliasTable, Candidate, Entity
from romanize_entities.aliases.lookup import EAGER_VARIANT_LIMIT
from romanize_entities.candidates import generate_candidates
from romanize_entities.keys import name_key, plain_key
from romanize_entities.linking import decide
from romanize_entities.mentions import is_korean_name_unit
from romanize_entities.normalize import lookup_surface

__all__ = [
    "MAX_BATCH",
    "MAX_LIMIT",
    "PROPERTIES",
    "TYPE_NAMES",
    "QueryError",
    "ReconcileService",
    "describe",
    "life_dates",
    "parse_batch",
]

#: Queries (or extension ids) per request; OpenRefine sends 10 by default.
MAX_BATCH = 500
#: Candidates per query and suggestions per prefix.
MAX_LIMIT = 100
DEFAULT_LIMIT = 10
#: Near candidates (found by spelling similarity only) never score above this.
NEAR_CAP = 0.6
#: Score change (0–100 scale) per agreeing / disagreeing query property.
AGREE_BONUS = 5.0
DISAGREE_PENALTY = 30.0

TYPE_NAMES: dict[str, str] = {
    "PERSON": "Person",
    "ORG": "Organization",
    "EVENT": "Event",
    "GPE": "Country, province or city",
    "LOC": "Location",
    "NORP": "Nationality or political group",
    "FAC": "Facility",
    "WORK_OF_ART": "Work",
}

#: Properties usable in queries and in data extension: id → human name.
PROPERTIES: dict[str, str] = {
    "hangul": "Hangul",
    "hanja": "Hanja",
    "born": "Year of birth",
    "died": "Year of death",
    "wikidata": "Wikidata ID",
    "spellings": "Spellings",
}
#: Property ids a query may use, with the spellings other services use for them.
_QUERY_PROPERTY_ALIASES = {
    "born": "born", "birth": "born", "birth_year": "born", "P569": "born",
    "died": "died", "death": "died", "death_year": "died", "P570": "died",
    "hangul": "hangul", "P1559": "hangul", "hanja": "hanja",
}


class QueryError(ValueError):
    """A request the service cannot answer; the message is shown to the user (HTTP 400)."""


def life_dates(entity: Entity) -> str:
    """"1900–1955", "born 1930", "died 1950" or ""."""
    if entity.born and entity.died:
        return f"{entity.born}–{entity.died}"
    if entity.born:
        return f"born {entity.born}"
    if entity.died:
        return f"died {entity.died}"
    return ""


def describe(entity: Entity) -> str:
    """One line for a result list: life dates, Hangul (Hanja), then the table's note."""
    parts = [life_dates(entity)]
    if entity.hangul:
        parts.append(entity.hangul + (f" ({entity.hanja})" if entity.hanja else ""))
    parts.append(entity.note or "")
    return "; ".join(p for p in parts if p)


def _would_link(candidates: Sequence[Candidate], threshold: float, *,
                korean_name: bool) -> Candidate | None:
    """The candidate the spaCy component would link: `linking.decide`, the one rule."""
    ranked = sorted(candidates, key=lambda c: (-c.score, c.entity_id))
    return decide(ranked, threshold, korean_name=korean_name)


def _korean_name(text: str) -> bool:
    """The component's test: a Korean personal name is one unit, linked only verified."""
    surface = lookup_surface(text)
    return len(surface.split()) > 1 and is_korean_name_unit(surface)


@dataclass(frozen=True)
class _Query:
    text: str
    types: tuple[str, ...]
    limit: int
    properties: dict[str, list[str]]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _parse_query(key: str, raw: Any) -> _Query:
    where = f"query {key!r}"
    if not isinstance(raw, dict):
        raise QueryError(f"{where}: expected an object, got {type(raw).__name__}")
    unknown = set(raw) - {"query", "type", "limit", "properties", "type_strict"}
    if unknown:
        raise QueryError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    text = raw.get("query", "")
    if not isinstance(text, str):
        raise QueryError(f"{where}: 'query' must be a string")
    types_raw = raw.get("type", [])
    if isinstance(types_raw, str):
        types_raw = [types_raw]
    if not isinstance(types_raw, list) or not all(isinstance(t, str) for t in types_raw):
        raise QueryError(f"{where}: 'type' must be a string or a list of strings")
    limit = raw.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit < 0:
        raise QueryError(f"{where}: 'limit' must be a non-negative number")
    props: dict[str, list[str]] = {}
    plist = raw.get("properties", [])
    if not isinstance(plist, list):
        raise QueryError(f"{where}: 'properties' must be a list")
    for prop in plist:
        if not isinstance(prop, dict) or not isinstance(prop.get("pid"), str) or "v" not in prop:
            raise QueryError(f"{where}: each property needs a string 'pid' and a 'v'")
        pid = _QUERY_PROPERTY_ALIASES.get(prop["pid"])
        if pid is None:
            continue  # a column this table has nothing on: ignored, as the spec allows
        for value in _as_list(prop["v"]):
            if isinstance(value, dict):
                value = value.get("name") or value.get("id")
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                text_value = str(value).strip()
                if text_value:
                    props.setdefault(pid, []).append(text_value)
    if not text.strip() and not props:
        raise QueryError(f"{where}: needs a 'query' or 'properties'")
    limit = int(limit) if limit >= 1 else DEFAULT_LIMIT  # 0: "the service's default"
    return _Query(text.strip(), tuple(types_raw), min(limit, MAX_LIMIT), props)


def parse_batch(raw: str | bytes | None) -> dict[str, _Query]:
    """The ``queries`` field: a JSON object of query key → query; QueryError when malformed."""
    if raw is None or not str(raw if isinstance(raw, str) else raw.decode()).strip():
        raise QueryError("missing 'queries': a JSON object of queries")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise QueryError(f"'queries' is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise QueryError("'queries' must be a JSON object mapping keys to queries")
    if len(data) > MAX_BATCH:
        raise QueryError(f"too many queries in one batch: {len(data)} (at most {MAX_BATCH})")
    return {str(k): _parse_query(str(k), v) for k, v in data.items()}


def _year(value: str) -> int | None:
    digits = "".join(ch for ch in value[:4] if ch.isdigit())
    if value[:1] == "+":  # Wikidata-style "+1900-05-28T00:00:00Z"
        digits = "".join(ch for ch in value[1:5] if ch.isdigit())
    return int(digits) if len(digits) == 4 else None


def _compact(text: str) -> str:
    return "".join(text.split())


class ReconcileService:
    """Answers reconciliation, suggest, preview and extension requests against one table.

    Built once per server; every method may be called from several threads at
    once. The alias table fills some indexes lazily on first lookup of a name,
    so table lookups are serialized by one lock; everything else is read-only.
    """

    def __init__(self, table: AliasTable, *, threshold: float,
                 labels: Iterable[str] = (), name: str = "romanize-entities") -> None:
        self.table = table
        self.threshold = threshold
        self.labels = frozenset(labels)
        self.name = name
        self._lock = threading.Lock()
        current = [e for e in table if not e.replaced_by and self._allowed(e)]
        self.types = sorted({e.type for e in current},
                            key=lambda t: (list(TYPE_NAMES).index(t) if t in TYPE_NAMES else 99, t))
        # Suggest index: sorted (key, entity id) for every written form, folded two
        # ways (plain letters and the romanization-invariant name key), so that a
        # prefix in any romanization or in Hangul is one bisect away.
        forms: list[tuple[str, str]] = []
        near_choices: list[str] = []
        near_owners: list[str] = []
        # Generated romanizations are indexed for tables up to EAGER_VARIANT_LIMIT
        # entities with Hangul (the index makes a person's on first use; here they
        # are all asked for once); for a larger table, forcing them would cost
        # minutes of start-up, and the name-key prefix of the attested spellings
        # already reaches the other romanizations.
        eager = sum(1 for e in current if e.hangul) <= EAGER_VARIANT_LIMIT
        for entity in current:
            for spelling in (self.spellings(entity) if eager else entity.spellings()):
                for key in {plain_key(spelling), _compact(name_key(spelling))}:
                    if key:
                        forms.append((key, entity.id))
                near_choices.append(plain_key(spelling))
                near_owners.append(entity.id)
            for script in (entity.hangul, entity.hanja):
                if script:
                    forms.append((_compact(script), entity.id))
        forms.sort()
        self._forms = forms
        self._form_keys = [k for k, _ in forms]
        self._near_choices = near_choices
        self._near_owners = near_owners

    # -- helpers ----------------------------------------------------------------

    def _allowed(self, entity: Entity) -> bool:
        return not self.labels or entity.type in self.labels

    def spellings(self, entity: Entity) -> list[str]:
        """Attested spellings (name, aliases), then the generated romanizations of its Hangul."""
        with self._lock:
            found = self.table._index.spellings(entity.id)
        return list(dict.fromkeys(found))

    def entity(self, ident: str) -> Entity | None:
        """The entity for *ident*, following ``replaced_by`` from a retired id."""
        entity = self.table.get(self.table.resolve(ident))
        return entity if entity is not None and self._allowed(entity) else None

    def _lookup(self, text: str, limit: int) -> list[Candidate]:
        with self._lock:
            return self.table.lookup(text, limit=limit)

    def _generate(self, text: str, limit: int) -> list[Candidate]:
        """The component's candidate generation (`candidates.generate_candidates`)."""
        with self._lock:
            return generate_candidates(self.table, lookup_surface(text), limit=limit)

    def _near(self, text: str, exclude: set[str], limit: int) -> list[Candidate]:
        """Candidates by spelling similarity alone, for the user to look at; never linkable."""
        query = plain_key(text)
        if not query or limit <= 0:
            return []
        found: dict[str, Candidate] = {}
        for _, ratio, i in process.extract(query, self._near_choices, scorer=fuzz.ratio,
                                           limit=limit * 4 + len(exclude), score_cutoff=60):
            ident = self._near_owners[i]
            score = round(ratio / 100 * NEAR_CAP, 4)
            if ident not in exclude and (ident not in found or found[ident].score < score):
                found[ident] = Candidate(ident, score, "near", self._near_choices[i])
        return sorted(found.values(), key=lambda c: (-c.score, c.entity_id))[:limit]

    # -- reconciliation -----------------------------------------------------------

    def manifest(self, base_url: str) -> dict[str, Any]:
        """The service manifest; *base_url* is where this server is reached (no trailing /)."""
        base = base_url.rstrip("/")
        return {
            "versions": ["0.2"],
            "name": f"{self.name}: Korean names across romanizations",
            "identifierSpace": "urn:romanize-entities:entity",
            "schemaSpace": "urn:romanize-entities:type",
            "serviceVersion": _version(),
            "defaultTypes": [{"id": t, "name": TYPE_NAMES.get(t, t)} for t in self.types],
            "view": {"url": f"{base}/entity/{{{{id}}}}"},
            "preview": {"url": f"{base}/preview?id={{{{id}}}}", "width": PREVIEW_WIDTH,
                        "height": PREVIEW_HEIGHT},
            "suggest": {"entity": {"service_url": base, "service_path": "/suggest/entity"}},
            "extend": {"propose_properties": {"service_url": base,
                                              "service_path": "/extend/propose"}},
        }

    def reconcile(self, queries: Mapping[str, _Query]) -> dict[str, Any]:
        """Results for a parsed batch (see :func:`parse_batch`), keyed like the batch."""
        return {key: {"result": self.reconcile_one(query)} for key, query in queries.items()}

    def reconcile_one(self, query: _Query) -> list[dict[str, Any]]:
        text = query.text
        pool = max(query.limit, DEFAULT_LIMIT)
        candidates = self._generate(text, pool) if text else []
        for pid in ("hangul", "hanja"):  # a name written in Hangul is a lookup of its own
            if not text:
                for value in query.properties.get(pid, ()):
                    candidates += self._lookup(value, pool)
        linked = _would_link(candidates, self.threshold,
                             korean_name=_korean_name(text)) if text else None
        if not text and candidates:
            candidates.sort(key=lambda c: (-c.score, c.entity_id))
            linked = _would_link(candidates, self.threshold, korean_name=False)
        seen = {c.entity_id for c in candidates}
        if text:
            candidates += self._near(text, seen, pool)
        # Types this table does not have (another service's "Q5") restrict nothing.
        types = [t for t in query.types if t in self.types]
        results: list[dict[str, Any]] = []
        done: set[str] = set()
        for cand in candidates:
            entity = self.entity(cand.entity_id)
            if entity is None or cand.entity_id in done:
                continue
            if types and entity.type not in types:
                continue
            done.add(cand.entity_id)
            features, agree, disagree = _property_features(entity, query.properties)
            score = cand.score * 100 + AGREE_BONUS * agree - DISAGREE_PENALTY * disagree
            match = (linked is not None and linked.entity_id == entity.id and not disagree)
            features.insert(0, {"id": "name", "value": round(cand.score * 100, 2)})
            results.append({
                "id": entity.id,
                "name": entity.name,
                "score": round(min(100.0, max(0.0, score)), 2),
                "match": match,
                "type": [{"id": entity.type, "name": TYPE_NAMES.get(entity.type, entity.type)}],
                "description": describe(entity),
                "features": features,
            })
        results.sort(key=lambda r: (not r["match"], -r["score"], r["id"]))
        return results[:query.limit]

    # -- suggest ------------------------------------------------------------------

    def suggest(self, prefix: str, *, types: Sequence[str] = (), limit: int = DEFAULT_LIMIT,
                start: int = 0) -> dict[str, Any]:
        """Entities with a spelling that starts with *prefix*, in any romanization or Hangul.

        The prefix is folded like the index (plain letters, name key, Hangul as
        written), so "Pak Hon", "Park Hun" and "박헌" all reach Pak Hon-yong.
        Entities whose own display name starts with the prefix come first.
        """
        prefix = prefix.strip()
        limit = max(0, min(limit, MAX_LIMIT))
        if not prefix:
            return {"result": []}
        # 박헌 and "Park Hun" both fold to the name key of every Pak Hon-yong spelling
        # Tier 0: the display name starts so; 1: another written form (any romanization
        # as written, Hangul, Hanja); 2: only the name key does (박헌 and "Bak Heon" reach
        # every Pak Hon-yong spelling this way, with some near misses after them).
        tiers: dict[str, int] = {}
        written = {plain_key(prefix), _compact(prefix)}
        for tier, keys in ((1, written), (2, {_compact(name_key(prefix))} - written)):
            for key in sorted(k for k in keys if k):
                i = bisect.bisect_left(self._form_keys, key)
                while i < len(self._forms) and self._form_keys[i].startswith(key):
                    tiers.setdefault(self._forms[i][1], tier)
                    i += 1
        folded = plain_key(prefix)
        ranked = []
        for ident, tier in tiers.items():
            entity = self.table[ident]
            if types and entity.type not in types:
                continue
            own = plain_key(entity.name).startswith(folded) or (
                entity.hangul or "").startswith(prefix)
            ranked.append((0 if own else tier, entity.name, entity))
        ranked.sort(key=lambda r: (r[0], r[1]))
        result = [{
            "id": entity.id,
            "name": entity.name,
            "description": describe(entity),
            "notable": [{"id": entity.type, "name": TYPE_NAMES.get(entity.type, entity.type)}],
        } for _, _, entity in ranked[start:start + limit]]
        return {"result": result}

    # -- data extension -----------------------------------------------------------

    def propose(self, type_id: str | None = None) -> dict[str, Any]:
        """``/extend/propose``: the properties any entity can have."""
        props = [{"id": pid, "name": name} for pid, name in PROPERTIES.items()]
        out: dict[str, Any] = {"properties": props}
        if type_id:
            out["type"] = type_id
        return out

    def extend(self, raw: Any) -> dict[str, Any]:
        """Property values for entity ids (the ``extend`` field, already JSON-decoded)."""
        if not isinstance(raw, dict) or not isinstance(raw.get("ids"), list) \
                or not isinstance(raw.get("properties"), list):
            raise QueryError("'extend' must be an object with 'ids' and 'properties' lists")
        ids = raw["ids"]
        if len(ids) > MAX_BATCH:
            raise QueryError(f"too many ids in one extension: {len(ids)} (at most {MAX_BATCH})")
        if not all(isinstance(i, str) for i in ids):
            raise QueryError("'ids' must be strings")
        wanted = []
        for prop in raw["properties"]:
            if not isinstance(prop, dict) or not isinstance(prop.get("id"), str):
                raise QueryError("each of 'properties' needs a string 'id'")
            if prop["id"] not in PROPERTIES:
                raise QueryError(f"unknown property {prop['id']!r}; "
                                 f"known: {', '.join(PROPERTIES)}")
            wanted.append(prop["id"])
        rows: dict[str, Any] = {}
        for ident in ids:
            entity = self.entity(ident)
            rows[ident] = {pid: (self._values(entity, pid) if entity else []) for pid in wanted}
        meta = [{"id": pid, "name": PROPERTIES[pid]} for pid in wanted]
        return {"meta": meta, "rows": rows}

    def _values(self, entity: Entity, pid: str) -> list[dict[str, Any]]:
        if pid == "spellings":
            return [{"str": s} for s in self.spellings(entity)]
        value = getattr(entity, pid)
        if value is None or value == "":
            return []
        if isinstance(value, int):
            return [{"int": value}]
        return [{"str": str(value)}]


def _property_features(entity: Entity, props: Mapping[str, list[str]],
                       ) -> tuple[list[dict[str, Any]], int, int]:
    """Per-property agreement of a candidate with the query: features, agreeing, disagreeing.

    A property the entity has no value for is neither: the table's silence is
    not evidence against a candidate.
    """
    features: list[dict[str, Any]] = []
    agree = disagree = 0
    for pid, values in props.items():
        have = getattr(entity, pid)
        if have is None:
            continue
        if pid in ("born", "died"):
            years = [y for y in (_year(v) for v in values) if y is not None]
            if not years:
                continue
            ok = have in years
        else:
            ok = _compact(str(have)) in {_compact(v) for v in values}
        features.append({"id": pid, "value": ok})
        if ok:
            agree += 1
        else:
            disagree += 1
    return features, agree, disagree


def _version() -> str:
    from romanize_entities import __version__

    return str(__version__)


#: Size of the preview card (the manifest tells OpenRefine to show it in this frame).
PREVIEW_WIDTH = 400
PREVIEW_HEIGHT = 220
