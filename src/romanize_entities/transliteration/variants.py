"""`script_variants`: every Latin spelling an entity's script fields generate.

Sources, by field:

- ``cyrillic`` (the Russian form): the Cyrillic → Latin systems of `russian.py`;
  for a Russian person also the surname alone and given name + surname.
- ``hangul`` of a Korean person: written in Cyrillic as Russian practice does
  (`korean_cyrillic.py`), then through the same systems (Kim Chen Yn).
- ``hanja`` of a Korean person: Mandarin (Jin Jiu, Chin Chiu) and Japanese
  on'yomi (Kin Kyū) readings.
- ``hanzi`` of a Chinese person: Mandarin in Pinyin and Wade–Giles.

These spellings are indexed as whole spellings only (exact match after case and
apostrophe folding), never as keys or fuzzy targets: "Kim Chen Yn" is a reading
of 김정은, but "Kim Chen In" is not evidence for it.
"""

from __future__ import annotations

from romanize_entities.aliases.model import Entity
from romanize_entities.romanization.engine import split_name
from romanize_entities.transliteration import japanese, korean_cyrillic, mandarin, russian

#: Upper bound of generated spellings per entity (a name with many multi-reading
#: characters is cut rather than flooding the index).
MAX_SPELLINGS = 600


def _is_korean(entity: Entity) -> bool:
    return bool(entity.hangul)


def _han_name(text: str) -> tuple[str, str]:
    """(surname, given) of a name in characters: a space marks a compound surname."""
    text = text.strip()
    if " " in text:
        surname, _, given = text.partition(" ")
        return surname, given.replace(" ", "")
    return text[:1], text[1:]


def script_variants(entity: Entity, *, from_hangul: bool = True) -> list[str]:
    """Latin spellings generated from `cyrillic`, `hanja`/`hanzi` and (Korean persons) `hangul`.

    `from_hangul=False` skips the Hangul → Cyrillic readings, the costly part,
    for tables too large to generate everything at load time.
    """
    if entity.type != "PERSON":
        return []
    out: dict[str, None] = {}
    korean = _is_korean(entity)
    cyrillic = getattr(entity, "cyrillic", None)
    if cyrillic:
        # "Хегай, Алексей Иванович": a Soviet Korean's Russian name is read as Russian
        if korean and "," not in cyrillic:
            out[cyrillic] = None
            for form in russian.latin_forms(cyrillic, surname_endings=False):
                out[form] = None
        else:
            for order in russian.russian_name_forms(cyrillic):
                out[order] = None  # the Cyrillic itself, as a Russian text writes it
                for form in russian.latin_forms(order):
                    out[form] = None
    if korean and from_hangul and entity.hangul:
        surname, given = split_name(entity.hangul.replace(" ", ""))
        if given:
            for cyr in korean_cyrillic.name_forms(surname, given):
                for form in russian.latin_forms(cyr, surname_endings=False):
                    out[form] = None
    hanja = entity.hanja if korean else None
    if hanja and len(hanja.replace(" ", "")) > 1:
        surname, given = _han_name(hanja)
        out.update(dict.fromkeys(mandarin.name_readings(surname, given)))
        out.update(dict.fromkeys(japanese.name_readings(surname, given)))
    hanzi = getattr(entity, "hanzi", None)
    if hanzi and len(hanzi.replace(" ", "")) > 1:
        surname, given = _han_name(hanzi)
        out.update(dict.fromkeys(mandarin.name_readings(surname, given)))
    return list(out)[:MAX_SPELLINGS]
