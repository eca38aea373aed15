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

The readings of Hangul and characters (`reading_variants`) are most of the
cost — about a hundred spellings per Korean person — so the index generates them
lazily: every such spelling starts with a writing of the surname
(`reading_first_words`, cheap), and an entity's spellings are made the first time
a lookup starts with one of its surname's writings (`aliases.lookup.Index`).
"""

from __future__ import annotations

from functools import lru_cache

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


def field_variants(entity: Entity) -> list[str]:
    """Latin spellings of the `cyrillic` field (a Russian or Soviet Korean's Russian name)."""
    cyrillic = getattr(entity, "cyrillic", None)
    if entity.type != "PERSON" or not cyrillic:
        return []
    out: dict[str, None] = {}
    # "Хегай, Алексей Иванович": a Soviet Korean's Russian name is read as Russian
    if _is_korean(entity) and "," not in cyrillic:
        out[cyrillic] = None
        out.update(dict.fromkeys(russian.latin_forms(cyrillic, surname_endings=False)))
    else:
        for order in russian.russian_name_forms(cyrillic):
            out[order] = None  # the Cyrillic itself, as a Russian text writes it
            out.update(dict.fromkeys(russian.latin_forms(order)))
    return list(out)[:MAX_SPELLINGS]


def _name_parts(entity: Entity) -> tuple[tuple[str, str] | None, tuple[str, str] | None,
                                         tuple[str, str] | None]:
    """(Hangul, Hanja, Hanzi) of a person as (surname, given), where readings apply."""
    korean = _is_korean(entity)
    hangul = None
    if korean and entity.hangul:
        surname, given = split_name(entity.hangul.replace(" ", ""))
        hangul = (surname, given) if given else None
    hanja = entity.hanja if korean else None
    hanzi = getattr(entity, "hanzi", None)
    return (hangul,
            _han_name(hanja) if hanja and len(hanja.replace(" ", "")) > 1 else None,
            _han_name(hanzi) if hanzi and len(hanzi.replace(" ", "")) > 1 else None)


def reading_variants(entity: Entity, *, from_hangul: bool = True) -> list[str]:
    """Latin spellings read from `hangul` (Russian practice), `hanja` (Mandarin, Japanese)
    and `hanzi` (Mandarin); every one starts with a word of `reading_first_words`."""
    if entity.type != "PERSON":
        return []
    out: dict[str, None] = {}
    hangul, hanja, hanzi = _name_parts(entity)
    if hangul and from_hangul:
        for cyr in korean_cyrillic.name_forms(*hangul):
            out.update(dict.fromkeys(russian.latin_forms(cyr, surname_endings=False)))
    if hanja:
        out.update(dict.fromkeys(mandarin.name_readings(*hanja)))
        out.update(dict.fromkeys(japanese.name_readings(*hanja)))
    if hanzi:
        out.update(dict.fromkeys(mandarin.name_readings(*hanzi)))
    return list(out)[:MAX_SPELLINGS]


def reading_first_words(entity: Entity, *, from_hangul: bool = True) -> list[str]:
    """The words `reading_variants` can start with: the surname's writings.

    Computed without generating the spellings (a few surname readings, cached
    per surname), so an index can file the entity under them at load time.
    """
    if entity.type != "PERSON":
        return []
    out: dict[str, None] = {}
    hangul, hanja, hanzi = _name_parts(entity)
    if hangul and from_hangul:
        out.update(dict.fromkeys(_russian_surname_words(hangul[0])))
    if hanja:
        out.update(dict.fromkeys(mandarin.surname_words(hanja[0])))
        out.update(dict.fromkeys(japanese.surname_words(hanja[0])))
    if hanzi:
        out.update(dict.fromkeys(mandarin.surname_words(hanzi[0])))
    return list(out)


@lru_cache(maxsize=4096)
def _russian_surname_words(surname: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for cyr in korean_cyrillic.surname_forms(surname)
                               for w in russian.latin_forms(cyr, surname_endings=False)))


def script_variants(entity: Entity, *, from_hangul: bool = True) -> list[str]:
    """Latin spellings generated from `cyrillic`, `hanja`/`hanzi` and (Korean persons) `hangul`.

    `from_hangul=False` skips the Hangul → Cyrillic readings, the costly part,
    for tables too large to generate everything at load time.
    """
    out = dict.fromkeys(field_variants(entity))
    out.update(dict.fromkeys(reading_variants(entity, from_hangul=from_hangul)))
    return list(out)[:MAX_SPELLINGS]
