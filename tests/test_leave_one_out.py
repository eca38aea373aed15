"""Leave-one-out over the packaged table: no withheld person links to someone else."""

from __future__ import annotations

import spacy

from romanize_entities.aliases import AliasTable, Entity
from romanize_entities.leave_one_out import _namesakes, run_leave_one_out


def test_no_withheld_person_links_to_another_entity() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("romanize_entities")
    report = run_leave_one_out(nlp)
    assert report.people > 250 and report.spellings > 2000
    assert report.wrong == []
    # a person without Hangul whose spelling reads as another's: possible namesakes,
    # counted apart; kept few (each one wants a Hangul source for the withheld person)
    assert len(report.hangul_unknown) <= 3, report.hangul_unknown
    # namesakes (two Lee Beom-seoks) and homographs (김책 the man and the city) are
    # listed spellings of the other entity; they are reported, not failures
    assert all(w.linked_to != w.withheld for w in report.namesakes + report.homographs)


def test_north_and_south_spellings_of_one_name_are_namesakes() -> None:
    table = AliasTable.default()
    north = Entity(id="n", type="PERSON", name="Ri Pyong-chol", hangul="리병철")
    south = Entity(id="s", type="PERSON", name="Lee Byung-chul", hangul="이병철")
    other = Entity(id="o", type="PERSON", name="Lee Byung-chol", hangul="이병출")
    assert _namesakes(table, north, south) and _namesakes(table, south, north)
    assert not _namesakes(table, north, other)
