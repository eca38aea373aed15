"""Organizations and events in running text: whole names, short forms, dates, demonyms.

The component's main pass (`mentions.py` windows looked up in the table) finds
names written as one run of capitalized words. Bodies and events are written in
ways that pass misses or gets wrong; this module adds, per document:

1. *read-through windows*: names with a translator's bracket ("KWP CC
   [Organizational] Department", "Korean [People's] Army"; "[sic]" dropped), a
   dotted acronym ("U.N." / "U. N." read as "UN"), a year ("the March 1958
   Party Conference"), a lower-case event noun ("the Jeju uprising"), a line
   break, or more words than the main window, are looked up as the words they
   spell. Only exact, alias, Hangul or generated spellings link here: a long
   name is never a typo of another.
2. *shells*: a capitalized body or event noun ("Fifth Plenum of the KWP", "KWP
   CC Cadres Department") whose whole name the table does not know is kept as
   an unlinked ORG/EVENT span (method "structure"); the party or person inside
   it then stays nested (doc.spans) instead of standing in doc.ents for the
   whole. A place inside it still links into doc.ents (`select_ents`).
3. *dates as names*: "4·3", "6·25", "12.12" link to the table's event of that
   month and day only next to a place ("Cheju 4.3") or an event noun ("4·3
   incident", "June 25 War"), or written with a Hangul word ("4·3 사건"); a bare
   "4.3" or "April 19" in prose is not an event.
4. *definite short forms*: "the Central Committee", "the Politburo", "the
   Party", "the Party's Fourth Congress", "the April Plenum" link (method
   "context") when exactly one entity they can denote is in view — the entity,
   or a body it belongs to, linked earlier in the document; with several they
   stay unlinked and list them as candidates.
5. *demonyms*: "North Korean", "Soviet", "South Koreans" (the `demonyms` of a
   place) become NORP spans whose `entity_link.entity_id` is the place (method
   "demonym") with an empty `kb_id_`; they replace a link of the same words to
   the place itself.
6. ordinals must agree: a key or fuzzy match of "Fourth Party Congress" to
   "20th Party Congress" is a different event, not a typo, and is unlinked.
7. the tail of another name does not link: "Second ROK Army" (an ordinal the
   body lacks) or "Soviet Workers' Party" (another country's demonym) is an
   unlinked name over the whole, not the ROK Army or the Workers' Party.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from spacy.tokens import Span
from spacy.util import filter_spans

from romanize_entities.aliases import AliasTable, Candidate
from romanize_entities.aliases.structured import MONTHS, ShortForm, parse_ordinal

if TYPE_CHECKING:
    from romanize_entities.component import Mention

Lookup = Callable[[str], tuple[Candidate, ...]]
_T = TypeVar("_T")

#: Methods trusted for a long or read-through name (no key/fuzzy guesses).
STRONG_METHODS = frozenset({"exact", "alias", "hangul"})
#: Method of an unlinked whole body/event name (see `select_ents`).
SHELL_METHOD = "structure"
DEMONYM_METHOD = "demonym"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_EVENT_HEADS = frozenset({"Congress", "Conference", "Plenum", "Session", "Meeting", "Plenary"})
_BODY_HEADS = frozenset({"Department", "Ministry", "Embassy", "Committee", "Commission",
                         "Bureau", "Politburo", "Presidium", "Secretariat", "Command",
                         "Cabinet", "Council", "Directorate", "Section", "Division", "Office",
                         "Administration", "Agency", "Service"})
#: Head nouns that name a body or event even in lower case ("the August plenum",
#: "the CC presidium"); "committee" or "department" in lower case are ordinary words.
_LOWER_HEADS = frozenset({"Plenum", "Presidium", "Politburo", "Secretariat", "Congress",
                          "Conference"})
_EVENT_NOUNS = ("uprising", "incident", "rebellion", "massacre", "revolution", "coup",
                "movement", "war", "crisis", "affair", "purge", "struggle", "incidents",
                "riots", "uprisings")
_STOP_LEAD = frozenset({"The", "A", "An", "At", "In", "On", "Of", "To", "By", "For", "From",
                        "With", "And", "But", "As", "After", "Before", "During", "Since",
                        "When", "While", "This", "That", "These", "Its", "His", "Her",
                        "Their", "Our", "Dear", "Comrade", "Comrades"})

# Two scans, merged: capitalized/numeric tokens (a leading character-class lookahead
# lets the regex engine skip prose fast) and a few lower-case nouns. One alternation
# of both is ~10x slower on running text.
_UPPER_TOKEN = re.compile(
    r"(?=[A-ZÀ-ÖØ-ÞŎŬ\d\[])(?:"
    r"(?P<acr>(?<![\w.])(?:[A-Z]\.[ ]?){2,}(?![a-z]))"
    r"|(?P<br>\[[^\[\]\n]{1,40}\])"
    r"|(?P<ord>(?<!\w)\d{1,3}(?:st|nd|rd|th)\b)"
    r"|(?P<year>(?<!\w)(?:1[89]|20)\d\d\b)"
    r"|(?P<cap>[A-ZÀ-ÖØ-ÞŎŬ][\w'’ʼŏŭŎŬ]*(?:-[\w'’ʼŏŭŎŬ]+)*))"
)
_LOWER_TOKEN = re.compile(
    r"(?=[" + "".join(sorted({w[0] for w in (*_EVENT_NOUNS, *(h.lower() for h in _LOWER_HEADS),
                                            "party")})) + r"])"
    r"\b(?:(?P<ev>" + "|".join(_EVENT_NOUNS) + r")"
    r"|(?P<lh>" + "|".join(sorted(h.lower() for h in _LOWER_HEADS)) + r")"
    r"|(?P<lp>party))\b"  # "the Central Committee of the party"
)


def _tokens(text: str) -> list[_Tok]:
    """Name tokens of `text` in order (see _UPPER_TOKEN, _LOWER_TOKEN)."""
    toks = [_Tok(m.start(), m.end(), m.lastgroup or "", m.group(0))
            for pattern in (_UPPER_TOKEN, _LOWER_TOKEN) for m in pattern.finditer(text)]
    toks.sort(key=lambda t: t.start)
    return toks


_DATE = re.compile(r"(?=\d)(?<![\w.·])(?P<m>\d{1,2})[ ]?[·.．・･][ ]?(?P<d>\d{1,2})(?![\w]|[.·]\d)")
_EN_DATE = re.compile(
    r"(?=[ADFJMNOS])\b(?P<month>" + "|".join(MONTHS) + r")[ ](?P<d>\d{1,2})(?:st|nd|rd|th)?"
    r"(?P<tail>[ ](?P<noun>(?i:revolution|uprising|incident|movement|war|coup|massacre|"
    r"rebellion|struggle|democratization movement|democratic uprising))\b)")
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{1,2})[ ]?[·.][ ]?(\d{1,2})(?!\d)")
_EN_DATE_IN_NAME = re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})(?:st|nd|rd|th)?\b")
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
_WORD_BEFORE = re.compile(r"([A-ZÀ-ÖØ-ÞŎŬ][\w'’-]*|[\uac00-\ud7a3]+)[ ]$")
_WORD_AFTER = re.compile(r"^[ ]?([A-Za-z]+|[\uac00-\ud7a3]+)")
_ORDINAL_WORD = re.compile(
    r"\b(?:\d{1,3}(?:st|nd|rd|th)|[IVXL]{1,6}|(?:(?:Twenty|Thirty|Forty|Fifty)[- ])?"
    r"(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|"
    r"Twelfth|Thirteenth|Fourteenth|Fifteenth|Sixteenth|Seventeenth|Eighteenth|Nineteenth|"
    r"Twentieth|Thirtieth|Fortieth|Fiftieth))\b", re.IGNORECASE)


class _ByStart(Generic[_T]):
    """Items sorted by start, for "which of them overlap [a, b)?" without a scan.

    Why: the demonym, short-form and shell passes ask this once per hit; a list
    scan per hit made them quadratic in the number of mentions of a long document.
    `bounds` gives an item's (start, end): `_char_bounds` for Mentions, token
    offsets for Spans (`select_ents`).
    """

    def __init__(self, items: Iterable[_T], bounds: Callable[[_T], tuple[int, int]]) -> None:
        self.items = sorted(items, key=lambda x: bounds(x)[0])
        self.bounds = bounds
        self.starts = [bounds(x)[0] for x in self.items]
        self.longest = max((e - s for s, e in map(bounds, self.items)), default=0)

    def overlapping(self, a: int, b: int) -> list[_T]:
        """The items with start < b and end > a (an empty [a, a) counts as a point)."""
        lo = bisect_left(self.starts, a - self.longest)
        hi = bisect_left(self.starts, b if b > a else a + 1)
        return [x for x in self.items[lo:hi] if self.bounds(x)[1] > a]


def _char_bounds(m: Mention) -> tuple[int, int]:
    return m.start_char, m.end_char


class _Tok(NamedTuple):
    """One name token (a tuple: cheap to make by the thousand)."""

    start: int
    end: int
    kind: str
    text: str


@dataclass
class OrgEventMatcher:
    """Per-table indexes of this module, built on first use by the component."""

    table: AliasTable
    threshold: float
    max_window: int = 6
    _dates: dict[tuple[int, int], set[str]] | None = None
    _demonyms: re.Pattern[str] | None = None
    _demonym_ids: dict[str, str] = field(default_factory=dict)
    _runs_of: tuple[str, list[list[_Tok]]] | None = None
    _short_prefixes: frozenset[str] | None = None

    # -- indexes ------------------------------------------------------------
    def dates(self) -> dict[tuple[int, int], set[str]]:
        """(month, day) → events the table names by that date (4·3 → Jeju uprising)."""
        if self._dates is None:
            index: dict[tuple[int, int], set[str]] = {}
            for ent in self.table:
                if ent.type != "EVENT" or ent.replaced_by or ent.kind in (
                        "congress", "conference", "plenum", "session", "meeting"):
                    continue
                keys: set[tuple[int, int]] = set()
                for s in (*ent.spellings(), ent.hangul or ""):
                    keys |= {(int(m), int(d)) for m, d in _DATE_IN_NAME.findall(s)}
                    keys |= {(MONTHS.index(m) + 1, int(d))
                             for m, d in _EN_DATE_IN_NAME.findall(s)}
                for key in keys:
                    if 1 <= key[0] <= 12 and 1 <= key[1] <= 31:
                        index.setdefault(key, set()).add(ent.id)
            self._dates = index
        return self._dates

    def demonym_pattern(self) -> re.Pattern[str] | None:
        if self._demonyms is None:
            forms: dict[str, str] = {}
            for ent in self.table:
                for d in ent.demonyms:
                    forms[d] = ent.id
                    if not d.endswith(("s", "ese", "sh", "ch")):
                        forms[d + "s"] = ent.id  # "South Koreans", "Soviets"
            self._demonym_ids = forms
            if not forms:
                return None
            alt = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
            initials = "".join(sorted({re.escape(f[0]) for f in forms}))
            self._demonyms = re.compile(rf"(?=[{initials}])(?<![\w'’-])(?:{alt})(?![\w'’-])")
        return self._demonyms

    # -- 1-3: extra mentions ------------------------------------------------
    def runs(self, text: str) -> list[list[_Tok]]:
        """Name-token runs of `text` (one or more tokens), computed once per document."""
        if self._runs_of is None or self._runs_of[0] is not text:
            self._runs_of = (text, _runs(text, min_len=1))
        return self._runs_of[1]

    def extra_mentions(self, text: str, lookup: Lookup) -> list[Mention]:
        """Read-through windows, shells and date names (see the module docstring)."""
        out: list[Mention] = []
        for run in self.runs(text):
            if len(run) > 1:
                out += self._run_mentions(text, run, lookup)
        out += self._date_mentions(text, lookup)
        return out

    def _run_mentions(self, text: str, run: list[_Tok], lookup: Lookup) -> list[Mention]:
        from romanize_entities.component import Mention

        out: list[Mention] = []
        # a body's or an event's name longer than the main pass's windows ("Embassy of
        # the USSR in the DPRK") is read here; any other run keeps max_window
        long_name = len(run) > self.max_window and any(
            t.text in _BODY_HEADS or t.text in _EVENT_HEADS for t in run)
        special = any(t.kind in ("acr", "br", "year", "ev", "lh") for t in run) or (
            long_name or "\n" in text[run[0].start:run[-1].end])
        if special:
            for i in range(len(run)):
                if run[i].kind in ("conn", "br", "ev", "lh", "lp"):
                    continue
                for j in range(min(len(run), i + 14), i, -1):
                    last = run[j - 1]
                    if last.kind in ("conn", "br", "lp"):
                        continue
                    window = run[i:j]
                    spelled = _spell(window)
                    raw = text[window[0].start:last.end]
                    if spelled == raw and j - i <= self.max_window and not any(
                            t.kind in ("ev", "year", "lh") for t in window):
                        continue  # the main pass looked this one up already
                    m = self._strong(spelled, raw, window[0].start, last.end, lookup)
                    if m is not None:
                        out.append(m)
                        break  # the longest from this start
        shell = _shell(run)
        if shell is not None:
            a, b, label = shell
            if not any(m.start_char <= a and m.end_char >= b for m in out):
                out.append(Mention(a, b, text[a:b], label, "", 0.0, SHELL_METHOD, [],
                                   "", len(text[a:b].split())))
        return out

    def _strong(self, spelled: str, raw: str, start: int, end: int,
                lookup: Lookup) -> Mention | None:
        from romanize_entities.component import Mention

        cands = list(lookup(spelled))
        if not cands or cands[0].method not in STRONG_METHODS or cands[0].score < self.threshold:
            return None
        best = cands[0]
        if len(cands) > 1 and abs(cands[1].score - best.score) < 1e-9 and (
                cands[1].entity_id != best.entity_id):
            return None
        ent = self.table[best.entity_id]
        return Mention(start, end, raw, ent.type, ent.id, best.score, best.method, cands,
                       "", len(raw.split()))

    def _date_mentions(self, text: str, lookup: Lookup) -> list[Mention]:
        from romanize_entities.component import Mention

        out: list[Mention] = []
        index = self.dates()
        found: list[tuple[int, int, int, int]] = []  # start, end, month, day
        for m in _DATE.finditer(text):
            start, end = m.start(), m.end()
            month, day = int(m.group("m")), int(m.group("d"))
            if (month, day) in index:  # "12·12 Military Insurrection": a listed name
                words = list(re.finditer(r"\S+", text[end:end + 60]))[:3]
                for w in reversed(words):
                    raw = text[start:end + w.end()].rstrip(".,;:")
                    whole = self._strong(raw, raw, start, start + len(raw), lookup)
                    if whole is not None and whole.label == "EVENT":
                        out.append(whole)
                        break
            before = _WORD_BEFORE.search(text, max(0, start - 40), start)
            after = _WORD_AFTER.match(text[end:end + 40])
            named = False
            if after and (_HANGUL_WORD.fullmatch(after.group(1))
                          or after.group(1).lower() in _EVENT_NOUNS):
                end += after.end()
                named = True
            if before and (_HANGUL_WORD.fullmatch(before.group(1))
                           or self._is_place(before.group(1), lookup)):
                start = before.start(1)
                named = True
            if named:
                found.append((start, end, month, day))
        for m in _EN_DATE.finditer(text):
            found.append((m.start(), m.end(), MONTHS.index(m.group("month")) + 1,
                          int(m.group("d"))))
        for start, end, month, day in found:
            raw = text[start:end]
            whole = self._strong(raw, raw, start, end, lookup)
            if whole is not None and whole.label == "EVENT":
                out.append(whole)
                continue
            ids = sorted(index.get((month, day), ()))
            if len(ids) == 1:
                out.append(Mention(start, end, raw, "EVENT", ids[0], 0.97, "hangul",
                                   [Candidate(ids[0], 0.97, "hangul", raw)], "",
                                   len(raw.split())))
            else:
                out.append(Mention(start, end, raw, "EVENT", "", 0.0, "",
                                   [Candidate(i, 0.97, "hangul", raw) for i in ids], "",
                                   len(raw.split())))
        return out

    def _is_place(self, word: str, lookup: Lookup) -> bool:
        cands = lookup(word)
        return bool(cands) and cands[0].score >= self.threshold and (
            self.table[cands[0].entity_id].type in PLACE_LABELS)

    # -- 4-6: decisions over all mentions --------------------------------------
    def finish(self, text: str, found: list[Mention],
               ner_norp: Sequence[tuple[int, int]] = ()) -> list[Mention]:
        """Ordinal check, demonyms and short forms over the document's mentions.

        `ner_norp` are the character spans of NORP entities an earlier NER set:
        no demonym of ours is put on them (span extensions are stored by offsets,
        so ours would relabel theirs).
        """
        for m in found:
            if m.entity_id and m.method not in STRONG_METHODS and m.method != "context" and (
                    self.table[m.entity_id].type in ("EVENT", "ORG")):
                matched = m.candidates[0].matched if m.candidates else ""
                if _ordinals(m.text) != _ordinals(matched):
                    m.entity_id = ""
        for m in found:
            if m.entity_id and not self._case_fits(text, m):
                m.entity_id = ""
        for m in found:
            if m.entity_id and m.label in ("ORG", "EVENT") and m.method != "context":
                self._widen_if_fragment(text, m)
        found = self._demonyms_in(text, found)
        if ner_norp:
            found = [m for m in found if m.method != DEMONYM_METHOD or not any(
                m.start_char < b and a < m.end_char for a, b in ner_norp)]
        found = self._short_forms_in(text, found)
        return _drop_covered_shells(found)

    def _widen_if_fragment(self, text: str, m: Mention) -> None:
        """Unlink a body or event whose name is the tail of a longer, other name.

        "Hungarian Workers' Party" is not the Workers' Party of Korea and "Second
        ROK Army" is not the ROK Army: a demonym of another country, or an ordinal
        the entity's own name lacks, directly before the matched words makes a
        different entity. The mention keeps its place as an unlinked name over the
        whole ("a fragment of a name must never produce a link"); a demonym of the
        entity's own country (its `part_of` chain, or a country one of its spellings
        names: "Republic of Korea Army") does not.
        """
        before = _WORD_BEFORE.search(text, max(0, m.start_char - 40), m.start_char)
        if before is None:
            return
        word = before.group(1)
        ent = self.table[m.entity_id]
        if _ORDINAL_WORD.fullmatch(word) and not word.isupper():
            if ent.ordinal is not None or _ordinals(m.text):
                return
        else:
            self.demonym_pattern()
            country = self._demonym_ids.get(word)
            if country is None:
                return
            if self._country_of(ent.id) == country or self._names_country(ent.id, country):
                return
        m.entity_id = ""
        m.start_char = before.start(1)
        m.text = text[m.start_char:m.end_char]
        m.n_words = len(m.text.split())
        m.candidates = []

    def _names_country(self, entity_id: str, country: str) -> bool:
        """Whether one of the entity's own spellings names `country` ("United States
        Eighth Army", "Korean Workers' Party"): then its demonym is no other body's."""
        place = self.table[country]
        words = {w.casefold() for w in (*place.spellings(), *place.demonyms)}
        for spelling in self.table[entity_id].spellings():
            folded = spelling.casefold()
            if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", folded) for w in words):
                return True
        return False

    def _country_of(self, entity_id: str) -> str | None:
        """The GPE an entity belongs to, following `part_of` (None when unknown)."""
        seen: set[str] = set()
        current: str | None = entity_id
        while current is not None and current not in seen and current in self.table:
            seen.add(current)
            ent = self.table[current]
            if ent.type == "GPE" and current != entity_id:
                return current
            current = ent.part_of
        return None

    def _case_fits(self, text: str, m: Mention) -> bool:
        """Acronyms keep their case: "Un" is not the UN, unless the line is all capitals.

        A one-word mention whose only spellings equal to it up to case are
        all-capital acronyms of the entity does not link written otherwise.
        """
        word = m.text
        if " " in word or word.isupper() or m.method not in ("exact", "alias"):
            return True
        line_start = text.rfind("\n", 0, m.start_char) + 1
        line_end = text.find("\n", m.end_char)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        if line.upper() == line:
            return True
        same = [s for s in self.table[m.entity_id].spellings()
                if s.casefold() == word.casefold()]
        return not same or any(not s.isupper() for s in same)

    def _demonyms_in(self, text: str, found: list[Mention]) -> list[Mention]:
        from romanize_entities.component import Mention

        pattern = self.demonym_pattern()
        if pattern is None:
            return found
        linked = _ByStart([x for x in found if x.entity_id], _char_bounds)
        hits: list[Mention] = []
        for m in pattern.finditer(text):
            a, b = m.start(), m.end()
            near = linked.overlapping(a, b)
            if any(x.start_char <= a and x.end_char >= b
                   and (x.end_char - x.start_char) > (b - a) for x in near):
                continue  # inside a longer linked name: "Soviet Union", "Soviet Embassy"
            if any(not (a <= x.start_char and x.end_char <= b) for x in near):
                continue  # crosses a linked name: "North Korean People's Army"
            country = self._demonym_ids[m.group(0)]
            hits.append(Mention(a, b, m.group(0), "NORP", "", 1.0, DEMONYM_METHOD,
                                [Candidate(country, 1.0, DEMONYM_METHOD, m.group(0))],
                                "", len(m.group(0).split()), link_entity=country))
        if not hits:
            return found
        inside: dict[int, int] = {}  # character position -> end of the demonym covering it
        for h in hits:
            for i in range(h.start_char, h.end_char):
                inside[i] = h.end_char
        found = [x for x in found if x.end_char > inside.get(x.start_char, -1)]
        return found + hits

    def _definite(self, text: str, a: int, b: int, entries: list[ShortForm]) -> bool:
        """A body's short form needs "the" before it."""
        if all(self.table[e.entity_id].type == "ORG" for e in entries):
            return re.search(r"\b[Tt]he\s+$", text[max(0, a - 5):a]) is not None
        return True

    def _short_forms_in(self, text: str, found: list[Mention]) -> list[Mention]:
        from romanize_entities.component import Mention

        forms = self.table.short_forms
        if not forms:
            return found
        if self._short_prefixes is None:  # every word-prefix of every short form
            self._short_prefixes = frozenset(
                " ".join(words[:n]) for f in forms for words in [f.split(" ")]
                for n in range(1, len(words) + 1))
        prefixes = self._short_prefixes
        hits: list[tuple[int, int, list[ShortForm]]] = []
        for run in self.runs(text):
            i = 0
            while i < len(run):
                hit = None
                if run[i].kind not in ("conn", "lh", "lp"):
                    words: list[str] = []
                    for j in range(i, len(run)):  # extend while still a prefix of a form
                        words.append(run[j].text.casefold().replace("’", "'"))
                        spelled = " ".join(words)
                        if spelled not in prefixes:
                            break
                        entries = forms.get(spelled)
                        a, b = run[i].start, run[j].end
                        if entries and self._definite(text, a, b, entries):
                            hit = (a, b, entries, j + 1)  # the longest so far
                if hit is None:
                    i += 1
                    continue
                hits.append(hit[:3])
                i = hit[3]
        if not hits:
            return found
        # the mentions a hit may depend on: linked ones and shells, in document order
        index = _ByStart([x for x in found if x.entity_id or x.method == SHELL_METHOD],
                         _char_bounds)
        relevant = index.items
        in_view: set[str] = set()
        pos = 0
        replaced: set[tuple[int, int]] = set()
        added: list[Mention] = []
        for a, b, entries in hits:
            while pos < len(relevant) and relevant[pos].start_char < a:
                if relevant[pos].entity_id:
                    in_view.add(relevant[pos].entity_id)
                pos += 1
            around = [x for x in index.overlapping(a, b)
                      if x.start_char <= a and x.end_char >= b]
            if any(x.entity_id and ((x.start_char, x.end_char) != (a, b)
                                    or x.method in STRONG_METHODS) for x in around):
                continue  # part of a longer known name, or already a listed spelling
            if any(x.method == SHELL_METHOD and x.end_char > b for x in around):
                continue  # "the Central Committee Foreign Division": a longer unknown name
            ids = sorted({e.entity_id for e in entries if e.anchors & in_view})
            if not ids:
                continue
            replaced.add((a, b))
            ent = self.table[ids[0]]
            cands = [Candidate(i, self.threshold, "context") for i in ids]
            mention = Mention(a, b, text[a:b], ent.type, ent.id if len(ids) == 1 else "",
                              self.threshold, "context", cands, "", len(text[a:b].split()))
            added.append(mention)
            if mention.entity_id:  # a resolved short form puts its entity in view too
                in_view.add(mention.entity_id)
        found = [x for x in found if (x.start_char, x.end_char) not in replaced]
        return found + added


