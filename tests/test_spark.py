"""The Spark integration (romanize_entities.spark) in Spark local mode.

One SparkSession (local[2]) serves the whole module: starting Spark and its
first job cost ~20 s here, every later job a second or two. Results are
compared with the local path (batch.link_text, run_batch) record for record
and byte for byte.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs a Java runtime (java not on PATH)", allow_module_level=True)

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import StringType

from romanize_entities import AliasTable, load
from romanize_entities import spark as rs
from romanize_entities.batch import link_text, run_batch
from romanize_entities.readers import read_document
from romanize_entities.writers import MENTION_FIELDS, entity_rows

ROOT = Path(__file__).resolve().parents[1]
LETTERS = ROOT / "examples" / "letters"
SEED = ROOT / "tests" / "data" / "seed_letter.txt"
USER_ALIASES = ROOT / "tests" / "data" / "aliases" / "user.yaml"
COMPARED = ("mentions.jsonl", "entities.csv", "spellings.csv", "errors.jsonl")

Record = dict[str, Any]


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    # Without these the Python workers are whatever python3 is on PATH (no pyarrow there).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("romanize-entities-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _generated_documents() -> list[tuple[str, str]]:
    """Copies of the 1956 letter with other people's spellings, plus texts built from the table."""
    rng = random.Random(6)
    table = AliasTable.load()
    seed = SEED.read_text(encoding="utf-8")
    people = [e for e in table if e.type == "PERSON" and e.aliases and not e.replaced_by]
    places = [e for e in table if e.type in ("GPE", "LOC") and not e.replaced_by]
    docs: list[tuple[str, str]] = []
    for i in range(6):
        a, b = rng.sample(people, 2)
        text = seed.replace("Kim Il Sung", rng.choice(a.aliases))
        text = text.replace("Ri Sang-jo", rng.choice([b.name, *b.aliases]))
        docs.append((f"gen/letter-{i:02d}.txt", text))
    for i in range(24):
        sentences = []
        for _ in range(rng.randint(3, 8)):
            who = rng.choice(people)
            where = rng.choice(places)
            spelling = rng.choice([who.name, *who.aliases])
            sentences.append(
                f"In {rng.randint(1945, 1970)} {spelling} travelled to "
                f"{rng.choice([where.name, *where.aliases])} and met comrade "
                f"{spelling.split()[0]} of the Central Committee."
            )
        docs.append((f"gen/note-{i:02d}.txt", " ".join(sentences)))
    return docs


def _documents() -> list[tuple[str, str]]:
    letters = sorted(p for p in LETTERS.iterdir() if p.is_file())
    return [(p.name, read_document(p, LETTERS).text) for p in letters] + _generated_documents()


def _local_mentions(docs: list[tuple[str, str]], aliases: tuple[Path, ...] = ()) -> list[Record]:
    nlp = load(aliases=aliases)
    out: list[Record] = []
    for doc, text in docs:
        out.extend(link_text(nlp, text, doc)[0])
    return out


def _key(m: Record) -> tuple[str, int, int]:
    return (str(m["doc"]), int(m["start"]), int(m["end"]))


@pytest.fixture(scope="module")
def extracted(spark: SparkSession) -> dict[str, Any]:
    docs = _documents()
    rows: list[tuple[str, str | None]] = [*docs, ("broken/null-text", None)]
    # more partitions than cores and small batches: several tasks and batches per worker
    df = spark.createDataFrame(rows, "id string, text string").repartition(6)
    mentions_df, errors_df = rs.extract_mentions_with_errors(df, batch_size=4)
    mentions = [r.asDict() for r in mentions_df.collect()]
    errors = [r.asDict() for r in errors_df.collect()]
    return {"docs": docs, "mentions_df": mentions_df, "mentions": mentions, "errors": errors}


def test_mentions_equal_the_local_path(extracted: dict[str, Any]) -> None:
    local = _local_mentions(extracted["docs"])
    assert len(local) > 300
    assert {m["doc"] for m in local} >= {"1956-10-12-ri-sang-jo-letter.txt", "gen/letter-00.txt"}
    got = extracted["mentions"]
    for m in got:
        assert list(m) == [*MENTION_FIELDS, "table_hash"]
    hashes = {m.pop("table_hash") for m in got}
    assert hashes == {AliasTable.load().content_hash}
    assert sorted(got, key=_key) == sorted(local, key=_key)


