"""Spellings of names with structure: congresses, plenums, departments, embassies.

Archival English writes "the Fourth Congress of the Workers' Party of Korea" as
"KWP Fourth Congress", "4th Congress of the WPK", "the Party's Fourth
Congress"; "the International Department of the KWP Central Committee" as
"KWP CC International Department". Listing all of these per entry is endless,
so an entry describes its name by its parts and this module generates the
spellings, as `romanization` generates romanizations from Hangul:

* explicit keys (`part_of`, `kind`, `ordinal`, `date`, see docs/aliases.md), or
* the same parts *read from a plain name* ("3rd Congress of the Workers' Party
  of Korea" is the third congress of a known party; "December 1957 Plenum of the
  WPK Central Committee" a dated plenum of its CC), so a user table written in
  the plain format gets the same forms.

Two outputs: `full` spellings name the parent (or a date unique to it) and are
indexed like any generated variant; `short` forms ("the Central Committee",
"the Party", "the Fourth Congress", "the April Plenum") name no parent and may
only be linked by the component when exactly one entity they can denote is in
view (`ShortForm.anchors`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from romanize_entities.aliases.model import Entity
from romanize_entities.keys import is_korean_romanization

#: Bump when the generated spellings change: compiled tables cached with older
#: rules are then rebuilt (it is part of the cache key, with FORMAT_VERSION).
RULES_VERSION = 3

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_MONTH_NUM = {m.lower(): i for i, m in enumerate(MONTHS, 1)}

_UNITS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
          "ninth")
_TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
          "sixteenth", "seventeenth", "eighteenth", "nineteenth")
_TENS_ORD = {2: "twentieth", 3: "thirtieth", 4: "fortieth", 5: "fiftieth"}
_TENS_CARD = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty"}

#: Event kinds named by ordinal or date, with the head nouns that write them.
EVENT_NOUNS: dict[str, tuple[str, ...]] = {
    "congress": ("Congress",),
    "conference": ("Conference",),
    "plenum": ("Plenum", "Plenary Meeting", "Plenary Session"),
    "session": ("Session",),
    "meeting": ("Meeting",),
}
_EVENT_KIND_OF = {n.lower(): k for k, ns in EVENT_NOUNS.items() for n in ns}
_EVENT_KIND_OF["party congress"] = "congress"
_EVENT_KIND_OF["party conference"] = "conference"

#: Head words of bodies named after their parent, by kind (the last word decides).
BODY_KIND_OF: dict[str, str] = {
    "central committee": "central-committee", "politburo": "politburo",
    "political bureau": "politburo", "political committee": "politburo",
    "presidium": "presidium", "secretariat": "secretariat", "department": "department",
    "ministry": "ministry", "embassy": "embassy", "committee": "committee",
    "commission": "commission", "cabinet": "cabinet", "army": "army", "command": "command",
    "bureau": "committee", "council": "committee",
}
_BODY_HEAD = re.compile(
    r"\b(?:Central Committee|Politburo|Political Bureau|Political Committee|Presidium|"
    r"Secretariat|Department|Ministry|Embassy|Committee|Commission|Cabinet|Army|Command|"
    r"Bureau|Council)\b")
_ORDINAL_SUFFIX = re.compile(r"^(\d{1,3})(?:st|nd|rd|th)$", re.IGNORECASE)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
_IN_PLACE = re.compile(r"^(?P<head>.+?) in (?:the )?(?P<place>[^,]+)$")


def ordinal_word(n: int) -> str:
    """1 → "First", 22 → "Twenty-Second" (up to 59: party congresses, sessions)."""
    if n < 10:
        word = _UNITS[n]
    elif n < 20:
        word = _TEENS[n - 10]
    elif n % 10 == 0:
        word = _TENS_ORD[n // 10]
    else:
        word = f"{_TENS_CARD[n // 10]}-{_UNITS[n % 10]}"
    return "-".join(w.capitalize() for w in word.split("-"))


def ordinal_suffix(n: int) -> str:
    """1 → "1st", 22 → "22nd", 13 → "13th"."""
    tail = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{tail}"


def roman(n: int) -> str:
    """4 → "IV", 22 → "XXII"."""
    out = ""
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"),
                           (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def ordinal_forms(n: int) -> list[str]:
    """Every way documents write the ordinal n: Fourth, 4th, IV (and Twenty Second)."""
    if not 1 <= n < 60:
        return [ordinal_suffix(n)] if n >= 1 else []
    word = ordinal_word(n)
    forms = [word, ordinal_suffix(n), roman(n)]
    if "-" in word:
        forms.append(word.replace("-", " "))
    return forms


def parse_ordinal(text: str) -> int | None:
    """"Fourth" / "4th" / "IV" / "Twenty-second" → the number; None when not an ordinal."""
    t = text.strip()
    m = _ORDINAL_SUFFIX.match(t)
    if m:
        return int(m.group(1))
    if t and set(t) <= set("IVXL") and t.isupper():
        total, prev = 0, 0
        for ch in reversed(t):
            value = _ROMAN[ch]
            total += -value if value < prev else value
            prev = max(prev, value)
        return total if roman(total) == t else None
    return _WORD_ORDINALS.get(t.lower().replace(" ", "-"))


_WORD_ORDINALS = {ordinal_word(n).lower(): n for n in range(1, 60)}


@dataclass(frozen=True)
class Structure:
    """What a name is made of: a head (noun phrase) of a kind, owned by `parent`."""

    kind: str
    heads: tuple[str, ...]  # "International Department", "Congress" ...
    parent: str | None
    ordinal: int | None = None
    year: int | None = None
    month: int | None = None
    place: str | None = None  # "in the DPRK" of an embassy: an entity id


@dataclass
class ShortForm:
    """A spelling that names no parent: links only with one of `anchors` in view."""

    entity_id: str
    anchors: frozenset[str]


@dataclass
class Generated:
    """The output of `generate`: full spellings by entity, short forms by spelling."""

    full: dict[str, list[str]] = field(default_factory=dict)
    short: dict[str, list[ShortForm]] = field(default_factory=dict)


def _is_party(entity: Entity) -> bool:
    """A party: kind party, or an ORG named "... Party ..." that is no organ of one."""
    name = _PAREN.sub("", entity.name)
    return entity.kind == "party" or (
        entity.kind is None and entity.type == "ORG" and entity.part_of is None
        and re.search(r"\bParty\b", name) is not None and _BODY_HEAD.search(name) is None)


def _english(spelling: str) -> bool:
    """Spellings usable as a parent's name in generated English forms.

    Romanized Korean or Russian titles ("Chosŏn Rodongdang") and Hangul are
    left out: nobody writes "Chosŏn Rodongdang Fourth Congress".
    """
    if not spelling.isascii():
        return False
    return spelling.replace(".", "").isupper() or not is_korean_romanization(spelling)


class _Namer:
    """Resolves written parent names to ids and lists each entity's English names."""

    def __init__(self, entities: Mapping[str, Entity]) -> None:
        self.entities = entities
        self.by_spelling: dict[str, set[str]] = {}
        for ent in entities.values():
            for s in (ent.name, _PAREN.sub("", ent.name), *ent.aliases):
                self.by_spelling.setdefault(_norm(s), set()).add(ent.id)
        self.structures: dict[str, Structure] = {}
        self._names: dict[str, list[str]] = {}

    def resolve(self, text: str) -> str | None:
        text = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)
        ids = self.by_spelling.get(_norm(text), set())
        ids = {i for i in ids if not self.entities[i].replaced_by}
        return next(iter(ids)) if len(ids) == 1 else None

    def front_names(self, ident: str) -> list[str]:
        """Names that can stand before a noun: its own names, and generated ones
        without "of" ("KWP CC", not "CC of the KWP")."""
        ent = self.entities[ident]
        own = {_PAREN.sub("", ent.name), *ent.aliases}
        return [y for y in self.names(ident) if y in own or " of " not in y]

    def names(self, ident: str, depth: int = 0) -> list[str]:
        """English names of `ident`, its generated ones included (for nested parents)."""
        if ident in self._names:
            return self._names[ident]
        ent = self.entities[ident]
        base = [s for s in dict.fromkeys((_PAREN.sub("", ent.name), *ent.aliases)) if _english(s)]
        st = self.structures.get(ident)
        if st is not None and st.parent is not None and depth < 3 and st.kind in BODY_KINDS:
            base += [s for s in _body_forms(st, self.names(st.parent, depth + 1),
                                            self._adjectives(st.parent), ())
                     if s.count(" ") < 8]
        out = list(dict.fromkeys(base))
        self._names[ident] = out
        return out

    def clear_names(self) -> None:
        self._names.clear()

    def _adjectives(self, ident: str) -> list[str]:
        return list(self.entities[ident].demonyms)


