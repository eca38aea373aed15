"""Cyrillic → Latin in the systems English, German and French texts use.

A Russian name reaches an English document in many Latin forms: the common
English practice (Khrushchev, Vyshinsky), the library-catalogue systems (LoC /
ALA-LC Vyshinskii, BGN/PCGN Vyshinskiy, ISO 9 Vyšinskij, the scholarly system
Xruščëv), French (Khrouchtchev, Jdanov) and German (Chruschtschow, Schdanow)
texts and translations. The published systems come from `iuliia` (MIT; it
ships each schema as data and cites its standard); German has no schema there,
so the Duden transcription is the small table below (Duden, "Transkription
russischer Namen", as given in de.wikipedia.org/wiki/Kyrillisches_Alphabet,
section "Transkription").

Each system is applied to the whole name, because a translator uses one, and
the letters that writers handle freely are varied around it: ё as е, йо or о
(Khrushchev / Khrushchyov / Khrushchov), the ending -ий as -и (Vyshinski), ы as
и in the older English practice (Vishinsky), -ов/-ев as -off/-of/-ow
(Meretskoff), and soft and hard signs written, doubled or dropped.

`iuliia` is optional (extra ``scripts``): without it only the German table is
used, and a message is logged once.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

logger = logging.getLogger("romanize_entities")

#: iuliia schema names: the common English practice, LoC/ALA-LC (with and without
#: diacritics), BGN/PCGN, ISO 9 (1954 and 1995 = GOST 7.79), the scholarly
#: system and the French (MVD 310-1997 fr) practice.
SCHEMAS = ("wikipedia", "ala_lc", "ala_lc_alt", "bgn_pcgn", "iso_9_1954", "gost_779",
           "scientific", "mvd_310_fr", "icao_doc_9303")
#: Only the common English practice gets the older ы → i spelling (Vishinsky).
_ENGLISH = "wikipedia"

_GERMAN = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch",
    "з": "s", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch",
    "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja",
}
_VOWELS = frozenset("аеёиоуыэюя")
_SIBILANTS = frozenset("жчшщ")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SIGNS = str.maketrans({"ʹ": "'", "ʺ": '"', "’": "'", "”": '"'})


def german(text: str) -> str:
    """Duden transcription: е → je at the start of a word and after a vowel or sign,
    ё → o after ж ч ш щ, с → ss between vowels, -ий/-ый → -i/-y."""
    return "".join(_german_word(word) for word in re.split(r"(\W+)", text))


@lru_cache(maxsize=65536)
def _german_word(word: str) -> str:
    """`german` of one word: every rule looks only inside the word."""
    low = word.lower()
    letters: list[str] = []
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < len(low) else ""
        if ch == "й" and prev in ("и", "ы") and not nxt:
            rep = ""
        elif ch == "е" and (not prev or prev in _VOWELS or prev in "ъь"):
            rep = "je"
        elif ch == "ё":
            rep = "o" if prev in _SIBILANTS else "jo"
        elif ch == "с" and prev in _VOWELS and nxt in _VOWELS:
            rep = "ss"
        else:
            rep = _GERMAN.get(ch, ch)
        letters.append(rep)
    latin = "".join(letters)
    if word[:1].isupper():
        latin = latin[:1].upper() + latin[1:]
    return latin


_warned = False


@lru_cache(maxsize=1)
def _schemas() -> tuple[tuple[str, Callable[[str], str]], ...]:
    global _warned
    try:
        import iuliia
    except ImportError:
        if not _warned:
            _warned = True
            logger.info("iuliia is not installed: Russian forms are read in the German "
                        "transcription only (pip install 'romanize-entities[scripts]')")
        return ()
    return tuple((name, _by_word(iuliia.schemas.get(name).translate)) for name in SCHEMAS)


_WORD = re.compile(r"(\w+)")


def _by_word(translate: Callable[[str], str]) -> Callable[[str], str]:
    """`translate` applied word by word with a cache: iuliia's rules look only inside
    a word, and the generated Korean forms repeat the same few syllables."""
    cached = lru_cache(maxsize=65536)(translate)

    def run(text: str) -> str:
        return "".join(cached(part) if i % 2 else part
                       for i, part in enumerate(_WORD.split(text)))

    return run


def cyrillic_variants(text: str) -> list[str]:
    """The Cyrillic spellings writers produce for one form: ё, -ий and signs varied."""
    forms = {text}
    if "ё" in text.lower():
        for rep, cap in (("е", "Е"), ("йо", "Йо")):
            forms.add(text.replace("ё", rep).replace("Ё", cap))
        # ё written о after a hushing consonant (Khrushchov, Gorbachov)
        forms.add(re.sub("(?<=[жчшщЖЧШЩ])ё", "о", text))
    for form in list(forms):
        ending = re.sub(r"([иы])й\b", r"\1", form)
        forms.add(ending)
    return sorted(forms)


@lru_cache(maxsize=65536)
def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed
                                                if not unicodedata.combining(c)))


@lru_cache(maxsize=65536)
def _piece_forms(piece: str) -> tuple[str, ...]:
    """One piece of a Latin name in the six writings `latin_forms` combines:
    (as written, signs as apostrophes, signs dropped) x (marks kept, marks folded).

    Signs and marks are letter-by-letter, so a whole name's writing is its
    pieces' writings joined.
    """
    marked = piece.translate(_SIGNS)
    dropped = marked.replace("'", "").replace('"', "")
    return (piece, _ascii_fold(piece), marked, _ascii_fold(marked), dropped,
            _ascii_fold(dropped))


@lru_cache(maxsize=131072)
def _word_writings(system: str, word: str) -> tuple[str, ...] | None:
    """The six writings of one Cyrillic word in `system`, or None when the system
    leaves a Cyrillic letter in it. Cached per word: generated Korean names repeat
    the same few syllables, so a name costs one join per writing."""
    if system == "german":
        latin = _german_word(word)
    else:
        import iuliia

        latin = iuliia.schemas.get(system).translate(word)
    return None if _CYRILLIC.search(latin) else _piece_forms(latin)


_OV = re.compile(r"(?<=[oe])v\b")


def _writings(system: str, parts: list[str]) -> tuple[tuple[str, ...], ...] | None:
    """Each piece of a split Cyrillic name (words at odd indexes) in its six writings."""
    out: list[tuple[str, ...]] = []
    for i, part in enumerate(parts):
        if i % 2:
            word = _word_writings(system, part)
            if word is None:
                return None
            out.append(word)
        elif part:
            out.append(_piece_forms(part))
    return tuple(out)


def latin_forms(cyrillic: str, *, surname_endings: bool = True) -> list[str]:
    """Every Latin spelling of a Cyrillic name in the supported systems.

    `surname_endings` adds -off/-of/-ow for -ov/-ev (Meretskoff) and the older
    ы → i (Vishinsky): Russian names, not Korean syllables.
    """
    out: dict[str, None] = {}
    systems = ["german", *(name for name, _ in _schemas())]
    seen: set[tuple[tuple[str, ...], ...]] = set()
    for form in cyrillic_variants(cyrillic):
        parts = _WORD.split(form)
        jobs = [(system, parts) for system in systems]
        if surname_endings and _ENGLISH in systems and re.search("[ыЫ]", form):
            jobs.append((_ENGLISH, _WORD.split(form.replace("ы", "и").replace("Ы", "И"))))
        for system, words in jobs:
            pieces = _writings(system, words)
            if pieces is None or pieces in seen:
                continue
            seen.add(pieces)
            for writing in range(6):
                plain = "".join([p[writing] for p in pieces])
                out[plain] = None
                if surname_endings and _OV.search(plain):
                    for rep in ("ff", "f", "w"):
                        out[_OV.sub(rep, plain)] = None
    return [form for form in out if form.strip()]


def russian_name_parts(cyrillic: str) -> tuple[str, list[str]]:
    """Split "Surname, Given Patronymic" (the Russian reference form) or "Given ... Surname"."""
    if "," in cyrillic:
        surname, _, rest = cyrillic.partition(",")
        return surname.strip(), rest.split()
    words = cyrillic.split()
    return (words[-1], words[:-1]) if words else ("", [])


def russian_name_forms(cyrillic: str) -> Iterable[str]:
    """Cyrillic orders of a Russian name: surname, given + surname, full name."""
    surname, given = russian_name_parts(cyrillic)
    if not surname:
        return []
    forms = [surname]
    if given:
        forms.append(f"{given[0]} {surname}")
        if len(given) > 1:
            forms.append(" ".join([*given, surname]))
    return forms
