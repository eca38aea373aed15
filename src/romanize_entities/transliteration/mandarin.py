"""Mandarin readings of names written in Hanja or Hanzi: Pinyin and Wade–Giles.

Chinese sources read a Korean name's Hanja in Mandarin (金九 Jin Jiu, 安昌浩 An
Changhao), and Chinese actors of Korean history appear in Pinyin (Gao Gang),
Wade–Giles (Kao Kang, Li K'o-nung) or in between. Readings come from `pypinyin`
(MIT; it ships its character data, and its Wade–Giles style is the published
Pinyin ↔ Wade–Giles syllable table, cited in pypinyin/style/wadegiles.py).

A character with several readings (朴 pǔ/piáo/pò) gives every one for the
surname and the first (the most common) for each given-name character: personal-name
readings cannot be predicted from the characters. `pypinyin` is optional
(extra ``scripts``): without it no Mandarin reading is generated (logged once).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from itertools import islice, product

logger = logging.getLogger("romanize_entities")

#: Given-name readings per character, and combinations per name, kept.
GIVEN_READINGS = 1
MAX_COMBOS = 16

Reader = Callable[[str, str], list[str]]
_warned = False


@lru_cache(maxsize=1)
def _reader() -> Reader | None:
    global _warned
    try:
        from pypinyin import Style, pinyin
    except ImportError:
        if not _warned:
            _warned = True
            logger.info("pypinyin is not installed: no Mandarin readings of Hanja/Hanzi "
                        "(pip install 'romanize-entities[scripts]')")
        return None
    styles = {"pinyin": Style.NORMAL, "wade-giles": Style.WADEGILES}

    def read(char: str, system: str) -> list[str]:
        found = pinyin(char, style=styles[system], heteronym=True, v_to_u=True,
                       errors="ignore")
        readings = found[0] if found else []
        # pypinyin's Wade–Giles writes ü as v
        return list(dict.fromkeys(r.replace("v", "ü") for r in readings if r.isalpha()
                                  or "'" in r))

    return read


@lru_cache(maxsize=65536)
def readings(char: str, system: str) -> tuple[str, ...]:
    """Toneless readings of one character in "pinyin" or "wade-giles" (may be empty)."""
    read = _reader()
    return tuple(read(char, system)) if read is not None else ()


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _variants(word: str, system: str) -> set[str]:
    forms = {word, word.replace("ü", "u")}
    if system == "wade-giles":
        forms |= {f.replace("'", "") for f in forms}
    return forms


def _family(surname: str, system: str) -> list[str]:
    """Readings of the surname: every one for one character, four combinations for two."""
    if len(surname) == 1:
        return [r for ch in surname for r in readings(ch, system)]
    return ["".join(c) for c in islice(product(*(readings(ch, system) for ch in surname)), 4)]


def surname_words(surname: str) -> list[str]:
    """Every way `name_readings` can write the surname (the first word of each spelling)."""
    out: dict[str, None] = {}
    for system in ("pinyin", "wade-giles"):
        for fam in _family(surname, system):
            out.update(dict.fromkeys(_variants(_cap(fam), system)))
    return list(out)


def name_readings(surname: str, given: str) -> list[str]:
    """Latin spellings of a name (surname and given name as characters) in Mandarin."""
    out: dict[str, None] = {}
    for system in ("pinyin", "wade-giles"):
        family = _family(surname, system)
        given_opts = [readings(ch, system)[:GIVEN_READINGS] for ch in given]
        if not family or not all(given_opts):
            continue
        for fam in family:
            for combo in islice(product(*given_opts), MAX_COMBOS):
                for style in (" ", "-", ""):
                    if not combo:
                        text = _cap(fam)
                    elif style == " ":
                        text = " ".join([_cap(fam), *(_cap(c) for c in combo)])
                    else:
                        text = f"{_cap(fam)} {_cap(style.join(combo))}"
                    for form in _variants(text, system):
                        out[form] = None
    return list(out)
