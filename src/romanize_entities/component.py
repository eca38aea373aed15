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
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy
from spacy import util
from spacy.attrs import ENT_IOB, IDX, LENGTH
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import SimpleFrozenList, filter_spans

from romanize_entities.aliases import AliasTable, Candidate, Entity, StaleTableError
from romanize_entities.candidates import generate_candidates, line_is_upper
from romanize_entities.clusters import assign_clusters, surname_hangul
from romanize_entities.component_config import (
    DEFAULT_CONFIG,
    DEFAULT_SPANS_KEY,
    NER_LABELS,
    SETTING_KEYS,
    CandidateGenerator,
    check_settings,
    create_candidate_generator,
    table_lookup,
)
from romanize_entities.keys import name_key, plain_key
from romanize_entities.linking import decide
from romanize_entities.mentions import (
    _is_connector,
    is_hangul_name,
    is_korean_name_unit,
    name_runs,
    words_in,
)
from romanize_entities.normalize import fold_for_matching, lookup_surface
from romanize_entities.org_events import OrgEventMatcher, select_ents
from romanize_entities.romanization.engine import split_name
from romanize_entities.romanization.readings import hangul_of_syllable

logger = logging.getLogger("romanize_entities")

__all__ = [
    "DEFAULT_CONFIG", "DEFAULT_SPANS_KEY", "EXTENSION", "NER_LABELS", "SETTING_KEYS",
    "CandidateGenerator", "Mention", "RomanizeEntities", "check_settings",
    "create_candidate_generator", "load", "make_romanize_entities", "table_lookup",
]

EXTENSION = "entity_link"
#: Candidates asked of `get_candidates` before the generation rules filter them.
RETRIEVAL_LIMIT = 50
_TIE_EPSILON = 1e-9

if not Span.has_extension(EXTENSION):
    Span.set_extension(EXTENSION, default=None)


class _Decision(NamedTuple):
    """What one written window resolves to, whatever its position (see `_decision`)."""

    candidates: tuple[Candidate, ...]
    key: str
    korean: bool  # reads as a Korean personal name (several words)
    best: Candidate | None  # the candidate to link, if any
    person: bool  # a Korean personal name, or one Hangul word that is a name


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
    korean: bool = False  # reads as a Korean personal name (one unit, verified links only)
    cluster: str | None = None  # name cluster of an unlinked Korean name (clusters.py)
    parent: tuple[int, int] | None = None  # the enclosing linked name of a nested mention
    fragment: bool = False  # one word of a longer unknown name: never a surname alone
    word_index: int = 0  # position of the first word in its name run
    #: the entity a NORP demonym refers to (org_events.py); it never becomes kb_id_
    link_entity: str = ""

    def link_data(self) -> dict[str, Any]:
        """Plain data for `span._.entity_link` (survives pickling and Doc.to_bytes)."""
        return {
            "entity_id": self.entity_id or self.link_entity or None,
            "score": round(self.score, 4),
            "method": self.method,
            "candidates": [
                {"entity_id": c.entity_id, "score": round(c.score, 4), "method": c.method,
                 "verified": c.verified}
                for c in self.candidates
            ],
            "name_key": self.key,
            "cluster": self.cluster,
        }


@Language.factory(
    "romanize_entities",
    default_config=DEFAULT_CONFIG,
    assigns=["doc.ents", "doc.spans", f"span._.{EXTENSION}"],
    default_score_weights={
        "ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None,
        "nel_micro_f": 1.0, "nel_micro_p": 0.0, "nel_micro_r": 0.0,
    },
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
    get_candidates: CandidateGenerator,
) -> RomanizeEntities:
    """Build the component; no file is read here (see :meth:`RomanizeEntities.initialize`)."""
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
        get_candidates=get_candidates,
    )


