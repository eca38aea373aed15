"""Indexes over the alias table and the ranked lookup of one text.

Retrieval is always by dictionary: exact spellings, romanization-invariant keys
(`keys.name_key`), surname/given-name keys, an OCR skeleton and 3-letter
prefixes of non-Korean words. Only the retrieved block is scored, so lookup
cost does not grow with the table.

Generated romanizations of each Hangul field (every system, every surname and
hyphen style) are expensive (~1 ms per name), so for large tables they are
produced lazily, per entity, the first time a lookup lands in that entity's key
bucket; small tables (the packaged one) generate them eagerly so that every
variant's own key is indexed too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from rapidfuzz import fuzz, process

from romanize_entities.aliases.model import Candidate, Entity
from romanize_entities.aliases.verify import verify_spelling
from romanize_entities.hangul import has_hangul, initial_sound_fold
from romanize_entities.keys import is_korean_romanization, name_key, plain_key
from romanize_entities.romanization.engine import name_variants, word_variants
from romanize_entities.transliteration.unihan import simplified
from romanize_entities.transliteration.variants import reading_first_words, reading_variants

#: Verified candidates at or above this score may link (`linking.decide`). A key
#: match scores 0.75 + 0.2 * fit and a fuzzy match ratio/100 * 0.9; neither
#: links a Korean name unless it is also `verified` (aliases.verify): the score
#: ranks candidates, it never makes a coarse key match into a link.
DEFAULT_THRESHOLD = 0.8

#: "script": a spelling generated from the Cyrillic/Hanja/Hanzi fields (Kim Chen Yn,
#: Kin Kyū); just below "hangul" so that where Russian practice writes another
#: entity's syllable alike (정 and 전 are both Chon), that entity's own
#: romanization wins instead of tying.
SCORES = {"exact": 1.0, "alias": 0.99, "hangul": 0.97, "script": 0.965}
#: Methods whose match is a spelling the entity owns (listed, its Hangul, or generated).
_SELF_VERIFYING = frozenset(SCORES)
KEY_BASE, KEY_SPAN = 0.75, 0.2
FUZZY_FACTOR = 0.9
#: Fuzzy hits below this rapidfuzz ratio are not candidates at all (score < 0.54):
#: far below the threshold, they would only bury the useful candidates of a
#: large block ("The ..." shares a prefix block with hundreds of spellings).
FUZZY_CUTOFF = 60.0
#: Above this many Hangul-bearing entities, romanization variants are generated lazily.
EAGER_VARIANT_LIMIT = 2000

_WS = re.compile(r"\s+")
_OCR = [("|", "l"), ("I", "l"), ("1", "l"), ("0", "o"), ("5", "s")]
_OCR_LOWER = [("rn", "m"), ("vv", "w"), ("cl", "d")]

Scorer = Callable[..., float]
Processor = Callable[[str], str]


# Same folding as hangul.normalize_char, as one str.translate (hot at load time).
_CHAR_FOLD = str.maketrans({**dict.fromkeys("\u2019\u2018\u02bc\u02bb`\u00b4\u2032", "'"),
                            "ǒ": "ŏ", "Ǒ": "Ŏ", "ǔ": "ŭ", "Ǔ": "Ŭ"})


def normalize_spelling(text: str) -> str:
    """NFC, straight apostrophes, collapsed whitespace, casefolded: the exact-match form."""
    text = unicodedata.normalize("NFC", text).translate(_CHAR_FOLD)
    return _WS.sub(" ", text).strip().casefold()


def compact(text: str) -> str:
    """Hangul/Hanja compared with spaces ignored (word division varies between sources)."""
    return _WS.sub("", unicodedata.normalize("NFC", text))


def ocr_fold(text: str) -> str:
    """Map the letters OCR and typists confuse onto one: I/l/1/| → l, rn → m, 0 → o, ..."""
    for a, b in _OCR:
        text = text.replace(a, b)
    text = text.lower()
    for a, b in _OCR_LOWER:
        text = text.replace(a, b)
    return text


def skeleton_key(text: str) -> str:
    """The OCR-folded key: name_key of `ocr_fold(text)`."""
    folded = ocr_fold(text)
    return name_key(folded)


def ocr_plain(text: str) -> str:
    """Processor comparing OCR-folded plain keys (so Kirn == Kim)."""
    return plain_key(ocr_fold(text))


def surname_key(text: str) -> str:
    """Key of the first word (the surname of a Korean name written surname-first)."""
    if has_hangul(text):
        return ""
    words = text.split()
    return name_key(words[0]) if words else ""


def spelling_rows(entity: Entity, variants: Iterable[str] = (),
                  script: Iterable[str] = (),
                  structured_spellings: Iterable[str] = ()) -> list[list[str]]:
    """One row per spelling of `entity`: every index key it is filed under.

    [spelling, kind, normalized, key, skeleton, surname key, given key, prefixes];
    kind is "n" (name), "a" (alias), "h" (hangul), "v" (generated variant), "g"
    (generated from the entry's structure, `structured_spellings`) or "s"
    (spelling generated from the `cyrillic` field, `transliteration.field_variants`;
    the readings of Hangul and characters are added lazily by `Index`):
    "s" and "g" rows are whole spellings only, with no key: "Kim Chen Yn" must
    never retrieve or score an entity for a merely similar "Kim Chen In", and a
    structured form's coarse keys would only retrieve candidates that cannot link.
    Computed once per table and stored in the compiled cache, so a warm load is
    only dictionary inserts.
    """
    rows: list[list[str]] = []
    items: list[tuple[str, str]] = [(entity.name, "n")]
    items += [(a, "a") for a in entity.aliases]
    if entity.hangul:
        items.append((entity.hangul, "h"))
    items += [(v, "v") for v in variants]
    items += [(v, "s") for v in script]
    items += [(g, "g") for g in structured_spellings]
    for spelling, kind in items:
        if kind in ("s", "g"):
            # Whole spellings only: a script reading (see above), or one of the many
            # forms generated from an entry's structure ("KWP Fourth Congress"),
            # whose coarse keys would only retrieve candidates that cannot link.
            rows.append([spelling, kind, normalize_spelling(spelling), "", "", "", "", ""])
            continue
        # Digits vanish from a Hangul key (38선 would key as 선), so such Hangul
        # is matched literally and through its generated variants only.
        key = "" if kind == "h" and any(ch.isdigit() for ch in spelling) else name_key(spelling)
        folded = ocr_fold(spelling)
        skel = key if folded == spelling.lower() else name_key(folded)
        skey = gkey = prefixes = ""
        if kind != "h":
            if is_korean_romanization(spelling):
                skey = surname_key(spelling)
                gkey = key[len(skey):] if skey and key.startswith(skey) else ""
            else:
                prefixes = " ".join(dict.fromkeys(t[:3] for t in plain_key(spelling).split()))
        rows.append([spelling, kind, normalize_spelling(spelling), key, skel, skey, gkey,
                     prefixes])
    return rows


def generate_variants(entity: Entity) -> list[str]:
    """Every romanization the engine gives the entity's Hangul (names for PERSON only)."""
    if not entity.hangul:
        return []
    gen = name_variants(entity.hangul) if entity.type == "PERSON" else word_variants(entity.hangul)
    return list(gen)


Bucket = dict[str, dict[str, None]]  # key -> ordered set of entity ids


def _add(index: Bucket, key: str, ident: str) -> None:
    if key:
        found = index.get(key)
        if found is None:
            index[key] = {ident: None}
        else:
            found[ident] = None


#: The index dictionaries, by attribute name; the compiled cache stores exactly these.
BUCKETS = ("exact", "alias", "hangul", "variant", "script", "key", "surname", "given",
           "skeleton", "prefix", "structured")


class Index:
    """All lookup dictionaries of one table; built from precomputed spelling rows."""

    def __init__(self, entities: dict[str, Entity], rows: dict[str, list[list[str]]],
                 *, variants_complete: bool, readings_from_hangul: bool | None = None) -> None:
        self.entities = entities
        self.variants_complete = variants_complete
        #: Russian-practice readings of Hangul (Kim Chen Yn), generated on first use:
        #: not for a large table, where one common surname would mean thousands.
        self.readings_from_hangul = (variants_complete if readings_from_hangul is None
                                     else readings_from_hangul)
        self.exact: Bucket = {}
        self.alias: Bucket = {}
        self.hangul: Bucket = {}
        self.variant: Bucket = {}
        self.script: Bucket = {}
        self.key: Bucket = {}
        self.surname: Bucket = {}
        self.given: Bucket = {}
        self.skeleton: Bucket = {}
        self.prefix: Bucket = {}
        self.structured: Bucket = {}
        self._variants: dict[str, list[str]] = {}
        self._init_lazy()
        for ident, ent in entities.items():
            if ent.hangul:
                _add(self.hangul, compact(initial_sound_fold(ent.hangul)), ident)
            for han in (ent.hanja, ent.hanzi):
                if han:
                    _add(self.hangul, compact(han), ident)
                    _add(self.hangul, compact(simplified(han)), ident)
        self._index_rows(rows)

    def _init_lazy(self) -> None:
        # spelling -> (plain_key, ocr_plain): the default fuzzy processors, computed once.
        self._processed: dict[str, tuple[str, str]] = {}
        # Readings of Hangul/Hanja/Hanzi (Kim Chen Yn, Jin Jiu): first word -> entity
        # ids, built on the first lookup; an entity's spellings are generated into
        # `script` when a lookup first starts with one of its surname's writings.
        self._reading_words: Bucket | None = None
        self._read: set[str] = set()

    def to_compiled(self) -> dict[str, Any]:
        """The dictionaries as plain data (buckets as lists) for the msgpack cache."""
        data: dict[str, Any] = {
            name: {key: list(ids) for key, ids in getattr(self, name).items()}
            for name in BUCKETS
        }
        data["variants"] = self._variants
        data["variants_complete"] = self.variants_complete
        data["readings_from_hangul"] = self.readings_from_hangul
        return data

    @classmethod
    def from_compiled(cls, entities: dict[str, Entity], data: dict[str, Any]) -> Index:
        """Rebuild from `to_compiled` output: one dict.fromkeys per key, no key computing.

        Storing the finished dictionaries rather than the spelling rows they
        are built from makes a warm load of a 100,000-entity table a msgpack
        read plus C-level dict construction.
        """
        index = cls.__new__(cls)
        index.entities = entities
        index.variants_complete = bool(data["variants_complete"])
        index.readings_from_hangul = bool(data.get("readings_from_hangul",
                                                   index.variants_complete))
        for name in BUCKETS:
            setattr(index, name, {key: dict.fromkeys(ids) for key, ids in data[name].items()})
        index._variants = dict(data["variants"])
        index._init_lazy()
        return index

    def _index_rows(self, rows: dict[str, list[list[str]]]) -> None:
        """File every row under its keys (most of building an index: ~25,000 rows
        for the packaged table)."""
        by_kind = {"n": self.exact, "a": self.alias, "v": self.variant, "g": self.structured,
                   "s": self.script}  # "h" rows: Hangul is filed by compact form above
        variants = self._variants
        for ident, entity_rows in rows.items():
            for spelling, kind, norm, key, skel, skey, gkey, prefixes in entity_rows:
                if kind in by_kind:
                    _add(by_kind[kind], norm, ident)
                if kind in ("s", "g"):
                    continue
                if kind == "v":
                    variants.setdefault(ident, []).append(spelling)
                _add(self.key, key, ident)
                _add(self.skeleton, skel, ident)
                _add(self.surname, skey, ident)
                _add(self.given, gkey, ident)
                for prefix in prefixes.split():
                    _add(self.prefix, prefix, ident)

    def _readings_for(self, norm: str) -> None:
        """Generate the reading spellings of the entities whose surname `norm` starts with.

        Russian-practice readings of Hangul only when `readings_from_hangul` (a
        table of up to EAGER_VARIANT_LIMIT entities with Hangul): for a large table
        a common surname would mean generating thousands of entities' spellings.
        """
        if self._reading_words is None:
            words: Bucket = {}
            for ident, ent in self.entities.items():
                for word in reading_first_words(ent, from_hangul=self.readings_from_hangul):
                    _add(words, normalize_spelling(word), ident)
            self._reading_words = words
        for ident in self._reading_words.get(norm.split(" ", 1)[0], ()):
            if ident not in self._read:
                self._read.add(ident)
                for spelling in reading_variants(self.entities[ident],
                                                 from_hangul=self.readings_from_hangul):
                    _add(self.script, normalize_spelling(spelling), ident)

    def variants(self, ident: str) -> list[str]:
        """Generated romanizations of `ident`, produced on first use when lazy."""
        if self.variants_complete or ident in self._variants:
            return self._variants.get(ident, [])
        generated = generate_variants(self.entities[ident])
        self._variants[ident] = generated
        for v in generated:
            _add(self.variant, normalize_spelling(v), ident)
        return generated

    def spellings(self, ident: str) -> list[str]:
        ent = self.entities[ident]
        return [*ent.spellings(), *self.variants(ident)]

    # -- lookup ---------------------------------------------------------------

    def lookup(self, text: str, limit: int | None = 5, *,
               scorer: Scorer | None = None, processor: Processor | None = None,
               resolve: Callable[[str], str] | None = None) -> list[Candidate]:
        best: dict[str, Candidate] = {}

        verdicts: dict[str, bool] = {}

        def verified(ident: str) -> bool:
            found = verdicts.get(ident)
            if found is None:
                found = verdicts[ident] = verify_spelling(text, self.entities[ident],
                                                          self.spellings(ident))
            return found

        def offer(ident: str, score: float, method: str, matched: str) -> None:
            # exact, alias and Hangul matches are the entity's own spellings; key and
            # fuzzy hits are coarse retrieval and must earn the flag (aliases.verify)
            is_verified = method in _SELF_VERIFYING or verified(ident)
            if resolve is not None:
                ident = resolve(ident)
            score = round(score, 9)  # fits equal within 1e-9 tie exactly
            old = best.get(ident)
            if old is None or (score, is_verified) > (old.score, old.verified):
                best[ident] = Candidate(ident, score, method, matched, is_verified)

        norm = normalize_spelling(text)
        if not norm:
            return []
        for ident in self.exact.get(norm, ()):
            offer(ident, SCORES["exact"], "exact", self.entities[ident].name)
        for ident in self.alias.get(norm, ()):
            offer(ident, SCORES["alias"], "alias", text)
        for ident in self.structured.get(norm, ()):  # "KWP Fourth Congress" (structured.py)
            offer(ident, SCORES["alias"], "alias", text)
        for ident in self.hangul.get(compact(initial_sound_fold(text)), ()):
            offer(ident, SCORES["hangul"], "hangul", text)
        key = name_key(text)
        bucket = list(self.key.get(key, ()))
        for ident in bucket:
            self.variants(ident)  # lazily adds to self.variant
        for ident in self.variant.get(norm, ()):
            offer(ident, SCORES["hangul"], "hangul", text)
        self._readings_for(norm)
        for ident in self.script.get(norm, ()):
            offer(ident, SCORES["script"], "hangul", text)
        text_plain = plain_key(text)
        for ident in bucket:
            if ident in best and best[ident].score >= SCORES["hangul"]:
                continue
            spellings = self.spellings(ident)
            match = process.extractOne(text_plain, spellings, scorer=fuzz.ratio,
                                       processor=plain_key)
            fit = match[1] / 100 if match else 0.0
            offer(ident, KEY_BASE + KEY_SPAN * fit, "key", match[0] if match else "")
        skel = skeleton_key(text)
        korean = is_korean_romanization(text)
        if not korean or skel != key:
            self._fuzzy(text, korean, skel, offer, scorer, processor)
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.entity_id))
        return ranked if limit is None else ranked[:limit]

    def _fuzzy(self, text: str, korean: bool, skel: str,
               offer: Callable[[str, float, str, str], None],
               scorer: Scorer | None, processor: Processor | None) -> None:
        """Score a dictionary-blocked set of spellings for OCR slips and typos."""
        block: dict[str, None] = dict.fromkeys(self.skeleton.get(skel, ()))
        if not korean:
            skey = surname_key(text)
            key = name_key(text)
            block.update(dict.fromkeys(self.surname.get(skey, ())))
            if skey and key.startswith(skey):
                block.update(dict.fromkeys(self.given.get(key[len(skey):], ())))
            for token in plain_key(text).split():
                block.update(dict.fromkeys(self.prefix.get(token[:3], ())))
        if not block:
            return
        choices: list[str] = []
        owners: list[str] = []
        for ident in block:
            for spelling in self.entities[ident].spellings():
                choices.append(spelling)
                owners.append(ident)
        if not korean and scorer is None and processor is None:
            self._fuzzy_default(text, choices, owners, offer)
            return
        if korean:
            # A clean romanized name is fuzzy-matched only as an OCR reading of
            # another: the skeletons must agree (Kim II-Sung → Kim Il Sung), so a
            # different valid name (Choe Yong-jin) never lands on Choe Yong-geon.
            hits: list[tuple[Any, float, int]] = [
                (c, 100.0, i) for i, c in enumerate(choices) if skeleton_key(c) == skel
            ]
        else:
            hits = list(process.extract(text, choices, scorer=scorer or fuzz.ratio,
                                        processor=processor or plain_key, limit=None,
                                        score_cutoff=FUZZY_CUTOFF))
            hits += process.extract(ocr_plain(text), choices, scorer=scorer or fuzz.ratio,
                                    processor=ocr_plain, limit=None, score_cutoff=FUZZY_CUTOFF)
        for choice, ratio, i in hits:
            offer(owners[i], ratio / 100 * FUZZY_FACTOR, "fuzzy", str(choice))

    def _processed_forms(self, spelling: str) -> tuple[str, str]:
        forms = self._processed.get(spelling)
        if forms is None:
            forms = self._processed[spelling] = (plain_key(spelling), ocr_plain(spelling))
        return forms

    def _fuzzy_default(self, text: str, choices: list[str], owners: list[str],
                       offer: Callable[[str, float, str, str], None]) -> None:
        """The default scorer/processors with each spelling's processed forms cached.

        Same hits as ``process.extract(..., processor=plain_key)`` and
        ``processor=ocr_plain``, without re-processing a block's spellings on
        every lookup.
        """
        forms = [self._processed_forms(c) for c in choices]
        for query, column in ((plain_key(text), 0), (ocr_plain(text), 1)):
            processed = [f[column] for f in forms]
            for _, ratio, i in process.extract(query, processed, scorer=fuzz.ratio,
                                               processor=None, limit=None,
                                               score_cutoff=FUZZY_CUTOFF):
                offer(owners[i], ratio / 100 * FUZZY_FACTOR, "fuzzy", choices[i])