def test_failed_document_is_an_error_row(extracted: dict[str, Any]) -> None:
    assert extracted["errors"] == [{
        "doc": "broken/null-text", "status": "failed",
        "reason": "TypeError: text column 'text' is null",
    }]
    assert not any(m["doc"] == "broken/null-text" for m in extracted["mentions"])


def test_pipeline_built_once_per_worker(spark: SparkSession, extracted: dict[str, Any]) -> None:
    import pandas as pd

    content_hash = AliasTable.load().content_hash

    def report(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for _ in batches:
            pass
        yield pd.DataFrame({"pid": [os.getpid()],
                            "builds": [rs._BUILDS.get(content_hash, 0)]})

    seen = spark.range(8, numPartitions=4).mapInPandas(report, "pid long, builds long").collect()
    builds = {r["pid"]: r["builds"] for r in seen}
    # 6 partitions x several batches were linked above, yet no worker built it twice
    assert max(builds.values()) == 1


def test_bytes_column_fails_per_document(spark: SparkSession) -> None:
    rows = [(1, b"Pak Hon-yong met Kim Il-sung."), (2, None)]
    df = spark.createDataFrame(rows, "doc_no long, body binary")
    mentions, errors = rs.extract_mentions_with_errors(df, text_col="body", id_col="doc_no")
    assert mentions.count() == 0
    got = sorted((r["doc"], r["status"], r["reason"]) for r in errors.collect())
    assert got[0][:2] == (1, "failed") and got[0][2].startswith(
        "TypeError: text column 'body' holds bytes, not a string")
    assert got[1] == (2, "failed", "TypeError: text column 'body' is null")


def test_summarize_entities_equals_entity_rows(extracted: dict[str, Any]) -> None:
    expected = entity_rows(extracted["mentions"], AliasTable.load())
    got = [list(r) for r in rs.summarize_entities(extracted["mentions_df"]).collect()]
    assert got == expected
    assert any(" | " in str(row[6]) for row in got)


def test_custom_aliases_reach_the_executors(spark: SparkSession, tmp_path: Path) -> None:
    custom = tmp_path / "custom.yaml"
    custom.write_text(USER_ALIASES.read_text(encoding="utf-8") + (
        "  - id: test-only-person\n    type: PERSON\n    name: Ko Tae-mun\n"
        "    aliases: [Kho Thae Mun]\n    wikidata: Q4115189\n"
    ), encoding="utf-8")
    text = "Ri Chol and Kho Thae Mun flew from Heijo. Later Ko Tae-mun wrote to Ri Chol."
    df = spark.createDataFrame([("a", text)], "id string, text string")
    mentions_df = rs.extract_mentions(df, aliases=[custom])
    table = AliasTable.load([custom])
    custom.unlink()  # the executors use the table shipped by the driver, not the YAML
    mentions = [r.asDict() for r in mentions_df.collect()]
    assert {m["table_hash"] for m in mentions} == {table.content_hash}
    for m in mentions:
        del m["table_hash"]
    nlp = load()
    nlp.get_pipe("romanize_entities").set_table(table)
    assert mentions == link_text(nlp, text, "a")[0]
    linked = {m["text"]: m["entity_id"] for m in mentions}
    assert linked["Ri Chol"] == "new-person" and linked["Heijo"] == "pyongyang"
    assert linked["Kho Thae Mun"] == "test-only-person"

    summary = rs.summarize_entities(mentions_df, aliases=[USER_ALIASES])  # other table
    with pytest.raises(Exception, match="alias table"):
        summary.collect()


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in COMPARED}


