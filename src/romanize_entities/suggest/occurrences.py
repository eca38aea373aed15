"""Finding the names one document leaves unlinked (Korean-looking windows, capitalized spans)."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from spacy.lang.en.stop_words import STOP_WORDS

from romanize_entities.aliases.lookup import normalize_spelling
from romanize_entities.keys import name_key, plain_key
from romanize_entities.linking import eligible
from romanize_entities.mentions import (
    CONNECTORS,
    looks_like_korean_name,
    name_runs,
    words_in,
)
from romanize_entities.suggest.model import (
    _OPENERS,
    _SENTENCE_ENDS,
    _TYPE_WORDS,
    _clean,
    _Occurrence,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

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
    # an unverified key match is retrieval, not a known name (Kim Yo-jong is no Mu Chong)
    return any(c.score >= pipe.threshold and eligible(c, korean_name=True) for c in candidates)


def _make(doc_name: str, text: str, start: int, end: int, *, label: str = "") -> _Occurrence:
    surface = _clean(text[start:end])
    korean = looks_like_korean_name(surface)
    kind = "korean-name" if korean else "capitalized"
    key = name_key(surface) if korean else plain_key(surface)
    return _Occurrence(doc_name, start, end, surface, kind, key, label,
                       _sentence_initial(text, start))





def _sentence_initial(text: str, start: int) -> bool:
    """After a sentence end or a line break, quotes and brackets skipped (`cults.” According`)."""
    i = start - 1
    while i >= 0 and text[i] != "\n" and (text[i].isspace() or text[i] in _OPENERS):
        i -= 1
    return i < 0 or text[i] in _SENTENCE_ENDS