_HEAD_WORD = re.compile(r"\b(?:" + "|".join(sorted(_EVENT_HEADS | _BODY_HEADS)) + r")\b",
                        re.IGNORECASE)


def _drop_covered_shells(found: list[Mention]) -> list[Mention]:
    """A shell whose head noun a linked body or event covers ("[KWP] 3rd Party Congress"
    with "3rd Party Congress" linked) is not an unknown name: drop it."""
    out = []
    bodies = _ByStart([x for x in found if x.entity_id and x.label in ("ORG", "EVENT")],
                      _char_bounds)
    for m in found:
        if m.method == SHELL_METHOD and not m.entity_id:
            # the whole's head: the last head noun before "of" ("March plenum of the KWP CC")
            cut = m.text.find(" of ")
            heads = list(_HEAD_WORD.finditer(m.text, 0, cut if cut > 0 else len(m.text)))
            heads = heads or list(_HEAD_WORD.finditer(m.text))
            at = m.start_char + (heads[-1].start() if heads else 0)
            if any(x.start_char <= at < x.end_char for x in bodies.overlapping(at, at + 1)):
                continue
        out.append(m)
    return out


def _ordinals(text: str) -> list[int]:
    out = []
    for m in _ORDINAL_WORD.finditer(text):
        n = parse_ordinal(m.group(0).replace(" ", "-"))
        if n is not None and not (m.group(0).isupper() and len(m.group(0)) == 1 and n == 1):
            out.append(n)
    return out


