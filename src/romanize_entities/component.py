"""The spaCy component: every mention of a table entity, whatever the spelling.

Modelled on spaCy's SpanRuler (a `Pipe` whose config defaults live in the
factory, with `match()` kept apart from `set_annotations()`) and on scispaCy's
linker (the knowledge base — `AliasTable` — and candidate generation —
`AliasTable.lookup` — live elsewhere; this module only decides).

Matching order, per document:
1. name runs (`mentions.py`) are cut into windows, longest first;
2. each window is looked up in the alias table (exact → alias → hangul → key →
   fuzzy, see docs/aliases.md); a window links when its best candidate scores
   at or above `threshold` and does not tie with another entity;
3. a window no entity claims but which reads as a Korean personal name
   (surname + romanized syllables) is kept as an unlinked PERSON;
4. partial mentions — a surname alone, or with a title ("comrade Pak") — link by
   *context* to the one entity of that surname linked earlier in the document;
   with none or several, they stay unlinked and keep their candidates;
5. spans from an earlier NER are kept and linked where the table knows them.

Linking never guesses: a tie or a score under the threshold leaves `kb_id_` empty.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy
import srsly
from spacy.attrs import IDX
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from romanize_entities.aliases import DEFAULT_THRESHOLD, AliasTable, Candidate, Entity
from romanize_entities.keys import name_key, plain_key
from romanize_entities.mentions import looks_like_korean_name, name_runs, windows
from romanize_entities.org_events import OrgEventMatcher, select_ents

EXTENSION = "entity_link"
DEFAULT_SPANS_KEY = "romanize_entities"
NER_LABELS = frozenset({"PERSON", "ORG", "GPE", "EVENT", "LOC", "NORP", "FAC", "WORK_OF_ART"})
_TIE_EPSILON = 1e-9

if not Span.has_extension(EXTENSION):
    Span.set_extension(EXTENSION, default=None)


@dataclass
class Mention:
    """One candidate mention before it is written to the Doc."""

    start_char: int
    end_char: int
    text: str
    label: str
    entity_id: str  # "" when unlinked
    score: float
    method: str
    candidates: list[Candidate] = field(default_factory=list)
    key: str = ""
    n_words: int = 1
    #: the entity a NORP demonym refers to (org_events.py); it never becomes kb_id_
    link_entity: str = ""

    def link_data(self) -> dict[str, Any]:
        """Plain data for `span._.entity_link` (survives pickling and Doc.to_bytes)."""
        return {
            "entity_id": self.entity_id or self.link_entity or None,
            "score": round(self.score, 4),
            "method": self.method,
            "candidates": [
                {"entity_id": c.entity_id, "score": round(c.score, 4), "method": c.method}
                for c in self.candidates
            ],
            "name_key": self.key,
        }


@Language.factory(
    "romanize_entities",
    default_config={
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
    },
    assigns=["doc.ents", "doc.spans", f"span._.{EXTENSION}"],
)
def make_romanize_entities(
    nlp: Language,
    name: str,
    aliases: list[str],
    include_default: bool,
    threshold: float,
    labels: list[str],
    overwrite_ents: bool,
    spans_key: str,
    max_window: int,
    link_partial: bool,
    unlinked_korean_names: bool,
    candidates_limit: int,
) -> RomanizeEntities:
    return RomanizeEntities(
        nlp,
        name,
        aliases=aliases,
        include_default=include_default,
        threshold=threshold,
        labels=labels,
        overwrite_ents=overwrite_ents,
        spans_key=spans_key,
        max_window=max_window,
        link_partial=link_partial,
        unlinked_korean_names=unlinked_korean_names,
        candidates_limit=candidates_limit,
    )


class RomanizeEntities(Pipe):
    """Find and link Korean (and other) entity mentions; see the module docstring."""

    def __init__(
        self,
        nlp: Language,
        name: str = "romanize_entities",
        *,
        aliases: Sequence[str | Path] = (),
        include_default: bool = True,
        threshold: float = DEFAULT_THRESHOLD,
        labels: Sequence[str] = (),
        overwrite_ents: bool = False,
        spans_key: str = DEFAULT_SPANS_KEY,
        max_window: int = 6,
        link_partial: bool = True,
        unlinked_korean_names: bool = True,
        candidates_limit: int = 5,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
        unknown = set(labels) - NER_LABELS
        if unknown:
            raise ValueError(f"unknown labels {sorted(unknown)}; valid: {sorted(NER_LABELS)}")
        self.nlp = nlp
        self.name = name
        self.alias_paths = [str(p) for p in aliases]
        self.include_default = include_default
        self.threshold = threshold
        self.allowed_labels = frozenset(labels)
        self.overwrite_ents = overwrite_ents
        self.spans_key = spans_key
        self.max_window = max_window
        self.link_partial = link_partial
        self.unlinked_korean_names = unlinked_korean_names
        self.candidates_limit = candidates_limit
        self._table: AliasTable | None = None
        self._surname_index: dict[str, set[str]] | None = None
        self._memo: dict[str, tuple[Candidate, ...]] = {}
        self._org_events: OrgEventMatcher | None = None

    # -- the table is compiled on first use, so from_disk can supply it instead --
    @property
    def table(self) -> AliasTable:
        if self._table is None:
            self._table = AliasTable.load(self.alias_paths, include_default=self.include_default)
        return self._table

    def set_table(self, table: AliasTable) -> None:
        self._table = table
        self._surname_index = None
        self._memo = {}
        self._org_events = None

    @property
    def org_events(self) -> OrgEventMatcher:
        """Bodies, events, dates and demonyms (org_events.py), per table."""
        if self._org_events is None:
            self._org_events = OrgEventMatcher(self.table, self.threshold, self.max_window)
        return self._org_events

    def _lookup_memo(self, text: str) -> tuple[Candidate, ...]:
        """Table lookups memoized per surface string (documents repeat their names)."""
        cache = self._memo
        found = cache.get(text)
        if found is None:
            if len(cache) >= 200_000:
                cache.clear()
            found = cache[text] = tuple(self.table.lookup(text, limit=self.candidates_limit))
        return found

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.match(doc))

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

    # -- match: text → mentions, no Doc mutation --------------------------------
    def match(self, doc: Doc) -> list[Mention]:
        text = doc.text
        lookup = self._lookup_memo
        found: list[Mention] = []
        for run_start, run_end in name_runs(text):
            found.extend(self._match_run(text, run_start, run_end, lookup))
        found.extend(self.org_events.extra_mentions(text, lookup))  # issue 12
        ner_ents = list(doc.ents)  # doc.ents walks every token: read it once
        for ent in ner_ents:
            # an earlier NER's nationalities (NORP) are left as they are
            if ent.label_ in NER_LABELS and ent.label_ != "NORP" and not any(
                m.start_char == ent.start_char and m.end_char == ent.end_char for m in found
            ):
                found.append(self._mention_for(ent.text, ent.start_char, ent.end_char, lookup,
                                               default_label=ent.label_, n_words=len(ent)))
        if self.link_partial:
            self._resolve_partial(found)
        ner_norp = [(e.start_char, e.end_char) for e in ner_ents if e.label_ == "NORP"]
        found = self.org_events.finish(text, found, ner_norp)  # issue 12: demonyms, short forms
        if self.allowed_labels:
            found = [m for m in found if m.label in self.allowed_labels]
        found.sort(key=lambda m: (m.start_char, -m.end_char))
        return found

    def _match_run(
        self, text: str, start: int, end: int, lookup: Callable[[str], tuple[Candidate, ...]]
    ) -> list[Mention]:
        out: list[Mention] = []
        for window in windows(text, start, end, self.max_window):
            mention = self._mention_for(window.text, window.start, window.end, lookup,
                                        n_words=window.n_words)
            # one-word windows stay as placeholders: partial-mention resolution may link them
            if mention.entity_id or mention.label or window.n_words == 1:
                out.append(mention)
        return out

    def _mention_for(
        self,
        surface: str,
        start: int,
        end: int,
        lookup: Callable[[str], tuple[Candidate, ...]],
        *,
        default_label: str = "",
        n_words: int = 1,
    ) -> Mention:
        candidates = list(lookup(surface))
        if n_words == 1 and surface.lower() in STOP_WORDS:
            # "On" is not "UN", "So" is not 서: an English word links only when the
            # table spells it exactly so, case included
            candidates = [c for c in candidates if c.matched == surface]
        # A typo keeps the number of words; "Central Committee" against "WPK Central
        # Committee" is a shortening, not a misspelling, and must not link as fuzzy.
        n_surface = _word_count(surface)
        candidates = [
            c for c in candidates
            if c.method != "fuzzy" or not c.matched or _word_count(c.matched) == n_surface
        ]
        key = name_key(surface)
        best = candidates[0] if candidates else None
        tied = (
            len(candidates) > 1
            and best is not None
            and abs(candidates[1].score - best.score) <= _TIE_EPSILON
            and candidates[1].entity_id != best.entity_id
        )
        if best is not None and best.score >= self.threshold and not tied:
            entity = self.table[best.entity_id]
            return Mention(start, end, surface, entity.type, entity.id, best.score, best.method,
                           candidates, key, n_words)
        label = default_label
        if not label and best is not None and best.score >= self.threshold:
            label = self.table[best.entity_id].type  # a tie between entities of one type
        if not label and self.unlinked_korean_names and looks_like_korean_name(surface):
            label = "PERSON"
        method = best.method if best is not None else ""
        score = best.score if best is not None else 0.0
        return Mention(start, end, surface, label, "", score, method, candidates, key, n_words)

    def _resolve_partial(self, mentions: list[Mention]) -> None:
        """Link one-word mentions: surnames of people named in full earlier in the
        document (context), or the unique surname of a foreign person in the table.

        Korean (and Chinese) names put the surname first, Western names last; an
        entity with Hangul is matched on its first word by name key (Pak, Park,
        Bak), any other person on its first or last word spelled the same.
        """
        mentions.sort(key=lambda m: (m.start_char, -m.end_char))
        seen: dict[str, set[str]] = {}
        foreign_surnames = self._foreign_surnames()
        for m in mentions:
            if m.entity_id and m.n_words > 1:
                entity = self.table[m.entity_id]
                if entity.type == "PERSON":
                    for surname in _surname_keys(entity, m.text):
                        seen.setdefault(surname, set()).add(entity.id)
                continue
            if m.n_words != 1 or (m.entity_id and m.method in ("exact", "alias", "hangul")):
                continue
            word = _strip_possessive(m.text)
            if len(word) < 2 or word.lower() in STOP_WORDS:
                continue  # "I", "So", "No", "An": English words before they are surnames
            ids = seen.get("k:" + name_key(word), set()) | seen.get("p:" + plain_key(word), set())
            if len(ids) == 1:
                self._link(m, next(iter(ids)), "context")
            elif len(ids) > 1 and not m.entity_id:
                m.label = "PERSON"  # "comrade Pak" with two Paks in view: listed, not linked
                m.candidates = [Candidate(i, self.threshold, "context") for i in sorted(ids)]
            elif not ids and not m.entity_id:
                global_ids = foreign_surnames.get(plain_key(word), set())
                if len(global_ids) == 1:
                    self._link(m, next(iter(global_ids)), "alias")
                elif global_ids:
                    m.label = "PERSON"
                    m.candidates = [
                        Candidate(i, self.threshold, "alias") for i in sorted(global_ids)
                    ]
            elif m.entity_id and m.method in ("key", "fuzzy") and len(ids) > 1:
                m.entity_id = ""  # an ambiguous surname never links on its own

    def _link(self, m: Mention, entity_id: str, method: str) -> None:
        entity = self.table[entity_id]
        m.entity_id, m.label, m.method = entity.id, entity.type, method
        m.score = max(m.score, self.threshold)
        if not any(c.entity_id == entity_id for c in m.candidates):
            m.candidates.insert(0, Candidate(entity_id, m.score, method))

    def _foreign_surnames(self) -> dict[str, set[str]]:
        """Last words of non-Korean people's names (Stalin, Bulganin), for one-word mentions."""
        if self._surname_index is None:
            index: dict[str, set[str]] = {}
            for entity in self.table:
                if entity.type != "PERSON" or entity.hangul:
                    continue
                words = entity.name.replace(".", " ").split()
                if len(words) > 1 and words[-1][:1].isupper() and len(words[-1]) > 2:
                    index.setdefault(plain_key(words[-1]), set()).add(entity.id)
            self._surname_index = index
        return self._surname_index

    # -- set_annotations: mentions → Doc ----------------------------------------
    def set_annotations(self, doc: Doc, mentions: list[Mention]) -> Doc:
        labelled = [m for m in mentions if m.label]
        _split_tokens_at(doc, {b for m in labelled for b in (m.start_char, m.end_char)})
        spans: list[Span] = []
        for m in labelled:
            span = doc.char_span(m.start_char, m.end_char, label=m.label,
                                 kb_id=m.entity_id, span_id=m.entity_id,
                                 alignment_mode="expand")
            if span is None:
                continue
            span._.set(EXTENSION, m.link_data())
            spans.append(span)
        doc.spans[self.spans_key] = spans
        # Linked spans beat unlinked ones, then longer beats shorter (filter_spans);
        # nested names stay in doc.spans only (org_events.select_ents).
        ours = select_ents(spans, allow_norp="NORP" in self.allowed_labels)
        existing = list(doc.ents)
        if self.overwrite_ents:
            doc.ents = filter_spans(ours + existing)
        else:
            ours_free = [s for s in ours if not any(_overlaps(s, e) for e in existing)]
            # an earlier NER's span takes our ID when we linked exactly the same tokens
            same = {(s.start, s.end): s for s in spans if s.kb_id_}
            relinked = [same.get((e.start, e.end), e) for e in existing]
            doc.ents = filter_spans(relinked + ours_free)
        return doc

    # -- serialization: the compiled table travels inside the pipeline folder --
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", {
            "aliases": self.alias_paths, "include_default": self.include_default,
            "threshold": self.threshold, "labels": sorted(self.allowed_labels),
        })
        self.table.to_disk(path / "table")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> RomanizeEntities:
        path = Path(path)
        self.set_table(AliasTable.from_disk(path / "table"))
        return self


