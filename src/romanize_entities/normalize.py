"""One text normalization for mention finding, lookup, keys and `suggest`.

Web text and OCR write the same name with many look-alike characters: a
non-breaking hyphen (U+2011, `&#8209;` in HTML) in "Kim Il‑sung", a soft hyphen
where a line was once broken, a modifier letter apostrophe in "Ch ʼoe". Inside
a word these are the hyphen and the apostrophe; the dashes U+2013–U+2015 are
punctuation and end a name.

`fold_for_matching` maps the look-alikes one character to one character, so
offsets found in the folded text are offsets in the original; the soft hyphen
is kept in place (the mention pattern reads through it) and dropped only from
the surface that is looked up (`lookup_surface`).
"""

from __future__ import annotations

import re

HYPHENS = "\u2010\u2011\u2012\u2212"
APOSTROPHES = "\u2018\u2019\u02bc\u02bb`\u00b4\u2032"
SOFT_HYPHEN = "\u00ad"
#: Dashes that end a name (en dash, em dash, horizontal bar).
DASHES = "\u2013\u2014\u2015"

_FOLD = str.maketrans({**dict.fromkeys(HYPHENS, "-"), **dict.fromkeys(APOSTROPHES, "'")})
_LOOK_ALIKE = re.compile("[" + re.escape(HYPHENS + APOSTROPHES) + "]+")


def fold_for_matching(text: str) -> str:
    """Hyphen and apostrophe look-alikes as "-" and "'"; same length as `text`.

    Only the look-alikes are translated: a document holds a few dozen, and
    `str.translate` over a whole 30,000-character document costs ten times more.
    """
    return _LOOK_ALIKE.sub(lambda m: m.group().translate(_FOLD), text)


def lookup_surface(text: str) -> str:
    """The folded text with soft hyphens removed: the form looked up in the table."""
    return fold_for_matching(text).replace(SOFT_HYPHEN, "")
