"""Alias table: loading, validation messages, merge rule, lookup and the packaged data."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import textwrap
import urllib.parse
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from romanize_entities import DEFAULT_THRESHOLD, AliasTable, Candidate, Entity, name_key
from romanize_entities.aliases import AliasTableError, default_table_path
from romanize_entities.cli import app
from romanize_entities.romanization import SYSTEMS, romanize

DATA = Path(__file__).parent / "data" / "aliases"
REPO = Path(__file__).resolve().parents[1]
PACKAGED = REPO / "data" / "aliases.yaml"


@pytest.fixture(scope="module")
def packaged() -> AliasTable:
    return AliasTable.from_yaml(PACKAGED, require_sources=True)


def write(tmp_path: Path, body: str, name: str = "t.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


def errors_of(*paths: Path, require_sources: bool = False) -> str:
    with pytest.raises(AliasTableError) as info:
        AliasTable.from_yaml(*paths, require_sources=require_sources)
    assert isinstance(info.value, ValueError)
    assert info.value.problems
    return str(info.value)


GOOD = """
entities:
  - id: pak-hon-yong
    type: PERSON
    name: Pak Hon-yong
    hangul: 박헌영
"""


# -- broken files: every message names file:line:col --------------------------


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, """
    entities:
      - id: a
        type: PERSON
        name: [unclosed
      - id: b
    """)
    msg = errors_of(path)
    assert msg.startswith(f"{path}:")
    assert "YAML syntax error" in msg
    line = int(msg.split(":")[1])
    assert 4 <= line <= 6


def test_duplicate_id_within_file(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + """\
  - id: pak-hon-yong
    type: PERSON
    name: Pak Hon-yong
""")
    msg = errors_of(path)
    assert f"{path}:6:" in msg and "duplicate id 'pak-hon-yong'" in msg
    assert f"{path}:2" in msg  # points back at the first definition


def test_unknown_type(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("PERSON", "PERSN"))
    msg = errors_of(path)
    assert f"{path}:3:11: entity 'pak-hon-yong': unknown type 'PERSN'" in msg


@pytest.mark.parametrize("hangul", ["박헌영1x", "Pak", "朴憲永"])
def test_bad_hangul(tmp_path: Path, hangul: str) -> None:
    path = write(tmp_path, GOOD.replace("박헌영", hangul))
    msg = errors_of(path)
    assert f"{path}:5:13: entity 'pak-hon-yong': hangul" in msg


def test_hangul_allows_digits_dot_hyphen_spaces(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("박헌영", "4·19 혁명-1").replace("PERSON", "EVENT"))
    assert len(AliasTable.from_yaml(path)) == 1


def test_empty_and_missing_name(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("name: Pak Hon-yong", 'name: ""'))
    assert f"{path}:4:11: entity 'pak-hon-yong': name is empty" in errors_of(path)
    path = write(tmp_path, GOOD.replace("    name: Pak Hon-yong\n", ""))
    assert f"{path}:2:5: entity 'pak-hon-yong': missing required key 'name'" in errors_of(path)


def test_non_list_aliases_and_non_string_alias(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "    aliases: Pak Heon-yeong\n    sources: [1]\n")
    msg = errors_of(path)
    assert f"{path}:6:14: entity 'pak-hon-yong': aliases must be a list of strings" in msg
    assert f"{path}:7:15: entity 'pak-hon-yong': source 1 must be a string" in msg


def test_born_not_int(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "    born: c. 1900\n")
    assert f"{path}:6:11: entity 'pak-hon-yong': born must be a year" in errors_of(path)


def test_python_tag_is_an_error_not_executed(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "    note: !!python/object/apply:os.system ['touch pwned']\n")
    msg = errors_of(path)
    assert f"{path}:6:11:" in msg and "unsupported YAML tag !!python/object/apply" in msg
    assert not (Path.cwd() / "pwned").exists()


@pytest.mark.parametrize("bad", ["Pak_Hon", "pak--hon", "Pak-hon", "-pak"])
def test_bad_id(tmp_path: Path, bad: str) -> None:
    path = write(tmp_path, GOOD.replace("id: pak-hon-yong", f"id: {bad}"))
    assert f"{path}:2:9: entity '{bad}': id '{bad}' must be lowercase" in errors_of(path)


def test_replaced_by_pointing_nowhere(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "    replaced_by: nobody\n")
    assert f"{path}:6:18: entity 'pak-hon-yong': replaced_by 'nobody'" in errors_of(path)


def test_missing_sources_only_in_packaged_mode(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert len(AliasTable.from_yaml(path)) == 1
    msg = errors_of(path, require_sources=True)
    assert f"{path}:2:5: entity 'pak-hon-yong': packaged entries need at least one source" in msg


def test_every_problem_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, """
    entities:
      - id: a
        type: NOPE
        name: A
      - id: b
        type: PERSON
        name: ""
    """)
    with pytest.raises(AliasTableError) as info:
        AliasTable.from_yaml(path)
    exc = info.value
    assert [(p.line, p.entity_id) for p in exc.problems] == [(3, "a"), (7, "b")]
    assert len(str(exc).splitlines()) == 2


# -- merge rule -------------------------------------------------------------------


def test_merge_unions_aliases_and_removes_nulls() -> None:
    table = AliasTable.from_yaml(DATA / "base.yaml", DATA / "user.yaml")
    pyongyang = table["pyongyang"]
    assert pyongyang.aliases == ("P'yŏngyang", "Heijo", "Pyeongyang", "Ryugyong")
    assert pyongyang.sources == ("https://example.org/pyongyang", "https://example.org/user")
    assert pyongyang.note is None
    assert pyongyang.hangul == "평양"
    assert table["new-person"].name == "Ri Chol"
    assert table.version == "test-1"
    assert len(table) == 5


def test_merge_conflicting_hangul_or_type_is_an_error() -> None:
    msg = errors_of(DATA / "base.yaml", DATA / "conflict.yaml")
    conflict = DATA / "conflict.yaml"
    assert f"{conflict}:5:13: entity 'kim-jong-suk': id 'kim-jong-suk' is already defined" in msg
    assert "김종숙" in msg
    assert f"{conflict}:7:11: entity 'pyongyang'" in msg and "'LOC'" in msg


def test_content_hash_is_stable_and_order_independent(tmp_path: Path) -> None:
    a = AliasTable.from_yaml(DATA / "base.yaml")
    b = AliasTable.from_yaml(DATA / "base.yaml")
    assert a.content_hash == b.content_hash and len(a.content_hash) == 64
    c = AliasTable.from_yaml(DATA / "base.yaml", DATA / "user.yaml")
    assert c.content_hash != a.content_hash


# -- table protocol -----------------------------------------------------------------


def test_mapping_protocol_and_resolve() -> None:
    table = AliasTable.from_yaml(DATA / "base.yaml")
    assert isinstance(table["pyongyang"], Entity)
    assert table.get("nope") is None
    with pytest.raises(KeyError):
        table["nope"]
    assert {e.id for e in table} == {"kim-jong-suk", "kim-jeong-suk", "old-id", "pyongyang"}
    assert table.resolve("old-id") == "kim-jong-suk"
    assert table.resolve("pyongyang") == "pyongyang"


def test_to_disk_from_disk_round_trip(tmp_path: Path) -> None:
    table = AliasTable.from_yaml(DATA / "base.yaml", DATA / "user.yaml")
    table.to_disk(tmp_path / "sub" / "table.msgpack")
    again = AliasTable.from_disk(tmp_path / "sub" / "table.msgpack")
    assert list(again) == list(table)
    assert again.content_hash == table.content_hash and again.version == table.version
    assert again.lookup("Pyeongyang") == table.lookup("Pyeongyang")
    assert not [p for p in (tmp_path / "sub").iterdir() if p.name.startswith(".tmp")]


def test_compiled_table_answers_every_lookup_like_the_yaml_one() -> None:
    # The compiled form stores the finished index, not the rows it was built
    # from: every spelling, typo and key variant must still rank the same.
    from romanize_entities.aliases import default_table_path

    table = AliasTable.from_yaml(default_table_path(), cache=False)
    compiled = AliasTable.from_bytes(table.to_bytes())
    queries = [s for e in table for s in (*e.spellings(), e.hangul or "")]
    queries += [q.replace("o", "u").replace("-", " ") for q in queries[:400]]
    queries += [q[:2] + "x" + q[3:] for q in queries[:200]]  # typos reach the fuzzy stage
    queries += ["Kirn Il Sung", "Pak Hon Yong", "Choe Yong-jin", "Khrushchov"]
    assert [compiled.lookup(q) for q in queries] == [table.lookup(q) for q in queries]
    assert [(e, e.aliases, e.sources) for e in compiled] == [
        (e, e.aliases, e.sources) for e in table
    ]
    assert isinstance(next(iter(compiled)).aliases, tuple)


def test_cache_is_used_on_second_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROMANIZE_ENTITIES_CACHE_DIR", str(tmp_path / "c"))
    first = AliasTable.from_yaml(DATA / "base.yaml", cache=True)
    cached = list((tmp_path / "c").glob("*.msgpack"))
    assert len(cached) == 1
    second = AliasTable.from_yaml(DATA / "base.yaml", cache=True)
    assert second.content_hash == first.content_hash


# -- lookup ---------------------------------------------------------------------------


def test_lookup_methods_and_scores() -> None:
    table = AliasTable.from_yaml(DATA / "base.yaml", DATA / "user.yaml")
    assert table.lookup("  pyongyang ")[0] == Candidate("pyongyang", 1.0, "exact", "Pyongyang",
                                                        verified=True)
    assert table.lookup("P’yŏngyang")[0].method == "alias"
    assert table.lookup("평양")[0].method == "hangul"
    assert table.lookup("Phyeongyang")[0].method in {"hangul", "key"}
    top = table.lookup("Pyŏngyang")[0]
    assert top.entity_id == "pyongyang" and top.score >= DEFAULT_THRESHOLD and top.verified
    assert table.lookup("") == []


def test_retired_id_resolves_in_lookup() -> None:
    table = AliasTable.from_yaml(DATA / "base.yaml")
    ids = [c.entity_id for c in table.lookup("Kim Jong-suk", limit=None)]
    assert "old-id" not in ids and ids[0] == "kim-jong-suk"


def test_key_fit_ranks_and_ties(tmp_path: Path) -> None:
    table = AliasTable.from_yaml(DATA / "base.yaml")
    ranked = table.lookup("Kim Jeong-sook", limit=None)
    assert [c.method for c in ranked[:2]] == ["key", "key"]
    assert ranked[0].entity_id == "kim-jeong-suk" and ranked[0].score > ranked[1].score
    path = write(tmp_path, """
    entities:
      - {id: pak-il-sok, type: PERSON, name: Pak Il-sok}
      - {id: pak-il-suk, type: PERSON, name: Pak Il-suk}
    """)
    a, b = AliasTable.from_yaml(path).lookup("Pak Il-souk")
    assert a.method == b.method == "key" and a.score == b.score
    assert (a.entity_id, b.entity_id) == ("pak-il-sok", "pak-il-suk")


def test_shared_alias_warns_and_ties() -> None:
    table = AliasTable.from_yaml(DATA / "shared.yaml")
    (warning,) = [w for w in table.warnings if "alias 'inchon'" in w.message]
    assert warning.severity == "warning" and (warning.line, warning.col) == (9, 15)
    assert "'inchon-person'" in warning.message and "'incheon'" in warning.message
    a, b = table.lookup("Inchon")[:2]
    assert a.score == b.score == 0.99
    assert {a.entity_id, b.entity_id} == {"inchon-person", "incheon"}


LETTER_PAIRS = [
    ("Pak Heon-yeong", "Pak Hon Yong", "pak-hon-yong"),
    ("Pak Jeong-ae", "Pak Jong Ae", "pak-chong-ae"),
    ("Nam Il", "Nam Il", "nam-il"),
    ("Pak Geum-cheol", "Pak Kum Chol", "pak-kum-chol"),
    ("Ri Il-gyeong", "Ri Il Kyong", "ri-il-gyeong"),
    ("Choe Yong-geon", "Choe Yong Gon", "choe-yong-gon"),
    ("Kim Chaek", "Kim Chek", "kim-chaek"),
    ("Ri Hong-gwang", "Ri Hong Kwang", "ri-hong-gwang"),
    ("Han Sang-du", "Han Sang Du", "han-sang-du"),
    ("Ri Cheong-won", "Ri Chong Won", "ri-cheong-won"),
    ("Choe Yong-jin", "Choe Yong Jin", "choe-yong-jin"),
]


@pytest.mark.parametrize(("rr", "bracketed", "entity_id"), LETTER_PAIRS)
def test_seed_letter_pairs_link_to_one_entity(packaged: AliasTable, rr: str, bracketed: str,
                                              entity_id: str) -> None:
    for text in (rr, bracketed):
        top = packaged.lookup(text)[0]
        assert top.entity_id == entity_id, (text, packaged.lookup(text))
        assert top.score >= DEFAULT_THRESHOLD


def test_different_valid_name_is_not_fuzzy_matched(packaged: AliasTable) -> None:
    for text in ("Choe Yong-jin", "Choe Yong Jin"):
        linked = [c for c in packaged.lookup(text, limit=None) if c.score >= DEFAULT_THRESHOLD]
        assert linked[0].entity_id != "choe-yong-gon"
        assert all(c.entity_id != "choe-yong-gon" for c in linked)


@pytest.mark.parametrize("text", ["Kirn Il Sung", "Kim II-Sung", "Kim Il Sunq"])
def test_ocr_errors_link_via_fuzzy(packaged: AliasTable, text: str) -> None:
    top = packaged.lookup(text)[0]
    assert (top.entity_id, top.method) == ("kim-il-sung", "fuzzy")
    assert DEFAULT_THRESHOLD <= top.score <= 0.9


def test_non_korean_fuzzy(packaged: AliasTable) -> None:
    top = packaged.lookup("Khrushchov")[0]
    assert top.entity_id == "nikita-khrushchev" and top.score >= DEFAULT_THRESHOLD
    assert packaged.lookup("Mao Tse-tung")[0].entity_id == "mao-zedong"
    assert packaged.lookup("20th Party Congress")[0].entity_id == "20th-congress-of-the-cpsu"


def test_lookup_is_deterministic(packaged: AliasTable) -> None:
    for text in ("Kim", "Pak Hon Yong", "Inchon", "Kirn Il Sung"):
        ranked = packaged.lookup(text, limit=None)
        assert ranked == sorted(ranked, key=lambda c: (-c.score, c.entity_id))
        assert ranked == packaged.lookup(text, limit=None)


# -- packaged data ----------------------------------------------------------------------


def test_default_table_loads(packaged: AliasTable) -> None:
    table = AliasTable.default()
    assert len(table) == len(packaged) >= 476
    assert table.version == "2026.11.1"
    assert default_table_path().is_file()
    assert AliasTable.load().content_hash == table.content_hash


def test_packaged_entries_have_sources_and_letter_entries(packaged: AliasTable) -> None:
    assert all(e.sources for e in packaged)
    for ident in ("ri-il-gyeong", "han-sang-du", "ri-cheong-won"):
        ent = packaged[ident]
        assert ent.hangul_source == "rr-reconstruction" and ent.note
        assert "no Hangul source seen" in ent.note
    assert "20th Party Congress" in packaged["20th-congress-of-the-cpsu"].aliases


#: Hosts that serve machine translations, scraped copies of encyclopedia articles or
#: generated SEO pages under their own addresses (found by the independent audits,
#: data/audit/recheck-5.md to recheck-7.md).
#: Such a page may be what was read, but only named as the copy it is (data/README.md).
COPY_HOSTS = re.compile(
    r"^(?:[\w-]+\.)*(?:(?:qaz|xcv|qwe|qwertyu|abcdef|zxc|other)\.wiki|wikial\.top|frwiki\.wiki"
    r"|knowledgr\.com|knowledger\.de|[\w.-]*stringtranslate[\w.-]*|marbk-[\w-]+\.win"
    r"|[\w-]+\.sbs|[\w-]+\.cfd|jmedia\.wiki|thesaurus\.net)$")


def test_packaged_sources_name_machine_translations_as_copies(packaged: AliasTable) -> None:
    unlabelled = [
        (e.id, s) for e in packaged for s in e.sources
        if COPY_HOSTS.match(urllib.parse.urlsplit(s.split()[0]).hostname or "")
        and not any(mark in s for mark in ("(read as", "copy of", "(translation of"))
    ]
    assert unlabelled == []


# Known engine/key gaps, reported upstream (not data errors): MR writes 덕혜옹주's
# given part "Hyeongju" with no syllable mark, and the key folds its "eo" as ㅓ.
# Kept exact so that the test fails (and this set shrinks) once the engine is fixed.
# Same kind of gap for 최부일 (Choe Pu-il) and 리두익 (Ri Tu-ik): MR writes the given
# names "Puil"/"Tuik" with no syllable break and the key reads their "ui" as the diphthong ㅢ,
# and for 최제우 (Choe Je-u): MR "Cheu", whose "eu" the key reads as ㅡ.
KNOWN_ROUND_TRIP_GAPS = {
    ("choe-je-u", "mr"),
    ("choe-je-u", "mr-ascii"),
    ("princess-deokhye", "mr"),
    ("princess-deokhye", "mr-ascii"),
    ("choe-pu-il", "mr"),
    ("choe-pu-il", "mr-ascii"),
    ("ri-tu-ik", "mr"),
    ("ri-tu-ik", "mr-ascii"),
}


def test_packaged_hangul_round_trips(packaged: AliasTable) -> None:
    failures = set()
    for ent in packaged:
        if ent.type != "PERSON" or not ent.hangul:
            continue
        for system in SYSTEMS:
            spelled = romanize(ent.hangul, system, name=True)
            if name_key(spelled) != name_key(ent.hangul):
                failures.add((ent.id, system))
    assert failures == KNOWN_ROUND_TRIP_GAPS


# -- CLI ----------------------------------------------------------------------------------


def test_check_cli_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(PACKAGED)])
    assert result.exit_code == 0, result.output
    bad = write(tmp_path, GOOD.replace("PERSON", "PERSN") + "  - id: Bad\n    type: ORG\n"
                "    name: x\n")
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3:11: entity 'pak-hon-yong': unknown type" in result.output
    assert f"{bad}:6:9: entity 'Bad': id 'Bad'" in result.output
    result = runner.invoke(app, ["check", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2


def test_check_cli_strict_and_require_sources(tmp_path: Path) -> None:
    runner = CliRunner()
    shared = DATA / "shared.yaml"
    result = runner.invoke(app, ["check", str(shared)])
    assert result.exit_code == 0 and "warning: " in result.output
    assert runner.invoke(app, ["check", str(shared), "--strict"]).exit_code == 1
    good = write(tmp_path, GOOD)
    assert runner.invoke(app, ["check", str(good), "--require-sources"]).exit_code == 1


def test_lookup_cli() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["lookup", "Pak Hon Yong", "--limit", "1"])
    assert result.exit_code == 0
    assert result.output.split("\t")[:3] == ["pak-hon-yong", "Pak Hon-yong", "PERSON"]
    result = runner.invoke(app, ["lookup", "Ri Chol", "--no-default",
                                 "--aliases", str(DATA / "base.yaml"),
                                 "--aliases", str(DATA / "user.yaml")])
    assert result.exit_code == 0 and result.output.startswith("new-person\t")


# -- packaging ------------------------------------------------------------------------------


@pytest.mark.skipif(importlib.util.find_spec("build") is None, reason="build not installed")
def test_wheel_contains_packaged_table(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(REPO)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        assert "romanize_entities/data/aliases.yaml" in zf.namelist()


@pytest.mark.parametrize(
    ("stored", "written"),
    [("리승엽", "이승엽"), ("이승엽", "리승엽"), ("최룡해", "최용해"), ("로동신문", "노동신문"),
     ("량강도", "양강도"), ("류미영", "유미영"), ("라선", "나선"), ("려운형", "여운형"),
     ("리승엽", "이 승엽")],
)
def test_initial_sound_law_spellings_match_as_hangul(
        tmp_path: Path, stored: str, written: str) -> None:
    """North and South Korean Hangul of one name link by method hangul, both ways."""
    path = write(tmp_path, f"""
        entities:
          - id: someone
            type: PERSON
            name: Someone
            hangul: {stored}
    """)
    found = AliasTable.from_yaml(path).lookup(written)
    assert found and found[0].entity_id == "someone", found
    assert found[0].method == "hangul" and found[0].score >= 0.97


def test_initial_sound_fold_leaves_other_text_alone() -> None:
    from romanize_entities.hangul import initial_sound_fold

    assert initial_sound_fold("Ri Sung-yop") == "Ri Sung-yop"
    assert initial_sound_fold("리승엽") == initial_sound_fold("이승엽") == "이승엽"
    assert initial_sound_fold("최룡해") == "최용해"
    assert initial_sound_fold("신라") == "신라"  # not the start of a part
    assert initial_sound_fold("김 리나") == "김 이나"