class RomanizeEntities(Pipe):
    """Find and link Korean (and other) entity mentions; see the module docstring.

    The alias table is compiled lazily: :meth:`initialize` (called by
    ``nlp.initialize()``) loads and validates the configured files, a pipeline
    used straight after ``add_pipe`` loads them on first use, and
    :meth:`from_disk`/:meth:`from_bytes` restore the compiled table so a saved
    pipeline never needs the YAML again.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "romanize_entities",
        *,
        aliases: Sequence[str | Path] = DEFAULT_CONFIG["aliases"],
        include_default: bool = DEFAULT_CONFIG["include_default"],
        threshold: float = DEFAULT_CONFIG["threshold"],
        labels: Sequence[str] = DEFAULT_CONFIG["labels"],
        overwrite_ents: bool = DEFAULT_CONFIG["overwrite_ents"],
        spans_key: str = DEFAULT_CONFIG["spans_key"],
        max_window: int = DEFAULT_CONFIG["max_window"],
        link_partial: bool = DEFAULT_CONFIG["link_partial"],
        unlinked_korean_names: bool = DEFAULT_CONFIG["unlinked_korean_names"],
        candidates_limit: int = DEFAULT_CONFIG["candidates_limit"],
        get_candidates: CandidateGenerator | None = None,
    ) -> None:
        """Initialize the component.

        nlp (Language): The shared pipeline (for its vocab).
        name (str): The component name. Defaults to "romanize_entities".
        aliases (Sequence[str | Path]): YAML alias files merged over the packaged
            table, in order. Read by `initialize()` or on first use, never here.
        include_default (bool): Merge the packaged table under `aliases`. Defaults to True.
        threshold (float): A mention links only when its best candidate scores at
            least this (0..1). Defaults to DEFAULT_THRESHOLD (0.8).
        labels (Sequence[str]): Keep only mentions of these types; empty keeps all.
        overwrite_ents (bool): Our spans replace overlapping `doc.ents` of an
            earlier NER. Defaults to False (theirs are kept, and linked when ours
            cover exactly the same tokens).
        spans_key (str): `doc.spans` key receiving every candidate span.
            Defaults to "romanize_entities".
        max_window (int): Longest window, in words, looked up inside a name run
            (at least 1). Defaults to 6.
        link_partial (bool): Link a surname alone by context. Defaults to True.
        unlinked_korean_names (bool): Keep Korean-looking names no entity claims
            as unlinked PERSON spans, so users see what to add. Defaults to True.
        candidates_limit (int): Candidates asked of the generator and kept per
            mention (at least 1). Defaults to 5.
        get_candidates (Callable[[AliasTable, str, int], list[Candidate]] | None):
            The candidate generator; None is :func:`table_lookup`.
        RAISES (ValueError): For an impossible setting (see :func:`check_settings`).
        """
        generator = get_candidates if get_candidates is not None else table_lookup
        check_settings({
            "aliases": list(aliases), "include_default": include_default,
            "threshold": threshold, "labels": list(labels), "overwrite_ents": overwrite_ents,
            "spans_key": spans_key, "max_window": max_window, "link_partial": link_partial,
            "unlinked_korean_names": unlinked_korean_names,
            "candidates_limit": candidates_limit, "get_candidates": generator,
        })
        self.nlp = nlp
        self.name = name
        self.alias_paths = [str(p) for p in aliases]
        self.include_default = include_default
        self.threshold = float(threshold)
        self.allowed_labels = frozenset(labels)
        self.overwrite_ents = overwrite_ents
        self.spans_key = spans_key
        self.max_window = max_window
        self.link_partial = link_partial
        self.unlinked_korean_names = unlinked_korean_names
        self.candidates_limit = candidates_limit
        self.get_candidates: CandidateGenerator = generator
        self._table: AliasTable | None = None
        self._surname_index: dict[str, set[str]] | None = None
        self._memo: dict[tuple[str, bool], tuple[Candidate, ...]] = {}
        self._decisions: dict[tuple[str, bool, bool, float], _Decision] = {}
        #: name run → its mentions at offset 0 (see `match`), kept across documents
        self._runs: dict[tuple[str, bool, float, bool, int], tuple[Mention, ...]] = {}
        self._upper_lines: dict[int, bool] = {}  # per document: line start → all capitals
        self._org_events: OrgEventMatcher | None = None

    @property
    def settings(self) -> dict[str, Any]:
        """The plain-data settings (every key of :data:`SETTING_KEYS`), e.g. for run.json."""
        return {
            "aliases": list(self.alias_paths), "include_default": self.include_default,
            "threshold": self.threshold, "labels": sorted(self.allowed_labels),
            "overwrite_ents": self.overwrite_ents, "spans_key": self.spans_key,
            "max_window": self.max_window, "link_partial": self.link_partial,
            "unlinked_korean_names": self.unlinked_korean_names,
            "candidates_limit": self.candidates_limit,
        }

    # -- the table: initialize(), first use, or from_disk/from_bytes ------------
    @property
    def table(self) -> AliasTable:
        """The compiled alias table, loaded from the configured files on first use."""
        if self._table is None:
            self._table = self._load_table()
        return self._table

    def _load_table(self) -> AliasTable:
        from romanize_entities.aliases import AliasTableError, Problem

        if not self.include_default and not self.alias_paths:
            raise ValueError(
                "romanize_entities: include_default is false and no alias file is configured"
            )
        try:
            return AliasTable.load(self.alias_paths, include_default=self.include_default)
        except OSError as exc:
            where = str(exc.filename) if exc.filename else "alias file"
            reason = exc.strerror or str(exc)
            raise AliasTableError(
                [Problem(where, 0, 0, None, "error", f"cannot read alias file: {reason}")]
            ) from exc

    def candidates_for(self, text: str) -> tuple[list[Candidate], str]:
        """The candidates this component keeps for *text* read as one mention, and the
        entity it would link ("" for none): `lookup` and `suggest` ask this so that
        they apply the component's rules and threshold, not the table's raw ranking.

        text (str): The mention as written.
        RETURNS (tuple[list[Candidate], str]): Candidates best first, and the linked ID.
        """
        folded = fold_for_matching(text)
        self._upper_lines = {}
        mention = self._mention_for(folded, 0, len(folded), n_words=len(folded.split()))
        return mention.candidates, mention.entity_id

    def set_table(self, table: AliasTable) -> None:
        """Use *table* instead of loading the configured files (engines that ship one)."""
        self._table = table
        self._surname_index = None
        self._memo = {}
        self._decisions = {}
        self._runs = {}
        self._org_events = None

    @property
    def org_events(self) -> OrgEventMatcher:
        """Bodies, events, dates and demonyms (org_events.py), per table."""
        if self._org_events is None:
            self._org_events = OrgEventMatcher(self.table, self.threshold, self.max_window)
        return self._org_events

    def set_table_unloaded(self) -> None:
        """Forget the table: it is compiled from the configured files on first use."""
        self._table = None
        self._surname_index = None
        self._memo = {}
        self._decisions = {}
        self._runs = {}
        self._org_events = None

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        """Load and validate the configured alias tables (called by `nlp.initialize()`).

        get_examples (Callable[[], Iterable[Example]] | None): Unused; the
            component learns nothing from examples.
        nlp (Language | None): The pipeline. Unused.
        RAISES (AliasTableError): A missing or broken alias file, as FILE:LINE:COL: MESSAGE.
        """
        self.set_table(self._load_table())

    def __call__(self, doc: Doc) -> Doc:
        """Find, link and annotate the mentions of one Doc.

        doc (Doc): The document, possibly with `doc.ents` from an earlier NER.
        RETURNS (Doc): The same Doc with `doc.ents`, `doc.spans[spans_key]` and
            `span._.entity_link` set.
        """
        error_handler = self.get_error_handler()
        try:
            return self.set_annotations(doc, self.match(doc))
        except Exception as exc:
            error_handler(self.name, self, [doc], exc)
            return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Apply the component to a stream of Docs, through spaCy's error handler.

        stream (Iterable[Doc]): The documents.
        batch_size (int): Unused (documents are independent); kept for spaCy's API.
        YIELDS (Doc): Each annotated Doc; a Doc the error handler accepts is skipped.
        """
        error_handler = self.get_error_handler()
        for doc in stream:
            try:
                yield self.set_annotations(doc, self.match(doc))
            except Exception as exc:
                error_handler(self.name, self, [doc], exc)

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        """Score spans (per label) and entity links with spaCy's `Scorer`.

        examples (Iterable[Example]): Predicted and gold Docs; a gold span with
            an empty `kb_id_` must stay unlinked.
        RETURNS (dict[str, Any]): `ents_p/r/f`, `ents_per_type` and the `nel_*`
            figures of `Scorer.score_links`, as `nlp.evaluate()` reports them.
        """
        examples = list(examples)
        scores: dict[str, Any] = dict(Scorer.score_spans(examples, "ents", **kwargs))
        scores.update(Scorer.score_links(examples, negative_labels=[""], **kwargs))
        return scores

    # -- match: text → mentions, no Doc mutation --------------------------------
    def match(self, doc: Doc) -> list[Mention]:
        """Find and decide every mention of `doc` (top-level and nested)."""
        text = fold_for_matching(doc.text)
        self._upper_lines = {}
        found: list[Mention] = []
        # documents repeat their names: a run written the same way on a line of the
        # same case gives the same mentions (they depend on the run's own text only),
        # so a run seen before is copied from its template, shifted; each copy is its
        # own object, as later passes change mentions one by one
        for run_start, run_end in name_runs(text):
            raw = text[run_start:run_end]
            if "\n" in raw:
                found.extend(self._match_run(text, run_start, run_end))
                continue
            key = (raw, self._line_upper(text, run_start, run_end), self.threshold,
                   self.unlinked_korean_names, self.max_window)
            template = self._runs.get(key)
            if template is None:
                mentions = self._match_run(text, run_start, run_end)
                if len(self._runs) >= 100_000:
                    self._runs.clear()
                self._runs[key] = tuple(_shifted(m, -run_start) for m in mentions)
                found.extend(mentions)
            else:
                found.extend(_shifted(m, run_start) for m in template)
        # bodies and events read through brackets and line breaks, unknown wholes
        # ("shells"), names made of dates (org_events.py, issue 12)
        found.extend(self.org_events.extra_mentions(
            text, lambda spelled: self._candidates(lookup_surface(spelled), False)))
        # reading doc.ents walks every token: only when an earlier NER set entities
        earlier = list(doc.ents) if _has_ents(doc) else []
        for ent in earlier:
            # an earlier NER's nationalities (NORP) are left as they are
            if ent.label_ in NER_LABELS and ent.label_ != "NORP" and not any(
                m.start_char == ent.start_char and m.end_char == ent.end_char for m in found
            ):
                found.append(self._mention_for(text, ent.start_char, ent.end_char,
                                               default_label=ent.label_, n_words=len(ent)))
        found.sort(key=lambda m: (m.start_char, -m.end_char))
        if self.unlinked_korean_names:
            self._assign_clusters(found)
        if self.link_partial:
            self._resolve_partial(found)
        # one-word placeholders that neither linked nor became a person ("I", "We",
        # "Why") have served the surname pass; the later passes need only names
        found = [m for m in found if m.label]
        ner_norp = [(e.start_char, e.end_char) for e in earlier if e.label_ == "NORP"]
        found = self.org_events.finish(text, found, ner_norp)  # issue 12: demonyms, short forms
        if self.allowed_labels:
            found = [m for m in found if m.label in self.allowed_labels]
        return found

    def _match_run(self, text: str, start: int, end: int,
                   parent: tuple[int, int] | None = None, parent_id: str = "") -> list[Mention]:
        """Cut one name run into non-overlapping mentions, longest known name first.

        At each word the longest window that links wins; a window that reads as
        a Korean personal name is one unit even when it does not link, so no
        part of it ("Un" of Kim Jong Un, "Ri Yong" of Ri Yong Ho) links alone.
        Inside a linked multi-word name that is not a person, the names it
        contains are kept as nested mentions (`parent` set).
        """
        words = words_in(text, start, end)
        out: list[Mention] = []
        i = 0
        while i < len(words):
            if _is_connector(text, words[i]):
                i += 1
                continue
            chosen: Mention | None = None
            j_end = i + 1
            for j in range(_window_end(text, words, i, self.max_window), i, -1):
                if _is_connector(text, words[j - 1]):
                    continue
                w_start, w_end = words[i][0], words[j - 1][1]
                if parent is not None and (w_start, w_end) == parent:
                    continue
                d = self._window_decision(text, w_start, w_end, j - i)
                linked = d.best.entity_id if d.best is not None else ""
                if linked and linked == parent_id:
                    continue  # a shorter spelling of the enclosing name itself
                if linked and d.korean and self._misspelt_longer_name(text, words, i, j,
                                                                      linked):
                    # "Kim Il Sunk": the name goes on with a misspelt syllable, so
                    # "Kim Il" is a fragment of it, not the premier Kim Il
                    w_end = words[j][1]
                    d = self._window_decision(text, w_start, w_end, j + 1 - i)
                    chosen, j_end = self._mention_from(d, text, w_start, w_end, j + 1 - i), j + 1
                    chosen.entity_id, chosen.label = "", "PERSON"
                    break
                if linked or (j - i > 1 and d.korean):
                    chosen, j_end = self._mention_from(d, text, w_start, w_end, j - i), j
                    break
                if j == i + 1 and (d.person or _lone_surname(text[w_start:w_end])):
                    # a one-word placeholder: a surname may link by context (an
                    # English word that is never read as a surname needs none)
                    chosen = self._mention_from(d, text, w_start, w_end, 1)
            if chosen is not None:
                chosen.parent = parent
                chosen.word_index = i
                out.append(chosen)
                entity = self.table.get(chosen.entity_id) if chosen.entity_id else None
                if (entity is not None and entity.type != "PERSON" and chosen.n_words > 1
                        and " " in chosen.text):  # U.N. holds no name
                    span = (chosen.start_char, chosen.end_char)
                    out.extend(m for m in self._match_run(text, *span, parent=span,
                                                          parent_id=chosen.entity_id)
                               if m.entity_id)
            i = j_end
        _mark_fragments(text, words, out)
        return out

    def _misspelt_longer_name(self, text: str, words: list[tuple[int, int]], i: int,
                              j: int, linked: str) -> bool:
        """Is words[i:j] (linked to `linked`) the start of another person's name
        written with a slip in the next word ("Kim Il Sunk" for Kim Il Sung)?

        The next word must look like a misspelt syllable (short, capitalized, no
        syllable itself, no title or stop word), and the longer window must be a
        close fuzzy spelling of a different person of the table; then linking
        the first words alone would give the name to the wrong man.
        """
        if j >= len(words):
            return False
        word = text[words[j][0]:words[j][1]]
        if not (2 <= len(word) <= 6 and word.isalpha() and word[0].isupper()
                and word[1:].islower()):
            return False
        lower = word.lower()
        if lower in STOP_WORDS or lower in TITLES or hangul_of_syllable(word):
            return False
        longer = lookup_surface(text[words[i][0]:words[j][1]])
        # the configured retrieval, unverified candidates included: a close spelling
        # of another person is what this asks about
        top = next(iter(self.get_candidates(self.table, longer, 1)), None)
        return (top is not None and top.entity_id != linked and top.score >= self.threshold
                and self._type(top.entity_id) == "PERSON")

    def _mention_for(
        self,
        text: str,
        start: int,
        end: int,
        *,
        default_label: str = "",
        n_words: int = 1,
    ) -> Mention:
        return self._mention_from(self._window_decision(text, start, end, n_words), text,
                                  start, end, n_words, default_label)

    def _window_decision(self, text: str, start: int, end: int, n_words: int) -> _Decision:
        return self._decision(text[start:end], self._line_upper(text, start, end),
                              n_words == 1)

    def _line_upper(self, text: str, start: int, end: int) -> bool:
        """Is the line holding text[start:end] written all in capitals? (memo per line)"""
        line_start = text.rfind("\n", 0, start) + 1
        upper_line = self._upper_lines.get(line_start)
        if upper_line is None:
            upper_line = self._upper_lines[line_start] = line_is_upper(text, start, end)
        return upper_line

    def _mention_from(self, d: _Decision, text: str, start: int, end: int, n_words: int,
                      default_label: str = "") -> Mention:
        raw = text[start:end]
        if d.best is not None:
            entity = self.table[d.best.entity_id]
            return Mention(start, end, raw, entity.type, entity.id, d.best.score,
                           d.best.method, list(d.candidates), d.key, n_words, korean=d.korean)
        label = default_label
        if not label and d.person and self.unlinked_korean_names:
            label = "PERSON"
        top = d.candidates[0] if d.candidates else None
        return Mention(start, end, raw, label, "", top.score if top else 0.0,
                       top.method if top else "", list(d.candidates), d.key, n_words,
                       korean=d.person)

    def _decision(self, raw: str, upper_line: bool, one_word: bool) -> _Decision:
        """Candidates and decision for one written window, memoized: a document
        names the same people over and over, and every window of a name run is
        asked (the cost of `match` is mostly here)."""
        memo_key = (raw, upper_line, one_word, self.threshold)
        found = self._decisions.get(memo_key)
        if found is not None:
            return found
        if len(self._decisions) >= 200_000:
            self._decisions.clear()
        surface = lookup_surface(raw)
        korean = not one_word and is_korean_name_unit(surface)
        candidates = list(self._candidates(surface, upper_line))
        western = _western_order(surface) if korean else None
        if western is not None:  # "Dae-jung Kim": the table files names surname first
            candidates += self._candidates(western, upper_line)
            candidates.sort(key=lambda c: (-c.score, c.entity_id))
        if korean:  # a personal name is never a place or a body (Kim Chaek ≠ Kimchaek)
            candidates = [c for c in candidates if self._type(c.entity_id) == "PERSON"]
        best = decide(candidates, self.threshold, korean_name=korean)
        person = korean or (one_word and is_hangul_name(surface))
        found = self._decisions[memo_key] = _Decision(
            tuple(candidates), name_key(surface), korean, best, person)
        return found

    def _candidates(self, surface: str, upper_line: bool) -> tuple[Candidate, ...]:
        """Candidates memoized per surface string (documents repeat their names)."""
        memo_key = (surface, upper_line)
        found = self._memo.get(memo_key)
        if found is None:
            if len(self._memo) >= 200_000:
                self._memo.clear()
            # retrieval is the configured `get_candidates` (pluggable, like EntityLinker's);
            # the generation rules and the limit are applied to what it returns
            retrieved = self.get_candidates(self.table, surface, RETRIEVAL_LIMIT)
            found = self._memo[memo_key] = tuple(generate_candidates(
                self.table, surface, limit=self.candidates_limit, upper_line=upper_line,
                retrieved=retrieved))
        return found

    def _type(self, entity_id: str) -> str:
        entity = self.table.get(entity_id)
        return entity.type if entity is not None else ""

    def _assign_clusters(self, mentions: list[Mention]) -> None:
        """Give every unlinked Korean personal name its name cluster (clusters.py)."""
        unlinked = [m for m in mentions if m.korean and not m.entity_id]
        ids = assign_clusters(lookup_surface(m.text) for m in unlinked)
        for m in unlinked:
            m.cluster = ids.get(lookup_surface(m.text).strip())

    def _resolve_partial(self, mentions: list[Mention]) -> None:
        """Link one-word mentions: a surname alone ("Pak", "Chairman Kim", "(PAK):").

        It links only when exactly one person with that surname has been named in
        full earlier in the document, counting the people the table does not know
        (an unlinked full name is a person too, identified by its cluster). With
        two or more in view it stays an unlinked PERSON listing them. A word that
        no full name explains may still be the unique surname of a non-Korean
        person of the table ("Stalin", "Bulganin").
        """
        seen: list[tuple[frozenset[str], str]] = []  # (surname keys, entity id or cluster)
        foreign_surnames = self._foreign_surnames()
        for m in mentions:
            if m.parent is not None:
                continue
            if m.n_words > 1:
                person = self._person_identity(m)
                if person is not None:
                    seen.append(person)
                continue
            if m.fragment or (m.entity_id and m.method in ("exact", "alias", "hangul")):
                continue  # "Dean" of "Dean Acheson" is a fragment, not a surname alone
            word = _lone_surname(m.text)
            if not word:
                continue  # "I", "So", "No", "An": English words before they are surnames
            keys = _surname_forms(word)
            in_view = sorted({ident for forms, ident in seen if forms & keys})
            if len(in_view) == 1:
                ident = in_view[0]
                if ident.startswith("~"):
                    m.entity_id, m.label, m.cluster, m.method = "", "PERSON", ident, "context"
                else:
                    self._link(m, ident, "context")
            elif in_view:
                m.entity_id, m.label, m.method = "", "PERSON", "context"
                m.candidates = [Candidate(i, self.threshold, "context")
                                for i in in_view if not i.startswith("~")]
            elif not m.entity_id:
                global_ids = foreign_surnames.get(plain_key(word), set())
                if len(global_ids) == 1:
                    self._link(m, next(iter(global_ids)), "alias")
                elif global_ids:
                    m.label = "PERSON"
                    m.candidates = [
                        Candidate(i, self.threshold, "alias") for i in sorted(global_ids)
                    ]

    def _person_identity(self, m: Mention) -> tuple[frozenset[str], str] | None:
        """(surname forms, identity) of a fully named person, linked or not."""
        if m.entity_id:
            entity = self.table[m.entity_id]
            if entity.type != "PERSON":
                return None
            forms: set[str] = set()
            if entity.hangul:
                forms.add("h:" + split_name(entity.hangul.replace(" ", ""))[0])
            elif is_korean_name_unit(entity.name):  # a Korean name without Hangul
                return _surname_forms(entity.name.split()[0]), entity.id
            surname_first = _surname_first(entity)
            for written in (entity.name, lookup_surface(m.text)):
                words = written.replace("-", " ").split()
                if len(words) > 1 and not entity.hangul:
                    # (Nikita) Khrushchev, but Mao (Zedong): Chinese names put it first
                    forms.add("p:" + plain_key(words[0] if surname_first else words[-1]))
            return frozenset(forms), entity.id
        if m.korean and m.cluster:
            words = lookup_surface(m.text).split()
            surname = words[-1] if "-" in words[0] and len(words) == 2 else words[0]
            return _surname_forms(surname), m.cluster
        return None

    def _link(self, m: Mention, entity_id: str, method: str) -> None:
        entity = self.table[entity_id]
        m.entity_id, m.label, m.method = entity.id, entity.type, method
        m.score = max(m.score, self.threshold)
        if not any(c.entity_id == entity_id for c in m.candidates):
            m.candidates.insert(0, Candidate(entity_id, m.score, method, verified=True))

    def _foreign_surnames(self) -> dict[str, set[str]]:
        """Last words of non-Korean people's names (Stalin, Bulganin), for one-word mentions."""
        if self._surname_index is None:
            index: dict[str, set[str]] = {}
            for entity in self.table:
                if entity.type != "PERSON" or entity.hangul or is_korean_name_unit(entity.name):
                    continue  # a Korean name's last word is its given name ("Yung-woo")
                words = entity.name.replace(".", " ").split()
                if len(words) > 1 and words[-1][:1].isupper() and len(words[-1]) > 2:
                    index.setdefault(plain_key(words[-1]), set()).add(entity.id)
            self._surname_index = index
        return self._surname_index

    # -- set_annotations: mentions → Doc ----------------------------------------
    def set_annotations(self, doc: Doc, mentions: list[Mention]) -> Doc:
        """Write mentions to the Doc: top-level ones to `doc.ents` (unless an earlier
        NER holds the tokens), all of them — nested ones too — to `doc.spans`."""
        labelled = [m for m in mentions if m.label]
        _split_tokens_at(doc, {b for m in labelled for b in (m.start_char, m.end_char)})
        spans: list[Span] = []
        top: list[Span] = []
        for m, bounds in zip(labelled, _token_bounds(doc, labelled), strict=True):
            if bounds is not None:  # on token boundaries (the usual case after the split)
                span = Span(doc, bounds[0], bounds[1], label=m.label, kb_id=m.entity_id,
                            span_id=m.entity_id)
            else:
                found = doc.char_span(m.start_char, m.end_char, label=m.label,
                                      kb_id=m.entity_id, span_id=m.entity_id,
                                      alignment_mode="expand")
                if found is None:
                    continue
                span = found
            span._.set(EXTENSION, m.link_data())
            spans.append(span)
            if m.parent is None:
                top.append(span)
        doc.spans[self.spans_key] = spans
        # The longest known name wins; shells hide the persons and parties inside them
        # but give way to a place; nested names stay in doc.spans only (org_events).
        ours = select_ents(top, allow_norp="NORP" in self.allowed_labels)
        existing = list(doc.ents) if _has_ents(doc) else []
        if self.overwrite_ents:
            doc.ents = filter_spans(ours + existing)
        else:
            ours_free = [s for s in ours if not any(_overlaps(s, e) for e in existing)]
            # an earlier NER's span takes our ID when we linked exactly the same tokens
            same = {(s.start, s.end): s for s in spans if s.kb_id_}
            relinked = [same.get((e.start, e.end), e) for e in existing]
            doc.ents = filter_spans(relinked + ours_free)
        return doc

    # -- serialization: the compiled table travels inside the pipeline ----------
    # The settings live in the pipeline's config.cfg (the factory's arguments), so
    # no cfg.json is written: one source, and overrides given to spacy.load win.
    def to_bytes(self, *, exclude: Iterable[str] = SimpleFrozenList()) -> bytes:
        """Serialize the compiled table (the settings travel in the pipeline config).

        exclude (Iterable[str]): "table" leaves the table out (it is then
            loaded from the configured files on first use).
        RETURNS (bytes): The serialized component.
        """
        serializers = {"table": lambda: self.table.to_bytes()}
        return util.to_bytes(serializers, exclude)

    def from_bytes(
        self, bytes_data: bytes, *, exclude: Iterable[str] = SimpleFrozenList()
    ) -> RomanizeEntities:
        """Restore the compiled table from :meth:`to_bytes` output; no YAML is read.

        bytes_data (bytes): The data.
        exclude (Iterable[str]): "table" keeps the current (or lazily loaded) table.
        RETURNS (RomanizeEntities): The component itself.
        """
        deserializers = {"table": lambda b: self.set_table(AliasTable.from_bytes(b))}
        util.from_bytes(bytes_data, deserializers, exclude)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        """Write the compiled table to ``path/table``.

        path (str | Path): The component's folder, created if needed.
        exclude (Iterable[str]): "table" leaves the table out.
        """
        path = Path(path)
        serializers = {"table": lambda p: self.table.to_disk(p)}
        util.to_disk(path, serializers, exclude)

    def from_disk(
        self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()
    ) -> RomanizeEntities:
        """Restore the compiled table from ``path/table``; no YAML is read.

        A table compiled by an older version (`StaleTableError`: keys or generated
        variants changed since the pipeline was saved) is compiled again from the
        configured YAML files on first use instead.

        path (str | Path): The component's folder.
        exclude (Iterable[str]): "table" keeps the current (or lazily loaded) table.
        RETURNS (RomanizeEntities): The component itself.
        """
        path = Path(path)

        def read_table(p: Path) -> None:
            if not p.exists():  # a folder written with exclude=["table"] has none
                return
            try:
                self.set_table(AliasTable.from_disk(p))
            except StaleTableError as exc:
                logger.warning("%s; rebuilding it from %s", exc,
                               ", ".join(map(str, self.alias_paths)) or "the packaged table")
                self.set_table_unloaded()

        util.from_disk(path, {"table": read_table}, exclude)
        return self


