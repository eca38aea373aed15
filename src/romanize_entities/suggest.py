"""Names the linker saw but could not link, turned into draft alias-table entries.

`romanize-entities run` leaves a mention unlinked when no entity of the table
claims it. A historian growing a table for a collection wants the reverse view:
*which* names are missing, how often they occur, what they look like in context
and which known entity they resemble (a namesake, or the same person under a
spelling the table lacks). This module answers that, reading documents exactly
as `run` does (`readers.iter_inputs`/`read_document`, `worker.link_text`), so a
suggestion is always something the normal run left unlinked.

Two kinds of suggestion:

* ``korean-name``: a window of 2-4 capitalized words that reads as a romanized
  Korean personal name (known surname + romanized syllables). Always listed:
  one mention of an unknown person is worth a look. Every spelling with the same
  `name_key` is grouped, so "Gim Dong-cheol" and "Kim Tong Chol" are one row.
* ``capitalized``: other capitalized spans left unlinked, grouped by
  `plain_key`, listed only when they occur `min_count` times and are not an
  English word capitalized at a sentence start ("Considering", "Government").

The YAML snippet never asserts a fact the documents do not show: Hangul readings
computed from the spelling are written as *comments* for the user to verify,
and ``sources`` is left empty for the user to fill in.
"""

from __future__ import annotations

import bisect
import errno
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml
from spacy.lang.en.stop_words import STOP_WORDS

from romanize_entities.aliases import ENTITY_TYPES, AliasTable
from romanize_entities.aliases.lookup import normalize_spelling
from romanize_entities.aliases.validate import ID_PATTERN
from romanize_entities.hangul import is_syllable
from romanize_entities.keys import is_korean_romanization, name_key, plain_key, strip_marks
from romanize_entities.mentions import (
    CONNECTORS,
    SURNAME_KEYS,
    looks_like_korean_name,
    name_runs,
    words_in,
)
from romanize_entities.readers import ReadError, SkippedFile, iter_inputs, read_document
from romanize_entities.romanization.reverse import hangul_candidates
from romanize_entities.romanization.surnames import SURNAME_VARIANTS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "KINDS",
    "PASTE_MARKER",
    "SIMILAR_FACTOR",
    "Context",
    "Nearest",
    "Suggestion",
    "format_table",
    "slugify",
    "suggest",
    "suggest_texts",
    "yaml_snippet",
]

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

    def add(self, occ: _Occurrence, text: str) -> None:
        new_spelling = occ.text not in self.spellings
        new_doc = occ.doc not in self.documents
        self.spellings[occ.text] += 1
        self.documents.setdefault(occ.doc)
        if occ.label:
            self.labels[occ.label] += 1
        self.always_sentence_initial &= occ.sentence_initial
        if new_spelling or (new_doc and len(self.samples) < 2 * _CONTEXTS) or (
                len(self.samples) < _CONTEXTS):
            context = Context(occ.doc, occ.start, occ.end, _snippet(text, occ.start, occ.end))
            self.samples.append((occ.text, context))

    def ranked(self) -> list[str]:
        """Spellings, most frequent first; ties in the order first seen (sort is stable)."""
        return sorted(self.spellings, key=lambda t: -self.spellings[t])


# --------------------------------------------------------------------------- #
# Entry points
# --------------------------------------------------------------------------- #


