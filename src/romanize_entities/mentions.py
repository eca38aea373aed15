"""Candidate mention spans: where in running text a name may stand.

The component never asks the alias table about every token. A single compiled
regular expression over `doc.text` finds *name runs* — sequences of capitalized
words (with hyphens, apostrophes and MR breves inside them), Hangul or Hanja
runs, and ordinal-led names such as "20th Party Congress" — and only their
sub-windows are looked up. This keeps the component's cost proportional to the
number of proper-noun-like words, not to the length of the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from romanize_entities.keys import is_korean_romanization, name_key, plain_key
from romanize_entities.romanization.surnames import COMMON_SURNAMES, SURNAME_VARIANTS

_UPPER = r"A-ZÀ-ÖØ-ÞŎŬ"
_WORD_CHARS = r"\w'’ʼŏŭŎŬ\u00ad"  # the soft hyphen is read through (normalize.py)
# A letter of a Latin word: Hangul and Han characters end it, since scraped text glues
# them to the word before ("Korean리선권", "Kim Il Sung金日成").
_LATIN_CHAR = rf"(?:(?![\uac00-\ud7a3\u4e00-\u9fff])[{_WORD_CHARS}])"
# A capitalized word; inner hyphens and apostrophes kept (Heon-yeong, Ch'oe, Workers').
_CAP_WORD = rf"(?:[{_UPPER}]{_LATIN_CHAR}*(?:-{_LATIN_CHAR}+)*)"
_HANGUL = r"(?:[\uac00-\ud7a3]+(?:[ ·][\uac00-\ud7a3]+)*)"
_HANJA = r"(?:[\u4e00-\u9fff]{2,})"
_ORDINAL = r"(?:\d{1,3}(?:st|nd|rd|th))"
_CONNECTOR = r"(?:of|the|for|and|de|du|von|van|der)"
_GAP = r"[ \t]*(?:\r?\n[ \t]*)?"  # a name may break across one line end
# Lower-case generic words that end a place name in running text ("the Nakdong river").
_GEO_SUFFIX = r"(?:river|province|mountains?|island|islands|county|peninsula|reservoir|strait)\b"
# A number that ends a name ("Korean Air Flight 858", "KAL 858"); not a date's day or a
# year followed by more digits ("August 15, 1945" keeps only "August 15").
_NUMBER = r"\d{1,4}(?![\w.,:/]\d|[\w])"
# Initials before a name ("A. M. Puzanov", "Harry S. Truman"): a capital and a period.
_INITIALS = r"(?:[A-Z]\.[ \t]*)+"
# ... and after it, as Russian records write them ("Ivanov V.I.").
_NAME_WORD = rf"(?:{_INITIALS})?{_CAP_WORD}(?:[ \t]+(?:[A-Z]\.)+(?![\w]))?"
NAME_RUN = re.compile(
    # the lookahead lets the search skip every position that cannot start a name
    # (lower-case prose) with one character test: a third of the time per document
    rf"(?=[\uac00-\ud7a3\u4e00-\u9fff\d{_UPPER}])"
    rf"(?:{_HANGUL}|{_HANJA}"
    rf"|(?:{_ORDINAL}{_GAP})?{_NAME_WORD}"
    rf"(?:{_GAP}(?:{_CONNECTOR}{_GAP}(?:the{_GAP})?)?(?:{_ORDINAL}{_GAP})?{_NAME_WORD})*"
    rf"(?:[ \t]+{_GEO_SUFFIX}|[ \t]+{_NUMBER})?)"
)
_WORD = re.compile(
    rf"{_ORDINAL}|{_NUMBER}|(?:[A-Z]\.)+(?![\w])|[A-Z]\.(?=[ \t]*[A-Z])|{_CAP_WORD}|{_CONNECTOR}\b"
    rf"|{_GEO_SUFFIX}"
    rf"|[\uac00-\ud7a3]+|[\u4e00-\u9fff]+"
)
CONNECTORS = frozenset({"of", "the", "for", "and", "de", "du", "von", "van", "der"})
_POSSESSIVE = re.compile(r"(?:['’ʼ]s?)$")


@dataclass(frozen=True, slots=True)
class Window:
    """A contiguous run of words inside one name run, as character offsets."""

    start: int
    end: int
    text: str
    n_words: int


def name_runs(text: str) -> Iterator[tuple[int, int]]:
    for match in NAME_RUN.finditer(text):
        yield match.start(), match.end()


def words_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Word offsets inside a run, with a trailing possessive ('s, ’) cut off."""
    out: list[tuple[int, int]] = []
    for m in _WORD.finditer(text, start, end):
        w_start, w_end = m.start(), m.end()
        poss = _POSSESSIVE.search(text, w_start, w_end)
        if poss and poss.start() > w_start and not _is_plural_possessive_name(text[w_start:w_end]):
            w_end = poss.start()
        out.append((w_start, w_end))
    return out


def _is_plural_possessive_name(word: str) -> bool:
    # "Workers'" and "People's" are part of organization names; keep them whole.
    return word.endswith(("s'", "s’")) or word in ("People's", "People’s")


