"""The romanization engine: Hangul words → sounds → letters of one system.

Data flows one way: normalized text → Hangul runs → words (spaces, then the
compound lexicon) → `phonology` sounds → letters from a `systems.System` table.
Name mode replaces the word step with the personal-name rules of each system.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal

from romanize_entities.hangul import decompose, is_syllable, normalize_text
from romanize_entities.romanization.lexicon import (
    ADMIN_UNITS,
    LATERAL_WORDS,
    NOT_UNITS,
    is_leftover,
    split_compound,
)
from romanize_entities.romanization.phonology import Sound, pronounce, spelled
from romanize_entities.romanization.surnames import COMMON_SURNAMES, SOUTH_SPELLING
from romanize_entities.romanization.systems import (
    SYSTEMS,
    TWO_SYLLABLE_SURNAMES,
    System,
    get_system,
)

SurnameStyle = Literal["strict", "common"]
_PLAIN_STOPS = frozenset("ㄱㄷㅂㅈ")
_VOICED_CODAS = frozenset({"", "ㄴ", "ㅁ", "ㅇ", "ㄹ"})
_RR_AMBIGUOUS_VOWEL_PAIRS = frozenset({"ae", "eo", "eu", "oe", "ui"})
_VOWEL_LETTERS = frozenset("aeiouŏŭ")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")


def romanize(
    text: str,
    system: str = "rr",
    *,
    name: bool = False,
    surnames: SurnameStyle = "strict",
    hyphen: bool | None = None,
) -> str:
    """Romanize every Hangul run in `text`; everything else passes through.

    `name=True` applies the personal-name rules of the system to each Hangul run
    (surname split off; a lone one-syllable run followed by a space and another
    run is taken as surname + given name). `hyphen` chooses the given-name form:
    None is the system's default (RR Il-seong, MR Ilsŏng, DPRK Il Song); True gives
    the ALA-LC catalog form for MR (Hŏn-yŏng); False joins RR syllables (Ilseong).
    """
    sys_ = get_system(system)
    if surnames not in ("strict", "common"):
        raise ValueError(f"surnames must be 'strict' or 'common', not {surnames!r}")
    text = normalize_text(text)
    if name:
        return _romanize_names(text, sys_, surnames, hyphen)
    return _HANGUL_RUN.sub(lambda m: _romanize_run(m.group(), sys_, hyphen), text)


def _romanize_run(run: str, sys_: System, hyphen: bool | None = None) -> str:
    """One unspaced Hangul run: its words (lexicon), each romanized on its own.

    A run the lexicon divides into several words is a multi-word proper name
    (조선민주주의인민공화국); ALA-LC divides and capitalizes it word by word
    (Chosŏn Minjujuŭi Inmin Konghwaguk), and a leading non-lexicon piece that
    starts with a surname is a person's name inside it (김책공업종합대학 →
    Kim Ch'aek Kongŏp Chonghap Taehak; Kim Il-sŏng with `hyphen=True`).
    """
    words = split_compound(run)
    out = [_romanize_unit_word(word, sys_) for word in words]
    if len(words) > 1:
        first = words[0]
        if 2 <= len(first) <= 4 and is_leftover(first):
            surname, given = split_name(first)
            if surname in COMMON_SURNAMES:
                out[0] = romanize_name(surname, given, sys_.name, "strict", hyphen)
        if sys_.capitalize_proper_names:
            out = [_capitalize(w) for w in out]
    return " ".join(out)


def _romanize_unit_word(word: str, sys_: System) -> str:
    """RR notice art. 5: an administrative unit after a hyphen, no sound change across it."""
    if (
        sys_.unit_hyphen
        and len(word) >= 3
        and word[-1] in ADMIN_UNITS
        and not any(word.endswith(name) for name in NOT_UNITS)
    ):
        return romanize_word(word[:-1], sys_.name) + "-" + romanize_word(word[-1], sys_.name)
    return romanize_word(word, sys_.name)


@lru_cache(maxsize=65536)
def romanize_word(word: str, system: str) -> str:
    """One word of Hangul syllables, with sound changes, in lower case."""
    sys_ = SYSTEMS[system]
    if word in sys_.exceptions:
        return sys_.exceptions[word]
    sounds = pronounce([decompose(ch) for ch in word], lateral=word in LATERAL_WORDS)
    return _finish(_render(sounds, sys_), sys_)


def _romanize_names(text: str, sys_: System, surnames: SurnameStyle, hyphen: bool | None) -> str:
    out: list[str] = []
    pos = 0
    matches = list(_HANGUL_RUN.finditer(text))
    i = 0
    while i < len(matches):
        m = matches[i]
        out.append(text[pos : m.start()])
        run, end = m.group(), m.end()
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        lone_surname = len(run) == 1 or run in TWO_SYLLABLE_SURNAMES  # 남궁 억
        if lone_surname and nxt is not None and text[end : nxt.start()].isspace():
            out.append(romanize_name(run, nxt.group(), sys_.name, surnames, hyphen))
            end = nxt.end()
            i += 1
        else:
            surname, given = split_name(run)
            out.append(romanize_name(surname, given, sys_.name, surnames, hyphen))
        pos = end
        i += 1
    out.append(text[pos:])
    return "".join(out)


def split_name(hangul: str) -> tuple[str, str]:
    """Split a full Hangul name into (surname, given name); two-syllable surnames known.

    A two-syllable surname alone is all surname (황보 → ("황보", "")).
    """
    if len(hangul) >= 2 and hangul[:2] in TWO_SYLLABLE_SURNAMES:
        return hangul[:2], hangul[2:]
    return hangul[:1], hangul[1:]


@lru_cache(maxsize=65536)
def romanize_name(
    surname: str,
    given: str,
    system: str,
    surnames: SurnameStyle = "strict",
    hyphen: bool | None = None,
) -> str:
    """A personal name (surname and given name as Hangul) by the system's name rules."""
    sys_ = SYSTEMS[system]
    full = surname + given
    if full in sys_.exceptions:
        return sys_.exceptions[full]
    parts = [_surname_in(surname, system, surnames)]
    if given:
        parts.append(_given_in(given, system, hyphen))
    return " ".join(parts)


