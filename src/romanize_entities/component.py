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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy
from spacy import util
from spacy.attrs import IDX
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import SimpleFrozenList, filter_spans

from romanize_entities.aliases import AliasTable, Candidate, Entity
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
from romanize_entities.mentions import looks_like_korean_name, name_runs, windows

__all__ = [
    "DEFAULT_CONFIG", "DEFAULT_SPANS_KEY", "EXTENSION", "NER_LABELS", "SETTING_KEYS",
    "CandidateGenerator", "Mention", "RomanizeEntities", "check_settings",
    "create_candidate_generator", "load", "make_romanize_entities", "table_lookup",
]

EXTENSION = "entity_link"
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

    def link_data(self) -> dict[str, Any]:
        """Plain data for `span._.entity_link` (survives pickling and Doc.to_bytes)."""
        return {
            "entity_id": self.entity_id or None,
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
        self._memo: dict[str, tuple[Candidate, ...]] = {}

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
        mention = self._mention_for(text, 0, len(text), self._lookup_memo,
                                    n_words=_word_count(text))
        return mention.candidates, mention.entity_id

    def set_table(self, table: AliasTable) -> None:
        """Use *table* instead of loading the configured files (engines that ship one)."""
        self._table = table
        self._surname_index = None
        self._memo = {}

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

    def _lookup_memo(self, text: str) -> tuple[Candidate, ...]:
        """Table lookups memoized per surface string (documents repeat their names)."""
        cache = self._memo
        found = cache.get(text)
        if found is None:
            if len(cache) >= 200_000:
                cache.clear()
            # the limit is enforced here too: a user's generator may ignore it
            limit = self.candidates_limit
            found = cache[text] = tuple(self.get_candidates(self.table, text, limit)[:limit])
        return found

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
        text = doc.text
        lookup = self._lookup_memo
        found: list[Mention] = []
        for run_start, run_end in name_runs(text):
            found.extend(self._match_run(text, run_start, run_end, lookup))
        for ent in doc.ents:
            if ent.label_ in NER_LABELS and not any(
                m.start_char == ent.start_char and m.end_char == ent.end_char for m in found
            ):
                found.append(self._mention_for(ent.text, ent.start_char, ent.end_char, lookup,
                                               default_label=ent.label_, n_words=len(ent)))
        if self.link_partial:
            self._resolve_partial(found)
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
        # Linked spans beat unlinked ones, then longer beats shorter (filter_spans).
        linked = filter_spans([s for s in spans if s.kb_id_])
        taken = {i for s in linked for i in range(s.start, s.end)}
        unlinked = filter_spans(
            [s for s in spans if not s.kb_id_ and not taken.intersection(range(s.start, s.end))]
        )
        ours = filter_spans(linked + unlinked)
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

        path (str | Path): The component's folder.
        exclude (Iterable[str]): "table" keeps the current (or lazily loaded) table.
        RETURNS (RomanizeEntities): The component itself.
        """
        path = Path(path)

        def read_table(p: Path) -> None:
            if p.exists():  # a folder written with exclude=["table"] has none
                self.set_table(AliasTable.from_disk(p))

        util.from_disk(path, {"table": read_table}, exclude)
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
