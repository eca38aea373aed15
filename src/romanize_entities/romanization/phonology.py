"""Korean sound changes at syllable boundaries (Standard Pronunciation rules).

Romanization systems that transcribe (RR, MR, the DPRK system) write what is said,
not what is spelled, so the engine first turns a word's syllables into *sounds*
and only then into letters. Only rules that are decidable from the spelling alone
are applied (Standard Korean Pronunciation, arts. 9-20: coda neutralization,
liaison, palatalization, h-aspiration, nasalization, ㄹ-nasalization and
lateralization), plus ㄴㄹ→ㄴㄴ before the Sino-Korean suffixes the lexicon
lists (art. 20 proviso) and ㄺ→ㄹ before ㄱ in verb stems (art. 11 proviso).
Rules that need a dictionary (n-insertion, lexical tensing) are out of reach;
see docs/romanization.md.

Aspiration of a plain ㄱ/ㄷ/ㅂ coda before ㅎ is deliberately *not* applied: RR
writes noun compounds with the ㅎ (묵호 Mukho, 집현전 Jiphyeonjeon) and MR likewise
(북한 Pukhan); proper names are nouns. Codas that only verb and adjective stems
have before ㅎ (ㅈ, ㄵ, ㄺ, ㄼ: 맞히다, 앉히다, 붉히다, 넓히다) are aspirated (art. 12).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from romanize_entities.hangul import Syllable, decompose
from romanize_entities.romanization.lexicon import NN_SUFFIXES

# Coda neutralization (Standard Pronunciation arts. 9-11): the seven codas.
NEUTRAL_CODA: dict[str, str] = {
    "": "", "ㄱ": "ㄱ", "ㄲ": "ㄱ", "ㅋ": "ㄱ", "ㄳ": "ㄱ", "ㄺ": "ㄱ",
    "ㄴ": "ㄴ", "ㄵ": "ㄴ", "ㄶ": "ㄴ",
    "ㄷ": "ㄷ", "ㅅ": "ㄷ", "ㅆ": "ㄷ", "ㅈ": "ㄷ", "ㅊ": "ㄷ", "ㅌ": "ㄷ", "ㅎ": "ㄷ",
    "ㄹ": "ㄹ", "ㄼ": "ㄹ", "ㄽ": "ㄹ", "ㄾ": "ㄹ", "ㅀ": "ㄹ",
    "ㅁ": "ㅁ", "ㄻ": "ㅁ",
    "ㅂ": "ㅂ", "ㅍ": "ㅂ", "ㅄ": "ㅂ", "ㄿ": "ㅂ",
    "ㅇ": "ㅇ",
}
# Liaison of clusters: the first part stays, the second opens the next syllable.
_CLUSTER_SPLIT: dict[str, tuple[str, str]] = {
    "ㄳ": ("ㄱ", "ㅅ"), "ㄵ": ("ㄴ", "ㅈ"), "ㄺ": ("ㄹ", "ㄱ"), "ㄻ": ("ㄹ", "ㅁ"),
    "ㄼ": ("ㄹ", "ㅂ"), "ㄽ": ("ㄹ", "ㅅ"), "ㄾ": ("ㄹ", "ㅌ"), "ㄿ": ("ㄹ", "ㅍ"),
    "ㅄ": ("ㅂ", "ㅅ"),
}
_ASPIRATE = {"ㄱ": "ㅋ", "ㄷ": "ㅌ", "ㅈ": "ㅊ", "ㅂ": "ㅍ"}
# Stem-final codas before ㅎ (art. 12): what stays, and the aspirate the ㅎ makes.
_STEM_ASPIRATION = {"ㅈ": ("", "ㅊ"), "ㄵ": ("ㄴ", "ㅊ"), "ㄺ": ("ㄹ", "ㅋ"), "ㄼ": ("ㄹ", "ㅍ")}
# The few nouns ending in ㄺ (닭, 흙, 칡, 삵): every other ㄺ is a verb or adjective
# stem, read ㄹ before ㄱ (art. 11 proviso: 읽고 [일꼬], 굵기); 닭고기 [닥꼬기] is not.
_RK_NOUNS = frozenset("닭흙칡삵")
_NN_SUFFIX_SYLLABLES = frozenset(decompose(ch) for ch in NN_SUFFIXES)
_RK_NOUN_SYLLABLES = frozenset(decompose(ch) for ch in _RK_NOUNS)
_NASAL = {"ㄱ": "ㅇ", "ㄷ": "ㄴ", "ㅂ": "ㅁ"}


@dataclass(frozen=True, slots=True)
class Sound:
    """A syllable as pronounced: onset "" is silent ㅇ; coda is one of the seven codas."""

    onset: str
    vowel: str
    coda: str


def spelled(syllables: Sequence[Syllable]) -> list[Sound]:
    """Each syllable pronounced on its own (name rules of RR and the DPRK system)."""
    return [
        Sound("" if s.initial == "ㅇ" else s.initial, s.vowel, NEUTRAL_CODA[s.final])
        for s in syllables
    ]


def pronounce(syllables: Sequence[Syllable], *, lateral: bool = False) -> list[Sound]:
    """Apply the boundary rules across one word's syllables.

    A word of three or more syllables ending in a Sino-Korean suffix in ㄹ reads
    ㄴ+ㄹ there as ㄴㄴ (art. 20 proviso: 생산량 [생산냥]); `lateral=True` says the
    word is one where that syllable is not the suffix (대관령 [대괄령]).
    """
    onsets = ["" if s.initial == "ㅇ" else s.initial for s in syllables]
    vowels = [s.vowel for s in syllables]
    codas = [s.final for s in syllables]
    last = len(syllables) - 1
    nn_at = (
        last
        if last >= 2 and not lateral and syllables[last] in _NN_SUFFIX_SYLLABLES
        and codas[last - 1] == "ㄴ"
        else -1
    )
    for i in range(last):
        coda, onset = codas[i], onsets[i + 1]
        if not coda:
            continue
        if i + 1 == nn_at:
            onset = "ㄴ"  # 의견란 [의견난], 신문로 [신문노]
        if not onset:
            coda, onset = _liaison(coda, vowels[i + 1])
        elif coda == "ㄺ" and onset == "ㄱ" and syllables[i] not in _RK_NOUN_SYLLABLES:
            coda = "ㄹ"  # 읽고 [일꼬], 굵기 [굴끼]
        else:
            coda, onset = _consonant_meeting(coda, onset)
        codas[i], onsets[i + 1] = coda, onset
    return [Sound(o, v, NEUTRAL_CODA[c]) for o, v, c in zip(onsets, vowels, codas, strict=True)]


def _liaison(coda: str, next_vowel: str) -> tuple[str, str]:
    if coda == "ㅇ":
        return coda, ""
    if coda == "ㅎ":
        return "", ""
    if coda == "ㄶ":
        return "", "ㄴ"
    if coda == "ㅀ":
        return "", "ㄹ"
    if coda in _CLUSTER_SPLIT:
        stay, move = _CLUSTER_SPLIT[coda]
        if next_vowel == "ㅣ" and move == "ㅌ":  # art. 17: 벼훑이 [벼훌치]
            move = "ㅊ"
        return stay, move
    onset = coda
    if next_vowel == "ㅣ" and onset in ("ㄷ", "ㅌ"):  # palatalization: 같이 gachi
        onset = "ㅈ" if onset == "ㄷ" else "ㅊ"
    return "", onset


def _consonant_meeting(coda: str, onset: str) -> tuple[str, str]:
    # ㅎ-final aspirates a following plain stop (좋고 joko) or tenses ㅅ.
    if coda in ("ㅎ", "ㄶ", "ㅀ"):
        rest = {"ㅎ": "", "ㄶ": "ㄴ", "ㅀ": "ㄹ"}[coda]
        if onset in ("ㄱ", "ㄷ", "ㅈ"):
            return rest, _ASPIRATE[onset]
        if onset == "ㅅ":
            return rest, "ㅆ"
        if coda == "ㅎ" and onset == "ㄴ":
            return "ㄴ", onset
    if onset == "ㅎ" and coda in _STEM_ASPIRATION:
        return _STEM_ASPIRATION[coda]  # 맞히다 [마치다], 붉히다 [불키다], 앉히다 [안치다]
    coda = NEUTRAL_CODA[coda]
    if onset == "ㄹ" and coda in ("ㄱ", "ㄷ", "ㅂ", "ㅁ", "ㅇ"):
        onset = "ㄴ"  # 종로 Jongno, 독립 → 독닙
    if onset in ("ㄴ", "ㅁ") and coda in _NASAL:
        coda = _NASAL[coda]  # 백마 Baengma, 독닙 → dongnip
    if coda == "ㄴ" and onset == "ㄹ":
        coda = "ㄹ"  # 신라 Silla
    elif coda == "ㄹ" and onset == "ㄴ":
        onset = "ㄹ"  # 설날 Seollal
    return coda, onset