# A name's variants share their parts: the given name is the same in the strict and
# common surname styles and beside each surname spelling, so the parts are cached
# by system name (a System holds mappings and is not hashable).
@lru_cache(maxsize=16384)
def _surname_in(surname: str, system: str, style: SurnameStyle) -> str:
    return _romanize_surname(surname, SYSTEMS[system], style)


@lru_cache(maxsize=65536)
def _given_in(given: str, system: str, hyphen: bool | None) -> str:
    return _romanize_given(given, SYSTEMS[system], hyphen)


def _romanize_surname(surname: str, sys_: System, style: SurnameStyle) -> str:
    if style == "common" and surname in COMMON_SURNAMES:
        return COMMON_SURNAMES[surname]
    if surname in sys_.surnames:
        return sys_.surnames[surname]
    sounds = pronounce([decompose(ch) for ch in surname])
    if sys_.surname_initial_law and sounds:
        sounds[0] = _initial_sound_law(sounds[0])
    return _capitalize(_finish(_render(sounds, sys_), sys_))


def _romanize_given(given: str, sys_: System, hyphen: bool | None) -> str:
    sylls = [decompose(ch) for ch in given]
    style = sys_.given_name_style
    if style == "spaced":
        # KCNA style: syllables apart, but voiced as one word (Choe Thae Bok, O Guk Ryol)
        pieces = _render_pieces(spelled(sylls), sys_, apostrophe=False)
        return " ".join(_capitalize(_finish(p, sys_)) for p in pieces)
    if style == "hyphen":
        pieces = [_finish(_render([s], sys_), sys_) for s in spelled(sylls)]
        return _capitalize(("-" if hyphen in (None, True) else "").join(pieces))
    sounds = pronounce(sylls) if sys_.name_sound_changes else spelled(sylls)
    if hyphen:
        pieces = _render_pieces(sounds, sys_, apostrophe=False)
        # ALA-LC hyphenates at the spelled syllable boundary: a consonant carried
        # over by liaison stays left of the hyphen (철원 Ch'ŏr-wŏn, 헌영 Hŏn-yŏng).
        for i in range(1, len(pieces)):
            if sylls[i].initial == "ㅇ" and sounds[i].onset:
                moved = _onset_letters(sounds[i], sounds[i - 1].coda, sys_)
                pieces[i - 1] += moved
                pieces[i] = pieces[i][len(moved) :]
        return _capitalize("-".join(_finish(p, sys_) for p in pieces))
    return _capitalize(_finish(_render(sounds, sys_), sys_))


def _render(sounds: list[Sound], sys_: System) -> str:
    pieces = _render_pieces(sounds, sys_, apostrophe=sys_.apostrophe_n_g)
    if not sys_.hyphen_ambiguous:
        return "".join(pieces)
    out = pieces[0] if pieces else ""
    for piece in pieces[1:]:
        out += ("-" if _rr_ambiguous(out, piece) else "") + piece
    return out


_IOTIZED = frozenset("ㅣㅑㅕㅛㅠㅖㅒ")


def _initial_sound_law(s: Sound) -> Sound:
    """South Korean 두음 법칙 at the start of a word (Standard Pronunciation art. 5 ff.)."""
    if s.onset == "ㄹ":
        return Sound("" if s.vowel in _IOTIZED else "ㄴ", s.vowel, s.coda)
    if s.onset == "ㄴ" and s.vowel in _IOTIZED:
        return Sound("", s.vowel, s.coda)
    return s