def suggest(
    inputs: Sequence[str | Path],
    *,
    aliases: Sequence[str | Path] = (),
    include_default: bool = True,
    min_count: int = 2,
    limit: int | None = None,
    nlp: Language | None = None,
    on_problem: Callable[[ReadError | SkippedFile], None] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> list[Suggestion]:
    """Suggestions for the documents under `inputs` (files or folders, as for `run`).

    A missing INPUT raises FileNotFoundError before anything is read; a broken
    alias file raises AliasTableError (or OSError) before any document is
    linked, since both are configuration errors. An unreadable or unsupported
    document is passed to `on_problem` (default: logged) and the rest goes on,
    as in `run`. `nlp` reuses a pipeline from `component.load()`; `aliases`,
    `include_default` and `settings` (component config keys such as `threshold`)
    are then ignored. A name counts as linked by the component's rules and threshold.
    """
    for raw in inputs:
        if not Path(raw).exists():
            raise FileNotFoundError(errno.ENOENT, "input not found", str(raw))
    if nlp is None:
        from romanize_entities.component import load

        nlp = load(aliases=aliases, include_default=include_default, settings=settings)
    _table_of(nlp)  # compile (and validate) the alias table before reading anything

    def report(exc: ReadError | SkippedFile) -> None:
        if on_problem is not None:
            on_problem(exc)
        else:
            logger.warning("%s", exc)

    def texts() -> Iterator[tuple[str, str]]:
        for file, root in iter_inputs([Path(p) for p in inputs]):
            try:
                document = read_document(file, root)
            except (ReadError, SkippedFile) as exc:
                report(exc)
                continue
            yield document.relpath, document.text

    return suggest_texts(texts(), nlp, min_count=min_count, limit=limit)


def suggest_texts(
    texts: Iterable[tuple[str, str]],
    nlp: Language,
    *,
    min_count: int = 2,
    limit: int | None = None,
) -> list[Suggestion]:
    """Suggestions for `(doc_name, text)` pairs, linked with `nlp`.

    Sorted Korean names first, then by count (descending), then by text; at
    most `limit` of them. `min_count` applies to capitalized spans only.
    """
    from romanize_entities.worker import link_text

    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, not {min_count}")
    table = _table_of(nlp)
    pipe: Any = nlp.get_pipe("romanize_entities")
    groups: dict[tuple[str, str], _Group] = {}
    linked: set[str] = set()  # spellings linked somewhere: never suggested
    lower_words: set[str] = set()  # for telling "Government" (a word) from a name
    for doc_name, text in texts:
        lower_words.update(m.group().lower() for m in _LOWER_WORD.finditer(text))
        _records, docs = link_text(nlp, text, doc_name, table)
        for occ in _occurrences(doc_name, text, docs, pipe, linked):
            group = groups.get((occ.kind, occ.key))
            if group is None:
                group = groups[occ.kind, occ.key] = _Group(occ.kind, occ.key)
            group.add(occ, text)
    neighbours = _Neighbours(table)
    out: list[Suggestion] = []
    for group in groups.values():
        if group.kind == "capitalized" and not _worth_listing(
                group, min_count, lower_words, linked):
            continue
        out.append(_suggestion(group, neighbours))
    out.sort(key=lambda s: (KINDS.index(s.kind), -s.count, s.text))
    if limit is not None:
        out = out[:limit]
    _assign_ids(out, table)
    return out


def _table_of(nlp: Language) -> AliasTable:
    table: AliasTable = nlp.get_pipe("romanize_entities").table  # type: ignore[attr-defined]
    return table


# --------------------------------------------------------------------------- #
# Finding unlinked names in one document
# --------------------------------------------------------------------------- #


def _occurrences(
    doc_name: str, text: str, docs: Sequence[Doc], pipe: Any, linked: set[str]
) -> list[_Occurrence]:
    """Unlinked names of one document, with offsets into `text`.

    The spaCy Docs are the chunks `link_text` made; they concatenate back to
    `text`, so each chunk's offset is the length of the chunks before it.
    """
    covered: list[tuple[int, int]] = []
    places: dict[int, int] = {}  # end → start of linked places, for "Anju Glass Works"
    out: list[_Occurrence] = []
    offset = 0
    for sdoc in docs:
        for ent in sdoc.ents:
            start, end = offset + ent.start_char, offset + ent.end_char
            covered.append((start, end))
            if ent.kb_id_:
                linked.add(normalize_spelling(_clean(ent.text)))
                if ent.label_ in ("GPE", "LOC"):
                    places[end] = start
                continue
            link = ent._.entity_link or {}
            if any(c.get("score", 0.0) >= pipe.threshold for c in link.get("candidates", ())):
                continue  # ambiguous between known entities (two Paks): no entry is missing
            out.append(_make(doc_name, text, start, end, label=ent.label_))
        offset += len(sdoc.text)
    covered.sort()
    starts = [s for s, _ in covered]
    for run_start, run_end in name_runs(text):
        words = [w for w in words_in(text, run_start, run_end)
                 if not _is_covered(w, covered, starts)]
        for segment in _segments(text, words):
            out.extend(_split_segment(doc_name, text, segment, pipe, places))
    return out


def _is_covered(word: tuple[int, int], covered: list[tuple[int, int]], starts: list[int]) -> bool:
    """Does a span overlap the word? Spans are doc.ents, sorted and never overlapping,
    so only the last span starting at or before the word, or one starting inside it, can."""
    i = bisect.bisect_right(starts, word[0])
    if i and covered[i - 1][1] > word[0]:
        return True
    return i < len(covered) and covered[i][0] < word[1]


def _segments(text: str, words: list[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """Maximal runs of adjacent uncovered words (only a space or one line break between)."""
    current: list[tuple[int, int]] = []
    for word in words:
        if current and not _adjacent(text, current[-1][1], word[0]):
            yield current
            current = []
        current.append(word)
    if current:
        yield current


def _adjacent(text: str, end: int, start: int) -> bool:
    gap = text[end:start]
    return not gap.strip() and gap.count("\n") <= 1


def _split_segment(
    doc_name: str, text: str, words: list[tuple[int, int]], pipe: Any,
    places: dict[int, int],
) -> Iterator[_Occurrence]:
    """Korean-name windows (longest first, left to right), and the capitalized rest."""
    rest: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + 4), i + 1, -1):
            start, end = words[i][0], words[j - 1][1]
            if looks_like_korean_name(text[start:end]) and not _links(text[start:end], pipe):
                yield from _capitalized(doc_name, text, rest, places)
                rest = []
                yield _make(doc_name, text, start, end)
                i = j
                break
        else:
            rest.append(words[i])
            i += 1
    yield from _capitalized(doc_name, text, rest, places)


def _capitalized(
    doc_name: str, text: str, words: list[tuple[int, int]], places: dict[int, int]
) -> Iterator[_Occurrence]:
    """The span of `words` without leading function words ("In the", "The").

    An organization or facility named after a place keeps the place: the table
    links "Anju", but the missing entry is "Anju Glass Works", not "Glass Works".
    """
    words = list(words)
    while words and _function_word(text[words[0][0]:words[0][1]]):
        words.pop(0)
    while words and text[words[-1][0]:words[-1][1]] in CONNECTORS:
        words.pop()
    if not words:
        return
    start, end = words[0][0], words[-1][1]
    last = text[words[-1][0]:end].lower()
    if _TYPE_WORDS.get(last) in ("ORG", "FAC"):
        before = start
        while before > 0 and text[before - 1] in " \t":
            before -= 1
        if before < start and before in places:
            start = places[before]
    yield _make(doc_name, text, start, end)


def _function_word(word: str) -> bool:
    return word.lower() in STOP_WORDS or word in CONNECTORS


def _links(surface: str, pipe: Any) -> bool:
    """Would the component claim *surface* for a known entity (its rules, its threshold)?

    A tie between entities counts: the name is known, no entry is missing.
    """
    candidates, _linked = pipe.candidates_for(surface)
    return any(c.score >= pipe.threshold for c in candidates)


def _make(doc_name: str, text: str, start: int, end: int, *, label: str = "") -> _Occurrence:
    surface = _clean(text[start:end])
    korean = looks_like_korean_name(surface)
    kind = "korean-name" if korean else "capitalized"
    key = name_key(surface) if korean else plain_key(surface)
    return _Occurrence(doc_name, start, end, surface, kind, key, label,
                       _sentence_initial(text, start))


def _clean(surface: str) -> str:
    """One line, single spaces: a name broken across a line end is still one spelling."""
    return " ".join(surface.split())




def _sentence_initial(text: str, start: int) -> bool:
    """After a sentence end or a line break, quotes and brackets skipped (`cults.” According`)."""
    i = start - 1
    while i >= 0 and text[i] != "\n" and (text[i].isspace() or text[i] in _OPENERS):
        i -= 1
    return i < 0 or text[i] in _SENTENCE_ENDS


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


# --------------------------------------------------------------------------- #
# Grouping, filtering and describing
# --------------------------------------------------------------------------- #


def _worth_listing(
    group: _Group, min_count: int, lower_words: set[str], linked: set[str]
) -> bool:
    """A frequent capitalized span that is a name rather than a capitalized word."""
    if group.spellings.total() < min_count:
        return False
    if any(normalize_spelling(t) in linked for t in group.spellings):
        return False  # linked elsewhere: the table knows it, this place lost to overlap
    sample = group.ranked()[0]
    if not any(ch.isalpha() for ch in sample) or len(sample) < 2:
        return False
    words = sample.split()
    if len(words) == 1:
        word = words[0].lower().rstrip("'’")
        if (
            word in STOP_WORDS
            or word in _MONTHS_AND_DAYS
            or _ROMAN_NUMERAL.match(words[0])
            or plain_key(word) in SURNAME_VARIANTS
            or (name_key(word) in SURNAME_KEYS and is_korean_romanization(word))
            or {word, word + "s", word.removesuffix("s")} & lower_words
        ):
            return False  # a surname alone is not an entry; an English word is not a name
    if group.always_sentence_initial:
        first = words[0].lower()
        if first in lower_words or len(words) == 1:
            return False  # only ever capitalized because it starts a sentence
    return True


def _suggestion(group: _Group, neighbours: _Neighbours) -> Suggestion:
    ranked = group.ranked()
    text = ranked[0]
    if group.kind == "korean-name":
        typ, reason = "PERSON", "Korean personal name"
        candidates = _hangul_readings(ranked)
    else:
        typ, reason = _guess_type(text, group.labels)
        candidates = []
    return Suggestion(
        text=text, kind=group.kind, key=group.key, spellings=Counter(group.spellings),
        documents=list(group.documents), contexts=_pick_contexts(group.samples, ranked),
        nearest=neighbours.nearest(ranked, group.kind), type=typ, type_reason=reason,
        hangul_candidates=candidates,
    )


def _hangul_readings(spellings: list[str], limit: int = 3) -> list[str]:
    """Hangul readings every spelling allows, best first (from the most frequent one).

    Each spelling alone is ambiguous (Kim Tong Chol: 김동철, 김통철, ...); the
    readings that all spellings share are the likelier ones. They are shown as a
    hint in a comment, never written as data.
    """
    per_spelling = [hangul_candidates(s, limit=30) for s in spellings]
    first = per_spelling[0]
    shared = [h for h in first if all(h in other for other in per_spelling[1:])]
    return (shared or first)[:limit]


def _guess_type(text: str, labels: Counter[str]) -> tuple[str, str]:
    found = Counter({label: n for label, n in labels.items() if label in ENTITY_TYPES})
    if found:
        label = found.most_common(1)[0][0]
        return label, f"the label of the span ({label})"
    words = [w.strip("'’.,()").lower() for w in text.split()]
    for word in reversed(words):
        if word in _TYPE_WORDS:
            return _TYPE_WORDS[word], f"a guess from the word {word!r}"
    if len(words) == 1 and (words[0] in _NORP_WORDS or words[0].endswith(_NORP_ENDINGS)):
        return "NORP", "a guess: the word reads as a nationality or a political group"
    if len(words) == 1 and is_korean_romanization(text):
        return "GPE", "a guess: one romanized Korean word is most often a place"
    return "PERSON", "a guess: nothing in the words says otherwise"


def _pick_contexts(samples: list[tuple[str, Context]], ranked: list[str]) -> list[Context]:
    """One context per spelling (most frequent first), then other documents, then the rest."""
    chosen = [next(c for t, c in samples if t == spelling) for spelling in ranked]
    shown_docs = {c.doc for c in chosen}
    for _text, ctx in samples:
        if ctx.doc not in shown_docs:
            chosen.append(ctx)
            shown_docs.add(ctx.doc)
    chosen.extend(c for _t, c in samples)
    out: list[Context] = []
    for ctx in chosen:
        if ctx not in out:
            out.append(ctx)
        if len(out) == _CONTEXTS:
            break
    return out


class _Neighbours:
    """Nearest known entities: the table's own lookup, then a similarity scan.

    `AliasTable.lookup` only retrieves by dictionary (keys, OCR skeletons), so
    a valid Korean name that nobody in the table bears gets no candidate at all.
    A reviewer still wants to see "Kim Tong-chol? there is a Kim Chong-chol",
    so the remaining places are filled by rapidfuzz over the keys of every
    spelling in the table (name keys of people for Korean names, plain keys of
    everything otherwise). The key lists are built once, on first need.
    """

    def __init__(self, table: AliasTable) -> None:
        self.table = table
        self._choices: dict[str, tuple[list[str], list[str]]] = {}

    def nearest(self, spellings: list[str], kind: str) -> list[Nearest]:
        best: dict[str, Nearest] = {}

        def offer(entity_id: str, score: float, method: str) -> None:
            if entity_id not in self.table:
                return
            if entity_id not in best or best[entity_id].score < score:
                best[entity_id] = Nearest(entity_id, self.table[entity_id].name,
                                          round(score, 3), method)

        for spelling in spellings:
            for cand in self.table.lookup(spelling, limit=10):
                offer(cand.entity_id, cand.score, cand.method)
        if len(best) < _NEAREST:
            from rapidfuzz import fuzz, process

            korean = kind == "korean-name"
            keys, ids = self._keys(korean)
            for spelling in spellings:
                query = name_key(spelling) if korean else plain_key(spelling)
                if not query:
                    continue
                # Whole-key ratio for compact Korean name keys (a partial match of
                # "kim" is everywhere). Elsewhere WRatio retrieves partial matches
                # ("Korea" in "North Korea"), and the mean with the plain ratio ranks
                # the shorter, closer ones first instead of tying them all at 90.
                scorer = fuzz.ratio if korean else fuzz.WRatio
                for match, ratio, index in process.extract(
                    query, keys, scorer=scorer, limit=50, score_cutoff=_MIN_SIMILARITY
                ):
                    if not korean:
                        ratio = (ratio + fuzz.ratio(query, match)) / 2
                    if ids[index] not in best:
                        offer(ids[index], ratio / 100 * SIMILAR_FACTOR, "similar")
        ranked = sorted(best.values(), key=lambda n: (-n.score, n.entity_id))
        return ranked[:_NEAREST]

    def _keys(self, korean: bool) -> tuple[list[str], list[str]]:
        which = "korean" if korean else "plain"
        if which not in self._choices:
            keys: list[str] = []
            ids: list[str] = []
            seen: set[tuple[str, str]] = set()
            for entity in self.table:
                if entity.replaced_by or (korean and entity.type != "PERSON"):
                    continue
                forms = list(entity.spellings())
                if korean and entity.hangul:
                    forms.append(entity.hangul)
                for form in forms:
                    key = name_key(form) if korean else plain_key(form)
                    if key and (key, entity.id) not in seen:
                        seen.add((key, entity.id))
                        keys.append(key)
                        ids.append(entity.id)
            self._choices[which] = (keys, ids)
        return self._choices[which]


# --------------------------------------------------------------------------- #
# Ids, the YAML snippet and the table for people
# --------------------------------------------------------------------------- #


def slugify(text: str) -> str:
    """The docs/aliases.md id of a display name: lowercase ASCII words joined by hyphens.

    Marks and apostrophes are dropped (Ch'oe Yŏng-gŏn → choe-yong-gon); a name
    in Hangul is romanized (RR) first, since an id must be ASCII.
    """
    if any(is_syllable(ch) for ch in text):
        from romanize_entities.romanization import romanize

        text = romanize(text, "rr", name=True)
    folded = strip_marks(text).lower()
    folded = re.sub(r"['’`ʼ]", "", folded)
    return _SLUG_JUNK.sub("-", folded).strip("-")


def _assign_ids(suggestions: list[Suggestion], table: AliasTable) -> None:
    """Slug ids; a slug already taken gets a `-YYYY` suffix the loader refuses.

    docs/aliases.md gives namesakes their birth year. We do not know it, and an
    id that silently matched an existing entity would *merge* into it, so the
    placeholder is deliberately invalid until the user writes the year.
    """
    taken = {e.id for e in table}
    for s in suggestions:
        slug = slugify(s.text) or "unnamed"
        if slug in taken:
            owner = table.get(slug)
            what = f"{owner.name!r} in the table" if owner else "another suggestion"
            s.id = f"{slug}-YYYY"
            s.id_note = f"id {slug!r} is taken by {what}: replace YYYY with the birth year"
        else:
            s.id = slug
        taken.add(s.id if ID_PATTERN.match(s.id) else slug)


def _yaml_line(key: str, value: object) -> str:
    """`key: value` as PyYAML writes it (quoting included), on one line."""
    # flow style for a list of strings ([a, b], as in data/aliases.yaml), block otherwise
    flow = None if isinstance(value, list) else False
    dumped = yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=flow,
                            sort_keys=False, width=1_000_000)
    return dumped.rstrip("\n")