#: Bodies a document calls by their head alone ("the Central Committee", "the
#: Organizational Department"); "the Army", "the Ministry" are too vague to link.
SHORT_BODY_KINDS = frozenset({"central-committee", "politburo", "presidium", "secretariat",
                              "department"})
BODY_KINDS = frozenset(set(BODY_KIND_OF.values()) | {"agency", "assembly", "corps",
                                                      "division"})


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().casefold()


def read_structure(entity: Entity, namer: _Namer) -> Structure | None:
    """The structure of `entity`: from its keys, else read from its name and aliases."""
    if entity.type not in ("ORG", "EVENT"):
        return None
    year = month = None
    if entity.date:
        parts = entity.date.split("-")
        year, month = int(parts[0]), (int(parts[1]) if len(parts) > 1 else None)
    if entity.kind in EVENT_NOUNS:
        return Structure(entity.kind, EVENT_NOUNS[entity.kind], entity.part_of,
                         entity.ordinal, year, month)
    parsed = [p for p in (_parse(s, namer, entity.id) for s in entity.spellings())
              if p is not None]
    if entity.kind is not None and entity.part_of is not None:
        # the parts are given: any parsed head will do, whoever the parsed parent
        heads = [h for p in parsed if p.kind not in EVENT_NOUNS for h in p.heads]
        if _parse(entity.name, namer, entity.id) is None:
            heads.append(_PAREN.sub("", entity.name))  # "Ministry of State Security"
        heads += _bare_heads(entity, namer)
        return Structure(entity.kind, tuple(dict.fromkeys(heads)), entity.part_of,
                         entity.ordinal, year, month,
                         next((p.place for p in parsed if p.place), None))
    if not parsed:
        return None
    first = parsed[0]
    if first.kind in BODY_KINDS:
        heads = [h for p in parsed if p.kind in BODY_KINDS for h in p.heads]
        heads += _bare_heads(entity, namer)
        return Structure(first.kind, tuple(dict.fromkeys(heads)), first.parent,
                         place=next((p.place for p in parsed if p.place), None))
    return Structure(first.kind, EVENT_NOUNS[first.kind], first.parent,
                     first.ordinal if entity.ordinal is None else entity.ordinal,
                     first.year if year is None else year,
                     first.month if month is None else month)


