"""`romanize-entities suggest`: unlinked names, grouped, in context, as draft YAML.

The sample document mixes names the packaged table knows (Pak Hon Yong, Ri
Sang-jo, Anju) with invented but realistic ones it does not (Gim Dong-cheol =
Kim Tong Chol, Ryu Kyong-hwan, the Anju Glass Works). The first test checks
that premise against the table itself, so the others cannot pass by accident.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import spacy
import yaml
from spacy.language import Language
from typer.testing import CliRunner

from romanize_entities.aliases import DEFAULT_THRESHOLD, AliasTable, AliasTableError, Entity
from romanize_entities.batch import link_text
from romanize_entities.cli import app
from romanize_entities.component import load
from romanize_entities.keys import name_key
from romanize_entities.readers import ReadError, SkippedFile
from romanize_entities.suggest import (
    PASTE_MARKER,
    Suggestion,
    _is_covered,
    format_table,
    slugify,
    suggest,
    suggest_texts,
    yaml_snippet,
)

SEED = Path(__file__).parent / "data" / "seed_letter.txt"

MINUTES = """\
Minutes of the factory meeting, March 1957

Comrade Gim Dong-cheol, director of the Anju Glass Works, opened the meeting. He
recalled that Pak Hon Yong had once visited the Anju Glass Works. Kim Tong Chol
(the same director, as the Soviet embassy wrote his name) then asked for more
coal. Gim Dong-cheol and Ri Sang-jo agreed; the comrades voted.

