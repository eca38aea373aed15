"""Which Latin spellings can stand for one Hangul syllable: the verification tables.

`name_key` folds romanizations coarsely so that retrieval finds every spelling;
that coarseness is exactly why it must never decide a link (김여정 "Kim Yo-jong"
and 김무정 "Kim Mu-jong" share a key). This module answers the strict question
instead: *can this written syllable be a reading of that Hangul syllable?*

A reading is built letter by letter from the syllable's onset, vowel and coda,
each with the letters some supported system writes for it — Revised
Romanization, McCune–Reischauer with or without its marks, the DPRK's style
(all in `systems.py`) — plus the customary letters of personal names that no
system produces but every reader meets (`CUSTOMARY_*` below). Apostrophes and
breves are folded away before comparison (`fold_latin`), so MR with and without
marks are one. Voicing (k/g, t/d, p/b, ch/j) is free because MR voices medial
stops and writers follow their ear.

Customary letters (sources: Wikipedia "Korean name" § Romanization, the table
of common given-name spellings — Young, Myung, Chung, Hyun, Soo, Sook, Hee,
Moo, Woo — and National Institute of Korean Language, "Romanization of Korean
personal names" FAQ, which lists Lee/Park/Choi and -ah/-oh final spellings):
ㅓ as u (Sung, Hun), ㅕ as yu/you (Myung, Young), ㅜ as oo (Soo), ㅠ as yoo/you,
ㅣ and ㅢ as ee (Hee), ㅚ as oi/oy/we (Choi), ㅐ as ai (Dai), ㅅ as sh (Shin),
a final ㅏ/ㅗ as ah/oh (Soo-ah). The table is tested in tests/test_verify.py.
"""

from __future__ import annotations

import itertools
import os
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from romanize_entities.hangul import decompose, is_syllable
from romanize_entities.normalize import APOSTROPHES, HYPHENS, SOFT_HYPHEN

#: Onset letters (folded: lowercase, no apostrophes or breves).
ONSETS: dict[str, tuple[str, ...]] = {
    "ㄱ": ("k", "g"), "ㄲ": ("kk", "gg", "k", "g"), "ㄴ": ("n",), "ㄷ": ("t", "d"),
    "ㄸ": ("tt", "dd", "t", "d"), "ㄹ": ("r", "l", "n"), "ㅁ": ("m",), "ㅂ": ("p", "b"),
    "ㅃ": ("pp", "bb", "p", "b"), "ㅅ": ("s",), "ㅆ": ("ss", "s"), "ㅇ": ("",),
    "ㅈ": ("ch", "j"), "ㅉ": ("tch", "jj", "ch", "j"), "ㅊ": ("ch", "chh"),
    "ㅋ": ("k", "kh"), "ㅌ": ("t", "th"), "ㅍ": ("p", "ph"), "ㅎ": ("h",),
}
#: Vowel letters of RR, MR (ŏ ŭ folded to o u) and the DPRK style.
VOWELS: dict[str, tuple[str, ...]] = {
    "ㅏ": ("a",), "ㅐ": ("ae",), "ㅑ": ("ya",), "ㅒ": ("yae",), "ㅓ": ("eo", "o"),
    "ㅔ": ("e",), "ㅕ": ("yeo", "yo"), "ㅖ": ("ye",), "ㅗ": ("o",), "ㅘ": ("wa",),
    "ㅙ": ("wae",), "ㅚ": ("oe",), "ㅛ": ("yo",), "ㅜ": ("u",), "ㅝ": ("wo", "weo"),
    "ㅞ": ("we",), "ㅟ": ("wi",), "ㅠ": ("yu",), "ㅡ": ("eu", "u"), "ㅢ": ("ui", "eui"),
    "ㅣ": ("i",),
}
#: Customary vowel letters of personal names (see the module docstring).
CUSTOMARY_VOWELS: dict[str, tuple[str, ...]] = {
    "ㅓ": ("u",), "ㅕ": ("yu", "you"), "ㅜ": ("oo",), "ㅠ": ("yoo", "you"), "ㅣ": ("ee",),
    "ㅢ": ("i", "ee"), "ㅚ": ("oi", "oy", "we"), "ㅐ": ("ai",), "ㅟ": ("ui",),
}
#: Customary onset letters: ㅅ written sh (Shin, Shim).
CUSTOMARY_ONSETS: dict[str, tuple[str, ...]] = {"ㅅ": ("sh",)}
#: A syllable-final ㅏ or ㅗ with no coda, written with h (Soo-ah, Oh).
FINAL_H_VOWELS = frozenset({"ㅏ", "ㅗ"})