def _bare_heads(entity: Entity, namer: _Namer) -> list[str]:
    """Aliases that are a head alone ("Organization and Guidance Department")."""
    return [a for a in entity.aliases if a.isascii() and _BODY_HEAD.search(a)
            and " of " not in a and not a.isupper() and _parse(a, namer, entity.id) is None]


_QUAL = re.compile(
    r"^(?:(?P<month>" + "|".join(MONTHS) + r")\s+)?(?:(?P<year>1[89]\d\d|20\d\d)\s+)?"
    r"(?:(?P<ord>[\w-]+(?: [\w-]+)?)\s+)?(?:Party\s+|CC\s+)?(?P<noun>Congress|Conference|"
    r"Plenum|Plenary Meeting|Plenary Session|Session|Meeting)$", re.IGNORECASE)


def _parse(spelling: str, namer: _Namer, self_id: str) -> Structure | None:
    """Read one plain spelling: "<qualifier> <Noun> of the <parent>", "<parent> <head>"..."""
    text = _PAREN.sub("", spelling).strip()
    if not text.isascii():
        return None
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    words = text.split(" ")
    # "<head> of (the) <parent>": try the longest parent first
    for i, w in enumerate(words):
        if w != "of" or i == 0:
            continue
        head, rest = " ".join(words[:i]), " ".join(words[i + 1:])
        place = None
        m = _IN_PLACE.match(rest)
        if m and namer.resolve(m.group("place")):
            rest, place = m.group("head"), namer.resolve(m.group("place"))
        parent = namer.resolve(rest)
        if parent is None or parent == self_id:
            continue
        found = _head_structure(head, parent)
        if found is not None:
            return Structure(found.kind, found.heads, parent, found.ordinal, found.year,
                             found.month, place)
    # "<parent> <head>": the parent written in front
    for i in range(len(words) - 1, 0, -1):
        parent = namer.resolve(" ".join(words[:i]))
        if parent is None or parent == self_id:
            continue
        found = _head_structure(" ".join(words[i:]), parent)
        if found is not None:
            return found
    return None


