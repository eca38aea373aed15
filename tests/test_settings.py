"""Settings end to end: --threshold, --set KEY=VALUE and --model in run, lookup, suggest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import spacy
from typer.testing import CliRunner

from romanize_entities.batch import BatchConfigError, run_batch
from romanize_entities.cli import app
from romanize_entities.component import DEFAULT_CONFIG
from romanize_entities.settings import (
    SettingsError,
    check_component_settings,
    parse_set_options,
    resolve_settings,
)

TEXT = "Kirn Il Sung met Kim Jung Il and the Great Leader in Pyongyang.\n"


def _mentions(out: Path) -> list[dict[str, Any]]:
    lines = (out / "mentions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _linked(out: Path) -> dict[str, str | None]:
    return {m["text"]: m["entity_id"] for m in _mentions(out)}


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b.txt").write_text("Pak Hon Yong and Kim Il Sung.\n", encoding="utf-8")
    return folder


# -- parsing ----------------------------------------------------------------------------


def test_parse_set_options_reads_json_else_string() -> None:
    assert parse_set_options(["threshold=0.9", "labels=[\"PERSON\"]", "spans_key=mine",
                              "link_partial=false"]) == {
        "threshold": 0.9, "labels": ["PERSON"], "spans_key": "mine", "link_partial": False}
    assert parse_set_options(["spans_key=a=b"]) == {"spans_key": "a=b"}


@pytest.mark.parametrize(("value", "message"), [
    ("threshold", "expected KEY=VALUE"),
    ("=3", "expected KEY=VALUE"),
    ("max_windw=3", "unknown key 'max_windw'"),
])
def test_parse_set_options_rejects_bad_arguments(value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        parse_set_options([value])


def test_values_are_checked_against_the_component() -> None:
    assert check_component_settings({"labels": "PERSON,ORG"}) == {"labels": ["PERSON", "ORG"]}
    for bad in ({"max_window": 0}, {"candidates_limit": -2}, {"threshold": 2},
                {"link_partial": "yes"}, {"get_candidates": "table"}):
        with pytest.raises(SettingsError, match=next(iter(bad))):
            check_component_settings(bad)


def test_table_keys_merge_with_the_table_options(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    paths, include_default, settings = resolve_settings(
        0.9, [f'aliases=["{mine}"]', "include_default=false", "max_window=4"], [], False)
    assert (paths, include_default, settings) == ([mine], False, {
        "threshold": 0.9, "max_window": 4})
    with pytest.raises(SettingsError, match="--no-default needs"):
        resolve_settings(None, ["include_default=false"])


# -- run -------------------------------------------------------------------------------


def test_run_threshold_and_set_change_links_and_are_recorded(docs: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    base = runner.invoke(app, ["run", str(docs), "--out", str(tmp_path / "base"), "-q"])
    assert base.exit_code == 0, base.output
    assert _linked(tmp_path / "base")["Kirn Il Sung"] == "kim-il-sung"
    strict = runner.invoke(app, ["run", str(docs), "--out", str(tmp_path / "strict"), "-q",
                                 "--threshold", "0.96", "--set", "max_window=4"])
    assert strict.exit_code == 0, strict.output
    assert _linked(tmp_path / "strict").get("Kirn Il Sung") is None
    assert _linked(tmp_path / "strict")["Pak Hon Yong"] == "pak-hon-yong"
    info = json.loads((tmp_path / "strict" / "run.json").read_text(encoding="utf-8"))
    assert info["settings"]["threshold"] == 0.96 and info["settings"]["max_window"] == 4
    assert info["settings"]["link_partial"] == DEFAULT_CONFIG["link_partial"]
    assert info["model"] is None
    base_info = json.loads((tmp_path / "base" / "run.json").read_text(encoding="utf-8"))
    assert base_info["settings"]["threshold"] == DEFAULT_CONFIG["threshold"]


def test_settings_reach_worker_processes(docs: Path, tmp_path: Path) -> None:
    for n in range(6):
        (docs / f"more{n}.txt").write_text(TEXT, encoding="utf-8")
    one = run_batch([docs], tmp_path / "j1", settings={"threshold": 0.96})
    two = run_batch([docs], tmp_path / "j2", jobs=2, settings={"threshold": 0.96})
    assert one.mentions == two.mentions
    assert (tmp_path / "j1" / "mentions.jsonl").read_bytes() == (
        tmp_path / "j2" / "mentions.jsonl").read_bytes()
    assert "kim-il-sung" not in {m["entity_id"] for m in _mentions(tmp_path / "j2")
                                 if m["text"] == "Kirn Il Sung"}


@pytest.mark.parametrize("args", [["--set", "max_window=0"], ["--set", "nope=1"],
                                  ["--set", "threshold"], ["--threshold", "1.5"]])
def test_run_rejects_bad_settings_before_reading(docs: Path, tmp_path: Path,
                                                 args: list[str]) -> None:
    res = CliRunner().invoke(app, ["run", str(docs), "--out", str(tmp_path / "o"), *args])
    assert res.exit_code == 2
    assert not (tmp_path / "o").exists()


def test_resumed_run_with_other_settings_is_refused_unless_force(
    docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_batch([docs], out)
    with pytest.raises(BatchConfigError, match=r"other settings.*threshold"):
        run_batch([docs], out, settings={"threshold": 0.96})
    res = CliRunner().invoke(app, ["run", str(docs), "--out", str(out), "--threshold", "0.96"])
    assert res.exit_code == 2 and "--force" in res.stderr
    again = run_batch([docs], out, settings={"threshold": 0.96}, force=True)
    assert again.done == 2
    same = run_batch([docs], out, settings={"threshold": 0.96})
    assert same.unchanged == 2


def test_run_with_a_model_puts_the_component_after_it(docs: Path, tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PERSON",
                                                "pattern": "the Great Leader"}])
    nlp.to_disk(tmp_path / "model")
    res = CliRunner().invoke(app, ["run", str(docs), "--out", str(tmp_path / "out"), "-q",
                                   "--model", str(tmp_path / "model")])
    assert res.exit_code == 0, res.output
    found = {(m["text"], m["label"], m["entity_id"]) for m in _mentions(tmp_path / "out")}
    assert ("the Great Leader", "PERSON", None) in found
    assert ("Pak Hon Yong", "PERSON", "pak-hon-yong") in found
    info = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert info["model"] == str(tmp_path / "model")
    plain = run_batch([docs], tmp_path / "plain")
    assert "the Great Leader" not in {m["text"] for m in _mentions(tmp_path / "plain")}
    assert plain.mentions < len(found)
    two = run_batch([docs], tmp_path / "j2", jobs=2, model=str(tmp_path / "model"))
    assert two.mentions == len(_mentions(tmp_path / "out"))


def test_run_with_an_unknown_model_is_a_usage_error(docs: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["run", str(docs), "--out", str(tmp_path / "o"),
                                   "--model", str(tmp_path / "nowhere")])
    assert res.exit_code == 2 and "--model" in res.stderr


# -- lookup and suggest use the component's rules and threshold ------------------------


def test_lookup_uses_the_components_rules() -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["lookup", "On"])
    assert res.exit_code == 1 and "united-nations" not in res.stdout
    res = runner.invoke(app, ["lookup", "Kirn Il Sung"])
    assert res.exit_code == 0 and res.stdout.startswith("kim-il-sung\t")
    assert "below threshold" not in res.stdout.splitlines()[0]
    res = runner.invoke(app, ["lookup", "Kirn Il Sung", "--threshold", "0.95"])
    assert "(below threshold)" in res.stdout.splitlines()[0]
    res = runner.invoke(app, ["lookup", "Kirn Il Sung", "--set", "threshold=0.95"])
    assert "(below threshold)" in res.stdout.splitlines()[0]


def test_suggest_uses_the_components_threshold(tmp_path: Path) -> None:
    doc = tmp_path / "d.txt"
    doc.write_text("Kim Jung Il spoke. Kim Jung Il left.\n", encoding="utf-8")
    runner = CliRunner()
    default = runner.invoke(app, ["suggest", str(doc)])
    assert default.exit_code == 0 and "Kim Jung Il" not in default.stdout
    strict = runner.invoke(app, ["suggest", str(doc), "--threshold", "0.96"])
    assert strict.exit_code == 0 and "Kim Jung Il" in strict.stdout
    bad = runner.invoke(app, ["suggest", str(doc), "--set", "unknown_key=1"])
    assert bad.exit_code == 2 and "unknown key" in bad.stderr


def test_unknown_key_warnings_are_shown(tmp_path: Path, docs: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("entities:\n  - id: hong-gildong\n    type: PERSON\n    name: Hong Gil-dong\n"
                    "    alias: [Hong Kildong]\n", encoding="utf-8")
    runner = CliRunner()
    for args in (["lookup", "Hong Gil-dong"], ["suggest", str(docs)],
                 ["run", str(docs), "--out", str(tmp_path / "o"), "-q"]):
        res = runner.invoke(app, [*args, "-a", str(mine)])
        assert res.exit_code == 0, res.output
        assert "mine.yaml:5:12: warning: entity 'hong-gildong': unknown key 'alias' ignored" \
            in res.stderr, args