_STOP_T = ("t", "d", "s")
CODAS: dict[str, tuple[str, ...]] = {
    "": ("",), "ㄱ": ("k", "g"), "ㄲ": ("k", "g"), "ㅋ": ("k",), "ㄳ": ("k",), "ㄺ": ("k", "l"),
    "ㄴ": ("n",), "ㄵ": ("n",), "ㄶ": ("n",), "ㄷ": _STOP_T, "ㅅ": _STOP_T, "ㅆ": _STOP_T,
    "ㅈ": _STOP_T, "ㅊ": _STOP_T, "ㅌ": _STOP_T, "ㅎ": _STOP_T, "ㄹ": ("l", "r"),
    "ㄼ": ("l", "p"), "ㄽ": ("l",), "ㄾ": ("l",), "ㅀ": ("l",), "ㄻ": ("m",), "ㅁ": ("m",),
    "ㅂ": ("p", "b"), "ㅍ": ("p",), "ㅄ": ("p",), "ㄿ": ("p",), "ㅇ": ("ng",),
}

#: Dropped before comparing: the apostrophes and hyphens of `normalize` (one folding
#: rule for the whole library), spaces, the soft hyphen and the period of initials.
_MARKS = str.maketrans(dict.fromkeys("'- ." + APOSTROPHES + HYPHENS + SOFT_HYPHEN))


#: MR's breved vowels are unambiguous (ŏ is ㅓ, never ㅗ or ㅜ; ŭ is ㅡ): fold them to the
#: RR letters for the same vowels rather than dropping the mark.
_BREVES = str.maketrans({"ŏ": "eo", "Ŏ": "Eo", "ǒ": "eo", "Ǒ": "Eo",
                         "ŭ": "eu", "Ŭ": "Eu", "ǔ": "eu", "Ǔ": "Eu"})


#: MR's aspiration mark: an apostrophe after ch, k, t or p before a vowel (Ch'oe,
#: T'ae, P'yŏng) marks ㅊ ㅋ ㅌ ㅍ. It is kept as an h, the letter the DPRK style
#: writes for the same sounds (Thae, Phyong), so "Minch'un" (춘) is never 준.
_ASPIRATION = re.compile("(ch|k|t|p)[" + "'" + APOSTROPHES + "](?=[aeiouwyŏŭǒǔ])",
                         re.IGNORECASE)


@lru_cache(maxsize=65536)
def fold_latin(text: str) -> str:
    """Lowercase ASCII letters only: marks, apostrophes, hyphens and spaces dropped.

    "Ch'oe Yŏng-gŏn" → "chhoeyeonggeon". Used on both sides of a comparison, so
    writers' punctuation never decides anything; MR's breves are kept as the RR
    letters of the same vowel (they tell ㅓ from ㅗ) and its aspiration apostrophe
    as an h (it tells ㅊ from ㅈ), other marks are dropped. Cached: verification
    folds the same entity spellings for every candidate it checks.
    """
    text = _ASPIRATION.sub(r"\1h", text)
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text)
                                       .translate(_BREVES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_MARKS).lower()


