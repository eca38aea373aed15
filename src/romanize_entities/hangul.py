"""Hangul syllable arithmetic and input normalization.

Everything downstream works on precomposed syllables (U+AC00–U+D7A3) split into
(initial, vowel, final) indices, because every romanization rule is stated on jamo.
Normalization is kept separate from romanization so that callers reporting
positions can map offsets in the normalized text back to the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

SYLLABLE_BASE = 0xAC00
SYLLABLE_LAST = 0xD7A3
N_INITIALS = 19
N_VOWELS = 21
N_FINALS = 28  # index 0 = no final consonant
SYLLABLE_COUNT = N_INITIALS * N_VOWELS * N_FINALS  # 11,172

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ("", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ",
          "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ")


@dataclass(frozen=True, slots=True)
class Syllable:
    """One precomposed Hangul syllable as compatibility jamo ("" for no final)."""

    initial: str
    vowel: str
    final: str


def is_syllable(ch: str) -> bool:
    return SYLLABLE_BASE <= ord(ch) <= SYLLABLE_LAST


_SYLLABLE_PATTERN = re.compile(f"[{chr(SYLLABLE_BASE)}-{chr(SYLLABLE_LAST)}]")


def has_hangul(text: str) -> bool:
    """True when *text* holds a Hangul syllable (checked on every name key: kept cheap)."""
    return not text.isascii() and _SYLLABLE_PATTERN.search(text) is not None


def decompose(ch: str) -> Syllable:
    """Split one precomposed syllable; raises ValueError for anything else."""
    if len(ch) != 1 or not is_syllable(ch):
        raise ValueError(f"not a precomposed Hangul syllable: {ch!r}")
    index = ord(ch) - SYLLABLE_BASE
    initial, rest = divmod(index, N_VOWELS * N_FINALS)
    vowel, final = divmod(rest, N_FINALS)
    return Syllable(INITIALS[initial], VOWELS[vowel], FINALS[final])


def compose(initial: str, vowel: str, final: str = "") -> str:
    try:
        i = INITIALS.index(initial)
        v = VOWELS.index(vowel)
        f = FINALS.index(final)
    except ValueError as exc:
        raise ValueError(f"cannot compose {initial!r}+{vowel!r}+{final!r}") from exc
    return chr(SYLLABLE_BASE + (i * N_VOWELS + v) * N_FINALS + f)


def all_syllables() -> Iterator[str]:
    for code in range(SYLLABLE_BASE, SYLLABLE_LAST + 1):
        yield chr(code)


# Characters writers use for the MR breve and apostrophe. A caron (ǒ, ǔ) is a
# common typing substitute for the breve; ʼ ’ ‘ ` ´ for the aspiration mark.
_APOSTROPHES = "\u2019\u2018\u02bc\u02bb`\u00b4\u2032"
_CARON_TO_BREVE = str.maketrans({"ǒ": "ŏ", "Ǒ": "Ŏ", "ǔ": "ŭ", "Ǔ": "Ŭ"})


def normalize_char(ch: str) -> str:
    """Normalize one character; Hangul is composed by `normalize` separately."""
    if ch in _APOSTROPHES:
        return "'"
    return ch.translate(_CARON_TO_BREVE)


def normalize(text: str) -> tuple[str, list[int]]:
    """Return (normalized text, offsets) where offsets[i] is the index in `text`
    of normalized character i (plus a final entry for len(text)).

    Composes decomposed jamo (NFC) and folds apostrophe/caron look-alikes. NFC
    only ever merges characters, so each output character maps to the first
    input character it came from; this keeps reported spans on the original text.
    """
    out: list[str] = []
    offsets: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        j = i + 1
        # gather a run that NFC may combine: a base followed by combining marks/jamo
        while j < n and (unicodedata.combining(text[j]) or _is_conjoining_jamo(text[j])):
            j += 1
        chunk = unicodedata.normalize("NFC", text[i:j])
        for k, ch in enumerate(chunk):
            out.append(normalize_char(ch))
            offsets.append(i if k == 0 else min(i + k, j - 1))
        i = j
    offsets.append(n)
    return "".join(out), offsets


def _is_conjoining_jamo(ch: str) -> bool:
    return 0x1160 <= ord(ch) <= 0x11FF or 0xD7B0 <= ord(ch) <= 0xD7FF


def normalize_text(text: str) -> str:
    return normalize(text)[0]


# The South Korean initial-sound law (두음 법칙) as a syllable map: ㄹ → ㄴ, and
# ㄹ/ㄴ before ㅣ or a y-vowel → silent ㅇ (리 → 이, 로 → 노, 량 → 양, 류 → 유,
# 라 → 나, 려/녀 → 여). North Korea writes the ㄹ/ㄴ; the South does not.
_IOTIZED = frozenset("ㅣㅑㅕㅛㅠㅖㅒ")


def _initial_law_syllable(ch: str) -> str:
    s = decompose(ch)
    if s.initial == "ㄹ":
        return compose("ㅇ" if s.vowel in _IOTIZED else "ㄴ", s.vowel, s.final)
    if s.initial == "ㄴ" and s.vowel in _IOTIZED:
        return compose("ㅇ", s.vowel, s.final)
    return ch


_INITIAL_LAW = {
    ord(ch): folded for ch in all_syllables() if (folded := _initial_law_syllable(ch)) != ch
}
_FOLDABLE = re.compile("[" + "".join(chr(c) for c in _INITIAL_LAW) + "]")


def initial_sound_fold(text: str) -> str:
    """Fold North and South Korean spellings of a name to one: the initial-sound law
    applied where a name part starts.

    A part starts at the beginning of each space-separated word and, in a word of
    three or four syllables (an unspaced full name: surname + given name), at its
    second syllable too: 리승엽 and 이승엽, 최룡해 and 최용해, 로동신문 and 노동신문
    fold alike. Anything that is not Hangul is returned unchanged. Used on both
    sides of a comparison (the alias table's Hangul and the text looked up), so
    the two directions agree.
    """
    if not has_hangul(text) or _FOLDABLE.search(text) is None:
        return text
    words = text.split(" ")
    for i, word in enumerate(words):
        if not word or not is_syllable(word[0]):
            continue
        head = word[0].translate(_INITIAL_LAW)
        if 3 <= len(word) <= 4 and is_syllable(word[1]):
            head += word[1].translate(_INITIAL_LAW)
            words[i] = head + word[2:]
        else:
            words[i] = head + word[1:]
    return " ".join(words)