def _render_pieces(sounds: list[Sound], sys_: System, *, apostrophe: bool) -> list[str]:
    pieces: list[str] = []
    prev_coda: str | None = None  # None: word start
    last = len(sounds) - 1
    for i, s in enumerate(sounds):
        onset = _onset_letters(s, prev_coda, sys_)
        if apostrophe and prev_coda == "ㄴ" and onset == "g":
            onset = "'g"  # MR Han'guk: n'g is n+g, ng is the velar nasal
        elif (
            sys_.merge_doubled
            and pieces
            and onset in _DOUBLED
            and pieces[-1].endswith(_DOUBLED[onset])
        ):
            pieces[-1] = pieces[-1][:-1]  # MR hobakkot, not hobakkkot
        coda = sys_.codas[s.coda]
        if sys_.r_before_h and s.coda == "ㄹ" and i < last and sounds[i + 1].onset == "ㅎ":
            coda = "r"  # MR Irhae, not Ilhae
        vowel = sys_.vowels[s.vowel]
        if (
            sys_.diaeresis_e
            and s.vowel == "ㅔ"
            and not s.onset
            and i > 0
            and not sounds[i - 1].coda
            and sounds[i - 1].vowel in ("ㅏ", "ㅗ")
        ):
            vowel = "ë"  # MR aë: not the digraph ae / oe
        pieces.append(onset + vowel + coda)
        prev_coda = s.coda
    return pieces


# MR writes a stop coda before its own doubled letter once (k+kk → kk, t+tch → tch).
_DOUBLED = {"kk": "k", "tt": "t", "pp": "p", "tch": "t"}


def _onset_letters(s: Sound, prev_coda: str | None, sys_: System) -> str:
    onset = s.onset
    if onset == "ㄹ" and prev_coda == "ㄹ":
        return "l"
    if onset == "ㅅ" and s.vowel == "ㅟ" and sys_.sh_before_wi:
        return "sh"
    if (
        onset in _PLAIN_STOPS
        and onset in sys_.voiced_onsets
        and prev_coda is not None
        and prev_coda in _VOICED_CODAS
        and not (prev_coda == "ㄹ" and onset in sys_.voiceless_after_l)
    ):
        return sys_.voiced_onsets[onset]
    return sys_.onsets[onset]


def _rr_ambiguous(before: str, piece: str) -> bool:
    """RR art. 2 note: a hyphen may separate syllables that could be misread."""
    if not piece:
        return False
    first = piece[0]
    if before.endswith("n") and first == "g":
        return True  # Ban-gudae, not Bang-udae
    if first in _VOWEL_LETTERS:
        if before.endswith("ng"):
            return True  # Jung-ang, not Jun-gang
        if before and before[-1] in _VOWEL_LETTERS:
            return (before[-1] + first) in _RR_AMBIGUOUS_VOWEL_PAIRS  # Hae-undae
    return False


def _finish(latin: str, sys_: System) -> str:
    if sys_.ascii_only:
        return strip_marks(latin)
    return latin


def strip_marks(latin: str) -> str:
    """Drop breves, other diacritics and apostrophes (MR → mr-ascii)."""
    decomposed = unicodedata.normalize("NFD", latin)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch != "'")


def _capitalize(latin: str) -> str:
    return latin[:1].upper() + latin[1:]


def name_variants(hangul: str) -> Iterator[str]:
    """Every spelling the supported systems give a Hangul personal name.

    A surname written the North Korean way (리 로 량) also gets the customary
    South Korean spelling of the same surname (Lee, Noh, Yang) besides its own
    (Ri, Ro, Ryang): the same person is written both ways in English.
    """
    surname, given = split_name(hangul.replace(" ", ""))
    surname_forms = [surname]
    if surname in SOUTH_SPELLING:
        surname_forms.append(SOUTH_SPELLING[surname])
    seen: set[str] = set()
    for system in SYSTEMS:
        for style in ("strict", "common"):
            for hyphen in (None, True, False):
                for written in surname_forms if style == "common" else surname_forms[:1]:
                    form = romanize_name(written, given, system, style, hyphen)
                    if form not in seen:
                        seen.add(form)
                        yield form


def word_variants(hangul: str) -> Iterator[str]:
    """Every spelling the supported systems give a Hangul word or phrase."""
    seen: set[str] = set()
    for system in SYSTEMS:
        form = romanize(hangul, system)
        if form not in seen:
            seen.add(form)
            yield form


def is_hangul_word(text: str) -> bool:
    return bool(text) and all(is_syllable(ch) for ch in text)
