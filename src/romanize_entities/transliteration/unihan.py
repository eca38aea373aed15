"""Per-character data from the Unicode Han Database, shipped as a small extract.

`data/unihan_extract.tsv` holds three Unihan fields (Unicode 15.0.0, Unicode
licence in `data/UNICODE-LICENSE.txt`): kJapaneseOn (Japanese on'yomi, in
Hepburn capitals: KYUU, SHOU), kHangul (the Korean reading of a Hanja) and
kSimplifiedVariant. It is read on first use. Nothing is downloaded: cihai and
unihan-etl fetch Unihan.zip at run time, which fails offline.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources
from itertools import islice, product

_FILE = "unihan_extract.tsv"


@lru_cache(maxsize=1)
def _text() -> str:
    return resources.files("romanize_entities.transliteration").joinpath(
        "data").joinpath(_FILE).read_text(encoding="utf-8")


@lru_cache(maxsize=4)
def _field(name: str) -> dict[str, tuple[str, ...]]:
    """One Unihan field, parsed on first use: loading a table needs only the
    simplified forms, and splitting all 28,000 lines would cost it ~50 ms."""
    tag = f"\t{name}\t"
    out: dict[str, tuple[str, ...]] = {}
    for line in _text().splitlines():
        if tag in line and not line.startswith("#"):
            char, _, value = line.split("\t")
            out[char] = tuple(value.split())
    return out


def is_han(ch: str) -> bool:
    """A CJK ideograph (unified, extensions or compatibility)."""
    return unicodedata.name(ch, "").startswith(("CJK UNIFIED IDEOGRAPH",
                                                 "CJK COMPATIBILITY IDEOGRAPH"))


def japanese_on(char: str) -> tuple[str, ...]:
    """On'yomi of one character as Unihan writes them (KIN, KYUU), or ()."""
    return _field("kJapaneseOn").get(char, ())


def hangul_readings(char: str) -> tuple[str, ...]:
    """Korean readings of one Hanja (金 → 금, 김), or ()."""
    return _field("kHangul").get(char, ())


def simplified(text: str) -> str:
    """The simplified form of a traditional text, character by character."""
    table = _field("kSimplifiedVariant")
    return "".join(table.get(ch, (ch,))[0] for ch in text)


def hanja_to_hangul(hanja: str, limit: int = 8) -> list[str]:
    """Possible Hangul readings of a name written in Hanja (at most `limit`).

    The readings of each character in Unihan order; characters without a
    reading make the name unreadable (empty list). The initial-sound law and
    the readings used in personal names are not predicted: these are proposals
    for a reviewer (`suggest`), never matches.
    """
    chars = [ch for ch in hanja if not ch.isspace()]
    options = [hangul_readings(ch) for ch in chars]
    if not chars or not all(options):
        return []
    return ["".join(combo) for combo in islice(product(*options), limit)]
