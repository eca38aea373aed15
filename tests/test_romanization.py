"""Romanization against published forms, error paths and exhaustive syllable checks.

The examples table (tests/data/romanization_examples.tsv) records, per row, the
Hangul, the system, whether it is a personal name, the published romanization
and where it was published. Rows whose published form follows a rule the
engine deliberately does not implement are listed in `XFAIL` with the reason
(docs/romanization.md, "Not applied").
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest

from romanize_entities.hangul import SYLLABLE_COUNT, all_syllables, has_hangul, normalize
from romanize_entities.romanization import SYSTEMS, romanize

TABLE = Path(__file__).parent / "data" / "romanization_examples.tsv"


class Example(NamedTuple):
    hangul: str
    system: str
    name: bool
    expected: str
    source: str


def load_examples() -> list[Example]:
    with TABLE.open(encoding="utf-8") as f:
        return [
            Example(r["hangul"], r["system"], r["name"] == "1", r["expected"], r["source"])
            for r in csv.DictReader(f, delimiter="\t")
        ]


EXAMPLES = load_examples()

_N_INSERTION = "n-insertion (Standard Pronunciation art. 29) needs morphology; not implemented"
_VERB_ASPIRATION = (
    "verb-stem ㄷ/ㅂ+ㅎ aspiration (art. 12); the engine writes the noun-style form (묵호 Mukho)"
)
_LEXICAL_L = (
    "lexical: the dictionary pronunciation voices ㄹ+ㄷ/ㅈ here (ALA-LC rule 3, prefer the"
    " pronunciation); the engine applies MR's voiceless-after-ㄹ rule (발전 palchŏn)"
)
_LEXICAL_TENSING = (
    "lexical tensing (Standard Pronunciation arts. 23-28, e.g. art. 26 Sino-Korean ㄹ+ㄷ/ㅅ/ㅈ,"
    " art. 28 compounds): MR shows it as voicelessness, but which words tense needs a dictionary"
)
XFAIL: dict[tuple[str, str, bool], str] = {
    ("평가", "mr", False): _LEXICAL_TENSING,
    ("인권", "mr", False): _LEXICAL_TENSING,
    ("사랑법", "mr", False): _LEXICAL_TENSING,
    ("학여울", "rr", False): _N_INSERTION,
    ("굳히다", "rr", False): _VERB_ASPIRATION,
    ("잡혀", "rr", False): _VERB_ASPIRATION,
    ("서울대", "mr", False): _LEXICAL_L,
    ("길잡이", "mr", False): _LEXICAL_L,
    ("말갈족", "mr", False): _LEXICAL_L,
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u2018", "'")
    return text.lower()


def _call(ex: Example) -> str:
    if not ex.name:
        return romanize(ex.hangul, ex.system)
    given = ex.expected.split(" ", 1)[1] if " " in ex.expected else ""
    return romanize(ex.hangul, ex.system, name=True, hyphen="-" in given)


def matches(ex: Example, actual: str) -> bool:
    """Case-insensitive; places also ignore hyphens/spaces, DPRK names treat - as space."""
    want, got = _fold(ex.expected), _fold(actual)
    if not ex.name:
        want, got = re.sub(r"[-\s]", "", want), re.sub(r"[-\s]", "", got)
    elif ex.system == "dprk":
        want, got = want.replace("-", " "), got.replace("-", " ")
    return want == got


def _params() -> list[object]:
    params: list[object] = []
    for ex in EXAMPLES:
        reason = XFAIL.get((ex.hangul, ex.system, ex.name))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(ex, id=f"{ex.system}-{ex.hangul}-{int(ex.name)}", marks=marks))
    return params


@pytest.mark.parametrize("ex", _params())
def test_published_example(ex: Example) -> None:
    actual = _call(ex)
    assert matches(ex, actual), (
        f"{ex.hangul} [{ex.system}] → {actual!r}, published {ex.expected!r} ({ex.source})"
    )


def test_examples_table_is_well_formed() -> None:
    assert len(EXAMPLES) >= 150
    for ex in EXAMPLES:
        assert ex.system in SYSTEMS
        assert ex.source.strip()
    # every xfail entry points at a real row
    keys = {(e.hangul, e.system, e.name) for e in EXAMPLES}
    assert set(XFAIL) <= keys


def accuracy() -> dict[str, tuple[int, int]]:
    """(passed, total) per system over the whole table, xfail rows counted as failures."""
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for ex in EXAMPLES:
        total[ex.system] += 1
        passed[ex.system] += matches(ex, _call(ex))
    return {s: (passed[s], total[s]) for s in total}


def test_accuracy_on_published_examples() -> None:
    acc = accuracy()
    for system, (ok, n) in acc.items():
        print(f"{system}: {ok}/{n} = {ok / n:.1%}")
    assert acc["rr"][0] / acc["rr"][1] >= 0.9
    assert acc["mr"][0] / acc["mr"][1] >= 0.9
    assert acc["dprk"][0] == acc["dprk"][1]


# --- error paths and normalization ----------------------------------------------


def test_unknown_system_names_the_valid_ones() -> None:
    with pytest.raises(ValueError) as info:
        romanize("한국", "yale")
    message = str(info.value)
    assert "yale" in message
    for system in SYSTEMS:
        assert repr(system) in message


def test_system_name_is_case_insensitive() -> None:
    assert romanize("한국", "MR") == romanize("한국", "mr")


def test_bad_surname_style() -> None:
    with pytest.raises(ValueError, match="surnames"):
        romanize("김일성", "rr", name=True, surnames="popular")  # type: ignore[arg-type]


def test_common_surnames_option() -> None:
    assert romanize("이승만", "rr", name=True, surnames="common") == "Lee Seung-man"
    assert romanize("박정희", "mr", name=True, surnames="common") == "Park Chŏnghŭi"


@pytest.mark.parametrize("system", sorted(SYSTEMS))
def test_decomposed_jamo_gives_the_same(system: str) -> None:
    for word in ("한국", "조선로동당", "박헌영 김일성"):
        decomposed = unicodedata.normalize("NFD", word)
        assert decomposed != word and "\u1100" <= decomposed[0] <= "\u11ff"
        assert romanize(decomposed, system) == romanize(word, system)
        assert romanize(decomposed, system, name=True) == romanize(word, system, name=True)


def test_normalize_offsets_map_back_to_the_original() -> None:
    original = "Kim " + unicodedata.normalize("NFD", "한국") + " Ch\u2019oe Hǒn"
    text, offsets = normalize(original)
    assert text == "Kim 한국 Ch'oe Hŏn"
    assert len(offsets) == len(text) + 1 and offsets[-1] == len(original)
    han = text.index("한")
    assert original[offsets[han] : offsets[han + 2]] == unicodedata.normalize("NFD", "한국")
    assert original[offsets[text.index("C")]] == "C"
    assert original[offsets[text.index("'")]] == "\u2019"
    assert offsets == sorted(offsets)


def test_text_outside_hangul_passes_through() -> None:
    assert romanize("Party: 조선로동당!", "rr") == "Party: joseon rodongdang!"
    assert romanize("", "mr") == ""


# --- every syllable ---------------------------------------------------------------


@pytest.mark.parametrize("system", sorted(SYSTEMS))
def test_every_syllable_romanizes(system: str) -> None:
    count = 0
    for syllable in all_syllables():
        latin = romanize(syllable, system)
        assert latin and not has_hangul(latin), syllable
        if system != "mr":
            assert latin.isascii(), (syllable, latin)
        count += 1
    assert count == SYLLABLE_COUNT == 11172


@pytest.mark.parametrize("system", sorted(SYSTEMS))
def test_every_syllable_alone_follows_the_system_table(system: str) -> None:
    """The all-syllables suite: each of the 11,172 syllables alone, against the table."""
    from romanize_entities.hangul import decompose
    from romanize_entities.romanization.engine import strip_marks
    from romanize_entities.romanization.phonology import NEUTRAL_CODA

    sys_ = SYSTEMS[system]
    for syllable in all_syllables():
        s = decompose(syllable)
        onset = "" if s.initial == "ㅇ" else s.initial
        letters = "sh" if onset == "ㅅ" and s.vowel == "ㅟ" and sys_.sh_before_wi else (
            sys_.onsets[onset])
        want = letters + sys_.vowels[s.vowel] + sys_.codas[NEUTRAL_CODA[s.final]]
        if sys_.ascii_only:
            want = strip_marks(want)
        assert romanize(syllable, system) == want, (syllable, system)


def test_multi_word_proper_names_follow_ala_lc() -> None:
    assert romanize("조선민주주의인민공화국", "mr") == "Chosŏn Minjujuŭi Inmin Konghwaguk"
    assert romanize("김일성종합대학", "mr", hyphen=True) == "Kim Il-sŏng Chonghap Taehak"
    assert romanize("김책공업종합대학", "mr") == "Kim Ch'aek Kongŏp Chonghap Taehak"
    assert romanize("사회적", "mr") == "sahoejŏk"  # one word: not capitalized
    assert romanize("애국가", "mr") == "aegukka"  # a one-syllable prefix joins the word


def test_sound_rules_of_issue_14() -> None:
    assert romanize("닭고기", "rr") == "dakgogi"  # a noun: art. 11 proviso is for stems
    assert romanize("물난리", "rr") == "mullalli"  # not an administrative unit
    assert romanize("경상북도", "rr") == "gyeongsangbuk-do"
    assert romanize("난로", "rr") == "nallo"  # two syllables: no suffix
    assert romanize("아에", "mr-ascii") == "ae"


def test_two_syllable_surnames() -> None:
    assert romanize("남궁 억", "mr", name=True) == "Namgung Ŏk"
    assert romanize("제갈 공명", "mr", name=True, hyphen=True) == "Chegal Kong-myŏng"
    assert romanize("황보", "rr", name=True) == "Hwangbo"
    assert romanize("사마천", "rr", name=True) == "Sama Cheon"


def test_north_korean_customary_surnames() -> None:
    from romanize_entities.romanization.engine import name_variants

    assert romanize("리수용", "rr", name=True, surnames="common") == "Ri Su-yong"
    assert romanize("리수용", "mr", name=True) == "Yi Suyong"  # ALA-LC exception 1 stays
    assert romanize("량만길", "rr", name=True, surnames="common") == "Ryang Man-gil"
    variants = set(name_variants("리수용"))
    assert {"Ri Su-yong", "Lee Su-yong", "Yi Suyong"} <= variants