def yaml_snippet(suggestions: Sequence[Suggestion]) -> str:
    """A ready-to-edit alias file: one entry per suggestion, facts left to the user.

    The data lines are PyYAML's (so quoting is right) and the result loads with
    `AliasTable.from_yaml` as it stands; Hangul readings, the evidence and the
    type guesses are comments, and `sources` is empty with a note to fill it.
    """
    lines = [
        "# Draft entries from `romanize-entities suggest`. Check each one against a source,",
        "# fill in `sources` (and `hangul`, `hanja`, `born`, `died` where a source gives them),",
        "# delete what is not a name, then run: romanize-entities check YOUR_FILE.yaml",
        "# In an existing alias file, paste only the entries below `entities:`.",
        "entities:",
    ]
    for s in suggestions:
        lines.append("")
        docs = len(s.documents)
        lines.append(f"# {s.text}: {s.count} mention{'s' if s.count != 1 else ''} in {docs} "
                     f"document{'s' if docs != 1 else ''} ({s.kind})")
        if s.nearest:
            shown = "; ".join(f"{n.entity_id} ({n.name}) {n.score:.2f} {n.method}"
                              for n in s.nearest)
            lines.append(f"#   nearest known: {shown}")
        for ctx in s.contexts[:1]:
            lines.append(f"#   seen: {ctx}")
        if s.id_note:
            lines.append(f"#   {s.id_note}")
        lines.append("- " + _yaml_line("id", s.id))
        type_line = "  " + _yaml_line("type", s.type)
        if s.kind != "korean-name":
            type_line += f"  # {s.type_reason}; one of {' '.join(sorted(ENTITY_TYPES))}"
        lines.append(type_line)
        lines.append("  " + _yaml_line("name", s.text))
        if s.hangul_candidates:
            listed = ", ".join(s.hangul_candidates)
            which = "spellings" if len(s.spellings) > 1 else "spelling"
            lines.append(f"  # hangul: {s.hangul_candidates[0]}  ← candidates from the "
                         f"{which}: {listed}; check a source")
        others = [t for t, _ in s.spellings.most_common() if t != s.text]
        if others:
            lines.append("  " + _yaml_line("aliases", others))
        lines.append("  sources: []  # required: where you checked this entry")
    return "\n".join(lines) + "\n"


def format_table(suggestions: Sequence[Suggestion]) -> str:
    """The human-readable overview: one row per suggestion and its first context."""
    rows = [("count", "docs", "kind", "spelling(s)", "nearest known entities")]
    contexts: list[str] = []
    for s in suggestions:
        spelled = ", ".join(f"{t} ({n})" for t, n in s.spellings.most_common())
        near = ", ".join(f"{n.entity_id} {n.score:.2f}" for n in s.nearest) or "-"
        rows.append((str(s.count), str(len(s.documents)), s.kind, spelled, near))
        contexts.append(str(s.contexts[0]) if s.contexts else "")
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    out: list[str] = []
    for n, row in enumerate(rows):
        cells = [row[0].rjust(widths[0]), row[1].rjust(widths[1]),
                 row[2].ljust(widths[2]), row[3].ljust(widths[3]), row[4]]
        out.append("  ".join(cells).rstrip())
        if n:
            out.append(" " * (widths[0] + widths[1] + 4) + contexts[n - 1])
    return "\n".join(out)
