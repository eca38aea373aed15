"""import-wikidata: the three export formats, the field mapping, ids that never merge,
and `review: true` as a warning in user files and an error in the packaged table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from romanize_entities.aliases.loader import parse_file
from romanize_entities.aliases.validate import merge_files
from romanize_entities.cli import app
from romanize_entities.wikidata_import import (
    Known,
    WikidataImportError,
    entity_fields,
    is_han,
    parse_export,
    parse_year,
    read_export,
    render,
    slug,
    to_drafts,
)

DATA = Path(__file__).parent / "data" / "wikidata"
ENTITYDATA = DATA / "entitydata_Q99990001.json"
WBGET = DATA / "wbgetentities.json"
SPARQL = DATA / "sparql.json"


def _drafts(path: Path, known: Known | None = None, **kw: object) -> dict[str, dict[str, object]]:
    drafts, _ = to_drafts(read_export(path), known or Known(), **kw)  # type: ignore[arg-type]
    return {d.values["wikidata"]: d.values for d in drafts}


def test_entitydata_fields_map_to_entry_keys() -> None:
    entry = _drafts(ENTITYDATA)["Q99990001"]
    assert entry["name"] == "Pak Hon-yong"
    assert entry["type"] == "PERSON"
    assert entry["hangul"] == "박헌영"
    # only the ko alias written wholly in Han characters becomes hanja
    assert entry["hanja"] == "朴憲永"
    # the en label is the name, not repeated among the aliases
    assert entry["aliases"] == ["Pak Heon-yeong", "Park Hun-young"]
    assert entry["born"] == 1900
    # the month-precision death date counts; the deprecated 1956 statement does not
    assert entry["died"] == 1955
    assert entry["sources"] == ["https://www.wikidata.org/wiki/Q99990001"]
    assert entry["review"] is True


def test_ru_and_zh_labels_follow_the_model_fields() -> None:
    drafts, _ = to_drafts(read_export(ENTITYDATA), Known())
    draft = drafts[0]
    model = entity_fields()
    for key, label in (("cyrillic", "Пак Хон Ён"), ("hanzi", "朴宪永")):
        if key in model:
            assert draft.values[key] == label
        else:
            assert key not in draft.values
            assert any(t.startswith(f"{key}: {label}") for t in draft.trailing)


def test_clashing_id_gets_a_suffix_and_a_note_never_a_merge() -> None:
    known = Known()
    known.add("pak-hon-yong", "Pak Hon-yong", None, "박헌영")
    entry = _drafts(ENTITYDATA, known)["Q99990001"]
    assert entry["id"] == "pak-hon-yong-1900"
    assert "'pak-hon-yong' is taken" in str(entry["note"])
    assert "same Hangul as existing 'pak-hon-yong'" in str(entry["note"])
    known.add("pak-hon-yong-1900", "Pak Hon-yong", "Q99990001", None)
    entry = _drafts(ENTITYDATA, known)["Q99990001"]
    assert entry["id"] == "pak-hon-yong-q99990001"
    assert "already has Q99990001 as 'pak-hon-yong-1900'" in str(entry["note"])


def test_wbgetentities_skips_missing_and_non_humans_unless_typed() -> None:
    drafts, skipped = to_drafts(read_export(WBGET), Known())
    assert [d.values["wikidata"] for d in drafts] == ["Q99990002"]
    assert [s.qid for s in skipped] == ["Q99990003"]
    assert "--type" in skipped[0].reason
    person = drafts[0].values
    # two preferred birth years disagree: none is taken, the reviewer is told
    assert "born" not in person
    assert any("born: sources disagree (1921, 1922)" in c for c in drafts[0].comments)
    # a decade-precision death date is not a year
    assert "died" not in person
    typed = _drafts(WBGET, entity_type="GPE")
    assert typed["Q99990003"]["type"] == "GPE"
    assert typed["Q99990003"]["hangul"] == "테스트시"


def test_sparql_rows_merge_per_item_and_ids_stay_unique_within_a_run() -> None:
    drafts, _ = to_drafts(read_export(SPARQL), Known())
    by_qid = {d.values["wikidata"]: d for d in drafts}
    first = by_qid["Q99990005"].values
    assert first["id"] == "ri-tae-ho"
    assert first["hangul"] == "리태호"
    assert first["hanja"] == "李泰浩"
    assert first["born"] == 1920
    assert any("'리泰浩' is not written wholly in Han" in c for c in by_qid["Q99990005"].comments)
    second = by_qid["Q99990006"].values
    assert second["id"] == "ri-tae-ho-1931"
    assert (second["born"], second["died"]) == (1931, 2001)
    assert "hangul" not in second


def test_rendered_file_is_a_valid_alias_file_with_review_warnings(tmp_path: Path) -> None:
    items = [*read_export(ENTITYDATA), *read_export(SPARQL)]
    drafts, skipped = to_drafts(items, Known())
    out = tmp_path / "drafts.yaml"
    out.write_text(render(drafts, skipped, source="test"), encoding="utf-8")
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["entities"]
    records, _, problems = merge_files([parse_file(out)])
    assert set(records) == {"pak-hon-yong", "ri-tae-ho", "ri-tae-ho-1931"}
    assert all(p.severity == "warning" for p in problems)
    assert sum("review: true" in p.message for p in problems) == 3
    # the packaged table refuses drafts
    _, _, packaged = merge_files([parse_file(out)], require_sources=True)
    assert sum(p.severity == "error" and "review" in p.message for p in packaged) == 3


def test_review_must_be_a_boolean(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("entities:\n- id: x\n  type: PERSON\n  name: X\n  review: maybe\n",
                    encoding="utf-8")
    _, _, problems = merge_files([parse_file(path)])
    assert [p.message for p in problems] == ["entity 'x': review must be true or false, "
                                             "not 'maybe'"]
    assert (problems[0].line, problems[0].col) == (5, 11)


def test_check_strict_reports_review(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("entities:\n- id: x\n  type: PERSON\n  name: X\n  sources: [s]\n"
                    "  review: true\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["check", str(path)]).exit_code == 0
    strict = runner.invoke(app, ["check", str(path), "--strict"])
    assert strict.exit_code == 1
    assert "review: true" in strict.output
    forced = runner.invoke(app, ["check", str(path), "--require-sources"])
    assert forced.exit_code == 1


def test_cli_writes_entries_that_avoid_packaged_ids(tmp_path: Path) -> None:
    out = tmp_path / "entries.yaml"
    result = CliRunner().invoke(app, ["import-wikidata", str(ENTITYDATA), "--out", str(out)])
    assert result.exit_code == 0, result.output
    entry = yaml.safe_load(out.read_text(encoding="utf-8"))["entities"][0]
    # the packaged table has pak-hon-yong: the import must not merge into it
    assert entry["id"] == "pak-hon-yong-1900"
    assert entry["review"] is True
    alone = CliRunner().invoke(app, ["import-wikidata", str(ENTITYDATA), "--no-default"])
    assert "- id: pak-hon-yong\n" in alone.stdout


def test_cli_bad_input_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"entities": ', encoding="utf-8")
    result = CliRunner().invoke(app, ["import-wikidata", str(bad)])
    assert result.exit_code == 2
    assert "bad.json:1:" in result.output
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"foo": 1}), encoding="utf-8")
    result = CliRunner().invoke(app, ["import-wikidata", str(other)])
    assert result.exit_code == 2
    assert "other.json: not a Wikidata export" in result.output
    missing = CliRunner().invoke(app, ["import-wikidata", str(tmp_path / "none.json")])
    assert missing.exit_code == 2


def test_parse_export_rejects_sparql_without_item() -> None:
    with pytest.raises(WikidataImportError, match=r"\?item"):
        parse_export({"head": {"vars": ["x"]}, "results": {"bindings": []}})


@pytest.mark.parametrize(("value", "year"), [
    ("+1912-04-15T00:00:00Z", 1912), ("1912-04-15T00:00:00Z", 1912), ("1912", 1912),
    (1912, 1912), ("-0500-00-00T00:00:00Z", None), ("unknown", None), (None, None),
])
def test_parse_year(value: object, year: int | None) -> None:
    assert parse_year(value) == year


def test_helpers() -> None:
    assert is_han("朴憲永") and not is_han("박헌영") and not is_han("") and not is_han("朴 憲")
    assert slug("Ch'oe Yong-gŏn") == "ch-oe-yong-gon"
    assert slug("Kim Il Sung") == "kim-il-sung"
