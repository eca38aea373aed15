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


def name_readings(surname: str, given: str) -> list[str]:
    """Hepburn spellings of a name's on'yomi: surname, space, given name joined."""
    family = [r.lower() for ch in surname for r in japanese_on(ch)[:READINGS]]
    if len(surname) > 1:
        opts = [[r.lower() for r in japanese_on(ch)[:READINGS]] for ch in surname]
        family = ["".join(c) for c in islice(product(*opts), 4)] if all(opts) else []
    given_opts = [[r.lower() for r in japanese_on(ch)[:READINGS]] for ch in given]
    if not family or not all(given_opts):
        return []
    out: dict[str, None] = {}
    for fam in family:
        for combo in islice(product(*given_opts), MAX_COMBOS):
            for style in _STYLES:
                first = _styled(fam, style).capitalize()
                rest = _styled("".join(combo), style).capitalize()
                out[f"{first} {rest}".strip()] = None
    return list(out)
