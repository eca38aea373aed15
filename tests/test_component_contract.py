"""The spaCy pipe contract: serialization, initialize, error handler, scoring, config.

Every config key of `romanize_entities.component.DEFAULT_CONFIG` has a test here
that shows the key changes what the component does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

import romanize_entities
from romanize_entities import AliasTableError
from romanize_entities.aliases import AliasTable, Candidate
from romanize_entities.component import (
    DEFAULT_CONFIG,
    SETTING_KEYS,
    RomanizeEntities,
    _split_tokens_at,
    table_lookup,
)

DATA = Path(__file__).parent / "data"
HONG = (
    "entities:\n  - id: hong-gildong\n    type: PERSON\n    name: Hong Gil-dong\n"
    "    hangul: 홍길동\n"
)


def _links(nlp: Language, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.kb_id_) for e in nlp(text).ents]


@pytest.fixture
def hong_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "hong.yaml"
    path.write_text(HONG, encoding="utf-8")
    return path


def _pipeline(**config: Any) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("romanize_entities", config=config)
    return nlp


# -- serialization ------------------------------------------------------------------


def test_bytes_round_trip_after_the_yaml_is_deleted(hong_yaml: Path) -> None:
    nlp = _pipeline(aliases=[str(hong_yaml)], include_default=False, threshold=0.85)
    assert _links(nlp, "Hong Kil-tong came.") == [("Hong Kil-tong", "hong-gildong")]
    data = nlp.to_bytes()
    hong_yaml.unlink()
    fresh = spacy.blank("en")
    fresh.add_pipe("romanize_entities",
                   config={"aliases": [str(hong_yaml)], "include_default": False})
    fresh.from_bytes(data)
    assert _links(fresh, "Hong Kildong came.") == [("Hong Kildong", "hong-gildong")]


def test_component_bytes_exclude_table(hong_yaml: Path) -> None:
    nlp = _pipeline(aliases=[str(hong_yaml)], include_default=False)
    pipe = nlp.get_pipe("romanize_entities")
    without = pipe.to_bytes(exclude=["table"])
    assert len(without) < len(pipe.to_bytes()) / 10
    other = _pipeline()  # packaged table
    other.get_pipe("romanize_entities").from_bytes(pipe.to_bytes(), exclude=["table"])
    assert _links(other, "Kim Il Sung came.") == [("Kim Il Sung", "kim-il-sung")]


def test_to_disk_writes_no_cfg_and_honours_exclude(hong_yaml: Path, tmp_path: Path) -> None:
    nlp = _pipeline(aliases=[str(hong_yaml)], include_default=False, threshold=0.9)
    nlp.to_disk(tmp_path / "full")
    assert not (tmp_path / "full" / "romanize_entities" / "cfg.json").exists()
    assert (tmp_path / "full" / "romanize_entities" / "table").is_file()
    nlp.to_disk(tmp_path / "bare", exclude=["romanize_entities"])
    assert not (tmp_path / "bare" / "romanize_entities").exists()
    # the settings come back from config.cfg, overrides given to spacy.load win
    loaded = spacy.load(tmp_path / "full")
    assert loaded.get_pipe("romanize_entities").threshold == 0.9
    hong_yaml.unlink()
    tuned = spacy.load(tmp_path / "full",
                       config={"components": {"romanize_entities": {"threshold": 0.7}}})
    assert tuned.get_pipe("romanize_entities").threshold == 0.7
    assert _links(tuned, "Hong Kildong came.") == [("Hong Kildong", "hong-gildong")]


# -- loading ----------------------------------------------------------------------


def test_factory_reads_no_file(tmp_path: Path) -> None:
    nlp = _pipeline(aliases=[str(tmp_path / "missing.yaml")])  # no error yet
    with pytest.raises(AliasTableError, match=r"missing\.yaml"):
        nlp.initialize()


def test_load_fails_early_on_a_missing_alias_file(tmp_path: Path) -> None:
    with pytest.raises(AliasTableError, match=r"missing\.yaml.*cannot read alias file"):
        romanize_entities.load(aliases=[tmp_path / "missing.yaml"])
    lazy = romanize_entities.load(aliases=[tmp_path / "missing.yaml"], initialize=False)
    with pytest.raises(AliasTableError, match=r"missing\.yaml"):
        lazy("Kim Il Sung came.")


def test_initialize_reports_file_and_line_of_a_broken_table(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("entities:\n  - id: x\n    type: PERSN\n    name: X\n", encoding="utf-8")
    nlp = _pipeline(aliases=[str(broken)], include_default=False)
    with pytest.raises(AliasTableError, match=r"broken\.yaml:3:"):
        nlp.initialize()


def test_initialize_loads_the_table_before_the_first_doc(hong_yaml: Path) -> None:
    nlp = _pipeline(aliases=[str(hong_yaml)], include_default=False)
    nlp.initialize()
    hong_yaml.unlink()  # already compiled
    assert _links(nlp, "Hong Kil-tong came.") == [("Hong Kil-tong", "hong-gildong")]


def test_without_initialize_the_table_loads_on_first_use(hong_yaml: Path) -> None:
    nlp = _pipeline(aliases=[str(hong_yaml)], include_default=False)
    assert nlp.get_pipe("romanize_entities")._table is None
    assert _links(nlp, "Hong Kil-tong came.") == [("Hong Kil-tong", "hong-gildong")]


# -- error handler ------------------------------------------------------------------


def _failing(table: AliasTable, text: str, limit: int) -> list[Candidate]:
    raise RuntimeError(f"generator failed on {text!r}")


def test_errors_go_through_spacys_error_handler() -> None:
    nlp = _pipeline()
    nlp.get_pipe("romanize_entities").get_candidates = _failing
    with pytest.raises(RuntimeError, match="generator failed"):
        nlp("Kim Il Sung came.")
    seen: list[str] = []

    def handler(name: str, proc: Any, docs: list[Doc], exc: Exception) -> None:
        seen.append(f"{name}: {exc}")

    nlp.set_error_handler(handler)
    nlp("Kim Il Sung came.")
    list(nlp.pipe(["Pak Hon Yong came.", "Kim Il Sung came."]))
    assert len(seen) == 3 and all(s.startswith("romanize_entities: ") for s in seen)


# -- scoring ------------------------------------------------------------------------


def _example(nlp: Language, text: str, gold: list[tuple[int, int, str, str]]) -> Example:
    reference = nlp.make_doc(text)
    _split_tokens_at(reference, {b for s, e, _, _ in gold for b in (s, e)})
    spans = [reference.char_span(s, e, label=label, kb_id=kb) for s, e, label, kb in gold]
    assert all(span is not None for span in spans)
    reference.ents = spans
    return Example(nlp.make_doc(text), reference)


def test_nlp_evaluate_reports_span_and_link_scores() -> None:
    nlp = _pipeline()
    text = "Kim Il Sung met Pak Hon Yong and Choe Lyong."
    gold = [(0, 11, "PERSON", "kim-il-sung"), (16, 28, "PERSON", "pak-hon-yong"),
            (33, 43, "PERSON", "")]
    scores = nlp.evaluate([_example(nlp, text, gold)])
    assert scores["ents_p"] == scores["ents_r"] == 1.0
    assert scores["ents_per_type"]["PERSON"]["f"] == 1.0
    assert scores["nel_micro_p"] == scores["nel_micro_r"] == 1.0
    wrong = [(0, 11, "PERSON", "pak-hon-yong"), (16, 28, "PERSON", "pak-hon-yong"),
             (33, 43, "PERSON", "")]
    scores = nlp.evaluate([_example(nlp, text, wrong)])
    assert scores["nel_micro_p"] == pytest.approx(0.5)
    assert scores["nel_micro_r"] == pytest.approx(0.5)


# -- config: defaults written once, every key tested, impossible values rejected ----


def test_defaults_are_written_once() -> None:
    nlp = _pipeline()
    pipe = nlp.get_pipe("romanize_entities")
    direct = RomanizeEntities(nlp)
    expected = {k: DEFAULT_CONFIG[k] for k in SETTING_KEYS}
    assert pipe.settings == direct.settings == expected
    assert nlp.config["components"]["romanize_entities"]["get_candidates"] == {
        "@misc": "romanize_entities.get_candidates.v1"}


@pytest.mark.parametrize(("key", "value", "message"), [
    ("max_window", 0, "max_window"),
    ("candidates_limit", -1, "candidates_limit"),
    ("candidates_limit", 0, "candidates_limit"),
    ("threshold", 1.5, "threshold"),
    ("threshold", -0.1, "threshold"),
    ("labels", ["PERSONS"], "unknown labels"),
    ("spans_key", "", "spans_key"),
])
def test_impossible_settings_are_rejected(key: str, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _pipeline(**{key: value})


def test_aliases_and_include_default(hong_yaml: Path) -> None:
    both = _pipeline(aliases=[str(hong_yaml)])
    assert _links(both, "Hong Kil-tong met Kim Il Sung.") == [
        ("Hong Kil-tong", "hong-gildong"), ("Kim Il Sung", "kim-il-sung")]
    mine = _pipeline(aliases=[str(hong_yaml)], include_default=False)
    assert _links(mine, "Hong Kil-tong met Kim Il Sung.") == [
        ("Hong Kil-tong", "hong-gildong"), ("Kim Il Sung", "")]


def test_threshold() -> None:
    assert _links(_pipeline(), "Kirn Il Sung came.") == [("Kirn Il Sung", "kim-il-sung")]
    assert ("Kirn Il Sung", "kim-il-sung") not in _links(_pipeline(threshold=0.95),
                                                         "Kirn Il Sung came.")


def test_labels() -> None:
    text = "Kim Il Sung led the Workers' Party of Korea."
    assert {e.label_ for e in _pipeline()(text).ents} == {"PERSON", "ORG"}
    assert {e.label_ for e in _pipeline(labels=["ORG"])(text).ents} == {"ORG"}


def _with_ruler(**config: Any) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": "Il Sung"}])
    nlp.add_pipe("romanize_entities", config=config)
    return nlp


def test_overwrite_ents() -> None:
    kept = _with_ruler()("Kim Il Sung came.")
    assert [(e.text, e.label_) for e in kept.ents] == [("Il Sung", "GPE")]
    replaced = _with_ruler(overwrite_ents=True)("Kim Il Sung came.")
    assert [(e.text, e.kb_id_) for e in replaced.ents] == [("Kim Il Sung", "kim-il-sung")]


def test_spans_key() -> None:
    doc = _pipeline(spans_key="mine")("Kim Il Sung came.")
    assert "romanize_entities" not in doc.spans
    assert "kim-il-sung" in [s.kb_id_ for s in doc.spans["mine"]]


def test_max_window() -> None:
    assert _links(_pipeline(max_window=2), "Kim Il Sung came.") != [
        ("Kim Il Sung", "kim-il-sung")]
    assert _links(_pipeline(max_window=3), "Kim Il Sung came.") == [
        ("Kim Il Sung", "kim-il-sung")]


def test_link_partial() -> None:
    text = "Pak Hon Yong was arrested in 1953. Later comrade Pak was tried."
    assert _links(_pipeline(), text)[-1] == ("Pak", "pak-hon-yong")
    assert ("Pak", "pak-hon-yong") not in _links(_pipeline(link_partial=False), text)


def test_unlinked_korean_names() -> None:
    assert _links(_pipeline(), "Choe Lyong came.") == [("Choe Lyong", "")]
    assert _links(_pipeline(unlinked_korean_names=False), "Choe Lyong came.") == []


def test_candidates_limit() -> None:
    from romanize_entities.component import RETRIEVAL_LIMIT

    def asked(nlp: Language) -> tuple[set[int], set[int]]:
        limits: set[int] = set()
        pipe = nlp.get_pipe("romanize_entities")

        def generate(table: AliasTable, text: str, limit: int) -> list[Candidate]:
            limits.add(limit)
            people = [e for e in table if e.type == "PERSON"][:10]
            return [Candidate(e.id, 0.5, "fuzzy") for e in people]

        pipe.get_candidates = generate
        doc = nlp("Kim Il Sung came.")
        kept = {len(s._.entity_link["candidates"]) for s in doc.spans["romanize_entities"]}
        return limits, kept

    # retrieval is asked for enough to filter; candidates_limit is what is kept
    assert asked(_pipeline()) == ({RETRIEVAL_LIMIT}, {5})
    assert asked(_pipeline(candidates_limit=2)) == ({RETRIEVAL_LIMIT}, {2})


@registry.misc("test_contract.no_persons.v1")
def _no_persons() -> Callable[[AliasTable, str, int], list[Candidate]]:
    def generate(table: AliasTable, text: str, limit: int) -> list[Candidate]:
        found = table_lookup(table, text, limit)
        return [c for c in found if table[c.entity_id].type != "PERSON"]

    return generate


def test_get_candidates_is_a_registered_function_users_can_wrap(tmp_path: Path) -> None:
    nlp = _pipeline(get_candidates={"@misc": "test_contract.no_persons.v1"})
    text = "Kim Il Sung led the Workers' Party of Korea."
    assert [e.kb_id_ for e in nlp(text).ents if e.kb_id_] == ["workers-party-of-korea"]
    nlp.to_disk(tmp_path / "p")
    cfg = (tmp_path / "p" / "config.cfg").read_text(encoding="utf-8")
    assert "test_contract.no_persons.v1" in cfg
    assert [e.kb_id_ for e in spacy.load(tmp_path / "p")(text).ents if e.kb_id_] == [
        "workers-party-of-korea"]


def test_every_config_key_is_tested_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    for key in DEFAULT_CONFIG:
        assert source.count(key) >= 2, key


def test_settings_are_json_data() -> None:
    assert json.loads(json.dumps(_pipeline().get_pipe("romanize_entities").settings))


def test_load_helper_still_works() -> None:
    assert _links(romanize_entities.load(), "Kim Il Sung came.") == [
        ("Kim Il Sung", "kim-il-sung")]
