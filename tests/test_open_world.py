"""Open world: names the table does not know are never linked to someone else.

Each case is a failure class of issue 11, written with names of real people
whom the test table lacks (checked in `test_names_are_unknown_to_the_table`),
so these tests fail if any part of an unknown name links on its own. The table
is a fixed snapshot of packaged entries (tests/data/aliases/open_world.yaml): the
packaged table grows, and these names must stay unknown here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import romanize_entities
from romanize_entities.aliases import AliasTable
from romanize_entities.clusters import assign_clusters

UNKNOWN_PEOPLE = [
    "Kim Jong Un", "Kim Jong Eun", "Ri Son Gwon", "Choe Son Hui", "Ri Sol Ju", "Kim Han Sol",
    "Kim Man-su", "Ri Yong Ho", "Ri Yong Sik", "Ri Pyong Chol", "Hwang Pyong So",
    "Kim Yo-jong", "Kim Yŏ-jŏng", "Kim Yeo-jong", "Jo Yong Won", "Pak Tong-ho",
    "Pak Pong Ju", "Kim Tok Hun", "Ri Il Hwan", "Kim Song Nam", "Jang Kum Chol",
]


TABLE = Path(__file__).parent / "data" / "aliases" / "open_world.yaml"


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.blank("en")
    pipeline.add_pipe("romanize_entities",
                      config={"aliases": [str(TABLE)], "include_default": False})
    return pipeline


def test_names_are_unknown_to_the_table() -> None:
    table = AliasTable.from_yaml(TABLE)
    for name in UNKNOWN_PEOPLE:
        assert not any(c.verified for c in table.lookup(name, limit=None)), name


@pytest.mark.parametrize("name", UNKNOWN_PEOPLE)
def test_unknown_korean_name_is_one_unlinked_person(nlp: Language, name: str) -> None:
    doc = nlp(f"On Tuesday {name} arrived in the capital.")
    start = doc.text.index(name)
    linked = [s for s in doc.spans["romanize_entities"] if s.kb_id_]
    assert not linked, [(s.text, s.kb_id_) for s in linked]
    (ent,) = [e for e in doc.ents if e.start_char <= start < e.end_char]
    assert (ent.text, ent.label_, ent.kb_id_) == (name, "PERSON", "")
    assert ent._.entity_link["cluster"]


@pytest.mark.parametrize("text", ["Un", "On", "Won", "Eun"])
def test_acronyms_keep_their_case(nlp: Language, text: str) -> None:
    doc = nlp(f"The word {text} stands alone here.")
    assert not [e for e in doc.ents if e.kb_id_ == "united-nations"]


def test_acronym_in_an_all_caps_line_may_differ_in_case(nlp: Language) -> None:
    doc = nlp("TELEGRAM FROM THE UN DELEGATION\nThe UN replied.")
    assert [e.kb_id_ for e in doc.ents if e.text == "UN"] == ["united-nations"] * 2


@pytest.mark.parametrize("hyphen", ["\u2010", "\u2011", "\u2012", "\u2212", "-"])
def test_hyphen_look_alikes_inside_a_name(nlp: Language, hyphen: str) -> None:
    text = f"Kim Il{hyphen}sung spoke."
    doc = nlp(text)
    assert [(e.text, e.kb_id_) for e in doc.ents] == [(f"Kim Il{hyphen}sung", "kim-il-sung")]


def test_soft_hyphen_is_read_through_and_offsets_stay_exact(nlp: Language) -> None:
    text = "Then Pak Hon\u00adyong spoke."
    doc = nlp(text)
    (ent,) = doc.ents
    assert ent.kb_id_ == "pak-hon-yong" and text[ent.start_char:ent.end_char] == ent.text


def test_en_dash_ends_a_name(nlp: Language) -> None:
    doc = nlp("Kim Il\u2013sung")
    assert not [e for e in doc.ents if e.kb_id_ == "kim-il-sung"]


def test_surname_alone_counts_unknown_full_names(nlp: Language) -> None:
    doc = nlp("Pak Hon-yong spoke. Then Pak Tong-ho answered. Pak said no.")
    last = doc.ents[-1]
    assert (last.text, last.kb_id_) == ("Pak", "")
    assert {c["entity_id"] for c in last._.entity_link["candidates"]} == {"pak-hon-yong"}


def test_surname_alone_links_to_the_one_person_in_view(nlp: Language) -> None:
    doc = nlp("Chairman Kim Il Sung arrived. Chairman Kim said the talks were over. "
              "Syngman Rhee wrote. Rhee refused.")
    got = [(e.text, e.kb_id_) for e in doc.ents]
    assert ("Kim", "kim-il-sung") in got and ("Rhee", "syngman-rhee") in got


def test_surname_alone_of_an_unknown_person_joins_its_cluster(nlp: Language) -> None:
    doc = nlp("Kim Yo-jong visited Seoul. Kim returned the next day.")
    full, alone = (e for e in doc.ents if e.label_ == "PERSON")
    assert alone.kb_id_ == "" and alone._.entity_link["cluster"] == full._.entity_link["cluster"]


def test_surname_alone_before_any_full_name_stays_unlinked(nlp: Language) -> None:
    doc = nlp("Mr. Rhee arrived. Later Syngman Rhee spoke.")
    assert not [e.kb_id_ for e in doc.ents if e.text == "Rhee" and e.kb_id_]


def test_first_word_of_a_longer_name_is_not_a_surname_alone(nlp: Language) -> None:
    doc = nlp("Dean Rusk met General Dean.")
    assert [e.text for e in doc.ents if e.kb_id_ == "william-f-dean"] == ["Dean"]
    assert doc.ents[-1].text == "Dean"


def test_western_order_and_all_caps_surname(nlp: Language) -> None:
    doc = nlp("Dae-jung Kim met PARK Chung-hee.")
    assert [e.kb_id_ for e in doc.ents] == ["kim-dae-jung", "park-chung-hee"]


@pytest.mark.parametrize("slip", ["Kim I1 Sung", "Kirn Il Sung", "Kim II Sung"])
def test_ocr_slips_inside_a_syllable_still_link(nlp: Language, slip: str) -> None:
    assert [e.kb_id_ for e in nlp(f"Then {slip} spoke.").ents] == ["kim-il-sung"]


def test_a_different_syllable_is_a_different_person(nlp: Language) -> None:
    doc = nlp("Choe Yong-jin, Choe Yong-geon and Kim Mu-chong.")
    assert [e.kb_id_ for e in doc.ents] == ["choe-yong-jin", "choe-yong-gon", "mu-chong"]
    doc = nlp("Kim Yo-jong and Choe Yong-jun.")
    assert [e.kb_id_ for e in doc.ents] == ["", ""]


def test_clusters_join_spellings_of_one_name_and_keep_others_apart() -> None:
    ids = assign_clusters(["Kim Jong Un", "Kim Yo-jong", "Kim Jong-un", "Kim Mu-jong",
                           "Kim Chŏng-ŭn", "김정은", "Kim Yŏ-jŏng"])
    assert ids["Kim Jong Un"] == ids["Kim Jong-un"] == ids["Kim Chŏng-ŭn"] == ids["김정은"]
    assert ids["Kim Yo-jong"] == ids["Kim Yŏ-jŏng"] != ids["Kim Mu-jong"]
    assert ids["Kim Yo-jong"] != ids["Kim Jong Un"]


def test_clusters_are_stable_for_the_same_inputs() -> None:
    names = ["Ri Son Gwon", "Ri Son-gwon", "리선권", "Choe Son Hui"]
    assert assign_clusters(names) == assign_clusters(list(names))
    ids = assign_clusters(names)
    assert ids["Ri Son Gwon"] == ids["Ri Son-gwon"] == ids["리선권"] == "~리선권"
    assert ids["Choe Son Hui"] != ids["리선권"]


def test_run_level_clusters_join_documents() -> None:
    from romanize_entities.clusters import recluster_run

    rows: list[dict[str, object]] = [
        {"text": "Kim Jong Un", "cluster": "~Kim Jong Un"},  # document 1
        {"text": "Kim", "cluster": "~Kim Jong Un"},  # its surname alone
        {"text": "김정은", "cluster": "~김정은"},  # document 2
        {"text": "Kim Yo-jong", "cluster": "~Kim Yo-jong"},
        {"text": "Pyongyang", "cluster": None},
    ]
    recluster_run(rows)
    assert [r["cluster"] for r in rows] == ["~김정은", "~김정은", "~김정은", "~Kim Yo-jong", None]


@pytest.fixture(scope="module")
def packaged() -> Language:
    return romanize_entities.load()


@pytest.mark.parametrize(("text", "whole"), [
    ("He met Kim Il Sunk today.", "Kim Il Sunk"),   # a slip in Kim Il Sung's last syllable
    ("He met Kim Il Sxng today.", "Kim Il Sxng"),
])
def test_first_words_of_a_misspelt_name_do_not_link(packaged: Language, text: str,
                                                    whole: str) -> None:
    ents = {e.text: e.kb_id_ for e in packaged(text).ents}
    assert ents == {whole: ""}  # not "Kim Il" linked to the premier Kim Il


@pytest.mark.parametrize(("text", "person"), [("Kim Jong Un Says No", "kim-jong-un"),
                                              ("Premier Kim Il Visits Moscow", "kim-il")])
def test_a_capitalized_word_after_a_name_is_not_a_slip(packaged: Language, text: str,
                                                       person: str) -> None:
    assert [e.kb_id_ for e in packaged(text).ents if e.label_ == "PERSON"] == [person]
