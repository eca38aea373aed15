"""Hangul → Cyrillic as Russian writes Korean names (Kontsevich, Kholodovich, customary).

Soviet and Russian documents spell Korean names in Cyrillic, and English
translators then re-romanize the Cyrillic ("Ким Чен Ын" → "Kim Chen Yn"). To
meet such a spelling, the Hangul of an entity is first written in Cyrillic the
way Russian writers did, then passed through the Cyrillic → Latin systems of
`russian.py`.

Tables, written from the published ones (read via copies of the Russian and
Ukrainian Wikipedia articles):

- Kontsevich ("Система Концевича", ru.wikipedia.org/wiki/Система_Концевича; copies
  read: uk.wikipedia.org/wiki/Система_Концевича and
  myunivercity.ru/Этика/Система_Концевича/147845_2147763_страница1.html): vowels
  ㅏа ㅓо ㅗо ㅜу ㅡы ㅣи ㅐэ ㅔе ㅚве ㅟви ㅑя ㅕё ㅛё ㅠю ㅒйя ㅖйе ㅘва ㅙвэ ㅝво ㅞве ㅢый;
  consonants ㄱк ㄲкк ㅋкх ㄷт ㄸтт ㅌтх ㅂп ㅃпп ㅍпх ㅈч ㅉчч ㅊчх ㅅс ㅆсс ㅎх ㄴн ㅁм ㄹ р/ль,
  final ㅇ н; ㄱ ㄷ ㅂ ㅈ are г д б дж inside a word between vowels or after ㄴ ㅁ ㅇ ㄹ;
  final ㅅ ㅈ ㅊ ㅌ ㅆ are т; ㅖ and ㅢ are е and и after a consonant.
- Kholodovich ("Система Холодовича", ru.wikipedia.org/wiki/Система_Холодовича):
  the same letters except ㅈ -чж- inside a word, final ㄹ -л, final ㅇ -нъ
  (ㅓ is the scientific ɔ, written о in practical texts, ㅕ йɔ → ё).
- Customary forms: the names of North Korean leaders kept the older spellings in
  Russian texts (Ким Ир Сен, not Ким Ильсон — noted in A. Lankov's book, readli.net
  copy, "Принципы транскрипции"; Ким Чен Ир, Цой Ен Ген): ㅓ as е, final ㄹ as р,
  syllables written apart.

Russian writes given names joined (Kontsevich: Ильсон), hyphenated (Kholodovich
in books: Чон-хи) or syllable by syllable (Ким Ир Сен); all three are produced.
The mapping is many-to-one (ㅓ and ㅗ are both о; 전 and 정 both Чон/Чен), so two
entities can share a Cyrillic form: that is a tie and links neither.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from romanize_entities.hangul import FINALS, INITIALS, VOWELS, decompose, is_syllable

VOWEL = dict(zip(VOWELS, ("а", "э", "я", "йя", "о", "е", "ё", "йе", "о", "ва", "вэ", "ве", "ё",
                          "у", "во", "ве", "ви", "ю", "ы", "ый", "и"), strict=True))
INITIAL = dict(zip(INITIALS, ("к", "кк", "н", "т", "тт", "р", "м", "п", "пп", "с", "сс", "",
                              "ч", "чч", "чх", "кх", "тх", "пх", "х"), strict=True))
#: Inside a word after a vowel or ㄴ ㅁ ㅇ ㄹ these initials are voiced (ㅈ: see `Practice.j`).
VOICED = {"ㄱ": "г", "ㄷ": "д", "ㅂ": "б"}
SONORANT_FINALS = frozenset("ㄴㅁㅇㄹ")
#: Final consonant at the end of a syllable before a consonant or at the end of a word.
FINAL = dict(zip(FINALS, ("", "к", "к", "к", "н", "н", "н", "т", "ль", "к", "м", "ль", "ль",
                          "ль", "п", "ль", "м", "п", "п", "т", "т", "н", "т", "т", "к", "т", "п",
                          "т"), strict=True))
#: A final consonant before a vowel-initial syllable of the same word is read with it.
LINKED = {"ㄱ": "г", "ㄷ": "д", "ㅂ": "б", "ㅅ": "с", "ㅈ": "дж", "ㅊ": "ч", "ㅌ": "т",
          "ㅍ": "п", "ㅋ": "к", "ㄲ": "кк", "ㅆ": "сс", "ㅎ": ""}
#: Surnames whose Russian form is not the table's reading: Ли for 이/리 (Ли Сын Ман),
#: Цой for 최 among Soviet Koreans (Цой Ен Ген), Лим for 임/림.
SURNAMES: dict[str, tuple[str, ...]] = {
    "이": ("Ли",), "리": ("Ли",), "최": ("Чхве", "Цой"), "임": ("Лим", "Им"), "림": ("Лим",),
}


@dataclass(frozen=True)
class Practice:
    """One way of writing Korean in Cyrillic: the letters where the tables differ."""

    name: str
    eo: str = "о"        # ㅓ
    j: str = "дж"        # voiced ㅈ inside a word
    final_l: str = "ль"  # ㄹ at the end of a syllable before a consonant / word end
    final_ng_linked: str = "нъ"  # ㅇ before a vowel-initial syllable
    j_initial: str = "ч"  # ㅈ at the start of a given name's syllable


KONTSEVICH = Practice("kontsevich")
KHOLODOVICH = Practice("kholodovich", j="чж", final_l="л")
CUSTOMARY = Practice("customary", eo="е", j="ч", final_l="р", final_ng_linked="н")
#: The press writes ㅈ чж at the start of given-name syllables too (Пак Чжон Хи,
#: Ким Чжон Ын; the former named as the common form in Lankov's book, above).
PRESS = Practice("press", j="чж", final_l="ль", final_ng_linked="н", j_initial="чж")
PRACTICES = (KONTSEVICH, KHOLODOVICH, CUSTOMARY, PRESS)


def word_syllables(hangul: str, practice: Practice = KONTSEVICH) -> list[str]:
    """The Cyrillic of each syllable of one Hangul word, with the in-word rules applied.

    Returned per syllable (lower case) so that callers can write the syllables
    joined, hyphenated or apart, as Russian texts do for given names.
    """
    sylls = [decompose(ch) for ch in hangul if is_syllable(ch)]
    out: list[str] = []
    for i, s in enumerate(sylls):
        prev = sylls[i - 1] if i else None
        nxt = sylls[i + 1] if i + 1 < len(sylls) else None
        if prev is None:
            initial = practice.j_initial if s.initial == "ㅈ" else INITIAL[s.initial]
        elif s.initial == "ㅇ":
            initial = ""
        elif s.initial == "ㄹ" and prev.final in ("ㄹ", "ㄴ"):
            initial = "л"
        elif prev.final == "" or prev.final in SONORANT_FINALS:
            initial = practice.j if s.initial == "ㅈ" else VOICED.get(s.initial,
                                                                      INITIAL[s.initial])
        else:
            initial = INITIAL[s.initial]
        vowel = practice.eo if s.vowel == "ㅓ" else VOWEL[s.vowel]
        if initial and s.vowel in ("ㅖ", "ㅢ"):
            vowel = "е" if s.vowel == "ㅖ" else "и"
        if s.final == "":
            final = ""
        elif nxt is not None and nxt.initial == "ㅇ":
            if s.final == "ㄹ":
                final = "р"
            elif s.final == "ㅇ":
                final = practice.final_ng_linked
            else:
                final = LINKED.get(s.final, FINAL[s.final])
        elif s.final == "ㄹ":
            final = "л" if nxt is not None and nxt.initial in ("ㄹ", "ㄴ") else practice.final_l
        else:
            final = FINAL[s.final]
        out.append(initial + vowel + final)
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _family(surname: str, practice: Practice) -> list[str]:
    family = [_cap("".join(word_syllables(surname, replace(practice, j_initial="ч"))))]
    return family + [f for f in SURNAMES.get(surname, ()) if f not in family]


def surname_forms(surname: str) -> list[str]:
    """Every Cyrillic form `name_forms` gives the surname (its first word)."""
    return list(dict.fromkeys(f for practice in PRACTICES for f in _family(surname, practice)))


def name_forms(surname: str, given: str) -> Iterator[str]:
    """Russian forms of a Korean personal name (surname and given name as Hangul)."""
    seen: set[str] = set()
    for practice in PRACTICES:
        family = _family(surname, practice)
        # The given name read alone (Ким Ку), and read on from the surname as one
        # word, which voices its first consonant (Ким Гу, the customary form).
        readings = [word_syllables(given, practice)] if given else [[]]
        if given and practice.j_initial != "ч":  # every given-name syllable as if initial
            readings.append([word_syllables(ch, practice)[0] for ch in given])
        if given:
            readings.append(word_syllables(surname + given, practice)[len(surname):])
        styles: list[str] = []
        for parts in readings:
            apart = [p.removesuffix("ъ") for p in parts]
            styles += [" ".join(_cap(p) for p in apart), _cap("".join(parts)),
                       _cap("-".join(apart))]
        for fam in family:
            for style in dict.fromkeys(styles):
                form = f"{fam} {style}".strip()
                if form not in seen:
                    seen.add(form)
                    yield form


# -- reverse, for the round-trip test and for reading a Cyrillic syllable -------

def _reverse_tables() -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    ini: dict[str, list[str]] = {}
    for jamo, cyr in INITIAL.items():
        ini.setdefault(cyr, []).append(jamo)
    vow: dict[str, list[str]] = {}
    for jamo, cyr in VOWEL.items():
        vow.setdefault(cyr, []).append(jamo)
    vow["е"].append("ㅖ")  # after a consonant
    vow["и"].append("ㅢ")
    fin: dict[str, list[str]] = {}
    for jamo, cyr in FINAL.items():
        fin.setdefault(cyr, []).append(jamo)
    return ini, vow, fin


def syllable_readings(cyrillic: str) -> set[str]:
    """Every Hangul syllable a word-initial Kontsevich syllable can stand for.

    The inverse of `word_syllables` on a single syllable: used to check by round
    trip that the table loses no syllable (each Hangul syllable is among the
    readings of its own Cyrillic form).
    """
    ini, vow, fin = _reverse_tables()
    found: set[str] = set()
    text = cyrillic.lower()
    for i in range(len(text) + 1):
        for j in range(i, len(text) + 1):
            a, v, f = text[:i], text[i:j], text[j:]
            for ia in ini.get(a, ()):
                for vv in vow.get(v, ()):
                    for ff in fin.get(f, ()):
                        found.add(compose_safe(ia, vv, ff))
    found.discard("")
    return found


def compose_safe(initial: str, vowel: str, final: str) -> str:
    """`hangul.compose`, or "" when the jamo do not make a syllable."""
    from romanize_entities.hangul import compose

    try:
        return compose(initial, vowel, final)
    except ValueError:
        return ""