def _has_ents(doc: Doc) -> bool:
    """Does any token begin or continue an entity? (One C-level array read: both
    `doc.ents` and `doc.has_annotation` walk every token in Python.)"""
    iob = doc.to_array([ENT_IOB])
    return bool(((iob == 1) | (iob == 3)).any())


def _token_bounds(doc: Doc, mentions: list[Mention]) -> list[tuple[int, int] | None]:
    """Token start and end of each mention that begins and ends on token edges.

    Why: `Doc.char_span` makes Token objects to find them, a few per call, which
    was most of `set_annotations`; one sorted search over the offset arrays finds
    them all. A mention off the token edges gets None (char_span decides it).
    """
    if not mentions or not len(doc):
        return [None] * len(mentions)
    offsets = doc.to_array([IDX, LENGTH]).astype(numpy.int64)
    starts, ends = offsets[:, 0], offsets[:, 0] + offsets[:, 1]
    first = numpy.array([m.start_char for m in mentions], dtype=numpy.int64)
    last = numpy.array([m.end_char for m in mentions], dtype=numpy.int64)
    i = numpy.minimum(numpy.searchsorted(starts, first), len(starts) - 1)
    j = numpy.minimum(numpy.searchsorted(ends, last), len(ends) - 1)
    exact = (starts[i] == first) & (ends[j] == last) & (j >= i)
    return [(a, b + 1) if ok else None
            for a, b, ok in zip(i.tolist(), j.tolist(), exact.tolist(), strict=True)]