def _runs(text: str, min_len: int = 2) -> list[list[_Tok]]:
    """Runs of name tokens separated by spaces, one line break or connectors.

    Connectors (of, the, for, and, in) are not searched for in the whole text —
    prose is full of them — but read from the gaps between two name tokens.
    """
    runs: list[list[_Tok]] = []
    current: list[_Tok] = []
    prev_end = -1
    for tok in _tokens(text):
        start = tok.start
        joined = False
        if current:
            gap = text[prev_end:start]
            if gap == "":
                joined = current[-1].kind == "acr"
            elif gap.isspace():
                joined = gap.count("\n") <= 1
            elif _CONN_GAP.fullmatch(gap) is not None and gap.count("\n") <= 1:
                joined = True
                current += [_Tok(prev_end + c.start(), prev_end + c.end(), "conn", c.group(0))
                            for c in _CONN_WORD.finditer(gap)]
        if not joined:
            if len(current) >= min_len:
                runs.append(current)
            current = []
        current.append(tok)
        prev_end = tok.end
    if len(current) >= min_len:
        runs.append(current)
    return runs


_CONN_WORD = re.compile(r"of|the|for|and|in")
_CONN_GAP = re.compile(r"\s+(?:(?:of|the|for|and|in)\s+)+")


def _spell(window: Sequence[_Tok]) -> str:
    """The words a window spells: brackets read through, "[sic]" dropped, U.N. → UN."""
    words: list[str] = []
    for t in window:
        if t.kind == "br":
            inner = t.text[1:-1].strip()
            if inner.lower().rstrip("!.") != "sic":
                words.append(inner)
        elif t.kind == "acr":
            words.append(t.text.replace(".", "").replace(" ", ""))
        else:
            words.append(t.text)
    return " ".join(w for w in words if w)


