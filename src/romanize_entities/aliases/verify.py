"""Accept strictly: is a written spelling really *this* entity's name?

Retrieval (`lookup.py`) is deliberately coarse — name keys, skeletons, prefixes —
so that every spelling finds its entity. Coarse keys also find the wrong ones:
"Kim Yo-jong" (김여정) and "Kim Mu-jong" (김무정) share a name key. A candidate
found that way is *verified* only when

1. the whole spelling is one of the entity's listed or generated spellings up
   to case, hyphens, spaces, apostrophes and diacritics; or
2. the entity has Hangul and every written syllable is a reading of the
   corresponding Hangul syllable (`romanization.readings`, without the
   Russian-practice readings, which read "che" as 재): the surname by the
   surname tables or its readings, the given name syllable by syllable or as a
   generated romanization with sound changes; Korean order (Kim Dae-jung) or
   Western order (Dae-jung Kim); or
3. one of the above holds after repairing character-level OCR and typing slips
   from an explicit confusion table (Kirn → Kim, I1 → Il, yonq → yong) — a slip
   inside a syllable, never a different syllable.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from functools import lru_cache

from romanize_entities.aliases.model import Entity
from romanize_entities.romanization.engine import split_name
from romanize_entities.romanization.readings import fold_latin, reads_as
from romanize_entities.romanization.surnames import SURNAME_VARIANTS

#: Character-level confusions of OCR and typists: written → what it may stand for.
OCR_CONFUSIONS: dict[str, tuple[str, ...]] = {
    "1": ("l", "i"), "|": ("l", "i"), "I": ("l",), "0": ("o",), "5": ("s",), "rn": ("m",),
    "cl": ("d",), "vv": ("w",), "q": ("g",),
}
#: At most this many slips are repaired in one spelling.
MAX_REPAIRS = 2


def verify_spelling(surface: str, entity: Entity, spellings: Sequence[str]) -> bool:
    """True when `surface` verifies as `entity`'s name (see the module docstring).

    `spellings`: the entity's listed and generated spellings (name, aliases,
    romanizations of its Hangul).
    """
    if _verifies(surface, entity, spellings):
        return True
    return any(_verifies(repaired, entity, spellings) for repaired in ocr_repairs(surface))


def _verifies(surface: str, entity: Entity, spellings: Sequence[str]) -> bool:
    loose = fold_latin(surface)
    if not loose:
        return False
    if any(fold_latin(s) == loose for s in spellings):
        return True
    if not entity.hangul:
        return False
    if entity.type != "PERSON":
        return reads_as(surface, entity.hangul.replace(" ", ""), russian=False)
    return reads_as_person(surface, entity.hangul, spellings, russian=False)


def reads_as_person(surface: str, hangul: str, spellings: Iterable[str] = (), *,
                    russian: bool = True) -> bool:
    """Surname and given name each read as the person's Hangul, in either word order.

    `russian`: Russian-practice readings count (clusters, name units) or not (linking).
    """
    words = surface.split()
    if len(words) < 2:
        return False
    surname_h, given_h = split_name(hangul.replace(" ", ""))
    if not given_h:
        return False
    given_forms = {fold_latin(" ".join(s.split()[1:])) for s in spellings if len(s.split()) > 1}
    orders = ((words[0], words[1:]), (words[-1], words[:-1]))
    for surname, given in orders:
        if not surname_reads_as(surname, surname_h, russian=russian):
            continue
        written_given = " ".join(given)
        if (reads_as(written_given, given_h, russian=russian)
                or fold_latin(written_given) in given_forms):
            return True
    return False


def surname_reads_as(written: str, surname_hangul: str, *, russian: bool = True) -> bool:
    """Is `written` a spelling of the Hangul surname (tables of customary spellings first)?"""
    folded = fold_latin(written)
    listed = SURNAME_VARIANTS.get(folded)
    if listed is not None and surname_hangul in listed:
        return True
    return reads_as(written, surname_hangul, russian=russian)


def ocr_repairs(surface: str) -> list[str]:
    """Spellings `surface` may be a slip of: each confusable sequence replaced, at most
    `MAX_REPAIRS` at a time (an uppercase I at a word start is a letter, not a slip)."""
    return list(_ocr_repairs(surface))


@lru_cache(maxsize=16384)
def _ocr_repairs(surface: str) -> tuple[str, ...]:
    """`ocr_repairs`, cached: verification asks it for every candidate of a surface."""
    sites: list[tuple[int, str, tuple[str, ...]]] = []
    for i in range(len(surface)):
        for written, meant in OCR_CONFUSIONS.items():
            if surface.startswith(written, i):
                if written == "I" and (i == 0 or not surface[i - 1].isalpha()):
                    continue
                sites.append((i, written, meant))
    if not sites or len(sites) > 6:
        return ()
    out: list[str] = []
    for n in range(1, min(MAX_REPAIRS, len(sites)) + 1):
        for chosen in itertools.combinations(sites, n):
            if _overlapping(chosen):
                continue
            for replacements in itertools.product(*(m for _, _, m in chosen)):
                text = surface
                for (i, written, _), repl in sorted(zip(chosen, replacements, strict=True),
                                                    key=lambda x: -x[0][0]):
                    text = text[:i] + repl + text[i + len(written):]
                out.append(text)
    return tuple(out)


def _overlapping(sites: Sequence[tuple[int, str, tuple[str, ...]]]) -> bool:
    ordered = sorted(sites)
    return any(a[0] + len(a[1]) > b[0] for a, b in itertools.pairwise(ordered))
