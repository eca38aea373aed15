"""Which groups are worth listing, and what each suggestion says: type, contexts, neighbours."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from spacy.lang.en.stop_words import STOP_WORDS

from romanize_entities.aliases import ENTITY_TYPES, AliasTable
from romanize_entities.aliases.lookup import normalize_spelling
from romanize_entities.keys import is_korean_romanization, name_key, plain_key
from romanize_entities.mentions import (
    SURNAME_KEYS,
)
from romanize_entities.romanization.reverse import hangul_candidates
from romanize_entities.romanization.surnames import SURNAME_VARIANTS
from romanize_entities.suggest.model import (
    _CONTEXTS,
    _MIN_SIMILARITY,
    _MONTHS_AND_DAYS,
    _NEAREST,
    _NORP_ENDINGS,
    _NORP_WORDS,
    _ROMAN_NUMERAL,
    _TYPE_WORDS,
    SIMILAR_FACTOR,
    Context,
    Nearest,
    Suggestion,
    _Group,
)
from romanize_entities.transliteration.unihan import hanja_to_hangul, is_han

if TYPE_CHECKING:
    pass

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
        # A name written in Hanja (a model's span in a mixed-script text): its
        # Unihan readings are the Hangul to propose.
        candidates = hanja_to_hangul(text, limit=3) if any(map(is_han, text)) else []
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