Present: Gim Dong-cheol, Pak Hon Yong's former secretary Ryu Kyong-hwan, and
the chief engineer.
"""
UNLISTED = ("Gim Dong-cheol", "Kim Tong Chol", "Ryu Kyong-hwan", "Anju Glass Works")
LISTED = {"Pak Hon Yong": "pak-hon-yong", "Ri Sang-jo": "lee-sang-jo", "Anju": "anju"}


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load()


@pytest.fixture(scope="module")
def table(nlp: Language) -> AliasTable:
    found: AliasTable = nlp.get_pipe("romanize_entities").table  # type: ignore[attr-defined]
    return found


@pytest.fixture(scope="module")
def minutes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    (folder / "minutes.txt").write_text(MINUTES, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def found(minutes: Path, nlp: Language) -> list[Suggestion]:
    return suggest([minutes], nlp=nlp)


def by_text(found: list[Suggestion], text: str) -> Suggestion:
    matches = [s for s in found if text in s.spellings]
    assert len(matches) == 1, [s.text for s in found]
    return matches[0]


def test_premise_unlisted_names_do_not_link_listed_ones_do(table: AliasTable) -> None:
    for name in UNLISTED:
        assert not [c for c in table.lookup(name) if c.score >= DEFAULT_THRESHOLD], name
    for name, ident in LISTED.items():
        assert table.lookup(name)[0].entity_id == ident
    assert name_key("Gim Dong-cheol") == name_key("Kim Tong Chol")


def test_spellings_of_one_name_are_grouped_with_counts(found: list[Suggestion]) -> None:
    s = by_text(found, "Kim Tong Chol")
    assert s.spellings == Counter({"Gim Dong-cheol": 3, "Kim Tong Chol": 1})
    assert (s.text, s.count, s.kind, s.type) == ("Gim Dong-cheol", 4, "korean-name", "PERSON")
    assert s.documents == ["minutes.txt"]
    assert s.id == "gim-dong-cheol"
    assert s.hangul_candidates[0] == "김동철"  # the reading both spellings allow


def test_contexts_point_at_the_mentions(found: list[Suggestion]) -> None:
    s = by_text(found, "Kim Tong Chol")
    assert 2 <= len(s.contexts) <= 3
    assert {c.doc for c in s.contexts} == {"minutes.txt"}
    shown = set()
    for ctx in s.contexts:
        written = " ".join(MINUTES[ctx.start:ctx.end].split())
        assert written in s.spellings
        assert f"[{written}]" in ctx.snippet
        assert str(ctx).startswith(f"minutes.txt:{ctx.start}: ")
        shown.add(written)
    assert shown == {"Gim Dong-cheol", "Kim Tong Chol"}  # one context per spelling first
    assert s.contexts[0].snippet.startswith("…") or s.contexts[0].start < 50
    assert "director of the Anju" in s.contexts[0].snippet


def test_nearest_known_entities_are_listed_below_threshold(
    found: list[Suggestion], table: AliasTable
) -> None:
    for s in found:
        assert 1 <= len(s.nearest) <= 3, s.text
        for near in s.nearest:
            assert near.entity_id in table
            assert near.name == table[near.entity_id].name
        assert [n.score for n in s.nearest] == sorted((n.score for n in s.nearest), reverse=True)
    kim = by_text(found, "Kim Tong Chol")
    assert all(n.score < DEFAULT_THRESHOLD for n in kim.nearest)
    assert all(n.name.startswith("Kim ") for n in kim.nearest)  # same surname key


def test_linked_names_and_capitalized_words_are_not_suggested(found: list[Suggestion]) -> None:
    spellings = {t for s in found for t in s.spellings}
    for name in LISTED:
        assert not any(name in t and t != "Anju Glass Works" for t in spellings), name
    for word in ("Comrade", "Minutes", "March", "Present", "He", "Soviet"):
        assert word not in spellings  # sentence starts, dates; "Soviet" occurs once
    assert [s.kind for s in found] == ["korean-name", "korean-name", "capitalized"]


def test_namesakes_the_table_cannot_tell_apart_are_not_suggested(nlp: Language) -> None:
    # two Lee Beom-seoks (1900, 1925) tie: unlinked, but no entry is missing
    text = "Then Lee Beom-seok spoke with Kim Tong Chol, and Lee Beom-seok left."
    [ent] = [e for e in nlp(text).ents if e.text == "Lee Beom-seok"][:1]
    assert not ent.kb_id_ and len(ent._.entity_link["candidates"]) >= 2
    found = suggest_texts([("d.txt", text)], nlp)
    assert [s.text for s in found] == ["Kim Tong Chol"]


def test_is_covered_finds_spans_starting_before_or_inside_a_word() -> None:
    covered = [(0, 5), (10, 12), (20, 30)]
    starts = [s for s, _ in covered]
    assert _is_covered((2, 4), covered, starts)  # inside the first span
    assert _is_covered((8, 11), covered, starts)  # a span starts inside the word
    assert _is_covered((25, 35), covered, starts)
    assert not _is_covered((5, 10), covered, starts)
    assert not _is_covered((12, 20), covered, starts)
    assert not _is_covered((30, 40), covered, starts)


def test_single_korean_name_is_listed_capitalized_span_needs_min_count(
    minutes: Path, nlp: Language, found: list[Suggestion]
) -> None:
    ryu = by_text(found, "Ryu Kyong-hwan")
    assert ryu.count == 1 and ryu.kind == "korean-name"
    works = by_text(found, "Anju Glass Works")  # the place is kept in the name
    assert (works.count, works.kind, works.type) == (2, "capitalized", "ORG")
    stricter = suggest([minutes], nlp=nlp, min_count=3)
    assert "Anju Glass Works" not in {t for s in stricter for t in s.spellings}
    assert "Ryu Kyong-hwan" in {t for s in stricter for t in s.spellings}
    assert len(suggest([minutes], nlp=nlp, limit=1)) == 1


def test_yaml_snippet_parses_and_loads_as_an_alias_file(
    found: list[Suggestion], tmp_path: Path
) -> None:
    text = yaml_snippet(found)
    data = yaml.safe_load(text)
    entries = {e["id"]: e for e in data["entities"]}
    assert set(entries) == {"gim-dong-cheol", "ryu-kyong-hwan", "anju-glass-works"}
    kim = entries["gim-dong-cheol"]
    assert kim == {"id": "gim-dong-cheol", "type": "PERSON", "name": "Gim Dong-cheol",
                   "aliases": ["Kim Tong Chol"], "sources": []}
    assert all("hangul" not in e and "hanja" not in e for e in entries.values())
    assert "  # hangul: 김동철  ← candidates from the spellings: 김동철" in text
    assert "check a source" in text
    assert "sources: []  # required: where you checked this entry" in text

    draft = tmp_path / "draft.yaml"
    draft.write_text(text, encoding="utf-8")
    alone = AliasTable.from_yaml(draft, include_default=False)
    assert {e.id for e in alone} == set(entries)
    # the user checks a source and fills it in; merged over the packaged table
    filled = text.replace("sources: []", "sources: ['minutes of the meeting, p. 1']")
    draft.write_text(filled, encoding="utf-8")
    merged = AliasTable.from_yaml(draft, include_default=True)
    assert merged["gim-dong-cheol"].sources == ("minutes of the meeting, p. 1",)
    assert merged.lookup("Kim Tong Chol")[0].entity_id == "gim-dong-cheol"
    assert merged.lookup("Pak Hon Yong")[0].entity_id == "pak-hon-yong"


def test_taken_id_gets_a_placeholder_the_loader_refuses(tmp_path: Path) -> None:
    own = spacy.blank("en")
    own.add_pipe("romanize_entities", config={"include_default": False})
    # an entity whose id is the slug of the unknown name, but a different person
    table = AliasTable([Entity(id="gim-dong-cheol", type="PERSON", name="Ho Ka-i")])
    own.get_pipe("romanize_entities").set_table(table)  # type: ignore[attr-defined]
    [s] = suggest_texts([("d.txt", "We met Gim Dong-cheol today.")], own)
    assert s.id == "gim-dong-cheol-YYYY"
    text = yaml_snippet([s])
    assert "id 'gim-dong-cheol' is taken by 'Ho Ka-i' in the table" in text
    draft = tmp_path / "draft.yaml"
    draft.write_text(text, encoding="utf-8")
    with pytest.raises(AliasTableError, match="gim-dong-cheol-YYYY"):
        AliasTable.from_yaml(draft)
    draft.write_text(text.replace("YYYY", "1921"), encoding="utf-8")
    assert "gim-dong-cheol-1921" in AliasTable.from_yaml(draft)


def test_slugify_follows_the_id_scheme() -> None:
    assert slugify("Pak Hon-yong") == "pak-hon-yong"
    assert slugify("Ch'oe Yŏng-gŏn") == "choe-yong-gon"
    assert slugify("Workers' Party of Korea") == "workers-party-of-korea"
    assert slugify("김동철") == "gim-dong-cheol"  # an id is ASCII: RR first


def test_seed_letter_suggestions_are_unlinked_in_the_normal_run(
    nlp: Language, table: AliasTable
) -> None:
    text = SEED.read_text(encoding="utf-8")
    found = suggest([SEED], nlp=nlp)
    records, _ = link_text(nlp, text, SEED.name, table)
    linked: list[dict[str, Any]] = [r for r in records if r["entity_id"]]
    linked_spans = [(int(r["start"]), int(r["end"])) for r in linked]
    linked_texts = {" ".join(str(r["text"]).split()) for r in linked}
    assert found
    for s in found:
        assert not set(s.spellings) & linked_texts, s.text
        for ctx in s.contexts:
            assert " ".join(text[ctx.start:ctx.end].split()) in s.spellings
            # not inside (or equal to) a mention the run linked
            assert not any(a <= ctx.start and ctx.end <= b for a, b in linked_spans), ctx
    korean = [s.text for s in found if s.kind == "korean-name"]
    assert korean == ["Choe Lyong"]  # the translator, absent from the table
    spellings = {t for s in found for t in s.spellings}
    assert not spellings & {"Li", "Ri", "Dear", "According"}  # ambiguous; sentence starts


def test_read_errors_are_reported_and_the_rest_goes_on(
    minutes: Path, nlp: Language, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02 not text")
    (tmp_path / "b.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "c.txt").write_text(MINUTES, encoding="utf-8")
    problems: list[ReadError | SkippedFile] = []
    found = suggest([tmp_path], nlp=nlp, on_problem=problems.append)
    assert sorted((type(p).__name__, p.path.name) for p in problems) == [
        ("ReadError", "a.txt"), ("SkippedFile", "b.jpg")]
    assert by_text(found, "Kim Tong Chol").documents == ["c.txt"]
    with pytest.raises(FileNotFoundError):
        suggest([tmp_path / "missing"], nlp=nlp)


def test_format_table_shows_counts_spellings_nearest_and_a_context(
    found: list[Suggestion],
) -> None:
    lines = format_table(found).splitlines()
    assert lines[0].split() == ["count", "docs", "kind", "spelling(s)", "nearest", "known",
                                "entities"]
    row = lines[1]
    assert row.split()[:3] == ["4", "1", "korean-name"]
    assert "Gim Dong-cheol (3), Kim Tong Chol (1)" in row
    assert found[0].nearest[0].entity_id in row
    assert lines[2].strip().startswith("minutes.txt:")


# -- CLI ------------------------------------------------------------------------------------


def test_cli_prints_table_then_yaml(minutes: Path) -> None:
    res = CliRunner().invoke(app, ["suggest", str(minutes)])
    assert res.exit_code == 0, res.output
    table_part, _, yaml_part = res.stdout.partition(PASTE_MARKER + "\n")
    assert "Gim Dong-cheol (3), Kim Tong Chol (1)" in table_part
    assert yaml.safe_load(yaml_part)["entities"][0]["id"] == "gim-dong-cheol"

    only = CliRunner().invoke(app, ["suggest", str(minutes), "--yaml-only", "--min-count", "3"])
    assert only.exit_code == 0
    assert PASTE_MARKER not in only.stdout
    ids = [e["id"] for e in yaml.safe_load(only.stdout)["entities"]]
    assert ids == ["gim-dong-cheol", "ryu-kyong-hwan"]


def test_cli_nothing_to_suggest_exits_0(tmp_path: Path) -> None:
    (tmp_path / "known.txt").write_text("Pak Hon Yong met Ri Sang-jo in Anju.\n")
    res = CliRunner().invoke(app, ["suggest", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert res.stdout == ""
    assert "no unlinked names found" in res.stderr


def test_cli_configuration_errors_exit_2(minutes: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["suggest", str(tmp_path / "missing")])
    assert res.exit_code == 2 and "input not found" in res.stderr
    assert runner.invoke(app, ["suggest"]).exit_code == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("entities:\n  - id: x\n    type: PERSN\n    name: X\n")
    res = runner.invoke(app, ["suggest", str(minutes), "-a", str(broken)])
    assert res.exit_code == 2
    assert f"{broken}:3:11: entity 'x': unknown type 'PERSN'" in res.stderr
    res = runner.invoke(app, ["suggest", str(minutes), "--no-default"])
    assert res.exit_code == 2 and "--no-default needs" in res.stderr


def test_cli_help_has_an_example() -> None:
    res = CliRunner().invoke(app, ["suggest", "--help"])
    assert res.exit_code == 0
    assert "romanize-entities suggest" in res.output and "--yaml-only" in res.output
