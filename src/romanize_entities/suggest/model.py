"""The data of a suggestion run: what was found, how it is grouped and reported."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    pass

logger = logging.getLogger("romanize_entities")

KINDS = ("korean-name", "capitalized")
#: The line the CLI prints between the table and the YAML snippet.
PASTE_MARKER = "# --- paste into your alias file ---"

_CONTEXTS = 3
_NEAREST = 3
_CONTEXT_WIDTH = 40
#: A neighbour found by similarity must resemble the name at least this much
#: (rapidfuzz ratio of the keys, 0-100), or it is noise rather than help.
_MIN_SIMILARITY = 50.0


def _words(text: str) -> frozenset[str]:
    """A vocabulary written as one whitespace-separated string (long lists stay readable)."""
    return frozenset(text.split())


_MONTHS_AND_DAYS = _words(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday"
)
_ROMAN_NUMERAL = re.compile(r"^[IVXLC]+$")
_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’-]*")
_OPENERS = "\"'“‘”’([{«»)]}—–-*#>•"
_SENTENCE_ENDS = ".!?:;…\n"
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")

# Words that give away an entity type, checked from the last word backwards.
# A guess only: the snippet says so, and the user confirms it.
_TYPE_WORDS: dict[str, str] = {
    **dict.fromkeys(_words(
        "party committee foundation association university institute institution program "
        "programme ministry department bureau council army corps league front bank company "
        "corporation society agency office center centre library archive archives academy "
        "commission assembly presidium politburo division brigade regiment school college "
        "command administration union federation press news ilbo sinmun times daily "
        "embassy legation delegation government cabinet court works factory mill plant "
        "mine cooperative farm newspaper publishing publishers"),
        "ORG",
    ),
    **dict.fromkeys(_words(
        "war congress plenum conference uprising revolution incident massacre battle "
        "campaign movement agreement armistice treaty election purge"),
        "EVENT",
    ),
    **dict.fromkeys(_words("province county city republic kingdom empire prefecture"), "GPE"),
    **dict.fromkeys(_words(
        "river mountain mountains mount island islands peninsula sea strait reservoir "
        "valley lake bay"),
        "LOC",
    ),
    **dict.fromkeys(_words("bridge palace station airport hall square hospital port"), "FAC"),
}


# Single words that read as nationalities, religions or political groups (spaCy's NORP).
_NORP_ENDINGS = ("ese", "ian", "ians", "ean", "eans", "ist", "ists", "ism")
_NORP_WORDS = _words(
    "soviet soviets british french dutch polish czech turkish greek swiss thai bolshevik "
    "bolsheviks communist communists manchu"
)
#: A resemblance found by the similarity scan scores at most this (the base of a
#: key match), so it never looks like a link and ranks below the table's own hits.
SIMILAR_FACTOR = 0.75


class Nearest(NamedTuple):
    """A known entity the name resembles: a hint for the reviewer, never a link.

    `method` is the table's lookup method ("key", "fuzzy", ...) with its
    score, or "similar" for the fallback similarity of keys (rapidfuzz ratio
    × `SIMILAR_FACTOR`), used because `AliasTable.lookup` returns nothing for
    most valid but unknown Korean names.
    """

    entity_id: str
    name: str
    score: float
    method: str


@dataclass(frozen=True)
class Context:
    """One occurrence, as `doc:offset` plus a short snippet with the name in brackets."""

    doc: str
    start: int
    end: int
    snippet: str

    def __str__(self) -> str:
        return f"{self.doc}:{self.start}: {self.snippet}"


@dataclass
class Suggestion:
    """One missing name: every spelling seen, where, and what to paste into a table.

    `text` is the most frequent spelling (ties: first seen); `type` is PERSON
    for Korean personal names, else the spaCy label of the span if a model gave
    one, else a guess from the words (`type_reason` says which).
    """

    text: str
    kind: str
    key: str
    spellings: Counter[str]
    documents: list[str]
    contexts: list[Context]
    nearest: list[Nearest]
    type: str
    type_reason: str
    hangul_candidates: list[str] = field(default_factory=list)
    id: str = ""
    id_note: str = ""

    @property
    def count(self) -> int:
        return sum(self.spellings.values())


class _Occurrence(NamedTuple):
    doc: str
    start: int
    end: int
    text: str
    kind: str
    key: str
    label: str
    sentence_initial: bool


@dataclass
class _Group:
    """Everything kept about one name while documents stream past.

    Counts for every occurrence, but contexts only for a few (the first of each
    spelling and of each document), so memory follows the number of distinct
    names, not the size of the collection.
    """

    kind: str
    key: str
    spellings: Counter[str] = field(default_factory=Counter)  # insertion order = first seen
    documents: dict[str, None] = field(default_factory=dict)
    labels: Counter[str] = field(default_factory=Counter)
    always_sentence_initial: bool = True
    samples: list[tuple[str, Context]] = field(default_factory=list)
    docs_by_spelling: dict[str, dict[str, None]] = field(default_factory=dict)

    def add(self, occ: _Occurrence, text: str) -> None:
        new_spelling = occ.text not in self.spellings
        new_doc = occ.doc not in self.documents
        self.spellings[occ.text] += 1
        self.documents.setdefault(occ.doc)
        self.docs_by_spelling.setdefault(occ.text, {}).setdefault(occ.doc)
        if occ.label:
            self.labels[occ.label] += 1
        self.always_sentence_initial &= occ.sentence_initial
        if new_spelling or (new_doc and len(self.samples) < 2 * _CONTEXTS) or (
                len(self.samples) < _CONTEXTS):
            context = Context(occ.doc, occ.start, occ.end, _snippet(text, occ.start, occ.end))
            self.samples.append((occ.text, context))

    def split_by_cluster(self) -> list[_Group]:
        """Korean names that share a name key but no Hangul reading are different
        names (Kim Yo-jong, Kim Mu-jong): one group per name cluster (clusters.py)."""
        from romanize_entities.clusters import assign_clusters

        ids = assign_clusters(self.spellings)
        out: dict[str, _Group] = {}
        for spelling, count in self.spellings.items():
            cluster = ids[" ".join(spelling.split())]
            part = out.get(cluster)
            if part is None:
                part = out[cluster] = _Group(self.kind, cluster, labels=self.labels,
                                             always_sentence_initial=self.always_sentence_initial)
            part.spellings[spelling] = count
            part.docs_by_spelling[spelling] = self.docs_by_spelling.get(spelling, {})
            part.documents.update(part.docs_by_spelling[spelling])
        for spelling, context in self.samples:
            out[ids[" ".join(spelling.split())]].samples.append((spelling, context))
        return list(out.values())

    def ranked(self) -> list[str]:
        """Spellings, most frequent first; ties in the order first seen (sort is stable)."""
        return sorted(self.spellings, key=lambda t: -self.spellings[t])


def _snippet(text: str, start: int, end: int) -> str:
    """`…left [NAME] right…` on one line, about `_CONTEXT_WIDTH` characters a side."""
    lo, hi = max(0, start - 2 * _CONTEXT_WIDTH), min(len(text), end + 2 * _CONTEXT_WIDTH)
    left_words = text[lo:start].split()
    right_words = text[end:hi].split()
    if lo > 0 and left_words and not text[lo - 1].isspace() and not text[lo].isspace():
        left_words.pop(0)  # cut-off word
    if hi < len(text) and right_words and not text[hi].isspace() and not text[hi - 1].isspace():
        right_words.pop()
    left = _fit(left_words[::-1])[::-1]
    right = _fit(right_words)
    pre = "…" if lo > 0 or len(left) < len(left_words) else ""
    post = "…" if hi < len(text) or len(right) < len(right_words) else ""
    gap_l = " " if left and text[start - 1:start].isspace() else ""
    gap_r = " " if right and text[end:end + 1].isspace() else ""
    return f"{pre}{' '.join(left)}{gap_l}[{_clean(text[start:end])}]{gap_r}{' '.join(right)}{post}"


def _fit(words: list[str]) -> list[str]:
    """Leading words of `words` that fit in `_CONTEXT_WIDTH` characters (at least one)."""
    out: list[str] = []
    used = 0
    for word in words:
        if out and used + len(word) + 1 > _CONTEXT_WIDTH:
            break
        out.append(word)
        used += len(word) + 1
    return out


def _clean(surface: str) -> str:
    """One line, single spaces: a name broken across a line end is still one spelling."""
    return " ".join(surface.split())
