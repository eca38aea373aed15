"""The scorer on tiny hand-made gold and predictions, gold reading errors, and the CLI.

Each scorer test builds the predictions by hand, so a change in the counting rules
(not in the linker) is what makes them fail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin
from typer.testing import CliRunner

from romanize_entities.cli import app
from romanize_entities.evaluate import (
    ALL,
    DEFAULT_SWEEP,
    GoldError,
    GoldMention,
    Predicted,
    build_pipeline,
    check_gold,
    evaluate,
    read_documents,
    read_gold_docbin,
    read_gold_jsonl,
    score,
)
from romanize_entities.settings import parse_set_options

TEXT = "Kim Jong Un met Pak Hon-yong at the 3rd Congress of the WPK. Pak left."
#       0         1         2         3         4         5         6         7
#       0123456789012345678901234567890123456789012345678901234567890123456789012


def _g(start: int, end: int, label: str, ident: str | None, **flags: bool) -> GoldMention:
    return GoldMention("d", start, end, label, ident, TEXT[start:end], **flags)


GOLD = [
    _g(0, 11, "PERSON", None),                                   # Kim Jong Un, unknown
    _g(16, 28, "PERSON", "pak-hon-yong"),                        # Pak Hon-yong
    _g(36, 59, "EVENT", "3rd-congress-of-the-workers-party-of-korea"),
    _g(56, 59, "ORG", "workers-party-of-korea", nested=True),    # WPK inside the congress
    _g(61, 64, "PERSON", "pak-hon-yong", surname_only=True),     # Pak
]


def test_gold_offsets_of_the_fixture() -> None:
    assert [g.text for g in GOLD] == ["Kim Jong Un", "Pak Hon-yong",
                                      "3rd Congress of the WPK", "WPK", "Pak"]


def test_perfect_prediction_is_all_right() -> None:
    preds = {"d": [Predicted(0, 11, "PERSON", None), Predicted(16, 28, "PERSON", "pak-hon-yong"),
                   Predicted(36, 59, "EVENT", "3rd-congress-of-the-workers-party-of-korea"),
                   Predicted(56, 59, "ORG", "workers-party-of-korea", nested=True),
                   Predicted(61, 64, "PERSON", "pak-hon-yong")]}
    s = score(GOLD, preds, {"d": TEXT})
    assert s.outcomes[ALL].right == 4 and s.outcomes[ALL].wrong == 0
    assert s.outcomes[ALL].unknown == 1 and s.outcomes[ALL].unknown_wrong == 0
    assert s.spans[ALL].precision == s.spans[ALL].recall == 1.0
    assert s.links[ALL].tp == 4 and s.links[ALL].fp == 0 and s.links[ALL].fn == 0
    assert s.flagged["surname_only"].right == 1 and s.flagged["nested"].right == 1
    assert s.wrong_links == []


def test_part_of_an_unknown_name_linked_elsewhere_is_a_wrong_link() -> None:
    # "Kim Jong Un" read as "Kim Jong" (unlinked) + "Un" -> united-nations
    preds = {"d": [Predicted(0, 8, "PERSON", None), Predicted(9, 11, "ORG", "united-nations")]}
    s = score(GOLD[:1], preds, {"d": TEXT})
    person = s.outcomes["PERSON"]
    assert person.unknown == 1 and person.unknown_wrong == 1
    assert person.unknown_wrong_share == 1.0
    assert s.wrong_links[0]["linked"] == "united-nations"
    assert s.wrong_links[0]["linked_text"] == "Un"
    assert s.spans[ALL].tp == 0 and s.spans[ALL].fp == 2 and s.spans[ALL].fn == 1
    assert s.links["ORG"].fp == 1  # a link the gold does not have


def test_known_person_linked_to_another_entity_is_wrong_and_unlinked_is_missed() -> None:
    wrong = {"d": [Predicted(16, 28, "PERSON", "pak-hon-yong-2")]}
    s = score([GOLD[1]], wrong)
    assert (s.outcomes["PERSON"].right, s.outcomes["PERSON"].wrong) == (0, 1)
    missed = {"d": [Predicted(16, 28, "PERSON", None)]}
    s = score([GOLD[1]], missed)
    assert (s.outcomes["PERSON"].missed, s.outcomes["PERSON"].wrong) == (1, 0)
    assert s.spans["PERSON"].tp == 1 and s.links["PERSON"].fn == 1


def test_boundary_slip_with_the_right_entity_is_missed_not_wrong() -> None:
    preds = {"d": [Predicted(16, 23, "PERSON", "pak-hon-yong")]}  # "Pak Hon"
    s = score([GOLD[1]], preds)
    assert s.outcomes["PERSON"].missed == 1 and s.outcomes["PERSON"].wrong == 0


def test_nested_gold_entity_inside_unlinked_whole_is_not_a_wrong_link_of_the_whole() -> None:
    # only "WPK" linked: the congress is missed, not wrong; the party is right
    preds = {"d": [Predicted(56, 59, "ORG", "workers-party-of-korea")]}
    s = score(GOLD[2:4], preds)
    assert s.outcomes["EVENT"].missed == 1 and s.outcomes["EVENT"].wrong == 0
    assert s.outcomes["ORG"].right == 1


def test_nested_prediction_counts_only_on_a_gold_span() -> None:
    preds = {"d": [Predicted(36, 59, "EVENT", "3rd-congress-of-the-workers-party-of-korea"),
                   Predicted(56, 59, "ORG", "workers-party-of-korea", nested=True),
                   Predicted(40, 47, "ORG", "central-committee", nested=True)]}
    s = score(GOLD[2:4], preds)
    assert s.spans[ALL].fp == 0 and s.links[ALL].fp == 0
    assert s.outcomes[ALL].right == 2


def test_surname_only_wrong_link_is_reported_in_the_subset() -> None:
    preds = {"d": [Predicted(61, 64, "PERSON", "park-chung-hee")]}
    s = score([GOLD[4]], preds)
    assert s.flagged["surname_only"].wrong == 1 and s.outcomes["PERSON"].wrong == 1


def test_gold_unknown_left_unlinked_is_right_even_without_a_span() -> None:
    s = score(GOLD[:1], {"d": []})
    assert s.outcomes["PERSON"].unknown_wrong == 0 and s.spans["PERSON"].fn == 1


# -- reading gold ---------------------------------------------------------------------


def _write(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_read_gold_errors_name_file_and_line(tmp_path: Path) -> None:
    good = {"doc": "a.txt", "start": 0, "end": 3, "label": "PERSON", "entity_id": None}
    path = _write(tmp_path / "g.jsonl", [good, {**good, "start": 5, "end": 2}])
    with pytest.raises(GoldError, match=r"g\.jsonl:2: .*start"):
        read_gold_jsonl(path)
    path = _write(tmp_path / "g.jsonl", [{k: v for k, v in good.items() if k != "doc"}])
    with pytest.raises(GoldError, match=r"g\.jsonl:1: missing \"doc\""):
        read_gold_jsonl(path)
    assert read_gold_jsonl(path, default_doc="a.txt")[0].doc == "a.txt"
    path = _write(tmp_path / "g.jsonl", [{**good, "korean": True, "surname_only": True}])
    flagged = read_gold_jsonl(path)[0]
    assert flagged.korean and flagged.surname_only and not flagged.nested
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"g\.jsonl:1: not a JSON object"):
        read_gold_jsonl(path)


def test_text_mismatch_and_unknown_document_are_errors(tmp_path: Path) -> None:
    row = {"doc": "a.txt", "start": 0, "end": 3, "label": "PERSON", "entity_id": None,
           "text": "Kim"}
    gold = read_gold_jsonl(_write(tmp_path / "g.jsonl", [row, {**row, "text": "Pak"}]))
    with pytest.raises(GoldError, match=r"g\.jsonl:2: text 'Pak' does not match 'a\.txt'"):
        check_gold(gold, {"a.txt": "Kim Il Sung"}, str(tmp_path / "g.jsonl"))
    with pytest.raises(GoldError, match=r":1: document 'a\.txt' is not among DOCS"):
        check_gold(gold, {"b.txt": "Kim Il Sung"}, str(tmp_path / "g.jsonl"))


def test_read_documents_uses_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Pak Hon-yong spoke.", encoding="utf-8")
    assert read_documents(tmp_path) == {"sub/a.txt": "Pak Hon-yong spoke."}
    assert read_documents(tmp_path / "sub" / "a.txt") == {"a.txt": "Pak Hon-yong spoke."}


def test_parse_set_options() -> None:
    assert parse_set_options(["max_window=4", "labels=[\"PERSON\"]", "spans_key=mine",
                              "link_partial=false", "max_window=3"]) == {
        "max_window": 3, "labels": ["PERSON"], "spans_key": "mine", "link_partial": False}
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_set_options(["max_window"])


# -- end to end with the packaged table -----------------------------------------------


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return build_pipeline()


def test_evaluate_runs_the_sweep_and_restores_the_threshold(nlp: spacy.language.Language
                                                            ) -> None:
    text = "Pak Hon-yong met Kim Il Sung in Pyongyang."
    gold = [GoldMention("t", 0, 12, "PERSON", "pak-hon-yong"),
            GoldMention("t", 17, 28, "PERSON", "kim-il-sung"),
            GoldMention("t", 32, 41, "GPE", "pyongyang")]
    report = evaluate(nlp, gold, {"t": text})
    assert report.main.outcomes[ALL].right == 3
    assert [s.threshold for s in report.sweep] == list(DEFAULT_SWEEP)
    assert nlp.get_pipe("romanize_entities").threshold == report.main.threshold == 0.8
    payload = report.to_json()
    assert payload["outcomes"]["PERSON"]["right"] == 2
    assert len(payload["sweep"]) == 8 and payload["sweep"][0]["threshold"] == 0.6


def test_docbin_gold(tmp_path: Path, nlp: spacy.language.Language) -> None:
    doc = nlp.make_doc("Pak Hon-yong met Kim Il Sung.")
    doc.ents = [doc.char_span(0, 12, label="PERSON", kb_id="pak-hon-yong"),
                doc.char_span(17, 28, label="PERSON", kb_id="kim-il-sung")]
    doc.user_data["doc"] = "letter.txt"
    DocBin(store_user_data=True, docs=[doc]).to_disk(tmp_path / "gold.spacy")
    gold, texts = read_gold_docbin(tmp_path / "gold.spacy", nlp)
    assert texts == {"letter.txt": "Pak Hon-yong met Kim Il Sung."}
    assert [(g.start, g.end, g.entity_id) for g in gold] == [
        (0, 12, "pak-hon-yong"), (17, 28, "kim-il-sung")]


def test_cli_json_report(tmp_path: Path) -> None:
    doc = tmp_path / "letter.txt"
    doc.write_text("Pak Hon-yong met Kim Jong Un in Pyongyang.", encoding="utf-8")
    gold = _write(tmp_path / "gold.jsonl", [
        {"start": 0, "end": 12, "label": "PERSON", "entity_id": "pak-hon-yong",
         "text": "Pak Hon-yong"},
        {"start": 17, "end": 28, "label": "PERSON", "entity_id": None},
        {"start": 32, "end": 41, "label": "GPE", "entity_id": "pyongyang"},
    ])
    out = tmp_path / "report.json"
    res = CliRunner().invoke(app, ["evaluate", str(gold), str(doc), "--json", str(out),
                                   "--threshold", "0.9"])
    assert res.exit_code == 0, res.output
    assert "spans" in res.output and "threshold" in res.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["threshold"] == 0.9 and report["documents"] == 1 and report["mentions"] == 3
    assert report["outcomes"]["PERSON"]["right"] == 1
    assert report["outcomes"]["GPE"]["right"] == 1
    assert report["outcomes"]["PERSON"]["unknown"] == 1
    assert [row["threshold"] for row in report["sweep"]] == list(DEFAULT_SWEEP)


def test_cli_errors_exit_2(tmp_path: Path) -> None:
    doc = tmp_path / "letter.txt"
    doc.write_text("Pak Hon-yong spoke.", encoding="utf-8")
    gold = _write(tmp_path / "gold.jsonl", [
        {"start": 0, "end": 3, "label": "PERSON", "entity_id": None, "text": "Kim"}])
    res = CliRunner().invoke(app, ["evaluate", str(gold), str(doc)])
    assert res.exit_code == 2 and "gold.jsonl:1: text 'Kim' does not match" in res.output
    res = CliRunner().invoke(app, ["evaluate", str(gold), str(doc), "--set", "nokey=1"])
    assert res.exit_code == 2 and "nokey" in res.output
    res = CliRunner().invoke(app, ["evaluate", str(gold), str(doc), "--set", "oops"])
    assert res.exit_code == 2 and "KEY=VALUE" in res.output
    res = CliRunner().invoke(app, ["evaluate", str(gold)])
    assert res.exit_code == 2 and "DOCS is required" in res.output


def test_cli_set_changes_the_component(tmp_path: Path) -> None:
    doc = tmp_path / "letter.txt"
    doc.write_text("Pak Hon-yong met Kim Il Sung in Pyongyang.", encoding="utf-8")
    gold = _write(tmp_path / "gold.jsonl", [
        {"start": 32, "end": 41, "label": "GPE", "entity_id": "pyongyang"}])
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["evaluate", str(gold), str(doc), "--no-sweep",
                                   "--set", 'labels=["PERSON"]', "--json", str(out)])
    assert res.exit_code == 0, res.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["outcomes"]["GPE"]["missed"] == 1 and report["sweep"] == []


def test_doc_ents_decide_over_an_inner_span_with_the_same_offsets() -> None:
    preds = {"d": [Predicted(16, 28, "PERSON", "other", nested=True),
                   Predicted(16, 28, "PERSON", "pak-hon-yong")]}
    assert score([GOLD[1]], preds).outcomes["PERSON"].right == 1


def test_place_inside_a_body_name_is_not_a_wrong_link_but_inside_a_person_it_is() -> None:
    text = "Provisional Government of the Republic of Korea. Seo Cheon-ju"
    kpg = GoldMention("d", 0, 47, "ORG", "provisional-government-of-the-republic-of-korea")
    person = GoldMention("d", 49, 61, "PERSON", None)
    preds = {"d": [Predicted(30, 47, "GPE", "south-korea"), Predicted(53, 61, "GPE", "jeonju")]}
    s = score([kpg, person], preds, {"d": text})
    assert s.outcomes["ORG"].missed == 1 and s.outcomes["ORG"].wrong == 0
    assert s.outcomes["PERSON"].unknown_wrong == 1


def test_a_link_where_the_gold_has_no_mention_is_spurious() -> None:
    preds = {"d": [Predicted(16, 28, "PERSON", "pak-hon-yong"),
                   Predicted(41, 48, "PERSON", "mao-zedong")]}  # "ongress" of nothing
    s = score([GOLD[1]], preds, {"d": TEXT})
    assert s.outcomes["PERSON"].spurious == 1 and s.outcomes["PERSON"].right == 1
    assert s.links["PERSON"].fp == 1
    assert [w["linked"] for w in s.wrong_links if w.get("spurious")] == ["mao-zedong"]