def _head_structure(head: str, parent: str) -> Structure | None:
    m = _QUAL.match(head)
    if m:
        noun = m.group("noun")
        kind = _EVENT_KIND_OF[noun.lower()]
        ordinal = parse_ordinal(m.group("ord")) if m.group("ord") else None
        if m.group("ord") and ordinal is None:
            return None
        month = _MONTH_NUM[m.group("month").lower()] if m.group("month") else None
        year = int(m.group("year")) if m.group("year") else None
        if ordinal is None and month is None and year is None:
            return None
        return Structure(kind, EVENT_NOUNS[kind], parent, ordinal, year, month)
    found = list(_BODY_HEAD.finditer(head))
    if not found or (found[-1].end() != len(head) and " of " not in head[found[-1].end():]):
        return None
    kind = BODY_KIND_OF[found[0].group(0).lower()]
    if "Central Committee" in head and head.index("Central Committee") == 0:
        kind = "central-committee"
    return Structure(kind, (head,), parent)


def _cc_variants(head: str) -> list[str]:
    out = [head]
    if "Central Committee" in head:
        out.append(head.replace("Central Committee", "CC"))
    return out


def _body_forms(st: Structure, parent_names: Iterable[str], adjectives: Iterable[str],
                place_names: Iterable[str], front: Iterable[str] | None = None) -> list[str]:
    """"X of the Y" / "X of Y" / "Y X" / "Y's X" / "<demonym> X" (+ "in <place>").

    `front` (default: all parent names) are the names that may stand before X.
    """
    out: list[str] = []
    heads = [v for h in st.heads for v in _cc_variants(h)]
    parent_names = list(parent_names)
    front_names = parent_names if front is None else list(front)
    for x in heads:
        for y in parent_names:
            out += [f"{x} of the {y}", f"{x} of {y}"]
        for y in front_names:
            out += [f"{y} {x}", f"{y}'s {x}"]
        for adj in adjectives:
            out.append(f"{adj} {x}")
    if st.place is not None:
        out += [f"{s} in {t}{p}" for s in list(out) for p in place_names for t in ("", "the ")]
    return list(dict.fromkeys(out))


def _qualifiers(st: Structure) -> tuple[list[str], list[str]]:
    """(qualifiers that identify the event, month-only qualifiers that need context)."""
    strong: list[str] = []
    weak: list[str] = []
    if st.ordinal:
        strong += ordinal_forms(st.ordinal)
    if st.month and st.year:
        m = MONTHS[st.month - 1]
        strong += [f"{m} {st.year}"]
        weak.append(m)
    elif st.year and not st.ordinal:
        strong.append(str(st.year))
    return strong, weak


def _event_forms(st: Structure, parent_names: list[str], front: list[str], generic: list[str]
                 ) -> tuple[list[str], list[str]]:
    """Full forms (a named parent) and short forms (generic or no parent).

    `front` are the parent names that may stand before the noun ("KWP CC August
    Plenum"); a parent written "CC of the KWP" stands only after it.
    """
    strong, weak = _qualifiers(st)
    full: list[str] = []
    short: list[str] = []
    for q, n in itertools.product(strong, st.heads):
        for y in parent_names:
            full += [f"{q} {n} of the {y}", f"{q} {n} of {y}"]
        for y in front:
            full += [f"{y} {q} {n}", f"{y}'s {q} {n}", f"{q} {y} {n}"]
            if "Party" in generic:  # "KWP 3rd Party Congress"
                full += [f"{y} {q} Party {n}", f"{y}'s {q} Party {n}"]
        short.append(f"{q} {n}")
        for g in generic:
            short += [f"{q} {g} {n}", f"{g}'s {q} {n}", f"{q} {n} of the {g}"]
    for q, n in itertools.product(weak, st.heads):
        short.append(f"{q} {n}")
        for g in generic:
            short += [f"{q} {g} {n}", f"{g}'s {q} {n}", f"{q} {n} of the {g}"]
        short += [f"{q} {n} of the {y}" for y in parent_names]
        short += [f for y in front for f in (f"{y} {q} {n}", f"{q} {y} {n}")]
    return list(dict.fromkeys(full)), list(dict.fromkeys(short))


