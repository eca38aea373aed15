"""From Latin back to Hangul: which Hangul spellings can a romanized name stand for?

Three steps, each a table lookup or a small search:
1. split the Latin name into *surface* syllables (onset letters, vowel letters,
   coda letters) using the letter inventories of every system plus common
   popular spellings (Hun for 헌, Young for 영, Sook for 숙); a hyphen is a
   syllable boundary, and a coda letter stands for every final it can be after
   neutralization (t: ㅅ ㄷ ㅈ ㅊ ㅌ ㅆ ㅎ; k: ㄱ ㄲ ㅋ ㄺ ㄳ ...);
2. undo the sound changes a transcribing system may have written at syllable
   boundaries, across hyphens too (Pongnam may be 복남; Ch'ŏrwŏn is 철원 by
   liaison; haedoji 해돋이 by palatalization; joko 좋고 by aspiration);
3. rank the Hangul strings by how many non-standard readings they needed, by
   whether they read the letters as the system the text shows would (RR eo/eu,
   MR breves and apostrophes), and by how common their syllables are.

Surnames go through `surnames.SURNAME_VARIANTS` first (Lee, Rhee, Ri → 이/리).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
from functools import lru_cache

from romanize_entities.hangul import compose, is_syllable, normalize_text
from romanize_entities.keys import strip_marks
from romanize_entities.romanization._syllable_tiers import TIERS
from romanize_entities.romanization.lexicon import WORDS as LEXICON_WORDS
from romanize_entities.romanization.surnames import SURNAME_VARIANTS
from romanize_entities.romanization.systems import TWO_SYLLABLE_SURNAMES

# Latin onset letters → (jamo, cost). Cost 0: some supported system writes it so.
_ONSETS: dict[str, tuple[tuple[str, int], ...]] = {
    "": (("ㅇ", 0),),
    "g": (("ㄱ", 0),), "k": (("ㄱ", 0), ("ㅋ", 0)), "k'": (("ㅋ", 0),), "kh": (("ㅋ", 0),),
    "kk": (("ㄲ", 0),), "n": (("ㄴ", 0),), "d": (("ㄷ", 0),), "t": (("ㄷ", 0), ("ㅌ", 0)),
    "t'": (("ㅌ", 0),), "th": (("ㅌ", 0),), "tt": (("ㄸ", 0),), "r": (("ㄹ", 0),),
    "l": (("ㄹ", 1),), "m": (("ㅁ", 0),), "b": (("ㅂ", 0),), "p": (("ㅂ", 0), ("ㅍ", 0)),
    "p'": (("ㅍ", 0),), "ph": (("ㅍ", 0),), "pp": (("ㅃ", 0),), "s": (("ㅅ", 0),),
    "sh": (("ㅅ", 1),), "ss": (("ㅆ", 0),), "j": (("ㅈ", 0),), "ch": (("ㅈ", 0), ("ㅊ", 0)),
    "ch'": (("ㅊ", 0),), "tch": (("ㅉ", 0),), "jj": (("ㅉ", 0),), "h": (("ㅎ", 0),),
    # MR marks n+g (not the velar nasal) with an apostrophe: Han'guk, Man'gwang.
    "'g": (("ㄱ", 0),),
}
# Latin vowel letters (after ŏ→eo-like handling below) → (jamo, cost).
_VOWELS: dict[str, tuple[tuple[str, int], ...]] = {
    "a": (("ㅏ", 0),), "ae": (("ㅐ", 0),), "ya": (("ㅑ", 0),), "yae": (("ㅒ", 0),),
    "eo": (("ㅓ", 0),), "ŏ": (("ㅓ", 0),), "o": (("ㅗ", 0), ("ㅓ", 1)),
    "u": (("ㅜ", 0), ("ㅡ", 0), ("ㅓ", 1)),
    "e": (("ㅔ", 0), ("ㅐ", 2)), "yeo": (("ㅕ", 0),), "yŏ": (("ㅕ", 0),),
    "yo": (("ㅛ", 0), ("ㅕ", 0)), "you": (("ㅕ", 1),), "yu": (("ㅠ", 0), ("ㅕ", 1)),
    "ye": (("ㅖ", 0),), "wa": (("ㅘ", 0),), "wae": (("ㅙ", 0),), "oe": (("ㅚ", 0),),
    "oi": (("ㅚ", 2),), "we": (("ㅞ", 0), ("ㅚ", 2)), "wo": (("ㅝ", 0),), "wŏ": (("ㅝ", 0),),
    "weo": (("ㅝ", 0),), "wi": (("ㅟ", 0),), "eu": (("ㅡ", 0),), "ŭ": (("ㅡ", 0),),
    "ui": (("ㅢ", 0),), "ŭi": (("ㅢ", 0),), "i": (("ㅣ", 0),), "ee": (("ㅣ", 2),),
    "oo": (("ㅜ", 2),), "eui": (("ㅢ", 2),),
}
# Every final a written coda letter can stand for after neutralization (Standard
# Pronunciation arts. 9-11): 한밭 Hanbat, 벚꽃 beotkkot, 닭 dak. Finals that are
# rarer in names and words cost more.
_CODAS: dict[str, tuple[tuple[str, int], ...]] = {
    "": (("", 0),),
    "k": (("ㄱ", 0), ("ㄲ", 2), ("ㅋ", 3), ("ㄺ", 3), ("ㄳ", 4)),
    "n": (("ㄴ", 0), ("ㄶ", 3), ("ㄵ", 3)),
    "t": (("ㅅ", 0), ("ㄷ", 1), ("ㅈ", 2), ("ㅊ", 2), ("ㅌ", 2), ("ㅆ", 2), ("ㅎ", 3)),
    "l": (("ㄹ", 0), ("ㄼ", 3), ("ㄾ", 3), ("ㅀ", 3), ("ㄽ", 4)),
    "r": (("ㄹ", 2),),
    "m": (("ㅁ", 0), ("ㄻ", 3)),
    "p": (("ㅂ", 0), ("ㅍ", 2), ("ㅄ", 3), ("ㄿ", 4)),
    "ng": (("ㅇ", 0),),
}
# Undoing palatalization (art. 17: 해돋이 haedoji, 같이 gachi) and aspiration
# (art. 12: 좋고 joko, 놓다 nota, 잡혀 japyeo, 맞히다 machida): a surface onset
# after a syllable without a coda → (underlying coda, underlying onset, cost).
_ONSET_UNDO: dict[tuple[str, str], tuple[tuple[str, str, int], ...]] = {
    ("ㅈ", "ㅣ"): (("ㄷ", "ㅇ", 1),),
    ("ㅊ", "ㅣ"): (("ㅌ", "ㅇ", 1), ("ㄷ", "ㅎ", 2)),
}
_ASPIRATION_UNDO: dict[str, tuple[tuple[str, str, int], ...]] = {
    "ㅋ": (("ㅎ", "ㄱ", 1), ("ㄱ", "ㅎ", 2)),
    "ㅌ": (("ㅎ", "ㄷ", 1), ("ㄷ", "ㅎ", 2)),
    "ㅊ": (("ㅎ", "ㅈ", 1), ("ㅈ", "ㅎ", 1)),
    "ㅍ": (("ㅂ", "ㅎ", 1),),
}
# Voiced letters ALA-LC leaves before a hyphen when the next syllable starts
# with a vowel (강석원 Kang Sŏg-wŏn, 조택원 Cho T'aeg-wŏn).
_LIAISON_CODAS: dict[str, tuple[tuple[str, int], ...]] = {
    "g": (("ㄱ", 0),), "d": (("ㄷ", 0),), "b": (("ㅂ", 0),), "j": (("ㅈ", 0),),
}
_CODA_LETTERS = ("ng", "k", "n", "t", "l", "m", "p", "r", "")
_CODA_LETTERS_BEFORE_HYPHEN = (*_CODA_LETTERS[:-1], "g", "d", "b", "j", "")
_MAX_ONSET = max(len(k) for k in _ONSETS)
_MAX_VOWEL = max(len(k) for k in _VOWELS)

# Sound changes a transcription may show at a boundary, undone: surface (coda,
# next onset) → underlying alternatives with a cost.
_CODA_UNDO: dict[tuple[str, str], tuple[tuple[str, str, int], ...]] = {
    ("ㅇ", "ㄴ"): (("ㄱ", "ㄴ", 1), ("ㅇ", "ㄹ", 1), ("ㄱ", "ㄹ", 2)),
    ("ㅇ", "ㅁ"): (("ㄱ", "ㅁ", 1),),
    ("ㅁ", "ㄴ"): (("ㅂ", "ㄴ", 1), ("ㅁ", "ㄹ", 1), ("ㅂ", "ㄹ", 2)),
    ("ㅁ", "ㅁ"): (("ㅂ", "ㅁ", 1),),
    ("ㄴ", "ㄴ"): (("ㅅ", "ㄴ", 2), ("ㄷ", "ㄴ", 2), ("ㄴ", "ㄹ", 2)),  # 신문로 Sinmunno
    ("ㄴ", "ㅁ"): (("ㅅ", "ㅁ", 2),),
    ("ㄹ", "ㄹ"): (("ㄴ", "ㄹ", 1), ("ㄹ", "ㄴ", 1)),
}
_LIAISON = {"ㄱ": "ㄱ", "ㄴ": "ㄴ", "ㄷ": "ㄷ", "ㄹ": "ㄹ", "ㅁ": "ㅁ", "ㅂ": "ㅂ", "ㅅ": "ㅅ",
            "ㅈ": "ㅈ", "ㅊ": "ㅊ", "ㅌ": "ㅌ", "ㅍ": "ㅍ", "ㅋ": "ㅋ", "ㄲ": "ㄲ", "ㅆ": "ㅆ"}

Surface = tuple[str, str, str, int]  # onset jamo, vowel jamo, coda jamo, cost

# Ranking heuristic, not reference data: syllables that are frequent in Korean
# personal and place names. A reading built from them is preferred over an
# equally cheap reading with rare syllables (헌 over 혼 for "Hon").
_FREQUENT = frozenset(
    "김이리박최정강조윤장임림한오서신권황안송류유홍전고문양손배백허노로남심하곽성차주우구민진지엄채원천방공현함변염여추도석설길표명기반왕금옥육인맹탁국은편용봉태두"
    "영철수호준희숙순자일석기광동훈식상경재선혁환규종범애연미혜윤락근택복만덕춘식필웅무학헌창찬병승용섭익평양산천주부개함흥"
)
_HIATUS_COST = 3
# A syllable's cost by how common it is: 0 when frequent in names (`_FREQUENT`),
# else its tier in Korean words (`_syllable_tiers`, from wordfreq), 4 when unseen.
_SYLLABLE_COST: dict[str, int] = {
    ch: tier for tier, chars in enumerate(TIERS) for ch in chars
} | dict.fromkeys(_FREQUENT, 0)
_UNSEEN_COST = len(TIERS)
# A reading that holds a word of the compound lexicon (독립 in 독립문) is likelier
# than one made of syllables that form no known word (동님문).
_WORD_BONUS = 3
_LEXICON_PAIRS = frozenset(w for w in LEXICON_WORDS if len(w) == 2)

# Spellings that show which system wrote a text. RR spells ㅓ ㅡ as eo eu, so in
# RR text o/u are ㅗ/ㅜ and ch/k/t/p are the aspirates; MR with its marks writes
# ㅓ ㅡ as ŏ ŭ and the aspirates with an apostrophe. Readings against the
# system's own spelling cost `_OFF_SYSTEM_COST` more (not excluded: popular
# spellings mix systems).
Mode = str  # "rr", "mr" or "" (unknown)
_OFF_SYSTEM_COST = 2
_OFF_SYSTEM: dict[Mode, frozenset[tuple[str, str]]] = {
    "rr": frozenset({
        ("ch", "ㅈ"), ("k", "ㄱ"), ("t", "ㄷ"), ("p", "ㅂ"),
        ("o", "ㅓ"), ("u", "ㅡ"), ("u", "ㅓ"), ("yo", "ㅕ"), ("yu", "ㅕ"), ("you", "ㅕ"),
    }),
    "mr": frozenset({("o", "ㅓ"), ("u", "ㅡ"), ("u", "ㅓ"), ("yo", "ㅕ"), ("yu", "ㅕ")}),
    "mr'": frozenset({
        ("o", "ㅓ"), ("u", "ㅡ"), ("u", "ㅓ"), ("yo", "ㅕ"), ("yu", "ㅕ"),
        ("ch", "ㅊ"), ("k", "ㅋ"), ("t", "ㅌ"), ("p", "ㅍ"),
    }),
}


def _mode(text: str) -> Mode:
    """Which system the spelling shows: RR (eo, eu), MR (breves; with apostrophes)."""
    if "ŏ" in text or "ŭ" in text:
        return "mr'" if "'" in text else "mr"
    if "eo" in text or "eu" in text:
        return "rr"
    return ""


def _table(table: dict[str, tuple[tuple[str, int], ...]], mode: Mode
           ) -> dict[str, tuple[tuple[str, int], ...]]:
    off = _OFF_SYSTEM.get(mode, frozenset())
    return {
        latin: tuple((jamo, cost + (_OFF_SYSTEM_COST if (latin, jamo) in off else 0))
                     for jamo, cost in options)
        for latin, options in table.items()
    }


_ONSETS_BY_MODE = {mode: _table(_ONSETS, mode) for mode in ("", *_OFF_SYSTEM)}
_VOWELS_BY_MODE = {mode: _table(_VOWELS, mode) for mode in ("", *_OFF_SYSTEM)}


def hangul_candidates(text: str, limit: int | None = 10) -> list[str]:
    """The Hangul spellings a romanized name can stand for, most likely first.

    The first word is read as a surname (through the customary-spelling table
    when it is one of those); the rest as the given name. `limit=None` returns
    every reading found.
    """
    text = normalize_text(text).strip()
    if any(is_syllable(ch) for ch in text):
        return ["".join(ch for ch in text if is_syllable(ch))]
    words = [w for w in _tokenize(text) if w]
    if not words:
        return []
    mode = _mode(" ".join(words))
    surname_options = _surname_options(words[0], mode)
    if len(words) == 1:  # a surname alone, or a word or place name
        return _take([*surname_options, *_read_words(words, mode)], limit)
    if not surname_options:  # not a personal name: a place or body of several words
        return _take(_read_words(words, mode), limit)
    given_options = _read_words(words[1:], mode)
    ranked = [
        (s + g, sc + gc)
        for (s, sc), (g, gc) in itertools.product(surname_options, given_options)
    ]
    return _take(ranked, limit)


def _take(ranked: Iterable[tuple[str, int]], limit: int | None) -> list[str]:
    """Hangul strings by cost, then code point order (deterministic), deduplicated."""
    pairs = sorted(ranked, key=lambda p: (p[1], p[0]))
    out: list[str] = []
    seen: set[str] = set()
    for h, _ in pairs:
        if h and h not in seen:
            seen.add(h)
            out.append(h)
            if limit is not None and len(out) >= limit:
                break
    return out


def _tokenize(text: str) -> list[str]:
    lowered = text.lower().replace("’", "'")
    # keep breves (they disambiguate) but fold other marks
    lowered = "".join(ch if ch in "ŏŭ" else strip_marks(ch) for ch in lowered)
    return lowered.split()


def _surname_options(word: str, mode: Mode = "") -> list[tuple[str, int]]:
    plain = word.replace("-", "").replace("'", "")
    options: list[tuple[str, int]] = []
    known = SURNAME_VARIANTS.get(strip_marks(plain))
    if known:
        options.extend((h, i) for i, h in enumerate(known))
    # a hyphen is a syllable boundary: "Nam-gung" can only be a two-syllable surname
    readings = (_read_chunk(word, 20, mode) if "-" not in word
                else _read_words([word], mode))
    for hangul, cost in readings:
        if (len(hangul) == 1 and "-" not in word) or hangul in TWO_SYLLABLE_SURNAMES:
            options.append((hangul, cost + (0 if not known else 1)))
    return options


def _read_words(words: list[str], mode: Mode = "") -> list[tuple[str, int]]:
    """Readings of the words, one after the other (a given name, a place name)."""
    results: list[tuple[str, int]] = [("", 0)]
    for word in words:
        readings = _read_word(word, mode)
        if not readings:
            return []
        results = heapq.nsmallest(
            400, ((h + r, c + rc) for (h, c), (r, rc) in itertools.product(results, readings)),
            key=lambda p: (p[1], p[0]),
        )
    return results


@lru_cache(maxsize=65536)
def _read_word(word: str, mode: Mode = "") -> list[tuple[str, int]]:
    """Readings of one written word; a hyphen is a syllable boundary.

    Each chunk between hyphens is parsed into surface syllables on its own (Se-un
    → 세 + 운, never 슨), and the sound changes are then undone across the whole
    word, hyphens included: ALA-LC keeps a liaison consonant left of the hyphen
    (Sŏg-wŏn 석원, T'aeg-wŏn 택원) and writes assimilation on both sides of it
    (Tŏng-nyong 덕룡, Paeng-nyŏn 백년).
    """
    chunks = [c for c in word.split("-") if c]
    if len(chunks) == 1:
        return _read_chunk(chunks[0], 50, mode)
    combos: list[tuple[int, list[Surface]]] = [(0, [])]
    for i, chunk in enumerate(chunks):
        parses = _parse_cached(chunk, 0, mode, i < len(chunks) - 1)
        if not parses:
            return []
        combos = heapq.nsmallest(
            400,
            ((c + pc, [*s, *ps]) for (c, s), (pc, ps) in itertools.product(combos, parses[:40])),
            key=lambda p: p[0],
        )
    out: dict[str, int] = {}
    for cost, sylls in combos:
        for hangul, extra in _undo_sound_changes(sylls):
            total = cost + extra
            if hangul not in out or total < out[hangul]:
                out[hangul] = total
    return sorted(out.items(), key=lambda p: (p[1], p[0]))[:400]


@lru_cache(maxsize=65536)
def _read_chunk(chunk: str, max_results: int = 50, mode: Mode = "") -> list[tuple[str, int]]:
    """All Hangul readings of one unbroken chunk of Latin letters."""
    surfaces = _parse_cached(chunk, 0, mode)
    out: dict[str, int] = {}
    for cost, sylls in surfaces:
        for hangul, extra in _undo_sound_changes(sylls):
            total = cost + extra
            if hangul not in out or total < out[hangul]:
                out[hangul] = total
    ranked = sorted(out.items(), key=lambda p: (p[1], p[0]))
    return ranked[:max_results]


@lru_cache(maxsize=262144)
def _parse_cached(chunk: str, start: int, mode: Mode = "", before_hyphen: bool = False
                  ) -> tuple[tuple[int, list[Surface]], ...]:
    """Surface syllables of chunk[start:], cheapest first.

    `before_hyphen`: the chunk is followed by a hyphen, so its last syllable may
    end in a liaison consonant that ALA-LC keeps left of it (Sŏg-wŏn, Ch'ŏr-wŏn).
    """
    if start == len(chunk):
        return ((0, []),)
    results: list[tuple[int, list[Surface]]] = []
    for olen in range(min(_MAX_ONSET, len(chunk) - start), -1, -1):
        onset = chunk[start : start + olen]
        if onset not in _ONSETS:
            continue
        vpos = start + olen
        for vlen in range(min(_MAX_VOWEL, len(chunk) - vpos), 0, -1):
            vowel = chunk[vpos : vpos + vlen]
            if vowel not in _VOWELS:
                continue
            cpos = vpos + vlen
            codas: tuple[str, ...] = _CODA_LETTERS
            if before_hyphen and len(chunk) - cpos == 1:
                codas = _CODA_LETTERS_BEFORE_HYPHEN
            for coda in codas:
                if not chunk.startswith(coda, cpos):
                    continue
                rest = _parse_cached(chunk, cpos + len(coda), mode, before_hyphen)
                if not rest:
                    continue
                for (oj, oc), (vj, vc), (cj, cc) in itertools.product(
                    _ONSETS_BY_MODE[mode][onset], _VOWELS_BY_MODE[mode][vowel],
                    _CODAS.get(coda) or _LIAISON_CODAS[coda],
                ):
                    for rcost, rsylls in rest[:40]:
                        # two vowels meeting inside one written chunk: usually a misparse
                        hiatus = _HIATUS_COST if (not cj and rsylls and rsylls[0][0] == "ㅇ") else 0
                        results.append(
                            (oc + vc + cc + rcost + hiatus, [(oj, vj, cj, 0), *rsylls])
                        )
    results.sort(key=lambda r: r[0])
    return tuple(results[:200])


def _undo_sound_changes(sylls: list[Surface]) -> list[tuple[str, int]]:
    """Underlying Hangul strings for one surface reading, with their extra cost."""
    # Boundary alternatives are enumerated pairwise and combined with a small beam.
    beams: list[tuple[int, list[tuple[str, str, str]]]] = [(0, [])]
    for o, v, c, _ in sylls:
        new_beams: list[tuple[int, list[tuple[str, str, str]]]] = []
        for cost, built in beams:
            prev = built[-1] if built else None
            alts: list[tuple[int, tuple[str, str, str], tuple[str, str, str] | None]] = [
                (0, (o, v, c), prev)
            ]
            if prev is not None:
                po, pv, pc = prev
                for uc, uo, extra in _CODA_UNDO.get((pc, o), ()):
                    alts.append((extra, (uo, v, c), (po, pv, uc)))
                if not pc and o in _LIAISON and o != "ㅇ":
                    alts.append((1, ("ㅇ", v, c), (po, pv, _LIAISON[o])))
                if not pc:
                    undo = _ONSET_UNDO.get((o, v), ()) + _ASPIRATION_UNDO.get(o, ())
                    for uc, uo, extra in undo:
                        alts.append((extra, (uo, v, c), (po, pv, uc)))
            for extra, cur, new_prev in alts:
                seq = [*built[:-1], new_prev] if new_prev is not None and built else list(built)
                new_beams.append((cost + extra, [*seq, cur]))
        new_beams.sort(key=lambda b: b[0])
        beams = new_beams[:64]
    out: list[tuple[str, int]] = []
    for cost, built in beams:
        try:
            hangul = "".join(compose(o, v, c) for o, v, c in built)
        except ValueError:
            continue
        cost += sum(_SYLLABLE_COST.get(ch, _UNSEEN_COST) for ch in hangul)
        cost -= _WORD_BONUS * sum(
            hangul[i : i + 2] in _LEXICON_PAIRS for i in range(len(hangul) - 1)
        )
        out.append((hangul, cost))
    return out