def _split_tokens_at(doc: Doc, boundaries: set[int]) -> None:
    """Split tokens that a mention boundary falls inside ("Liang.[1" → "Liang", ".[1").

    The tokenizer does not know our names; without this a mention would be
    widened to the whole token. Only tokens that really contain a boundary are
    touched (found by binary search over token offsets, not a scan per boundary),
    and each piece is attached to the first, so no parse is invented.
    """
    if not boundaries or not len(doc):
        return
    spans = doc.to_array([IDX, LENGTH]).astype(numpy.int64)
    starts, ends = spans[:, 0], spans[:, 0] + spans[:, 1]
    points = numpy.array(sorted(boundaries), dtype=numpy.int64)
    index = numpy.searchsorted(starts, points, side="right") - 1
    safe = numpy.maximum(index, 0)
    inside = (index >= 0) & (starts[safe] != points) & (points < ends[safe])
    if not inside.any():
        return
    cuts: dict[int, list[int]] = {}
    for i, b in zip(index[inside].tolist(), points[inside].tolist(), strict=True):
        cuts.setdefault(i, []).append(b - int(starts[i]))
    with doc.retokenize() as retokenizer:
        for i, at in cuts.items():
            token = doc[i]
            edges = [0, *at, len(token.text)]
            orths = [token.text[a:b] for a, b in itertools.pairwise(edges)]
            retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))