def generate(entities: Mapping[str, Entity]) -> Generated:
    """Full spellings and short forms of every structured entity of a table."""
    namer = _Namer(entities)
    for round_ in range(2):
        # round 2 reads parents written in a generated form ("KWP Central Committee")
        for ent in entities.values():
            if ent.replaced_by or ent.id in namer.structures:
                continue
            st = read_structure(ent, namer)
            if st is not None and (st.parent in entities or st.parent is None):
                namer.structures[ent.id] = st
        if round_ == 0:
            for ident, st in namer.structures.items():
                if st.kind in BODY_KINDS:
                    for s in namer.names(ident):
                        namer.by_spelling.setdefault(_norm(s), set()).add(ident)
            namer.clear_names()
    out = Generated()
    for ident, st in namer.structures.items():
        ent = entities[ident]
        own = {_norm(s) for s in ent.spellings()}
        anchors = frozenset(_ancestors(ident, entities, namer))
        if st.parent is None:
            continue
        parent = entities[st.parent]
        if st.kind in EVENT_NOUNS:
            names = list(namer.names(st.parent))
            front = namer.front_names(st.parent)
            generic = _generic_names(parent, namer)
            if namer.structures.get(st.parent) and namer.structures[st.parent].parent:
                grand = namer.structures[st.parent].parent
                if grand is not None:  # "the KWP August Plenum": plenums of the party's CC
                    names += namer.names(grand)
                    front += namer.front_names(grand)
                    generic += _generic_names(entities[grand], namer)
            full, short = _event_forms(st, list(dict.fromkeys(names)),
                                       list(dict.fromkeys(front)),
                                       list(dict.fromkeys(generic)))
        else:
            place_names = namer.names(st.place) if st.place else []
            full = _body_forms(st, namer.names(st.parent), parent.demonyms, place_names,
                               namer.front_names(st.parent))
            party = _party_of_central_committee(st.parent, entities, namer)
            if party is not None:
                # A department of the Central Committee is written as the party's own:
                # "WPK United Front Department", "KWP Central Military Commission".
                full += [f for f in _body_forms(st, namer.names(party),
                                                entities[party].demonyms, place_names,
                                                namer.front_names(party))
                         if f not in full]
            if st.place is not None:
                # "the Soviet Embassy" names no place: a short form, with the place in view
                bare = _body_forms(st, namer.names(st.parent), parent.demonyms, (),
                                   namer.front_names(st.parent))
                full = [f for f in full if f not in bare]
                anchors = frozenset({ident, st.place})
                for s in bare:
                    out.short.setdefault(_norm(s), []).append(ShortForm(ident, anchors))
            short = []
            if st.kind in SHORT_BODY_KINDS:
                short = [v for h in st.heads for v in _cc_variants(h)]
            for g in _generic_names(parent, namer) if short else ():
                short += [f"{g} {h}" for h in st.heads] + [f"{h} of the {g}" for h in st.heads]
        out.full[ident] = [s for s in full if _norm(s) not in own]
        for s in dict.fromkeys(short):
            out.short.setdefault(_norm(s), []).append(ShortForm(ident, anchors))
    for ident, ent in entities.items():
        if _is_party(ent) and not ent.replaced_by:
            anchors = frozenset({ident})
            out.short.setdefault("party", []).append(ShortForm(ident, anchors))
    return out


def _party_of_central_committee(ident: str, entities: Mapping[str, Entity],
                                namer: _Namer) -> str | None:
    """The party whose Central Committee `ident` is, or None."""
    st = namer.structures.get(ident)
    party = st.parent if st is not None and st.kind == "central-committee" else None
    if party is None or party not in entities:
        return None
    return party if _is_party(entities[party]) else None


def _generic_names(entity: Entity, namer: _Namer) -> list[str]:
    """How a parent is called without its name: "Party", "CC", "Central Committee"."""
    if _is_party(entity):
        return ["Party"]
    st = namer.structures.get(entity.id)
    if st is not None and st.kind == "central-committee":
        return ["CC", "Central Committee", "Party CC", "Party Central Committee"]
    return []


def _ancestors(ident: str, entities: Mapping[str, Entity], namer: _Namer) -> list[str]:
    out = [ident]
    st = namer.structures.get(ident)
    while st is not None and st.parent is not None and st.parent not in out:
        out.append(st.parent)
        st = namer.structures.get(st.parent)
    return out