@lru_cache(maxsize=16384)
def syllable_readings(syllable: str, *, final: bool = False,
                      russian: bool = True) -> frozenset[str]:
    """Every folded Latin spelling of one Hangul syllable.

    `final`: the syllable ends a name part, where a bare ㅏ/ㅗ may be written ah/oh.
    `russian`: include the Russian-practice readings (`russian_readings`). They
    make a name unit of "Kim Chen Yn" and join it to 김정은's cluster, but they
    also read "che" as 재 and "te" as 대 (Russian э): linking does not use them,
    so MR "Ch'oe Che-u" (최제우) never verifies as 최재우; a Russian-practice
    spelling links only as a whole generated spelling (transliteration.variants).
    The initial-sound law is included: ㄹ and ㄴ before i/y may be dropped
    (리 Yi/I, 녀 yo), ㄹ may be written n (로동 nodong).
    """
    if not is_syllable(syllable):
        return frozenset()
    parts = decompose(syllable)
    onset, vowel, coda = parts.initial, parts.vowel, parts.final
    onsets = list(ONSETS[onset]) + list(CUSTOMARY_ONSETS.get(onset, ()))
    vowels = list(VOWELS[vowel]) + list(CUSTOMARY_VOWELS.get(vowel, ()))
    if onset in ("ㄹ", "ㄴ") and any(v.startswith(("i", "y")) for v in vowels):
        onsets.append("")
    if onset == "ㅇ" and vowel == "ㅣ":
        vowels.append("yi")  # 이 written Yi
    if onset == "ㅇ" and vowel == "ㅜ":
        vowels += ["woo", "wu"]  # 우 written Woo (the "Korean name" table's Woo)
    codas = list(CODAS.get(coda, ("",)))
    out = {o + v + c for o, v, c in itertools.product(onsets, vowels, codas)}
    if final and not coda and vowel in FINAL_H_VOWELS:
        out |= {o + v + "h" for o, v in itertools.product(onsets, vowels)}
    if russian:
        out |= russian_readings(syllable)
    return frozenset(out)


def _cyrillic_forms(syllable: str) -> set[str]:
    """The syllable's Cyrillic in every practice, word-initial and medial."""
    from romanize_entities.transliteration import korean_cyrillic

    forms: set[str] = set()
    for practice in korean_cyrillic.PRACTICES:
        forms.update(korean_cyrillic.word_syllables(syllable, practice))
        forms.update(korean_cyrillic.word_syllables("가" + syllable, practice)[1:])
    forms.update(f.lower() for f in korean_cyrillic.SURNAMES.get(syllable, ()))  # Цой, Ли
    return {f.removesuffix("ъ") for f in forms}


@lru_cache(maxsize=1)
def _russian_schemas() -> tuple[Callable[[str], str], ...]:
    from romanize_entities.transliteration import russian

    return tuple(t for name, t in russian._schemas() if name != "german")


@lru_cache(maxsize=65536)
def _latin_of_cyrillic(cyrillic: str) -> frozenset[str]:
    # the soft sign's apostrophe is no aspiration mark: drop it before folding
    out = {fold_latin(t(cyrillic).replace("'", "").replace("’", ""))
           for t in _russian_schemas()}
    out.discard("")
    return frozenset(out)


@lru_cache(maxsize=16384)
def russian_readings(syllable: str) -> frozenset[str]:
    """Folded Latin spellings of one syllable as a Russian text wrote it.

    Soviet records and their English translations write Korean names through
    Cyrillic (Ким Чен Ын → "Kim Chen Yn"): the syllable's Cyrillic in every
    practice of `transliteration.korean_cyrillic` (word-initial and medial),
    re-romanized in the English-language systems of `transliteration.russian`
    (German transcription left out: it writes х as ch and would make 헌 "chen").
    Empty when the transliteration extra (iuliia) is not installed.
    """
    if not is_syllable(syllable) or not _russian_schemas():
        return frozenset()
    out: set[str] = set()
    for cyrillic in _cyrillic_forms(syllable):
        out |= _latin_of_cyrillic(cyrillic)
    return frozenset(out)


@lru_cache(maxsize=8192)
def readings_pattern(hangul: str, russian: bool = True) -> re.Pattern[str]:
    """A regex matching any folded syllable-by-syllable reading of `hangul`.

    The last syllable may take the final h (ah/oh). Alternatives are longest
    first so that the regex engine tries "yeo" before "yo".
    """
    parts: list[str] = []
    syllables = [ch for ch in hangul if is_syllable(ch)]
    for i, syl in enumerate(syllables):
        options = sorted(syllable_readings(syl, final=i == len(syllables) - 1,
                                           russian=russian),
                         key=lambda s: (-len(s), s))
        parts.append("(?:" + "|".join(re.escape(o) for o in options) + ")")
    return re.compile("".join(parts))