def _shell(run: list[_Tok]) -> tuple[int, int, str] | None:
    """The whole body/event name around a capitalized head noun of `run`, if any."""
    heads = [i for i, t in enumerate(run) if (t.kind == "cap" and t.text in (
        _EVENT_HEADS | _BODY_HEADS)) or t.kind == "lh"]
    if not heads:
        return None
    k = heads[0]
    i = k
    while i > 0 and run[i - 1].kind in ("cap", "ord", "year", "acr", "br"):
        i -= 1
    while i < k and run[i].text in _STOP_LEAD:
        i += 1
    for h in heads[1:]:  # "KWP CC International Department": heads not split by "and", "of"
        if any(t.kind == "conn" for t in run[k + 1:h]):
            break
        k = h
    while k + 1 < len(run) and ((run[k + 1].kind == "cap" and run[k + 1].text in (
            _EVENT_HEADS | _BODY_HEADS)) or run[k + 1].kind == "lh"):
        k += 1
    j = k + 1
    while j < len(run):
        if j > k + 1 and run[j].kind in ("cap", "ord", "year", "acr", "br"):
            j += 1
        elif run[j].text in ("of", "in") and j + 1 < len(run):
            # "of the KWP", "in the DPRK" — not "in 1961"
            n = j + 2 if run[j + 1].text == "the" else j + 1
            if n >= len(run) or run[n].kind not in ("cap", "acr", "ord"):
                break
            j = n
        else:
            break
    while j > k + 1 and run[j - 1].kind == "conn":
        j -= 1
    if j - i < 2:
        return None
    # the whole's head noun: the last one before "of" ("March plenum of the KWP CC")
    of_at = next((n for n in range(heads[0], len(run)) if run[n].text == "of"), len(run))
    main = [h for h in heads if h < of_at] or heads
    label = "EVENT" if run[main[-1]].text.capitalize() in _EVENT_HEADS else "ORG"
    return run[i].start, run[j - 1].end, label


