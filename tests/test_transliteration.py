"""Names that reached English through another script (issue 16).

Readings generated from `cyrillic:`, `hanja:`/`hanzi:` and (Korean people)
`hangul:`: the tables themselves, the YAML fields, the whole-spelling index and
the spaCy component on plain sentences with the packaged table.
"""

from __future__ import annotations

import logging
import sys
import textwrap
from pathlib import Path

import pytest
import spacy

from romanize_entities import DEFAULT_THRESHOLD, AliasTable, Entity
from romanize_entities.aliases import AliasTableError
from romanize_entities.aliases.lookup import normalize_spelling
from romanize_entities.hangul import all_syllables
from romanize_entities.transliteration import japanese, korean_cyrillic, mandarin, russian
from romanize_entities.transliteration.unihan import hanja_to_hangul, simplified
from romanize_entities.transliteration.variants import (
    reading_first_words,
    reading_variants,
    script_variants,
)

pytest.importorskip("iuliia")
pytest.importorskip("pypinyin")


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROMANIZE_ENTITIES_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    pipeline = spacy.blank("en")
    pipeline.add_pipe("romanize_entities")
    return pipeline


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


# -- Hangul → Cyrillic -----------------------------------------------------------

def test_kontsevich_table_round_trips_every_syllable() -> None:
    lost = [s for s in all_syllables()
            if s not in korean_cyrillic.syllable_readings(korean_cyrillic.word_syllables(s)[0])]
    assert lost == []


def test_round_trip_reader_rejects_a_foreign_syllable() -> None:
    # the check can fail: Кан is 간/갱... but never 김
    assert "김" not in korean_cyrillic.syllable_readings("кан")
    assert "강" in korean_cyrillic.syllable_readings("кан")


@pytest.mark.parametrize(("surname", "given", "expected"), [
    ("김", "일성", "Ким Ильсон"),   # ru.wikipedia: "по Концевичу — Ким Ильсон"
    ("김", "일성", "Ким Ир Сен"),   # the customary form
    ("이", "승만", "Ли Сынман"),    # ru.wikipedia: Ли Сын Ман (Ли Сынман)
    ("이", "승만", "Ли Сын Ман"),
    ("김", "정일", "Ким Чен Ир"),
    ("최", "용건", "Чхве Ён Гон"),
    ("김", "구", "Ким Гу"),
])
def test_russian_forms_of_korean_names(surname: str, given: str, expected: str) -> None:
    assert expected in list(korean_cyrillic.name_forms(surname, given))


def test_medial_rules_voice_inside_a_word_only() -> None:
    assert korean_cyrillic.word_syllables("정구") == ["чон", "гу"]
    assert korean_cyrillic.word_syllables("구") == ["ку"]
    assert korean_cyrillic.word_syllables("일라") == ["ил", "ла"]


# -- Cyrillic → Latin --------------------------------------------------------------

@pytest.mark.parametrize(("cyrillic", "spelling"), [
    ("Хрущёв", "Khrushchev"), ("Хрущёв", "Khrushchov"), ("Хрущёв", "Khrushchyov"),
    ("Хрущёв", "Chruschtschow"), ("Хрущёв", "Khrouchtchev"), ("Хрущёв", "Hruščëv"),
    ("Вышинский", "Vyshinsky"), ("Вышинский", "Vishinsky"), ("Вышинский", "Vyshinskii"),
    ("Вышинский", "Vyshinskiy"), ("Вышинский", "Vyšinskij"), ("Вышинский", "Vyshinski"),
    ("Жданов", "Jdanov"), ("Жданов", "Schdanow"), ("Мерецков", "Meretskoff"),
])
def test_cyrillic_systems(cyrillic: str, spelling: str) -> None:
    assert spelling in russian.latin_forms(cyrillic)


def test_korean_syllables_get_no_russian_surname_endings() -> None:
    forms = russian.latin_forms("Ким Чен Ын", surname_endings=False)
    assert "Kim Chen Yn" in forms
    assert not any(f.endswith(("off", "ow")) for f in forms)
    assert "Kim Chen In" not in forms  # ы → i is the Russian-name practice only


