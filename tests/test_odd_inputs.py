"""Odd inputs a newcomer met: file names, symlink loops, --out placement, locks, modes,
foreign outputs, `check --with-default`, --version, `python -m`, --help."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from romanize_entities.batch import BatchConfigError, run_batch
from romanize_entities.cli import app
from romanize_entities.readers import display_path

REPO = Path(__file__).resolve().parents[1]
LETTERS = REPO / "examples" / "letters"
CP949_NAME = "편지.txt".encode("cp949")  # b"\xc6\xed\xc1\xf6.txt"
ESCAPED = "%C6%ED%C1%F6.txt"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _can_create_bytes_name(folder: Path) -> bool:
    name = os.fsencode(folder) + b"/" + CP949_NAME
    try:
        with open(name, "wb"):
            pass
    except (OSError, UnicodeError):
        return False
    os.remove(name)
    return True


# -- file names that are not UTF-8 --------------------------------------------------------


def test_display_path_escapes_non_utf8_bytes_and_percent() -> None:
    assert display_path("plain/letter.txt") == "plain/letter.txt"
    assert display_path("한글/편지.txt") == "한글/편지.txt"
    assert display_path(os.fsdecode(CP949_NAME)) == ESCAPED
    # only the bytes that are not UTF-8: CF BC in CP949's 김일성 happens to be "ϼ"
    assert display_path(os.fsdecode("김일성.txt".encode("cp949"))) == "%B1%E8%C0ϼ%BA.txt"
    assert display_path("100%.txt") == "100%25.txt"
    assert display_path(os.fsdecode(b"a%\xff.txt")) == "a%25%FF.txt"


@pytest.fixture
def odd_names(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    if not _can_create_bytes_name(folder):
        pytest.skip("the file system refuses non-UTF-8 names")
    with open(os.fsencode(folder) + b"/" + CP949_NAME, "w", encoding="utf-8") as fh:
        fh.write("Kim Il Sung met Pak Hon Yong.\n")
    (folder / "100%.txt").write_text("Pak Hon Yong spoke.\n", encoding="utf-8")
    (folder / "plain.txt").write_text("Kim Il Sung spoke.\n", encoding="utf-8")
    return folder


def test_run_links_documents_with_non_utf8_names(odd_names: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["run", str(odd_names), "--out", str(out), "--html", "-q"])
    assert res.exit_code == 0, res.output
    docs = [m["doc"] for m in _jsonl(out / "mentions.jsonl")]
    assert set(docs) == {ESCAPED, "100%25.txt", "plain.txt"}
    assert {e["doc"] for e in _jsonl(out / "state.jsonl")} == set(docs)
    assert (out / "html" / f"{ESCAPED}.html").is_file()
    assert (out / "html" / "100%25.txt.html").is_file()
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="%25C6%25ED%25C1%25F6.txt.html"' in index
    assert ESCAPED in (out / "spellings.csv").read_text(encoding="utf-8")
    again = run_batch([odd_names], out, html=True)
    assert again.unchanged == 3 and again.done == 0


# -- symlink loops --------------------------------------------------------------------------


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(LETTERS, folder)
    os.symlink(folder / "b.txt", folder / "a.txt")
    os.symlink(folder / "a.txt", folder / "b.txt")
    return folder


def test_run_fails_a_symlink_loop_and_goes_on(loop: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["run", str(loop), "--out", str(tmp_path / "out"), "-q"])
    assert res.exit_code == 1, res.output
    errors = _jsonl(tmp_path / "out" / "errors.jsonl")
    assert errors == [{"doc": "a.txt", "status": "failed", "reason": "symlink loop"},
                      {"doc": "b.txt", "status": "failed", "reason": "symlink loop"}]
    reference = run_batch([LETTERS], tmp_path / "reference")
    assert len(_jsonl(tmp_path / "out" / "mentions.jsonl")) == reference.mentions > 0


def test_suggest_skips_a_symlink_loop(loop: Path) -> None:
    res = CliRunner().invoke(app, ["suggest", str(loop)])
    assert res.exit_code == 0, res.output
    assert f"skipped {loop / 'a.txt'}: symlink loop" in res.stderr
    assert "Traceback" not in res.output


# -- where --out is ---------------------------------------------------------------------------


def test_out_inside_an_input_folder_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(LETTERS, folder)
    out = folder / "results"
    first = run_batch([folder], out, html=True)
    second = run_batch([folder], out, html=True)
    third = run_batch([folder], out, html=True, force=True)
    assert first.mentions == second.mentions == third.mentions
    assert first.documents == second.documents == third.documents == 3
    assert not any(m["doc"].startswith("results/") for m in _jsonl(out / "mentions.jsonl"))


def test_out_equal_to_an_input_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(LETTERS, folder)
    with pytest.raises(BatchConfigError, match="is an INPUT folder"):
        run_batch([folder], folder)


def test_a_second_run_on_the_same_out_exits_2(tmp_path: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "a+", encoding="utf-8") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242\n")
        held.flush()
        res = CliRunner().invoke(app, ["run", str(LETTERS), "--out", str(out), "-q"])
        assert res.exit_code == 2
        assert "another run is writing to" in res.stderr and "4242" in res.stderr
        assert not (out / "mentions.jsonl").exists()
    res = CliRunner().invoke(app, ["run", str(LETTERS), "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output


def test_concurrent_runs_one_wins(tmp_path: Path) -> None:
    code = ("import sys; from romanize_entities.cli import main; "
            "sys.argv = ['romanize-entities', 'run', sys.argv[1], '--out', sys.argv[2], '-q']; "
            "main()")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out = tmp_path / "out"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(LETTERS), str(out)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(code for code, _ in results)
    # they overlap unless one finished before the other started; never both write at once
    assert codes in ([0, 0], [0, 2])
    if codes == [0, 2]:
        assert any("another run is writing" in err for _, err in results)


@pytest.fixture
def umask() -> Iterator[Any]:
    old = os.umask(0o022)
    try:
        yield os.umask
    finally:
        os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_outputs_follow_the_umask(tmp_path: Path, umask: Any, mask: int, mode: int) -> None:
    umask(mask)
    out = tmp_path / "out"
    run_batch([LETTERS], out, html=True)
    for path in [*out.iterdir(), *(out / "html").iterdir()]:
        if path.is_file() and path.name != ".lock":
            assert stat.S_IMODE(path.stat().st_mode) == mode, path.name


def test_unrelated_outputs_are_not_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mentions.jsonl").write_text('{"mine": true}\n', encoding="utf-8")
    res = CliRunner().invoke(app, ["run", str(LETTERS), "--out", str(out), "-q"])
    assert res.exit_code == 2 and "no run.json" in res.stderr
    assert (out / "mentions.jsonl").read_text(encoding="utf-8") == '{"mine": true}\n'
    res = CliRunner().invoke(app, ["run", str(LETTERS), "--out", str(out), "-q", "--force"])
    assert res.exit_code == 0


# -- check --with-default, --version, python -m, --help ---------------------------------------


def test_check_with_default_sees_a_clash_with_the_packaged_table(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("entities:\n  - id: kim-il-sung\n    type: ORG\n    name: Kim Il Sung U\n",
                    encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["check", str(mine)]).exit_code == 0
    res = runner.invoke(app, ["check", str(mine), "--with-default"])
    assert res.exit_code == 1 and "already defined" in res.stdout
    run = runner.invoke(app, ["run", str(LETTERS), "--out", str(tmp_path / "o"), "-a", str(mine)])
    assert run.exit_code == 2
    fine = tmp_path / "fine.yaml"
    fine.write_text("entities:\n  - id: hong-gildong\n    type: PERSON\n    name: Hong Gil-dong\n",
                    encoding="utf-8")
    res = runner.invoke(app, ["check", str(fine), "--with-default", "--strict"])
    assert res.exit_code == 0, res.output


def test_version_and_python_m() -> None:
    from romanize_entities import __version__

    res = CliRunner().invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"romanize-entities {__version__}"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run([sys.executable, "-m", "romanize_entities", "--version"], env=env,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"romanize-entities {__version__}"
    done = subprocess.run([sys.executable, "-m", "romanize_entities", "lookup", "Kim Il Sung"],
                          env=env, capture_output=True, text=True, check=True)
    assert done.stdout.startswith("kim-il-sung\t")


def test_alias_table_error_is_importable_from_the_package() -> None:
    from romanize_entities import AliasTableError
    from romanize_entities.aliases import AliasTableError as Same

    assert AliasTableError is Same


@pytest.mark.parametrize("command", ["run", "suggest", "lookup", "check", "romanize", None])
def test_help_has_no_type_noise(command: str | None) -> None:
    res = CliRunner().invoke(app, [command, "--help"] if command else ["--help"],
                             env={"COLUMNS": "100"})
    assert res.exit_code == 0
    for noise in ("<bool>", "<str>", "<int>", "<path>", "<list", "{INPUT}", "{TEXT}"):
        assert noise not in res.stdout, noise


def test_bench_aliases_help() -> None:
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench_aliases.py"),
                           "--help"], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert "usage:" in done.stdout


def test_an_error_reason_quoting_a_non_utf8_name_is_still_written(tmp_path: Path) -> None:
    from romanize_entities.schema import error_record
    from romanize_entities.writers import dumps_line

    reason = "cannot open file: " + os.fsdecode(CP949_NAME)
    line = dumps_line(error_record("x.txt", "failed", reason))
    (tmp_path / "e.jsonl").write_text(line, encoding="utf-8")  # no UnicodeEncodeError
    assert json.loads(line)["reason"].startswith("cannot open file: \ufffd")