def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


#: Words that may stand before a surname alone ("Chairman Kim", "General Dean").
TITLES = frozenset("""
    mr mrs ms miss dr comrade comrades president chairman chairwoman marshal general premier
    minister ambassador secretary vice prime deputy colonel lieutenant captain admiral major
    sergeant professor chief director governor senator speaker commander lt gen col capt adm
    prof sen gov madame madam sir lord king queen prince emperor envoy consul counsellor
    counselor attaché attache chargé charge delegate comrade-in-arms leader
""".split())  # noqa: SIM905 (a word list reads best as words)


_INITIAL = re.compile(r"(?:[A-Z]\.)+")


def _window_end(text: str, words: list[tuple[int, int]], i: int, max_words: int) -> int:
    """End of the longest window from word *i* holding at most *max_words* words that are
    not connectors ("4th Congress of the Workers' Party of Korea" is six words)."""
    count = 0
    j = i
    while j < len(words):
        if not _is_connector(text, words[j]):
            if count == max_words:
                break
            count += 1
        j += 1
    return j


def _shifted(m: Mention, by: int) -> Mention:
    """A copy of `m` moved `by` characters (a repeated name run, see `match`)."""
    parent = None if m.parent is None else (m.parent[0] + by, m.parent[1] + by)
    return replace(m, start_char=m.start_char + by, end_char=m.end_char + by, parent=parent,
                   candidates=list(m.candidates))


