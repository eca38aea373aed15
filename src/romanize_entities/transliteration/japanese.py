"""Japanese on'yomi of names written in Hanja, romanized in Hepburn.

Colonial-era and Japanese sources read a Korean name's characters in Japanese:
金九 Kin Kyū, 安昌浩 An Shōkō, 金玉均 Kin Gyokukin. The on'yomi of each character
come from Unihan's kJapaneseOn (the vendored extract, `unihan.py`), written
with macrons (Kyū), circumflexes (Kyû), without marks (Kyu) and with the long
vowel doubled as Unihan spells it (Kyuu). Kun readings and the sound changes
of compounds (rendaku, gemination) are not predictable from the characters and
are not generated.
"""

from __future__ import annotations

from itertools import islice, product

from romanize_entities.transliteration.unihan import japanese_on

#: Readings per character and combinations per name kept.
READINGS = 3
MAX_COMBOS = 16

_STYLES = (
    (("uu", "ū"), ("ou", "ō"), ("oo", "ō")),
    (("uu", "û"), ("ou", "ô"), ("oo", "ô")),
    (("uu", "u"), ("ou", "o"), ("oo", "o")),
    (),
)


def _styled(reading: str, style: tuple[tuple[str, str], ...]) -> str:
    for long, short in style:
        reading = reading.replace(long, short)
    return reading


#: Sino-Japanese compounds double a consonant where a reading ending in -chi,
#: -tsu, -ku or -ki meets k/s/t/h (日+成 nichi+sei → nissei, 一+法 ichi+hō → ippō);
#: whether a name does is not predictable, so both joins are produced.
_SOKUON = (("chi", "kst"), ("tsu", "kst"), ("ku", "k"), ("ki", "k"))


def _joins(parts: tuple[str, ...]) -> list[str]:
    """The readings joined plainly and, where the rule allows, with the doubled consonant."""
    joined = ["".join(parts)]
    doubled = parts[0]
    for part in parts[1:]:
        if doubled.endswith(("chi", "tsu")) and part.startswith("h"):
            doubled = doubled[:-3] + "pp" + part[1:]
            continue
        for ending, starts in _SOKUON:
            if doubled.endswith(ending) and part[:1] in starts:
                doubled = doubled[: -len(ending)] + part[0]
                break
        doubled += part
    if doubled != joined[0]:
        joined.append(doubled)
    return joined


def _family(surname: str) -> list[str]:
    family = [r.lower() for ch in surname for r in japanese_on(ch)[:READINGS]]
    if len(surname) > 1:
        opts = [[r.lower() for r in japanese_on(ch)[:READINGS]] for ch in surname]
        family = ["".join(c) for c in islice(product(*opts), 4)] if all(opts) else []
    return family


def surname_words(surname: str) -> list[str]:
    """Every way `name_readings` can write the surname (the first word of each spelling)."""
    return list(dict.fromkeys(_styled(fam, style).capitalize()
                              for fam in _family(surname) for style in _STYLES))


def name_readings(surname: str, given: str) -> list[str]:
    """Hepburn spellings of a name's on'yomi: surname, space, given name joined."""
    family = _family(surname)
    given_opts = [[r.lower() for r in japanese_on(ch)[:READINGS]] for ch in given]
    if not family or not all(given_opts):
        return []
    out: dict[str, None] = {}
    for fam in family:
        for combo in islice(product(*given_opts), MAX_COMBOS):
            for given_reading in _joins(combo) if combo else [""]:
                for style in _STYLES:
                    first = _styled(fam, style).capitalize()
                    rest = _styled(given_reading, style).capitalize()
                    out[f"{first} {rest}".strip()] = None
    return list(out)