def windows(text: str, start: int, end: int, max_words: int) -> Iterator[Window]:
    """All sub-windows of a run, longest first at each start position."""
    words = words_in(text, start, end)
    for i in range(len(words)):
        if _is_connector(text, words[i]):
            continue
        for j in range(min(len(words), i + max_words), i, -1):
            if _is_connector(text, words[j - 1]):
                continue
            w_start, w_end = words[i][0], words[j - 1][1]
            yield Window(w_start, w_end, text[w_start:w_end], j - i)


def _is_connector(text: str, word: tuple[int, int]) -> bool:
    return text[word[0] : word[1]] in CONNECTORS


# Keys of every known surname, in any romanization: 김 → "kim" matches Kim, Gim, Ghim.
SURNAME_KEYS: frozenset[str] = frozenset(
    {name_key(h) for h in COMMON_SURNAMES}
    | {name_key(v) for v in SURNAME_VARIANTS}
    | {name_key(h) for hs in SURNAME_VARIANTS.values() for h in hs}
)


def looks_like_korean_name(surface: str) -> bool:
    """Surname + 1-3 romanized syllable words, all capitalized, no English function word.

    Any romanization of a surname in `COMMON_SURNAMES` counts (Kim, Gim, Kang,
    Han ...), and the customary spellings of `SURNAME_VARIANTS` (Lee, Rhee,
    Park). An English stop word is not a surname unless it is a listed
    spelling: "The Romance" is not 태 Romance, but So, An and No are surnames.
    """
    words = surface.split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False
    if any(w.lower() in STOP_WORDS or w.lower() in CONNECTORS for w in words[1:]):
        return False
    if not _is_surname(words[0]):
        return False
    return is_korean_romanization(surface)


def _is_surname(word: str) -> bool:
    first = plain_key(word)
    if first in SURNAME_VARIANTS:
        return True
    if first in STOP_WORDS:
        return False
    if name_key(word) in SURNAME_KEYS:
        return True
    from romanize_entities.clusters import surname_hangul

    return bool(surname_hangul(word))  # Tsoi, Khvan: a surname as Russian texts write it


#: Longest syllable written in capitals (KIM IL SUNG, CHOE YONG-GON, KWANG).
_MAX_CAPS_SYLLABLE = 5
#: A given name written syllable by syllable has at most this many words (Ri Son Gwon).
MAX_SPACED_GIVEN = 2


def is_korean_name_unit(surface: str) -> bool:
    """Does `surface` read as one Korean personal name, which no part of may link alone?

    Surname first ("Ri Son Gwon", "Kim Yo-jong", "PARK Chung-hee", "Hwang Pyong So") or,
    with a hyphenated given name, Western order ("Dae-jung Kim"). Unlike
    `looks_like_korean_name`, a capitalized English stop word is accepted as a
    syllable after the surname when it is one ("So", "In", "Do"): inside a run
    of capitalized words in running text it is part of the name.
    """
    words = surface.split()
    if not 2 <= len(words) <= 1 + MAX_SPACED_GIVEN or not all(w[:1].isupper() for w in words):
        return False
    if "." in surface:
        return False  # "I. Mikoyan": initials belong to other names
    if any(w in CONNECTORS or (w.lower() in STOP_WORDS and len(w) > 2) for w in words[1:]):
        return False  # "So", "In", "Do" may be syllables; "The", "Was" may not
    if surface.isupper() and (
            any(len(p) > _MAX_CAPS_SYLLABLE for p in re.split(r"[\s-]+", surface))
            or any(w.lower() in STOP_WORDS for w in words[1:])):
        return False  # "UN DELEGATION", "UN IN": in capitals a word is a syllable, not English
    if _is_surname(words[0]) and (is_korean_romanization(surface) or _syllables(words[1:])):
        return True
    return (
        len(words) == 2 and "-" in words[0] and _is_surname(words[1])
        and is_korean_romanization(surface)
    )


def _syllables(words: list[str]) -> bool:
    """Is every hyphen- or space-separated piece one syllable in some reading table
    (Russian-practice "Chen", "Yn", "Syn" that `is_korean_romanization` rejects)?"""
    from romanize_entities.romanization.readings import hangul_of_syllable

    pieces = [p for w in words for p in w.split("-") if p]
    return bool(pieces) and all(hangul_of_syllable(p) for p in pieces)


def is_hangul_name(surface: str) -> bool:
    """A Hangul word that reads as a personal name: a known surname and a one- or
    two-syllable given name (김정은, 남궁억). Used only to label and cluster a word
    no entity claims; 서울 or 광주 (two syllables) are never taken for names."""
    if not 3 <= len(surface) <= 4 or not all("\uac00" <= ch <= "\ud7a3" for ch in surface):
        return False
    from romanize_entities.clusters import KNOWN_SURNAMES

    return surface[:1] in KNOWN_SURNAMES or surface[:2] in KNOWN_SURNAMES
