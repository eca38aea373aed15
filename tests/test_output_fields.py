"""Output fields for clusters (issue 11) and nested mentions (issue 12): `cluster` and `parent`
in mention rows, `linked` and `cluster` in entities.csv and spellings.csv."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import romanize_entities
from romanize_entities.aliases import AliasTable
from romanize_entities.batch import run_batch
from romanize_entities.schema import MENTION_FIELDS, mention_records
from romanize_entities.worker import link_text
from romanize_entities.writers import ENTITY_FIELDS, SPELLING_FIELDS, entity_rows, spelling_rows

NESTED = "He wrote to the Communist Party of the USSR about Choe Lyong and Choi Ryong."


@Language.component("test_fields_clusters")
def _clusters(doc: Doc) -> Doc:
    """Stands in for issue 11: unlinked Korean names that may be one person share a cluster."""
    for span in doc.ents:
        link = span._.entity_link
        if link is not None and not span.kb_id_ and span.label_ == "PERSON":
            link["cluster"] = "choe-ryong?"
    return doc


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = romanize_entities.load()
    pipeline.add_pipe("test_fields_clusters")
    return pipeline


def test_mention_rows_carry_cluster_and_parent(nlp: Language) -> None:
    records, _ = link_text(nlp, NESTED, "d.txt")
    assert all(list(r) == list(MENTION_FIELDS) for r in records)
    assert list(MENTION_FIELDS)[-2:] == ["cluster", "parent"]
    rows = {r["text"]: r for r in records}
    party = rows["Communist Party of the USSR"]
    assert party["parent"] is None and party["cluster"] is None
    ussr = rows["USSR"]
    assert ussr["entity_id"] == "soviet-union"
    assert ussr["parent"] == [party["start"], party["end"]]
    assert records.index(ussr) == records.index(party) + 1  # right after its parent
    assert rows["Choe Lyong"]["cluster"] == rows["Choi Ryong"]["cluster"] == "choe-ryong?"
    assert rows["Choe Lyong"]["parent"] is None


def test_nested_spans_come_from_the_spans_key() -> None:
    plain = spacy.blank("en")
    plain.add_pipe("romanize_entities", config={"spans_key": "elsewhere"})
    records, docs = link_text(plain, NESTED, "d.txt")
    assert "elsewhere" in docs[0].spans
    assert any(r["parent"] for r in records)


def test_a_span_of_the_same_entity_inside_its_mention_is_no_row(nlp: Language) -> None:
    records, docs = link_text(nlp, "Pak Hon Yong spoke.", "d.txt")
    whole = docs[0].spans["romanize_entities"][0]
    # a part linked to the same person (as an earlier component might leave it)
    part = docs[0].char_span(0, 3, label="PERSON", kb_id=whole.kb_id_)
    assert part is not None
    part._.entity_link = dict(whole._.entity_link)
    docs[0].spans["romanize_entities"] = [whole, part]
    table = nlp.get_pipe("romanize_entities").table  # type: ignore[attr-defined]
    rows = mention_records("d.txt", 0, docs[0], table, "romanize_entities")
    assert [r["text"] for r in rows] == ["Pak Hon Yong"]
    assert [r["text"] for r in records] == ["Pak Hon Yong"]


def test_entities_and_spellings_have_linked_and_cluster_columns(nlp: Language) -> None:
    records, _ = link_text(nlp, NESTED + " Choe Lyong again.", "d.txt")
    assert ENTITY_FIELDS[-2:] == ("linked", "cluster")
    assert SPELLING_FIELDS[-2:] == ("linked", "cluster")
    rows = [dict(zip(ENTITY_FIELDS, r, strict=True))
            for r in entity_rows(records, AliasTable.load())]
    linked = [r for r in rows if r["linked"] == "true"]
    clusters = [r for r in rows if r["linked"] == "false"]
    assert rows == linked + clusters  # linked entities first
    assert {r["entity_id"] for r in linked} == {"communist-party-of-the-soviet-union",
                                                "soviet-union"}
    assert all(r["cluster"] == "" for r in linked)
    assert clusters == [{"entity_id": "", "name": None, "type": "PERSON", "wikidata": "",
                         "mentions": 3, "documents": 1,
                         "spellings": "Choe Lyong | Choi Ryong", "linked": "false",
                         "cluster": "choe-ryong?"}]
    spell = [dict(zip(SPELLING_FIELDS, r, strict=True))
             for r in spelling_rows(records, {"d.txt": 0})]
    assert {"entity_id": "", "spelling": "Choe Lyong", "doc": "d.txt", "count": 2,
            "linked": "false", "cluster": "choe-ryong?"} in spell
    assert spell[-1]["linked"] == "false" and spell[0]["linked"] == "true"


def test_run_writes_the_new_fields(tmp_path: Path) -> None:
    doc = tmp_path / "docs" / "d.txt"
    doc.parent.mkdir()
    doc.write_text(NESTED + "\n", encoding="utf-8")
    run_batch([doc.parent], tmp_path / "out")
    lines = (tmp_path / "out" / "mentions.jsonl").read_text(encoding="utf-8").splitlines()
    rows: list[dict[str, Any]] = [json.loads(line) for line in lines]
    assert [r["parent"] for r in rows if r["text"] == "USSR"] == [[16, 43]]
    with open(tmp_path / "out" / "entities.csv", encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert list(table[0]) == list(ENTITY_FIELDS)
    assert {r["entity_id"] or r["cluster"]: r["linked"] for r in table} == {
        "communist-party-of-the-soviet-union": "true", "soviet-union": "true",
        "~Choe Lyong": "false"}  # Choe Lyong and Choi Ryong: one unknown name
    with open(tmp_path / "out" / "spellings.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == list(SPELLING_FIELDS)