def reads_as(written: str, hangul: str, *, russian: bool = True) -> bool:
    """Is `written` (any romanization, any punctuation) a syllable-by-syllable reading
    of `hangul`? Both are compared folded; an empty side never matches.
    `russian`: Russian-practice readings count too (see `syllable_readings`)."""
    folded = fold_latin(written)
    if not folded or not hangul:
        return False
    return readings_pattern(hangul, russian).fullmatch(folded) is not None


#: Bump when the reading tables change: the cached reverse index is rebuilt.
INDEX_VERSION = 4


@lru_cache(maxsize=1)
def _reading_index() -> dict[str, frozenset[str]]:
    """Folded reading → the Hangul syllables it can stand for.

    Built over the 2,350 syllables of KS X 1001 (every syllable used in names
    is among them) on first use — ~1.3 s with the Russian readings — and kept
    in the user cache dir beside the compiled alias tables, so a later process
    reads it in milliseconds.
    """
    import srsly

    from romanize_entities.aliases.table import cache_dir

    russian = bool(_russian_schemas())
    path = cache_dir() / f"readings-v{INDEX_VERSION}-{'ru' if russian else 'plain'}.msgpack"
    try:
        stored = srsly.read_msgpack(path)
        return {k: frozenset(v) for k, v in stored.items()}
    except (OSError, ValueError, TypeError):
        pass
    index: dict[str, set[str]] = {}
    for syl in _common_syllables():
        for reading in syllable_readings(syl, final=True):
            index.setdefault(reading, set()).add(syl)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        srsly.write_msgpack(tmp, {k: sorted(v) for k, v in index.items()})
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache dir costs only speed
    return {k: frozenset(v) for k, v in index.items()}


def _common_syllables() -> list[str]:
    out: list[str] = []
    for lead in range(0xB0, 0xC9):
        for trail in range(0xA1, 0xFF):
            try:
                ch = bytes([lead, trail]).decode("euc-kr")
            except UnicodeDecodeError:
                continue
            if is_syllable(ch):
                out.append(ch)
    return out


def hangul_of_syllable(written: str) -> frozenset[str]:
    """The Hangul syllables one written syllable can stand for ("jong" → 정, 종, 전…)."""
    return _reading_index().get(fold_latin(written), frozenset())


#: Readings longer than this are never one syllable ("kkwaeng" is the longest shape).
_MAX_READING = 8


def hangul_readings(written: str, *, limit: int = 512) -> frozenset[str]:
    """Every Hangul string `written` can be read as, syllable by syllable.

    Hyphens and spaces are syllable boundaries where present; a word written
    joined ("Honyong") is segmented every possible way. At most `limit`
    readings (ambiguity explodes combinatorially; a capped set is still a
    correct *subset* and callers treat it as such).
    """
    results: set[str] = set()
    for chunk_readings in _chunks_readings(written, limit):
        results = chunk_readings if not results else {
            a + b for a in results for b in chunk_readings
        }
        if not results:
            return frozenset()
        if len(results) > limit:
            results = set(sorted(results)[:limit])
    return frozenset(results)


def _chunks_readings(written: str, limit: int) -> list[set[str]]:
    chunks = [c for c in re.split(rf"[\s\-{HYPHENS}]+", written) if c]
    return [_segmentations(fold_latin(c), limit) for c in chunks]


def _segmentations(folded: str, limit: int) -> set[str]:
    """All Hangul strings whose syllable readings concatenate to `folded`."""
    index = _reading_index()
    memo: dict[int, set[str]] = {len(folded): {""}}
    for start in range(len(folded) - 1, -1, -1):
        found: set[str] = set()
        for end in range(start + 1, min(len(folded), start + _MAX_READING) + 1):
            tails = memo.get(end)
            syllables = index.get(folded[start:end])
            if not tails or not syllables:
                continue
            for syl in syllables:
                for tail in tails:
                    found.add(syl + tail)
                    if len(found) > limit:
                        break
        memo[start] = found
    return memo[0] if folded else set()
