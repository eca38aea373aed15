"""The batch runner (romanize_entities.batch) and the `romanize-entities run` command."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from romanize_entities import worker
from romanize_entities.batch import KILL_AFTER_ENV, BatchConfigError, link_text, run_batch
from romanize_entities.cli import app
from romanize_entities.readers import read_document

ROOT = Path(__file__).resolve().parents[1]
LETTERS = ROOT / "examples" / "letters"
USER_ALIASES = ROOT / "tests" / "data" / "aliases" / "user.yaml"
COMPARED = ("mentions.jsonl", "entities.csv", "spellings.csv", "errors.jsonl")


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in COMPARED}


@pytest.fixture(scope="module")
def letters_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("letters") / "out"
    result = run_batch([LETTERS], out, html=True)
    assert result.exit_code == 0
    assert (result.done, result.failed, result.skipped) == (3, 0, 0)
    return out


def test_letters_entities_and_offsets(letters_run: Path) -> None:
    with open(letters_run / "entities.csv", encoding="utf-8", newline="") as fh:
        rows = {row["entity_id"]: row for row in csv.DictReader(fh)}
    pak = rows["pak-hon-yong"]
    spellings = pak["spellings"].split(" | ")
    assert {"Pak Hon-yong", "Park Hun-young", "Pak Hon Yong"} <= set(spellings)
    assert pak["name"] == "Pak Hon-yong" and pak["type"] == "PERSON"
    assert int(pak["documents"]) == 2
    assert "busan" in rows and "kim-il-sung" in rows

    mentions = _jsonl(letters_run / "mentions.jsonl")
    assert mentions
    texts = {
        p.name: read_document(p, LETTERS).text for p in LETTERS.iterdir()
    }
    docs_seen: list[str] = []
    for m in mentions:
        assert list(m) == ["doc", "start", "end", "text", "label", "entity_id", "name",
                           "score", "method", "cluster", "parent"]
        text = texts[str(m["doc"])]
        assert text[int(str(m["start"])):int(str(m["end"]))] == m["text"]
        if not docs_seen or docs_seen[-1] != m["doc"]:
            docs_seen.append(str(m["doc"]))
    assert docs_seen == sorted(set(docs_seen))  # document order = iter_inputs order

    with open(letters_run / "spellings.csv", encoding="utf-8", newline="") as fh:
        spelling = list(csv.DictReader(fh))
    assert {"entity_id": "pak-hon-yong", "spelling": "Park Hun-young",
            "doc": "pak-hon-yong-spellings.html", "count": "1", "linked": "true",
            "cluster": ""} in spelling

    run = json.loads((letters_run / "run.json").read_text())
    assert run["counts"]["done"] == 3 and run["table"]["content_hash"]
    assert run["started"] and run["finished"]
    assert (letters_run / "errors.jsonl").read_text() == ""
    assert (letters_run / "html" / "index.html").exists()
    assert (letters_run / "html" / "pak-hon-yong-spellings.html.html").exists()


def test_resume_processes_nothing_and_output_is_identical(letters_run: Path) -> None:
    before = _outputs(letters_run)
    again = run_batch([LETTERS], letters_run, html=True)
    assert again.done == 0 and again.unchanged == 3 and again.exit_code == 0
    assert _outputs(letters_run) == before


def test_resume_after_kill_and_change(tmp_path: Path, letters_run: Path) -> None:
    src = tmp_path / "docs"
    shutil.copytree(LETTERS, src)
    out = tmp_path / "out"
    run_batch([src], out)
    reference = _outputs(out)
    # Simulate a kill in the middle of writing a document: a partial line at the end.
    with open(out / "mentions.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"doc": "half')
    with open(out / "state.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"root": "x", "doc')
    # Drop the first document's state entry, so it is redone and appended last.
    state = (out / "state.jsonl").read_text().splitlines(keepends=True)
    first = json.loads(state[0])
    mention_lines = (out / "mentions.jsonl").read_text().splitlines(keepends=True)
    (out / "state.jsonl").write_text("".join(state[1:3]))
    (out / "mentions.jsonl").write_text("".join(mention_lines[first["mentions"]:]))
    result = run_batch([src], out)
    assert (result.done, result.unchanged) == (1, 2)
    assert _outputs(out) == reference
    # A changed file is processed again.
    (src / "empty-note.txt").write_text("Kim Il-sung went to Pusan.\n")
    result = run_batch([src], out)
    assert (result.done, result.unchanged) == (1, 2)
    assert any(m["doc"] == "empty-note.txt" for m in _jsonl(out / "mentions.jsonl"))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
@pytest.mark.parametrize("jobs", [1, 2])
def test_sigkill_then_resume_gives_the_uninterrupted_output(tmp_path: Path, jobs: int) -> None:
    src = tmp_path / "docs"
    src.mkdir()
    letter = (ROOT / "tests" / "data" / "seed_letter.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in letter.split("\n\n") if p.strip()]
    for i in range(8):  # eight different documents, so a wrong resume cannot hide
        (src / f"part-{i}.txt").write_text("\n\n".join(paragraphs[i::8]), encoding="utf-8")
    reference = tmp_path / "reference"
    run_batch([src], reference)

    out = tmp_path / "out"
    code = (
        "import sys; from romanize_entities.batch import run_batch; "
        f"run_batch([sys.argv[1]], sys.argv[2], jobs={jobs})"
    )
    env = {**os.environ, KILL_AFTER_ENV: "3"}
    killed = subprocess.run([sys.executable, "-c", code, str(src), str(out)], env=env,
                            capture_output=True, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert len((out / "state.jsonl").read_text().splitlines()) == 3
    assert not (out / "entities.csv").exists()  # the summary tables were never written

    result = run_batch([src], out, jobs=jobs)
    assert (result.unchanged, result.done) == (3, 5)
    assert _outputs(out) == _outputs(reference)


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the crash is patched into forked workers")
def test_a_worker_that_dies_fails_its_document_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "docs"
    shutil.copytree(LETTERS, src)
    (src / "oom.txt").write_text("Kim Il Sung spoke.\n", encoding="utf-8")
    real_read = worker.read_document

    def read_or_die(path: Path, root: Path) -> Any:
        if path.name == "oom.txt":
            os._exit(137)  # what the kernel's OOM killer leaves behind
        return real_read(path, root)

    monkeypatch.setattr(worker, "read_document", read_or_die)
    result = run_batch([src], tmp_path / "out", jobs=2)
    assert (result.done, result.failed) == (3, 1) and result.exit_code == 1
    errors = _jsonl(tmp_path / "out" / "errors.jsonl")
    assert errors == [{"doc": "oom.txt", "status": "failed", "reason": errors[0]["reason"]}]
    assert "worker process died" in str(errors[0]["reason"])
    reference = run_batch([LETTERS], tmp_path / "reference")
    assert result.mentions == reference.mentions


def test_jobs_outputs_are_byte_identical(tmp_path: Path) -> None:
    one = run_batch([LETTERS], tmp_path / "j1", jobs=1)
    two = run_batch([LETTERS], tmp_path / "j2", jobs=2)
    assert one.counts() == two.counts()
    assert _outputs(tmp_path / "j1") == _outputs(tmp_path / "j2")


def test_mixed_folder_failures_are_reported(tmp_path: Path) -> None:
    src = tmp_path / "mixed"
    src.mkdir()
    (src / "a-good.txt").write_text("Pak Hon-yong met Kim Il-sung.\n", encoding="utf-8")
    (src / "b-scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (src / "c-notes.xyz").write_text("Pak Hon-yong", encoding="utf-8")
    (src / "d-korean.txt").write_bytes("박헌영과 김일성은 평양에서 만났다.".encode("cp949"))
    out = tmp_path / "out"
    result = run_batch([src], out)
    assert result.exit_code == 1
    assert result.failed >= 1 and result.skipped == 1
    errors = {e["doc"]: e for e in _jsonl(out / "errors.jsonl")}
    assert errors["b-scan.txt"]["status"] == "failed"
    assert "binary" in str(errors["b-scan.txt"]["reason"])
    assert errors["c-notes.xyz"]["status"] == "skipped"
    assert "a-good.txt" not in errors
    linked = {m["entity_id"] for m in _jsonl(out / "mentions.jsonl") if m["doc"] == "a-good.txt"}
    assert {"pak-hon-yong", "kim-il-sung"} <= linked
    assert "pak-hon-yong" in (out / "entities.csv").read_text(encoding="utf-8")


def test_only_skipped_files_exit_zero(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Busan.\n")
    (src / "b.xyz").write_text("x")
    result = run_batch([src], tmp_path / "out")
    assert result.exit_code == 0 and result.skipped == 1


def test_different_table_refused_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Pak Hon-yong in Pusan.\n")
    run_batch([src], out)
    with pytest.raises(BatchConfigError, match="different alias table"):
        run_batch([src], out, aliases=[USER_ALIASES])
    result = run_batch([src], out, aliases=[USER_ALIASES], force=True)
    assert result.done == 1 and result.unchanged == 0


def test_long_text_offsets_index_the_whole_text() -> None:
    from romanize_entities import load

    nlp = load()
    text = "Pak Hon-yong met Kim Il-sung.\n\n" * 20 + "Then Park Hun-young went to Pusan."
    whole, _ = link_text(nlp, text, "d")
    nlp.max_length = 100
    chunked, docs = link_text(nlp, text, "d")
    assert len(docs) > 1
    assert chunked == whole
    for m in chunked:
        assert text[int(str(m["start"])):int(str(m["end"]))] == m["text"]


def test_cli_run(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(LETTERS), "--out", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    assert "entities.csv" in res.output
    res = runner.invoke(app, ["run", str(LETTERS), "--out", str(out), "-a", str(USER_ALIASES)])
    assert res.exit_code == 2
    assert "different alias table" in res.output
    res = runner.invoke(app, ["run", str(tmp_path / "missing"), "--out", str(out)])
    assert res.exit_code == 2


def test_cli_broken_alias_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("entities:\n  - id: x\n    type: PERSON\n    name: [unclosed\n")
    res = CliRunner().invoke(
        app, ["run", str(LETTERS), "--out", str(tmp_path / "out"), "-a", str(broken)]
    )
    assert res.exit_code == 2
    assert f"{broken}:" in res.output
    assert not (tmp_path / "out" / "mentions.jsonl").exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_counts_mentions_and_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "docs"
    shutil.copytree(LETTERS, src)
    (src / "scan.txt").write_bytes(b"\x00\x01\x02\xff" * 200)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    done = run_batch([src], tmp_path / "out", quiet=False)
    shown = terminal.getvalue()
    assert "4/4" in shown and f"mentions={done.mentions}" in shown and "failed=1" in shown
    assert done.mentions == run_batch([LETTERS], tmp_path / "reference").mentions > 100
    quiet = _Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    run_batch([src], tmp_path / "out2", quiet=True)
    assert quiet.getvalue() == ""


def test_an_unexpected_reader_exception_fails_that_document_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Readers promise ReadError; if one breaks that promise the run still goes on
    # (every engine runs process_file, so each gets the same answer).
    def read(path: Path, root: Path) -> Any:
        if Path(path).suffix == ".html":
            raise RuntimeError("parser exploded")
        return read_document(path, root)

    monkeypatch.setattr(worker, "read_document", read)
    result = run_batch([LETTERS], tmp_path / "out", jobs=1)
    assert (result.done, result.failed) == (2, 1)
    errors = _jsonl(tmp_path / "out" / "errors.jsonl")
    assert errors == [{"doc": "pak-hon-yong-spellings.html", "status": "failed",
                       "reason": "RuntimeError: parser exploded"}]