def _mark_fragments(text: str, words: list[tuple[int, int]], mentions: list[Mention]) -> None:
    """Mark one-word unlinked mentions that are part of a longer unknown name.

    "Dean" in "Dean Acheson" is; "Kim" in "Chairman Kim", "In Pyongyang Kim" or
    "Kim of Pyongyang" is not: a title, a stop word, a connector or a linked
    name beside it does not continue the name.
    """
    linked_words = {m.word_index + k for m in mentions if m.entity_id and m.parent is None
                    for k in range(m.n_words)}

    def continues(k: int, *, before: bool) -> bool:
        if not 0 <= k < len(words) or k in linked_words or _is_connector(text, words[k]):
            return False
        written = text[words[k][0]:words[k][1]]
        if before and _INITIAL.fullmatch(written):
            return False  # "A.I. Mikoyan": initials before a surname, not another name
        word = written.rstrip(".").lower()
        return word not in STOP_WORDS and not (before and word in TITLES)

    for m in mentions:
        if m.n_words == 1 and not m.entity_id and m.parent is None:
            i = m.word_index
            possessive = text[words[i][1]:words[i][1] + 1] in ("'", "’")  # Truman's Statement
            m.fragment = (not possessive and continues(i + 1, before=False)) or continues(
                i - 1, before=True)