def test_german_transcription() -> None:
    assert russian.german("Ворошилов") == "Woroschilow"
    assert russian.german("Вышинский") == "Wyschinski"
    assert russian.german("Ежов") == "Jeschow"


def test_without_iuliia_only_german_is_read_and_it_is_logged_once(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(sys.modules, "iuliia", None)
    monkeypatch.setattr(russian, "_warned", False)
    russian._schemas.cache_clear()
    try:
        with caplog.at_level(logging.INFO, logger="romanize_entities"):
            forms = russian.latin_forms("Жданов")
            russian.latin_forms("Мерецков")
        assert "Schdanow" in forms and "Zhdanov" not in forms
        assert sum("iuliia is not installed" in r.message for r in caplog.records) == 1
    finally:
        russian._schemas.cache_clear()


# -- Mandarin and Japanese -----------------------------------------------------------

@pytest.mark.parametrize(("surname", "given", "spelling"), [
    ("金", "九", "Jin Jiu"), ("金", "九", "Chin Chiu"), ("安", "昌浩", "An Changhao"),
    ("金", "玉均", "Jin Yujun"), ("金", "玉均", "Chin Yü-chün"), ("高", "崗", "Kao Kang"),
    ("高", "崗", "Gao Gang"), ("謝", "方", "Hsieh Fang"), ("李", "克農", "Li K'o-nung"),
    ("李", "克農", "Li Ko-nung"), ("李", "克農", "Li Kenong"), ("鄧", "華", "Teng Hua"),
])
def test_mandarin_readings(surname: str, given: str, spelling: str) -> None:
    assert spelling in mandarin.name_readings(surname, given)


@pytest.mark.parametrize(("surname", "given", "spelling"), [
    ("金", "九", "Kin Kyū"), ("金", "九", "Kin Kyu"), ("金", "九", "Kin Kyuu"),
    ("安", "昌浩", "An Shōkō"), ("安", "昌浩", "An Shoko"), ("金", "玉均", "Kin Gyokukin"),
    ("金", "日成", "Kin Nissei"), ("金", "日成", "Kin Nichisei"),  # doubled consonant or not
])
def test_japanese_on_readings(surname: str, given: str, spelling: str) -> None:
    assert spelling in japanese.name_readings(surname, given)


def test_unihan_extract() -> None:
    assert "김일성" in hanja_to_hangul("金日成")
    assert hanja_to_hangul("金x") == []
    assert simplified("鄧華") == "邓华"
    assert japanese._joins(("ichi", "hou")) == ["ichihou", "ippou"]
    assert japanese._joins(("shou", "kou")) == ["shoukou"]


def test_without_pypinyin_no_mandarin_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypinyin", None)
    monkeypatch.setattr(mandarin, "_warned", False)
    mandarin._reader.cache_clear()
    mandarin.readings.cache_clear()
    try:
        assert mandarin.name_readings("金", "九") == []
    finally:
        mandarin._reader.cache_clear()
        mandarin.readings.cache_clear()


# -- script_variants and the YAML fields ------------------------------------------------

def test_script_variants_by_field() -> None:
    korean = Entity("kim-ku", "PERSON", "Kim Ku", hangul="김구", hanja="金九")
    forms = script_variants(korean)
    assert {"Kin Kyū", "Jin Jiu", "Kim Gu"} <= set(forms)
    russian_person = Entity("z", "PERSON", "Andrei Zhdanov", cyrillic="Жданов, Андрей")
    forms = script_variants(russian_person)
    assert {"Zhdanov", "Jdanov", "Andrei Zhdanov", "Andrey Zhdanov", "Жданов"} <= set(forms)
    chinese = Entity("d", "PERSON", "Deng Hua", hanzi="鄧華")
    assert {"Teng Hua", "Deng Hua"} <= set(script_variants(chinese))
    assert script_variants(Entity("o", "ORG", "Rodong", hanja="勞動")) == []


def test_every_reading_starts_with_one_of_the_surname_words() -> None:
    """The index files an entity under `reading_first_words` and generates its readings
    only when a lookup starts with one of them: a reading starting with any other
    word would never be found. Checked over every person of the packaged table."""
    checked = 0
    for entity in AliasTable.default():
        words = {normalize_spelling(w) for w in reading_first_words(entity)}
        for spelling in reading_variants(entity):
            checked += 1
            assert normalize_spelling(spelling).split(" ")[0] in words, (entity.id, spelling)
    assert checked > 10_000


def test_readings_are_generated_on_first_use_and_only_for_that_surname(tmp_path: Path) -> None:
    """Loading does no reading work (it is most of a cold load); a lookup generates
    the readings of the entities whose surname it starts with, and finds them."""
    table = AliasTable.from_yaml(write(tmp_path, """
        entities:
          - {id: kim-jong-un, type: PERSON, name: Kim Jong Un, hangul: 김정은,
             sources: [x]}
          - {id: pak-hon-yong, type: PERSON, name: Pak Hon-yong, hangul: 박헌영, hanja: 朴憲永,
             sources: [x]}
        """))
    index = table._index
    assert not index.script and index._reading_words is None
    assert [c.entity_id for c in table.lookup("Kim Chen Yn")][:1] == ["kim-jong-un"]
    assert index._read == {"kim-jong-un"}
    assert [c.entity_id for c in table.lookup("Piao Xianyong")][:1] == ["pak-hon-yong"]
    assert index._read == {"kim-jong-un", "pak-hon-yong"}


def test_yaml_fields_are_loaded_and_checked(tmp_path: Path) -> None:
    path = write(tmp_path, """
        entities:
          - id: deng-hua
            type: PERSON
            name: Deng Hua
            hanzi: 鄧華
          - id: andrei-zhdanov
            type: PERSON
            name: Andrei Zhdanov
            cyrillic: Жданов, Андрей Александрович
        """)
    table = AliasTable.from_yaml(path)
    assert table["deng-hua"].hanzi == "鄧華"
    assert table["andrei-zhdanov"].cyrillic == "Жданов, Андрей Александрович"
    assert table.lookup("邓华")[0].entity_id == "deng-hua"  # simplified form indexed too


@pytest.mark.parametrize(("field", "value", "message"), [
    ("cyrillic", "Zhdanov", "contains no Cyrillic letters"),
    ("cyrillic", "Жданоv", "not Cyrillic letters: 'v'"),
    ("hanzi", "邓华 Deng", "not Han characters: 'D', 'e', 'g', 'n'"),
    ("hanzi", "덩화", "contains no Han characters"),
])
def test_bad_script_values_name_file_and_line(tmp_path: Path, field: str, value: str,
                                               message: str) -> None:
    path = write(tmp_path, f"""
        entities:
          - id: x
            type: PERSON
            name: X
            {field}: {value}
        """)
    with pytest.raises(AliasTableError) as info:
        AliasTable.from_yaml(path)
    text = str(info.value)
    assert f"{path}:5:" in text and message in text


# -- whole spellings only; ties stay unlinked ---------------------------------------------

TWO_KIMS = """
    entities:
      - id: kim-jong-un
        type: PERSON
        name: Kim Jong Un
        hangul: 김정은
      - id: kim-jong-ung
        type: PERSON
        name: Kim Jong Ung
        hangul: 김정응
    """


def test_script_spelling_is_exact_or_nothing(tmp_path: Path) -> None:
    table = AliasTable.from_yaml(write(tmp_path, TWO_KIMS))
    hit = table.lookup("Kim Chen Yn")
    assert [c.method for c in hit[:2]] == ["hangul", "hangul"]  # both read Чен Ын
    near = table.lookup("Kim Chen Yb")  # not a reading: no key or variant match
    assert all(c.score < DEFAULT_THRESHOLD for c in near)


def test_shared_russian_reading_is_a_tie_and_links_neither(tmp_path: Path) -> None:
    pipeline = spacy.blank("en")
    pipeline.add_pipe("romanize_entities", config={
        "aliases": [str(write(tmp_path, TWO_KIMS))], "include_default": False})
    doc = pipeline("The embassy reported that Kim Chen Yn spoke at length.")
    links = [e._.entity_link["entity_id"] for e in doc.ents]
    assert links and all(link is None for link in links)
    doc = pipeline("The embassy reported that Kim Jong Un spoke at length.")
    assert [e._.entity_link["entity_id"] for e in doc.ents] == ["kim-jong-un"]


def test_own_romanization_beats_another_entitys_russian_reading(tmp_path: Path) -> None:
    # 정 is Чон in Kontsevich, and MR writes 전 Chŏn: "Kim Chon Il" is 김전일's own spelling
    table = AliasTable.from_yaml(write(tmp_path, """
        entities:
          - id: kim-jong-il
            type: PERSON
            name: Kim Jong Il
            hangul: 김정일
          - id: kim-jon-il
            type: PERSON
            name: Kim Jon Il
            hangul: 김전일
        """))
    best = table.lookup("Kim Chon Il")[0]
    assert best.entity_id == "kim-jon-il"


# -- the packaged table through the spaCy component ----------------------------------------

HELD_OUT = [
    ("Kim Ir Sen", "kim-il-sung"), ("Kim Chen Ir", "kim-jong-il"),
    ("Li Syn Man", "syngman-rhee"), ("Pak Chon Khi", "park-chung-hee"),
    ("Khvan Chan Yop", "hwang-jang-yop"),
    ("Kin Kyū", "kim-ku"), ("Kin Kyu", "kim-ku"), ("Jin Jiu", "kim-ku"),
    ("An Shōkō", "ahn-chang-ho"), ("An Changhao", "ahn-chang-ho"),
    ("Kin Gyokukin", "kim-okkyun"), ("Jin Yujun", "kim-okkyun"),
    ("Teng Hua", "deng-hua"), ("Ch'en Keng", "chen-geng"), ("Chou Pao-chung", "zhou-baozhong"),
    ("Jdanov", "andrei-zhdanov"), ("Meretskoff", "kirill-meretskov"),
    ("Chruschtschow", "nikita-khrushchev"), ("Molotoff", "vyacheslav-molotov"),
    ("Woroschilow", "kliment-voroshilov"), ("Khegai", "ho-ka-i"),
]


def test_russian_spelling_of_two_namesakes_stays_unlinked(nlp: spacy.language.Language) -> None:
    # Цой Ен Ген: Russian practice writes 용 and 영 alike, and the table holds both
    # the marshal 최용건 and the vice premier 최영건: the spelling cannot tell them apart
    doc = nlp("According to the report, Tsoi En Gen arrived in the capital on Monday.")
    (ent,) = [e for e in doc.ents if e.text == "Tsoi En Gen"]
    assert ent.kb_id_ == ""
    assert {"choe-yong-gon", "choe-yong-gon-1952"} <= {
        c["entity_id"] for c in ent._.entity_link["candidates"]}


@pytest.mark.parametrize(("spelling", "entity_id"), HELD_OUT)
def test_held_out_spellings_link_in_a_sentence(nlp: spacy.language.Language, spelling: str,
                                               entity_id: str) -> None:
    doc = nlp(f"According to the report, {spelling} arrived in the capital on Monday.")
    links = {e.text: e._.entity_link["entity_id"] for e in doc.ents}
    assert links.get(spelling) == entity_id


@pytest.mark.parametrize("text", [
    "According to the report, Kim Chen In arrived in the capital on Monday.",
    "According to the report, Jin Jiuu arrived in the capital on Monday.",
])
def test_near_misses_do_not_link_to_the_reading(nlp: spacy.language.Language, text: str) -> None:
    doc = nlp(text)
    assert not any(e._.entity_link["entity_id"] in ("kim-jong-il", "kim-ku") for e in doc.ents)


def test_suggest_proposes_hangul_for_a_name_in_hanja() -> None:
    from romanize_entities.suggest import suggest_texts

    pipeline = spacy.blank("en")
    ruler = pipeline.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "安昌男"}])  # not in the table
    pipeline.add_pipe("romanize_entities")
    found = suggest_texts([("d.txt", "The aviator 安昌男 flew over Seoul. 安昌男 landed.")],
                          pipeline)
    [suggestion] = [s for s in found if s.text == "安昌男"]
    assert suggestion.hangul_candidates[0] == "안창남"