def select_ents(spans: Sequence[Span], *, allow_norp: bool) -> list[Span]:
    """doc.ents from all our spans: the longest known name wins; shells hide the
    persons and parties inside them but give way to a place; NORP only on request."""
    pool = [s for s in spans if allow_norp or s.label_ != "NORP"]
    shells = [s for s in pool if not s.kb_id_ and _method(s) == SHELL_METHOD]
    drop: set[int] = set()
    linked_pool = _ByStart((s for s in pool if s.kb_id_), lambda s: (s.start, s.end))
    for shell in shells:
        near = linked_pool.overlapping(shell.start, shell.end)
        inside = [s for s in near if shell.start <= s.start and s.end <= shell.end]
        if any(s.label_ in PLACE_LABELS for s in inside) or any(
                s.start <= shell.start and shell.end <= s.end for s in near):
            drop.add(id(shell))
            continue
        drop.update(id(s) for s in inside)
    pool = [s for s in pool if id(s) not in drop]
    linked = filter_spans([s for s in pool if s.kb_id_])
    taken = {i for s in linked for i in range(s.start, s.end)}
    unlinked = filter_spans(
        [s for s in pool if not s.kb_id_ and not taken.intersection(range(s.start, s.end))]
    )
    return list(filter_spans(linked + unlinked))


def _method(span: Span) -> str:
    link = span._.get("entity_link") or {}
    return str(link.get("method") or "")