def _split_tokens_at(doc: Doc, boundaries: set[int]) -> None:
    """Split tokens that a mention boundary falls inside ("Liang.[1" → "Liang", ".[1").

    The tokenizer does not know our names; without this a mention would be
    widened to the whole token. Only tokens that really contain a boundary are
    touched (found by binary search over token offsets, not a scan per boundary),
    and each piece is attached to the first, so no parse is invented.
    """
    if not boundaries or not len(doc):
        return
    starts = doc.to_array([IDX]).astype(numpy.int64).ravel()
    cuts: dict[int, list[int]] = {}
    for b in sorted(boundaries):
        i = int(numpy.searchsorted(starts, b, side="right")) - 1
        if i < 0 or starts[i] == b:
            continue
        token = doc[i]
        if b < token.idx + len(token.text):
            cuts.setdefault(i, []).append(b - token.idx)
    if not cuts:
        return
    with doc.retokenize() as retokenizer:
        for i, offsets in cuts.items():
            token = doc[i]
            edges = [0, *offsets, len(token.text)]
            orths = [token.text[a:b] for a, b in itertools.pairwise(edges)]
            retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))


def _word_count(text: str) -> int:
    return len([w for w in _WORD_SPLIT.split(text) if w])


_WORD_SPLIT = re.compile(r"[\s\-‐‑]+")


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _surname_keys(entity: Entity, surface: str) -> set[str]:
    """Keys under which a fully named person can later be called by one word."""
    keys: set[str] = set()
    for written in (entity.name, surface):
        words = written.replace("-", " ").split()
        if len(words) < 2:
            continue
        if entity.hangul:
            keys.add("k:" + name_key(words[0]))  # Korean order: surname first
        else:
            keys.add("p:" + plain_key(words[0]))  # Mao (Zedong)
            keys.add("p:" + plain_key(words[-1]))  # (Nikita) Khrushchev
    return keys


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s", "'", "’"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def load(
    aliases: Sequence[str | Path] | None = None,
    include_default: bool = True,
    base: str = "en",
) -> Language:
    """A ready pipeline: `base` is a language code (blank pipeline) or an installed model."""
    import spacy

    nlp = spacy.blank(base) if len(base) <= 3 and base.isalpha() else spacy.load(base)
    nlp.add_pipe(
        "romanize_entities",
        config={"aliases": [str(p) for p in aliases or ()], "include_default": include_default},
    )
    return nlp
