"""Romanization systems as data.

A system is a table: letters for each onset (plain and voiced), vowel and coda,
plus a handful of switches for the conventions that differ between systems.
The engine (`engine.py`) is the same for all of them, so adding a system means
adding one `System` here and registering it in `SYSTEMS`.

Sources (see docs/romanization.md for the full citations):
- RR: Ministry of Culture and Tourism Notice 2000-8, amended 2014 (Revised
  Romanization of Korean), arts. 1-3 and the examples given there.
- MR: McCune & Reischauer, "The Romanization of the Korean Language" (1939), as
  codified in the ALA-LC Korean Romanization and Word Division tables (2009),
  whose name rules (§ 9) this library follows for `name=True`.
- dprk: the DPRK's 1992 romanization (국어의 로마자 표기법) as printed without
  diacritics in the DPRK's English-language publications (KCNA, Pyongyang Times).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

GivenNameStyle = Literal["hyphen", "joined", "spaced"]

_VOWELS_RR = dict(zip(
    "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ",
    ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo",
     "we", "wi", "yu", "eu", "ui", "i"], strict=True))
_VOWELS_MR = dict(zip(
    "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ",
    ["a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ",
     "we", "wi", "yu", "ŭ", "ŭi", "i"], strict=True))
_VOWELS_DPRK = {
    jamo: latin.replace("ŏ", "o").replace("ŭ", "u") for jamo, latin in _VOWELS_MR.items()
}

_CODAS = {"": "", "ㄱ": "k", "ㄴ": "n", "ㄷ": "t", "ㄹ": "l", "ㅁ": "m", "ㅂ": "p", "ㅇ": "ng"}


@dataclass(frozen=True)
class System:
    """Letters and conventions of one romanization system."""

    name: str
    description: str
    onsets: MappingProxyType[str, str]
    # Letters for plain stops between voiced sounds; empty when the system does not voice.
    voiced_onsets: MappingProxyType[str, str]
    vowels: MappingProxyType[str, str]
    codas: MappingProxyType[str, str]
    given_name_style: GivenNameStyle
    # Apply sound changes inside a given name (ALA-LC name rule) or spell syllable by syllable.
    name_sound_changes: bool
    # After a ㄹ coda, ㄷ and ㅈ stay voiceless in Sino-Korean (발전 palchŏn); MR writes that.
    voiceless_after_l: frozenset[str] = frozenset()
    apostrophe_n_g: bool = False  # MR Han'guk
    hyphen_ambiguous: bool = False  # RR Jung-ang, Ban-gudae
    sh_before_wi: bool = False  # MR 쉬 shwi
    ascii_only: bool = False  # strip breves and apostrophes after rendering
    # MR writes a ㄹ coda before ㅎ as r (일해 Irhae, 철학 ch'ŏrhak).
    r_before_h: bool = False
    # ALA-LC § 9 examples romanize a surname as South Koreans say it: the
    # initial-sound law applies (류 Yu, 라 Na); given names keep ㄹ (exception 2).
    surname_initial_law: bool = False
    # MR writes a stop coda before its doubled letter once (호박꽃 hobakkot).
    merge_doubled: bool = False
    # MR writes 에 after ㅏ/ㅗ as ë (아에 aë), so it is not read as ae/oe.
    diaeresis_e: bool = False
    # RR notice art. 5: administrative units after a hyphen (Inwang-ri).
    unit_hyphen: bool = False
    # ALA-LC: each word of a multi-word proper name capitalized.
    capitalize_proper_names: bool = False
    surnames: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # Whole Hangul words with a conventional spelling that overrides the rules.
    exceptions: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))


def _frozen(d: dict[str, str]) -> MappingProxyType[str, str]:
    return MappingProxyType(dict(d))


RR = System(
    name="rr",
    description="Revised Romanization of Korean (2000, amended 2014)",
    onsets=_frozen({
        "": "", "ㄱ": "g", "ㄲ": "kk", "ㄴ": "n", "ㄷ": "d", "ㄸ": "tt", "ㄹ": "r", "ㅁ": "m",
        "ㅂ": "b", "ㅃ": "pp", "ㅅ": "s", "ㅆ": "ss", "ㅈ": "j", "ㅉ": "jj", "ㅊ": "ch",
        "ㅋ": "k", "ㅌ": "t", "ㅍ": "p", "ㅎ": "h",
    }),
    voiced_onsets=_frozen({}),
    vowels=_frozen(_VOWELS_RR),
    codas=_frozen(_CODAS),
    given_name_style="hyphen",
    name_sound_changes=False,
    hyphen_ambiguous=True,
    unit_hyphen=True,
)

_MR_ONSETS = {
    "": "", "ㄱ": "k", "ㄲ": "kk", "ㄴ": "n", "ㄷ": "t", "ㄸ": "tt", "ㄹ": "r", "ㅁ": "m",
    "ㅂ": "p", "ㅃ": "pp", "ㅅ": "s", "ㅆ": "ss", "ㅈ": "ch", "ㅉ": "tch", "ㅊ": "ch'",
    "ㅋ": "k'", "ㅌ": "t'", "ㅍ": "p'", "ㅎ": "h",
}
_MR_VOICED = {"ㄱ": "g", "ㄷ": "d", "ㅂ": "b", "ㅈ": "j"}

MR = System(
    name="mr",
    description="McCune–Reischauer (1939), ALA-LC 2009 name rules",
    onsets=_frozen(_MR_ONSETS),
    voiced_onsets=_frozen(_MR_VOICED),
    vowels=_frozen(_VOWELS_MR),
    codas=_frozen(_CODAS),
    given_name_style="joined",
    name_sound_changes=True,
    voiceless_after_l=frozenset({"ㄷ", "ㅈ"}),
    apostrophe_n_g=True,
    sh_before_wi=True,
    r_before_h=True,
    surname_initial_law=True,
    merge_doubled=True,
    diaeresis_e=True,
    capitalize_proper_names=True,
    # ALA-LC 2009 § 9 exception 1: 李/異 written 리 or 이 are always Yi.
    surnames=_frozen({"이": "Yi", "리": "Yi"}),
)

MR_ASCII = System(
    name="mr-ascii",
    description="McCune–Reischauer without breves and apostrophes, as most English texts print it",
    onsets=MR.onsets,
    voiced_onsets=MR.voiced_onsets,
    vowels=MR.vowels,
    codas=MR.codas,
    given_name_style="joined",
    name_sound_changes=True,
    voiceless_after_l=MR.voiceless_after_l,
    apostrophe_n_g=True,
    sh_before_wi=True,
    r_before_h=True,
    surname_initial_law=True,
    merge_doubled=True,
    diaeresis_e=True,
    capitalize_proper_names=True,
    ascii_only=True,
    surnames=MR.surnames,
)

DPRK = System(
    name="dprk",
    description=(
        "North Korean practice in English-language publications (1992 system, no diacritics)"
    ),
    onsets=_frozen({
        "": "", "ㄱ": "k", "ㄲ": "kk", "ㄴ": "n", "ㄷ": "t", "ㄸ": "tt", "ㄹ": "r", "ㅁ": "m",
        "ㅂ": "p", "ㅃ": "pp", "ㅅ": "s", "ㅆ": "ss", "ㅈ": "j", "ㅉ": "jj", "ㅊ": "ch",
        "ㅋ": "kh", "ㅌ": "th", "ㅍ": "ph", "ㅎ": "h",
    }),
    voiced_onsets=_frozen({"ㄱ": "g", "ㄷ": "d", "ㅂ": "b"}),
    vowels=_frozen(_VOWELS_DPRK),
    codas=_frozen(_CODAS),
    given_name_style="spaced",
    name_sound_changes=False,
    # KCNA writes the surname 李 as Ri and 盧 as Ro (Ri Myong Bak, Ro Mu Hyon): the
    # DPRK spells these 리, 로 in Hangul, so South Korean 이/노 are read the same way.
    surnames=_frozen({"이": "Ri", "노": "Ro"}),
    # Conventional spellings of the DPRK's English-language press that the 1992
    # rules would write otherwise (Phyongyang, Phanmunjom, Kim Il Song).
    exceptions=_frozen({"평양": "Pyongyang", "판문점": "Panmunjom", "김일성": "Kim Il Sung"}),
)

SYSTEMS: MappingProxyType[str, System] = MappingProxyType(
    {s.name: s for s in (RR, MR, MR_ASCII, DPRK)}
)


def get_system(name: str) -> System:
    try:
        return SYSTEMS[name.lower()]
    except (KeyError, AttributeError):
        valid = ", ".join(repr(k) for k in SYSTEMS)
        raise ValueError(f"unknown romanization system {name!r}; valid systems: {valid}") from None


# Two-syllable surnames recognized when splitting a name (National Institute of
# Korean Language list of compound surnames; 사마 and 공손 are the ALA-LC name
# tables' Sama and Kongson, e.g. 공손술 Kongson Sul in the LoC scriptshifter tests).
TWO_SYLLABLE_SURNAMES = frozenset(
    {"남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "사마", "공손"}
)