def test_run_batch_engine_spark_is_byte_identical(spark: SparkSession, tmp_path: Path) -> None:
    src = tmp_path / "docs"
    shutil.copytree(LETTERS, src)
    (src / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (src / "notes.xyz").write_text("Pak Hon-yong", encoding="utf-8")
    sub = src / "more"
    sub.mkdir()
    for name, text in _generated_documents()[:8]:
        (sub / Path(name).name).write_text(text, encoding="utf-8")
    local = run_batch([src], tmp_path / "local", jobs=1)
    on_spark = run_batch([src], tmp_path / "spark", engine="spark", master="local[2]")
    assert on_spark.counts() == local.counts()
    assert (local.failed, local.skipped) == (1, 1)
    assert _outputs(tmp_path / "spark") == _outputs(tmp_path / "local")
    errors = [json.loads(x) for x in (tmp_path / "spark" / "errors.jsonl").open()]
    assert [e["doc"] for e in errors] == ["notes.xyz", "scan.txt"]
    run = json.loads((tmp_path / "spark" / "run.json").read_text(encoding="utf-8"))
    assert run["table"]["content_hash"] == AliasTable.load().content_hash


def test_cli_run_engine_spark(spark: SparkSession, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from romanize_entities.cli import app

    result = CliRunner().invoke(app, [
        "run", str(LETTERS), "--out", str(tmp_path / "cli"), "-q",
        "--engine", "spark", "--master", "local[2]",
    ])
    assert result.exit_code == 0, result.output
    run_batch([LETTERS], tmp_path / "local")
    assert _outputs(tmp_path / "cli") == _outputs(tmp_path / "local")


def test_get_spark_uses_the_active_session(spark: SparkSession) -> None:
    assert rs.get_spark("local[1]") is spark


def test_missing_column_is_a_clear_error(spark: SparkSession) -> None:
    df: DataFrame = spark.createDataFrame([("a", "x")], "key string, body string")
    with pytest.raises(ValueError, match="no column 'text'"):
        rs.extract_mentions(df)


def test_spark_that_cannot_start_is_a_config_error_and_touches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from romanize_entities.batch import BatchConfigError

    out = tmp_path / "out"
    run_batch([LETTERS], out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def no_java(master: str | None = None, **_: Any) -> SparkSession:
        raise RuntimeError("Java gateway process exited before sending its port number")

    monkeypatch.setattr(rs, "get_spark", no_java)
    with pytest.raises(BatchConfigError, match=r"could not start Spark.*Java gateway"):
        run_batch([LETTERS], out, engine="spark", master="local[2]", force=True)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


# --------------------------------------------------------------------------- #
# The engine's job window (no Spark needed)
# --------------------------------------------------------------------------- #


def test_ordered_jobs_start_the_next_job_when_any_finishes() -> None:
    """Job 0 can only finish once job 2 has started: a window that waited for the
    oldest job (the futures queue it replaced) would never start job 2 here."""
    job2_started = threading.Event()

    def job(i: int) -> str:
        if i == 0:
            return "0 saw 2" if job2_started.wait(timeout=10) else "0 timed out"
        if i == 2:
            job2_started.set()
        return str(i)

    assert list(rs._OrderedJobs(job, 5, window=2, ahead=4)) == ["0 saw 2", "1", "2", "3", "4"]


def _logging_starts(job: Callable[[int], Any]) -> tuple[Callable[[int], Any], list[int]]:
    """*job*, recording each index as it starts (the window calls it from several threads)."""
    started: list[int] = []
    lock = threading.Lock()

    def run(i: int) -> Any:
        with lock:
            started.append(i)
        return job(i)

    return run, started


def _square_later_first(i: int) -> int:
    time.sleep(0.02 * (6 - i))  # later jobs finish first
    return i * i


def test_ordered_jobs_keep_order_and_bound_what_runs_ahead() -> None:
    job, started = _logging_starts(_square_later_first)
    jobs = rs._OrderedJobs(job, 6, window=3, ahead=2)
    results = iter(jobs)
    assert next(results) == 0
    time.sleep(0.3)  # the consumer dawdles: no job beyond wanted + ahead may start
    assert max(started) <= 1 + 2 - 1
    assert list(results) == [1, 4, 9, 16, 25]
    jobs.stop()


def _fail_at_two(i: int) -> int:
    if i == 2:
        raise ValueError("chunk 2 broke")
    time.sleep(0.05)
    return i


def test_ordered_jobs_raise_a_failed_job_in_order_and_stop() -> None:
    job, started = _logging_starts(_fail_at_two)
    jobs = rs._OrderedJobs(job, 20, window=2, ahead=20)
    got: list[int] = []
    with pytest.raises(ValueError, match="chunk 2 broke"):
        for value in jobs:
            got.append(value)
    assert got == [0, 1]
    time.sleep(0.3)  # time enough for a window that kept going to start several more jobs
    jobs.stop()  # returns: no thread is left waiting
    # no job starts after the failure is known (the other thread may have had one running)
    assert max(started) <= 3


def test_run_batch_engine_spark_reads_every_format_writes_html_and_resumes(
    spark: SparkSession, tmp_path: Path
) -> None:
    """Executors run the same readers as the local runner: a legacy Korean encoding,
    DOCX and PDF come out byte-identical, --html pages too, and a second run over
    the same output folder finds every document unchanged."""
    docx = pytest.importorskip("docx")
    pytest.importorskip("pypdf")
    from test_readers import _minimal_pdf

    src = tmp_path / "docs"
    src.mkdir()
    (src / "legacy.txt").write_bytes(
        "박헌영 (Pak Hon-yong) arrived in Pusan from Seoul.".encode("cp949"))
    document = docx.Document()
    document.add_paragraph("Kim Il Sung received Pak Heon-yeong in Pyongyang.")
    document.save(str(src / "report.docx"))
    (src / "scan.pdf").write_bytes(
        _minimal_pdf(["Page one mentions Incheon.", "Ri Il Kyong wrote from Kaesong."]))

    local = run_batch([src], tmp_path / "local", jobs=1, html=True)
    on_spark = run_batch([src], tmp_path / "spark", engine="spark", master="local[2]",
                         html=True)
    assert local.done == 3 and local.mentions > 0
    assert on_spark.counts() == local.counts()
    assert _outputs(tmp_path / "spark") == _outputs(tmp_path / "local")
    pages = sorted(p.relative_to(tmp_path / "local") for p in (tmp_path / "local").rglob("*.html"))
    # three documents and the index, and the report's entity pages
    assert len([p for p in pages if p.parts[1] != "entities"]) == 4
    assert "pak-hon-yong.html" in {p.name for p in pages if p.parts[1] == "entities"}
    for page in pages:
        assert (tmp_path / "spark" / page).read_bytes() == (tmp_path / "local" / page).read_bytes()

    again = run_batch([src], tmp_path / "spark", engine="spark", master="local[2]", html=True)
    assert (again.unchanged, again.done) == (3, 0)
    assert _outputs(tmp_path / "spark") == _outputs(tmp_path / "local")


@pytest.mark.parametrize("n_tasks, cores",
                         [(1, 1), (7, 2), (2000, 2), (2000, 16), (5, 64), (1_000_000, 200)])
def test_chunk_plan_keeps_cores_busy_with_few_jobs(n_tasks: int, cores: int) -> None:
    size, window, per_job = rs._chunk_plan(n_tasks, cores)
    jobs = -(-n_tasks // size)
    slots = -(-cores // per_job)  # jobs that together give every core a partition
    assert 1 <= size <= rs._MAX_FILES_PER_TASK * per_job
    assert window <= rs._MAX_JOBS_IN_FLIGHT
    assert window * per_job >= cores + 1  # a core that finishes a partition finds another queued
    assert jobs <= rs._ROUNDS_PER_CORE * slots  # each job costs a fixed ~0.05-0.1 s
    if n_tasks >= 8 * cores:
        assert jobs >= 2 * slots  # at least two rounds: the driver writes while cores link


def test_settings_reach_spark_executors(spark: SparkSession, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from romanize_entities.cli import app

    src = tmp_path / "docs"
    shutil.copytree(LETTERS, src)
    (src / "typo.txt").write_text("Kirn Il Sung met Kim Jung Il.\n", encoding="utf-8")
    args = ["--threshold", "0.96", "--set", "max_window=4"]
    result = CliRunner().invoke(app, ["run", str(src), "--out", str(tmp_path / "spark"), "-q",
                                      "--engine", "spark", "--master", "local[2]", *args])
    assert result.exit_code == 0, result.output
    run_batch([src], tmp_path / "local", settings={"threshold": 0.96, "max_window": 4})
    run_batch([src], tmp_path / "default")
    assert _outputs(tmp_path / "spark") == _outputs(tmp_path / "local")
    assert _outputs(tmp_path / "spark") != _outputs(tmp_path / "default")
    info = json.loads((tmp_path / "spark" / "run.json").read_text(encoding="utf-8"))
    assert info["settings"]["threshold"] == 0.96 and info["settings"]["max_window"] == 4
    # the DataFrame API takes the same settings
    df = spark.createDataFrame([("t", "Kirn Il Sung met Kim Jung Il.")], "id string, text string")
    strict = {r["text"]: r["entity_id"]
              for r in rs.extract_mentions(df, settings={"threshold": 0.96}).collect()}
    loose = {r["text"]: r["entity_id"] for r in rs.extract_mentions(df).collect()}
    assert loose["Kirn Il Sung"] == "kim-il-sung" and strict.get("Kirn Il Sung") is None


def test_spark_names_non_utf8_files_like_the_local_runner(
    spark: SparkSession, tmp_path: Path
) -> None:
    src = tmp_path / "docs"
    src.mkdir()
    name = os.fsencode(src) + b"/" + "편지.txt".encode("cp949")
    try:
        with open(name, "w", encoding="utf-8") as fh:
            fh.write("Kim Il Sung met Pak Hon Yong in the Communist Party of the USSR.\n")
    except OSError:
        pytest.skip("the file system refuses non-UTF-8 names")
    (src / "100%.txt").write_text("Pak Hon Yong spoke.\n", encoding="utf-8")
    run_batch([src], tmp_path / "local", html=True)
    run_batch([src], tmp_path / "spark", engine="spark", master="local[2]", html=True)
    assert _outputs(tmp_path / "spark") == _outputs(tmp_path / "local")
    docs = {json.loads(x)["doc"] for x in (tmp_path / "spark" / "mentions.jsonl").open()}
    assert docs == {"%C6%ED%C1%F6.txt", "100%25.txt"}
    assert (tmp_path / "spark" / "html" / "%C6%ED%C1%F6.txt.html").is_file()


def test_mentions_frame_has_cluster_and_parent(spark: SparkSession) -> None:
    df = spark.createDataFrame([("t", "He wrote to the Communist Party of the USSR.")],
                               "id string, text string")
    frame = rs.extract_mentions(df)
    assert frame.columns[-3:] == ["cluster", "parent", "table_hash"]
    rows = {r["text"]: r for r in frame.collect()}
    assert rows["USSR"]["parent"] == [16, 43] and rows["USSR"]["cluster"] is None
    assert rows["Communist Party of the USSR"]["parent"] is None
    summary = rs.summarize_entities(frame)
    assert summary.columns[-2:] == ["linked", "cluster"]


def test_summarize_entities_has_cluster_rows_like_entity_rows(spark: SparkSession) -> None:
    from romanize_entities.spark.frames import _combined_schema

    def row(doc: str, text: str, entity_id: str | None, cluster: str | None) -> Record:
        return {"doc": doc, "start": 0, "end": len(text), "text": text, "label": "PERSON",
                "entity_id": entity_id, "name": None, "score": 0.9, "method": "alias",
                "cluster": cluster, "parent": None}

    mentions = [row("a", "Choe Lyong", None, "c1"), row("a", "Choi Ryong", None, "c1"),
                row("b", "Choe Lyong", None, "c1"), row("b", "Ri Il", None, "c2"),
                row("a", "Kim Il Sung", "kim-il-sung", None), row("b", "Nobody", None, None)]
    schema = _combined_schema(StringType())
    frame = spark.createDataFrame(
        [tuple(m.get(f.name) for f in schema.fields) for m in mentions], schema)
    got = [list(r) for r in rs.summarize_entities(frame.select(*rs.MENTION_COLUMNS[:-1]))
           .collect()]
    expected = entity_rows(mentions, AliasTable.load())
    assert got == expected
    assert [r[-2:] for r in got] == [["true", ""], ["false", "c1"], ["false", "c2"]]
