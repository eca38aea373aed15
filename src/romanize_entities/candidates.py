"""Candidate generation: every rule that decides what a written span may refer to.

One generator serves the spaCy component, the `lookup` and `suggest` commands
and the reconciliation service, so a rule (acronym case, stop words, word
count of fuzzy matches) is written once. Retrieval itself is `AliasTable.lookup`
(coarse, by dictionaries); this module filters what it found; `linking.decide`
then picks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from romanize_entities.aliases import AliasTable, Candidate
from romanize_entities.aliases.lookup import normalize_spelling
from romanize_entities.normalize import HYPHENS

_WORD_SPLIT = re.compile(rf"[\s\-{HYPHENS}]+")
_LETTERS = re.compile(r"[^\W\d_]")


def word_count(text: str) -> int:
    """Words of a name; hyphens separate words as spaces do."""
    return len([w for w in _WORD_SPLIT.split(text) if w])


def is_acronym(spelling: str) -> bool:
    """UN, DPRK, KWP: two or more letters, none lower case, no space."""
    letters = _LETTERS.findall(spelling)
    return len(letters) >= 2 and " " not in spelling and all(ch.isupper() for ch in letters)


def line_is_upper(text: str, start: int, end: int) -> bool:
    """Is the line holding text[start:end] written all in capitals (cables, headings)?

    There the case of an acronym says nothing, so "UN" may be "Un".
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    if not line.isupper() and line.lower() != line.upper():
        return False  # a lower-case letter: nearly every line, decided without a regex
    letters = _LETTERS.findall(line)
    return len(letters) >= 4 and not any(ch.islower() for ch in letters)


def generate_candidates(
    table: AliasTable, surface: str, *, limit: int | None = 5, upper_line: bool = False,
    retrieved: Sequence[Candidate] | None = None,
) -> list[Candidate]:
    """Ranked candidates for `surface` after the generation rules:

    * acronyms keep their case: a spelling the table lists only as an acronym
      ("UN") does not match a word written otherwise ("Un", "On"), unless the
      whole line is upper case (`upper_line`);
    * a one-word English stop word links only to a spelling written exactly so;
    * a fuzzy match keeps the number of words ("Central Committee" is a
      shortening of "WPK Central Committee", not a typo of it).
    """
    found = table.lookup(surface, limit=None) if retrieved is None else retrieved
    n_words = word_count(surface)
    stop_word = n_words == 1 and surface.lower() in STOP_WORDS
    norm = normalize_spelling(surface)
    out: list[Candidate] = []
    for cand in found:
        if cand.method == "fuzzy" and cand.matched and (
                word_count(cand.matched) != n_words or _short_word_changed(surface, cand.matched)):
            continue
        entity = table.get(cand.entity_id)
        if entity is not None and cand.method in ("exact", "alias"):
            same = [s for s in entity.spellings() if normalize_spelling(s) == norm]
            if stop_word and surface not in same:
                continue
            if not upper_line and same and surface not in same and all(map(is_acronym, same)):
                continue
        elif stop_word and cand.matched != surface:
            continue
        out.append(cand)
    return out if limit is None else out[:limit]


#: A word this short changed by a typo is another word ("Maj" is not "Mao").
SHORT_WORD = 4


def _short_word_changed(surface: str, matched: str) -> bool:
    """Does a fuzzy match change a short word beyond an OCR slip?

    In "Chairman Maj" against "Chairman Mao" the long word carries the ratio and
    the short one — the name — differs: that is a different word, not a typo.
    """
    from romanize_entities.aliases.verify import ocr_repairs

    pairs = zip(_WORD_SPLIT.split(surface), _WORD_SPLIT.split(matched), strict=False)
    for written, listed in pairs:
        if min(len(written), len(listed)) > SHORT_WORD or written.lower() == listed.lower():
            continue
        if listed.lower() not in {r.lower() for r in ocr_repairs(written)}:
            return True
    return False