_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu"
    r"|ua|uo|ue|ui|er|a|o|e|i|u|ü)"
)
_CHINESE_WORD = re.compile(f"(?:{_PINYIN_SYLLABLE})+")
_CHINESE_SURNAME = re.compile(_PINYIN_SYLLABLE)


def _surname_first(entity: Entity) -> bool:
    """Is this non-Korean person's surname written first (a Chinese name)?

    Chinese names in Pinyin or Wade–Giles are syllables throughout and begin
    with a one-syllable surname (Mao Zedong, Qiao Xiaoguang, Kao Kang); Western
    names are not (Dean Acheson: "son" is no syllable).
    """
    if getattr(entity, "hanzi", None):
        return True
    words = [w.replace("'", "").replace("’", "").lower()
             for w in entity.name.replace("-", " ").split()]
    return (len(words) >= 2 and _CHINESE_SURNAME.fullmatch(words[0]) is not None
            and all(_CHINESE_WORD.fullmatch(w) for w in words))


def _western_order(surface: str) -> str | None:
    """"Dae-jung Kim" → "Kim Dae-jung": a hyphenated given name before a surname."""
    words = surface.split()
    if len(words) == 2 and "-" in words[0] and "-" not in words[1]:
        return f"{words[1]} {words[0]}"
    return None


