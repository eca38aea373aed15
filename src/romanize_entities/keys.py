"""Romanization-invariant name keys.

A key is coarse on purpose: it *retrieves* candidates, and a finer comparison of
the written spelling against each candidate's Hangul ranks them (`matching.py`).
Every spelling of one Korean name — RR, MR with or without breves and
apostrophes, North Korean style, popular spellings, Hangul itself — folds to the
same key. To get there the key gives up these distinctions, on purpose:

- vowel quality that the systems write differently: o/ŏ/u/eo/eu/ŭ/oo/ou are one
  vowel; ae/e are one; ui/ŭi/eui/ee/i are one; oe/oi/we/wae are one; w before o
  and y after a consonant are dropped (Park Hun-young and Park Hyun-young are
  both 박헌영 in the wild);
- voicing and aspiration: g/k/kk/k'/kh, d/t/tt/t'/th, b/p/pp/p'/ph, j/ch/ch'/tch
  are each one consonant; r/l are one; sh is s;
- sound changes at syllable boundaries: the unassimilated and the assimilated
  spelling are folded to the assimilated one (Dokrip/Dongnip, Silla/Sinla);
- the South Korean initial-sound law: a name part starting with r/l/n before
  i/y drops it, and r/l before another vowel is n (Ri/Yi, Ryong/Yong, Rodong/Nodong);
- surnames with customary spellings that drop or add letters (Lee, Park, Rhee,
  Suh, Ahn, Hur, Hahn, Whang ...) are mapped through
  `romanization.surnames.SURNAME_VARIANTS`; "Ye" is 예 or 이, so the surname 예
  shares the key of 이;
- a popular final h after a vowel (Kim Soo-ah, Soo-oh for 아, 오) is dropped: no
  system writes a final h, so it is never a letter of the name;
- the initial-sound law applies to a given name of two or more syllables only,
  and a Hangul word of two syllables is keyed as one word: so a bare given name
  keys as its romanization does (나리 = Nari = Na Ri), and a two-syllable full
  name as its spaced romanization (이라 = Yi Ra).

A string that is not romanized Korean (Khrushchev) gets a plain key: case,
diacritics, apostrophes and hyphens folded, so rapidfuzz can compare it.

Speed (the issue asks for ≥ 100,000 names/s on one core without the result
cache; docs/romanization.md has the measurements): ASCII input skips
normalization and splits words with `str.split`; other input that is already
NFC skips the offset-tracking normalizer, and is translated only when it holds
a character that needs it. One memo per syllable-sized chunk answers both "is
it syllables" and "its folded letters" (names are built from a few thousand
distinct syllables); longer chunks, new with nearly every name, are computed
directly; the first word, nearly always a surname, has its own memo. The fold
passes run only when a substring they need is present. Results are unchanged
(checked against the previous implementation on 666,721 inputs);
tests/test_keys.py keeps the ASCII and general paths in agreement.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from functools import lru_cache

from romanize_entities.hangul import (
    _APOSTROPHES,
    decompose,
    has_hangul,
    normalize_char,
    normalize_text,
)
from romanize_entities.romanization.engine import split_name
from romanize_entities.romanization.phonology import spelled
from romanize_entities.romanization.surnames import COMMON_SURNAMES, SURNAME_VARIANTS
from romanize_entities.romanization.systems import RR

# Surnames keyed as another one: 예 is also how "Ye", a spelling of 이, reads back.
_SURNAME_KEY_FOLD = {"예": "이"}
_DIGRAPH_MAP = {
    "tch": "c", "ch": "c", "sh": "s", "ph": "p", "th": "t", "kh": "k",
    "eui": "i", "ui": "i", "ee": "i", "oi": "we", "oe": "we", "wae": "we", "ae": "e",
    "eo": "o", "eu": "o", "ou": "o", "oo": "o",
    "j": "c", "g": "k", "d": "t", "b": "p", "r": "l", "f": "p", "u": "o",
}
_MULTI_LETTER = re.compile(r"tch|ch|sh|ph|th|kh|eui|ui|ee|oi|oe|wae|ae|eo|eu|ou|oo")
_Y_AFTER_CONSONANT = re.compile(r"(?<=[^aeiowy])y")
_H_AFTER_STOP = re.compile(r"(?<=[ktpcs])h")
_ASSIM_K = re.compile(r"(?<!n)k(?=[nml])")
_ASSIM_P = re.compile(r"p(?=[nml])")
_ASSIM_T = re.compile(r"t(?=[nm])")
_L_AFTER_NASAL = re.compile(r"(?<=[mk])l")
_NL = re.compile(r"nl|ln")
_T_BEFORE_C = re.compile(r"t(?=c)")
_DOUBLE = re.compile(r"(.)\1+")
_HAS_DOUBLE = re.compile(r"(.)\1")  # the guard of _DOUBLE: a search costs a third of a sub
# A callable replacement is only invoked on a match; a template string is parsed on every call.
_FIRST_GROUP = operator.methodcaller("group", 1)
_CHUNK_SPLIT = re.compile(r"[-‐‑–—.·]+")
_O_BREVE, _U_BREVE = "\x01", "\x02"
_ONE_LETTER_MAP = {**{k: v for k, v in _DIGRAPH_MAP.items() if len(k) == 1},
                   _O_BREVE: "o", _U_BREVE: "o"}
# str.translate takes any table indexable by code point; a 128-character string is
# indexed in C, twice as fast as a dict. Past its end (non-ASCII) the IndexError is a
# LookupError, which leaves the character as it is, as a dict without it would.
_ONE_LETTER = "".join(_ONE_LETTER_MAP.get(chr(i), chr(i)) for i in range(128))

# A romanized Korean syllable in any supported system or common popular spelling.
_ONSET = r"(?:tch|ch|sh|ph|th|kh|kk|tt|pp|ss|jj|[kgndtrlmbpsjhc])?"
_VOWEL = r"(?:y?(?:eo|eu|ae|oe|oi|ou|oo|ee|ei|a|e|i|o|u)|w(?:ae|eo|a|e|i|o|u)|ui|eui)"
_CODA = r"(?:ng|k|n|t|l|m|p|r|h)?"
# MR's ŏ/ŭ placeholders match wherever o/u do (the letters occur in _VOWEL only),
# so chunks are matched as they are, without a copy with the placeholders undone.
_VOWEL_OR_BREVE = _VOWEL.replace("o", f"[o{_O_BREVE}]").replace("u", f"[u{_U_BREVE}]")
_KOREAN_TOKEN = re.compile(rf"(?:{_ONSET}{_VOWEL_OR_BREVE}{_CODA})+")


def strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=262144)
def plain_key(text: str) -> str:
    """Case, diacritics, apostrophes and hyphens folded; words kept apart."""
    if not text.isascii():  # ASCII has no marks and nothing to normalize
        text = strip_marks(_normalize_fast(text))
    text = text.lower()
    text = re.sub(r"['’`]", "", text)
    text = re.sub(r"[^\w]+", " ", text)
    return text.strip()


# What `hangul.normalize` does to each character of text that is already NFC.
_NORMALIZE_TABLE = {ord(ch): normalize_char(ch) for ch in _APOSTROPHES + "ǒǑǔǓ"}
# Most non-ASCII names (MR's ŏ and ŭ) hold none of those characters, and the
# search costs a fifth of the translate it saves.
_NEEDS_NORMALIZING = re.compile("[" + re.escape(_APOSTROPHES + "ǒǑǔǓ") + "]")


def _normalize_fast(text: str) -> str:
    if text.isascii():  # ASCII is NFC; only the backtick apostrophe needs folding
        return text.replace("`", "'") if "`" in text else text
    if unicodedata.is_normalized("NFC", text):
        if _NEEDS_NORMALIZING.search(text) is None:
            return text
        return text.translate(_NORMALIZE_TABLE)
    return normalize_text(text)


#: Chunks up to this length (a syllable: "chyeong" is 7) are memoized; longer ones
#: (a given name written as one word) are new with nearly every name and would
#: only churn the memo.
_SYLLABLE_SIZED = 7


@lru_cache(maxsize=262144)
def name_key(text: str) -> str:
    """The romanization-invariant key of a name (see the module docstring)."""
    if not text.isascii():
        text = _normalize_fast(text)
        if has_hangul(text):
            return _hangul_key(text.strip())
    letters = _letters(text)
    if letters is None:
        return plain_key(text)
    return _fold_joined(letters)


def is_korean_romanization(text: str) -> bool:
    """True when every word of `text` parses as romanized Korean syllables."""
    return _letters(_normalize_fast(text)) is not None


@lru_cache(maxsize=262144)
def _letters(text: str) -> str | None:
    """`_latin_letters`, remembered: indexing a spelling asks for its key and whether
    it is Korean, and both come from the same parse."""
    return _latin_letters(text)


def _latin_letters(text: str) -> str | None:
    """The folded letters of a romanized Korean name, before the joined-name passes.

    None when the text is not romanized Korean: the first word must be a surname
    spelling or syllables, the others syllables. Words split on whitespace and
    into chunks at hyphens (and dots): a hyphen or space is a syllable boundary
    the writer gave us, so vowel digraphs are folded inside a chunk only (Ha-eun
    is not Hae-un). MR's ŏ and ŭ are single vowels, so they become placeholders
    that digraph folding leaves alone. One memo per chunk answers both "is it
    syllables" and "its folded letters"; chunks repeat across names far more than
    whole words do.
    """
    lowered = text.lower()
    if not lowered.isascii():
        lowered = lowered.replace("ŭi", "ui").replace("ŏ", _O_BREVE).replace("ŭ", _U_BREVE)
        if not lowered.isascii():
            lowered = strip_marks(lowered)
    surname: str | None = None
    given: list[str] = []
    for word in lowered.replace("`", "").replace("'", "").split():
        if "." in word or not word.isascii():
            chunks = _word_chunks(word)
        elif "-" in word:
            chunks = tuple(filter(None, word.split("-")))
        else:
            chunks = (word,)
        if not chunks:
            continue
        if surname is None:
            surname = _surname_letters(chunks)
            if surname is None:
                return None
        elif len(chunks) == 1:
            folded = _chunk_fold(chunks[0])
            if folded is None:
                return None
            given.append(folded)
        else:
            parts = [_chunk_fold(c) for c in chunks]
            if None in parts:
                # "Pa-k": a word whose chunks are not syllables can still be.
                if not _is_syllables("".join(chunks)):
                    return None
                parts = [_fold_letters(c) for c in chunks]
            given.extend(parts)  # type: ignore[arg-type]  # no None left
    if surname is None or not given:
        return surname
    if len(given) == 1:
        only = given[0]
        if only[:1] in _LAW_ONSETS and _is_one_syllable(only):
            return surname + only  # a one-syllable given name: no initial law (Na Ri = Nari)
        return surname + _initial_law(only)
    return surname + _initial_law("".join(given))


_LAW_ONSETS = ("l", "n")
# One syllable of folded letters: consonants, one run of vowel letters, consonants.
_ONE_SYLLABLE = re.compile(r"[^aeiowy\x01\x02]*[aeiowy\x01\x02]+[^aeiowy\x01\x02]*")


@lru_cache(maxsize=65536)
def _is_one_syllable(folded: str) -> bool:
    return _ONE_SYLLABLE.fullmatch(folded) is not None


def _chunk_fold(chunk: str) -> str | None:
    if len(chunk) <= _SYLLABLE_SIZED:
        return _syllable_chunk_fold(chunk)
    return _syllable_chunk_fold.__wrapped__(chunk)


_VOWEL_LETTERS = frozenset("aeiouy" + _O_BREVE + _U_BREVE)


@lru_cache(maxsize=262144)
def _syllable_chunk_fold(chunk: str) -> str | None:
    """Folded letters of *chunk* (MR breves as placeholders), None if it is not syllables."""
    if not _is_syllables(chunk):
        return None
    if chunk[-1] == "h" and len(chunk) > 1 and chunk[-2] in _VOWEL_LETTERS:
        chunk = chunk[:-1]  # Soo-ah, Soo-oh: no system writes a final h
    return _fold_letters.__wrapped__(chunk)


def _is_syllables(chunk: str) -> bool:
    return _KOREAN_TOKEN.fullmatch(chunk) is not None


@lru_cache(maxsize=65536)
def _word_chunks(word: str) -> tuple[str, ...]:
    return tuple(c for c in _CHUNK_SPLIT.split(word) if c)


def _unbreve(token: str) -> str:
    return token.replace(_O_BREVE, "o").replace(_U_BREVE, "u") if not token.isalpha() else token


@lru_cache(maxsize=65536)
def _surname_letters(chunks: tuple[str, ...]) -> str | None:
    """The folded first word, None if it is neither a surname spelling nor syllables."""
    token = "".join(chunks)
    plain = _unbreve(token)
    if not (all(map(_is_syllables, chunks)) or _is_syllables(token)
            or plain in SURNAME_VARIANTS):
        return None
    hangul = SURNAME_VARIANTS.get(plain) or SURNAME_VARIANTS.get(plain.replace("o", "ŏ"))
    if hangul:
        return _hangul_segment(_SURNAME_KEY_FOLD.get(hangul[0], hangul[0]))
    return _initial_law("".join(_fold_letters(c) for c in chunks))


@lru_cache(maxsize=262144)
def _fold_letters(segment: str) -> str:
    # Digraphs first, then single letters (and MR's ŏ/ŭ placeholders) by one
    # str.translate: single-letter matches are one character long, so taking
    # them out of the regex changes neither which digraphs match nor the result.
    folded = _MULTI_LETTER.sub(_fold_digraph, segment).translate(_ONE_LETTER)
    return folded.replace("wo", "o")


def _fold_digraph(match: re.Match[str]) -> str:
    return _DIGRAPH_MAP[match.group()]


def _initial_law(folded: str) -> str:
    """South Korean initial-sound law at the start of a name part."""
    if len(folded) > 1 and folded[0] in "ln" and folded[1] in "iy":
        return folded[1:]
    if len(folded) > 1 and folded[0] == "l":
        return "n" + folded[1:]
    return folded


def _fold_joined(joined: str) -> str:
    # Each pass runs only when a substring it needs is present: the guards are
    # necessary conditions of the patterns, so results are unchanged, and most
    # names skip most passes (a regex sub costs ~20 times a substring test).
    if "y" in joined:
        joined = _Y_AFTER_CONSONANT.sub("", joined)
    if "h" in joined:
        joined = _H_AFTER_STOP.sub("", joined)
    if "kn" in joined or "km" in joined or "kl" in joined:
        joined = _ASSIM_K.sub("nk", joined)
    if "pn" in joined or "pm" in joined or "pl" in joined:
        joined = _ASSIM_P.sub("m", joined)
    if "tn" in joined or "tm" in joined:
        joined = _ASSIM_T.sub("n", joined)
    if "ml" in joined or "kl" in joined:
        joined = _L_AFTER_NASAL.sub("n", joined)
    if "nl" in joined or "ln" in joined:
        joined = _NL.sub("ll", joined)
    if "tc" in joined:
        joined = _T_BEFORE_C.sub("", joined)
    if _HAS_DOUBLE.search(joined) is None:
        return joined
    return _DOUBLE.sub(_FIRST_GROUP, joined)


def _syllable_letters(ch: str) -> str:
    """The RR spelling of one syllable on its own: the reference the key folds."""
    (sound,) = spelled([decompose(ch)])
    return RR.onsets[sound.onset] + RR.vowels[sound.vowel] + RR.codas[sound.coda]


_SYLLABLE_FOLD: dict[str, str] = {}
_SYLLABLE_FOLD_START: dict[str, str] = {}


def _build_tables() -> None:
    for code in range(0xAC00, 0xD7A4):
        ch = chr(code)
        folded = _fold_letters(_syllable_letters(ch))
        _SYLLABLE_FOLD[ch] = folded
        _SYLLABLE_FOLD_START[ch] = _initial_law(folded)


_build_tables()
# The same tables for str.translate, which folds a whole name in one C call.
_FOLD_TABLE = {ord(ch): folded for ch, folded in _SYLLABLE_FOLD.items()}
_FOLD_START_TABLE = {ord(ch): folded for ch, folded in _SYLLABLE_FOLD_START.items()}


def _hangul_segment(hangul: str) -> str:
    """Folded letters of syllables only: the first one under the initial-sound law."""
    return hangul[:1].translate(_FOLD_START_TABLE) + hangul[1:].translate(_FOLD_TABLE)


_NOT_SYLLABLE = re.compile("[^\uac00-\ud7a3]+")


def _hangul_key(text: str) -> str:
    words = [w for w in (_NOT_SYLLABLE.sub("", w) for w in text.split()) if w]
    if not words:
        return ""
    if len(words) == 1:
        surname, given = _split_if_name(words[0])
    else:
        surname, given = _SURNAME_KEY_FOLD.get(words[0], words[0]), "".join(words[1:])
    # a one-syllable given name keeps its ㄹ/ㄴ, as the Latin key does (김린 = Kim Rin)
    given_key = _hangul_segment(given) if len(given) > 1 else given.translate(_FOLD_TABLE)
    return _fold_joined(_hangul_segment(surname) + given_key)


def _split_if_name(word: str) -> tuple[str, str]:
    """Names of 3-5 syllables starting with a known surname are keyed as surname + given.

    Two syllables are keyed as one word (a bare given name: 나리 as Nari).
    """
    if len(word) == 1:
        return _SURNAME_KEY_FOLD.get(word, word), ""
    if 3 <= len(word) <= 5:
        surname, given = split_name(word)
        if surname in COMMON_SURNAMES and given:
            return _SURNAME_KEY_FOLD.get(surname, surname), given
    return word, ""