def _surname_forms(word: str) -> frozenset[str]:
    """What a one-word surname can be: its Hangul surnames ("h:박") and its plain
    spelling ("p:stalin"), matched against the forms of fully named people."""
    return frozenset({"h:" + h for h in surname_hangul(word)} | {"p:" + plain_key(word)})


def _lone_surname(written: str) -> str:
    """The word a one-word mention would be read as a surname alone by, or "" when
    it never is: an English stop word or a single letter ("I", "So", "Why")."""
    word = _strip_possessive(lookup_surface(written))
    return "" if len(word) < 2 or word.lower() in STOP_WORDS else word


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s", "'", "’"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def load(
    aliases: Sequence[str | Path] | None = None,
    include_default: bool = True,
    base: str | None = "en",
    *,
    settings: Mapping[str, Any] | None = None,
    initialize: bool = True,
) -> Language:
    """A ready pipeline with the component added last.

    aliases (Sequence[str | Path] | None): Alias files merged over the packaged table.
    include_default (bool): Merge the packaged table under them. Defaults to True.
    base (str | None): A language code (blank pipeline), or a trained pipeline's
        name or path (`spacy.load`), whose NER then runs first. None is "en".
    settings (Mapping[str, Any] | None): Other config keys of the component
        (threshold, max_window, ...), checked as by :func:`check_settings`.
    initialize (bool): Load and validate the alias tables now, so a missing or
        broken file fails here (AliasTableError, FILE:LINE:COL); False leaves
        that to the first document or to a table set with `set_table`.
    RETURNS (Language): The pipeline.
    """
    import spacy

    base = base or "en"
    is_code = len(base) <= 3 and base.isalpha() and not Path(base).exists()
    nlp = spacy.blank(base) if is_code else spacy.load(base)
    config: dict[str, Any] = dict(settings or {})
    config["aliases"] = [str(p) for p in aliases or ()]
    config["include_default"] = include_default
    if "romanize_entities" in nlp.pipe_names:
        # a saved pipeline that already has the component: these settings replace it
        nlp.remove_pipe("romanize_entities")
    pipe: Any = nlp.add_pipe("romanize_entities", config=config)
    if initialize:
        pipe.initialize(nlp=nlp)
    return nlp
