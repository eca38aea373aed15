"""Apache Spark integration: link documents of a Spark DataFrame; run the batch runner on Spark.

Entry points:

* :func:`extract_mentions` / :func:`extract_mentions_with_errors`: a DataFrame of
  documents (an id column and a text column) in, a DataFrame of mentions out (the
  fields of the batch runner's ``mentions.jsonl`` plus ``table_hash``), and one of
  failed documents;
* :func:`summarize_entities`: the ``entities.csv`` table from a mentions DataFrame;
* :func:`spark_outcomes`: the engine behind ``run_batch(..., engine="spark")`` and
  ``romanize-entities run --engine spark``;
* :func:`get_spark`: the active SparkSession, or a new one set up for local work.

Design, and why:

* **The pipeline is built once per Python worker, not per row and not broadcast.**
  Building it (importing spaCy, reading and indexing the alias table) takes
  about a second, linking a short document a few milliseconds, so the work runs
  in ``mapInPandas`` (the batch engine: ``mapPartitions`` over file names): the
  function receives an iterator over a whole partition and looks the pipeline
  up in the module-level ``_PIPELINES`` dict, keyed by the table's content hash.
  Spark reuses Python workers between tasks (``spark.python.worker.reuse``, on
  by default), so the dict outlives the task
  and later tasks, stages and jobs with the same table find it built.
  Broadcasting a *loaded* pipeline instead would pickle spaCy's ``Language``
  (vocab, string store, this component and its index) on the driver, keep it in
  the driver's and every executor's block manager, and unpickle it in every
  Python worker: no faster than building it from the table, many times the
  table's size, and dependent on spaCy's internals pickling identically on
  driver and executors. ``nlp.pipe(n_process=...)``
  is never used inside executors: Spark already runs one worker per core, and
  forking more processes there would oversubscribe the cores.
* **The alias table travels with the job, as a file.** The driver loads the
  table once (the same :meth:`AliasTable.load` the local runner uses), writes its
  compiled form (:meth:`AliasTable.to_disk`, msgpack data, not pickle) under a
  name containing its content hash and registers it with
  ``SparkContext.addFile``; workers open it with ``SparkFiles.get``. Every
  executor therefore links against exactly the driver's table, even when the
  YAML files are not on the executors or differ there, and the worker checks the
  hash it reads against the one the driver expects. The hash is written into
  every mention row (``table_hash``) so results from different tables cannot be
  mixed up unnoticed.
* **Records come from** :func:`romanize_entities.worker.link_text` (and the batch
  engine calls :func:`romanize_entities.worker.process_file`), so mentions are
  identical to the local runner's, field for field.
* **A document never fails the job.** An exception while linking one document,
  a null or non-string text, becomes an error row (``status`` ``"failed"``,
  ``reason`` ``"ExcType: message"``). Only problems that concern the whole job
  (the table file missing on an executor, a crashed worker) fail tasks, and
  Spark retries those as usual.
"""

from __future__ import annotations

import atexit
import functools
import gc
import importlib
import itertools
import json
import operator
import os
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:
    import pandas as pd
    from pyspark import SparkFiles
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql.types import (
        ArrayType,
        BooleanType,
        DataType,
        DoubleType,
        LongType,
        StringType,
        StructField,
        StructType,
    )
    # mapInPandas needs pyarrow: fail on import, not later in a worker
    importlib.import_module("pyarrow")
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        f"romanize_entities.spark needs the spark extra ({exc.name or exc} is missing): "
        "pip install 'romanize-entities[spark]'"
    ) from exc

from romanize_entities import worker
from romanize_entities.aliases import AliasTable
from romanize_entities.schema import ERROR_FIELDS, ERROR_SCHEMA, MENTION_FIELDS, MENTION_SCHEMA
from romanize_entities.writers import ENTITY_FIELDS, SPELLING_SEPARATOR

if TYPE_CHECKING:
    from romanize_entities.worker import Outcome, Task, WorkerInit

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "ERROR_COLUMNS",
    "MENTION_COLUMNS",
    "extract_mentions",
    "extract_mentions_with_errors",
    "get_spark",
    "spark_outcomes",
    "summarize_entities",
]

PathLike = str | os.PathLike[str]

#: Documents linked before the Python worker hands an output batch back to Spark.
DEFAULT_BATCH_SIZE = 256
#: Columns of the mentions DataFrame: the ``mentions.jsonl`` fields plus ``table_hash``.
MENTION_COLUMNS = (*MENTION_FIELDS, "table_hash")
#: Columns of the errors DataFrame (as in ``errors.jsonl``).
ERROR_COLUMNS = ERROR_FIELDS
# Rows of one mapInPandas pass: mention rows have status null, error rows a status.
_COMBINED_COLUMNS = (*MENTION_COLUMNS, *(f for f in ERROR_FIELDS if f != "doc"))
# The batch engine's Spark tasks hold at most this many files (results come back
# to the driver in pieces of bounded size), and at most this many jobs run at once.
_MAX_FILES_PER_TASK = 2000
_MAX_JOBS_IN_FLIGHT = 32
_RUNS = itertools.count()
# Jobs per core of a `run --engine spark` (see _chunk_plan).
_ROUNDS_PER_CORE = 4
_PIPELINE_CACHE_SIZE = 4

# --------------------------------------------------------------------------- #
# The session
# --------------------------------------------------------------------------- #


def _local_cores(master: str) -> int | None:
    """Cores of a ``local``/``local[N]``/``local[*]``/``local[N,F]`` master; None if not local."""
    if master == "local":
        return 1
    found = re.fullmatch(r"local\[(\*|\d+)(?:,\s*\d+)?\]", master)
    if found is None:
        return None
    return (os.cpu_count() or 1) if found.group(1) == "*" else max(1, int(found.group(1)))


def get_spark(master: str | None = None, *, app_name: str = "romanize-entities") -> SparkSession:
    """The active SparkSession; if there is none, a new one on *master* (default ``local[*]``).

    An active session (a notebook's, spark-submit's, a test fixture's) is always
    used as it is: its master and settings belong to whoever created it. A new
    session is set up for work on this machine:

    * ``PYSPARK_PYTHON`` and ``PYSPARK_DRIVER_PYTHON`` default to
      ``sys.executable`` for local masters, because otherwise Spark starts its
      Python workers with whatever ``python3`` is first on PATH, which often
      lacks pyarrow and this package;
    * the driver is bound to 127.0.0.1 for local masters (hosts whose name
      resolves to an unreachable address otherwise make the JVM wait or warn);
      for cluster masters it is not, since executors must reach the driver;
    * the web UI and the console progress bar (which would garble the batch
      runner's) are off, and ``spark.sql.shuffle.partitions`` is small (twice the
      local cores): the summaries shuffle little data and 200 partitions would
      mostly be overhead;
    * ``spark.python.worker.reuse`` is on (Spark's default, made explicit) since
      the per-worker pipeline cache depends on it.
    """
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    master = master or "local[*]"
    cores = _local_cores(master)
    if cores is not None:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise RuntimeError(
            "Spark needs a Java runtime (17 or newer for PySpark 4): install one "
            "(e.g. apt-get install default-jre-headless) or set JAVA_HOME"
        )
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.python.worker.reuse", "true")
    )
    if cores is not None:
        builder = (
            builder.config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", str(max(2, 2 * cores)))
        )
    return builder.getOrCreate()


# --------------------------------------------------------------------------- #
# Shipping the table (driver side)
# --------------------------------------------------------------------------- #

_SHIP_LOCK = threading.Lock()
_SHIPPED: set[tuple[str, str]] = set()  # (application id, file name)
_SHIP_DIR: list[Path] = []


def _table_file_name(content_hash: str) -> str:
    return f"romanize-entities-table-{content_hash[:32]}.msgpack"


def _spark_context(spark: SparkSession) -> Any:
    """The session's SparkContext; Spark Connect sessions have none, which is said clearly."""
    try:
        return spark.sparkContext
    except Exception as exc:  # PySparkNotImplementedError on Spark Connect
        raise RuntimeError(
            "romanize_entities.spark needs a classic Spark session (with a SparkContext): "
            "the alias table is shipped with SparkContext.addFile, which Spark Connect "
            "sessions (Databricks serverless, standard access mode) do not have"
        ) from exc


def _ship_table(spark: SparkSession, table: AliasTable) -> str:
    """Register the compiled *table* with ``addFile`` once per application; return its file name.

    The file lives in one temporary folder per driver process, named by content
    hash: Spark refuses a second file of the same name from a different path,
    and a file once added must stay readable while the application runs (it is
    served from there), so the folder is removed only when the driver exits.
    """
    name = _table_file_name(table.content_hash)
    sc = _spark_context(spark)
    key = (str(sc.applicationId), name)
    with _SHIP_LOCK:
        if key in _SHIPPED:
            return name
        if not _SHIP_DIR:
            folder = Path(tempfile.mkdtemp(prefix="romanize-entities-spark-"))
            atexit.register(shutil.rmtree, folder, True)
            _SHIP_DIR.append(folder)
        path = _SHIP_DIR[0] / name
        if not path.exists():
            table.to_disk(path)
        sc.addFile(str(path))
        _SHIPPED.add(key)
    return name


def _load_table(aliases: Sequence[PathLike] | None, include_default: bool) -> AliasTable:
    if not include_default and not aliases:
        raise ValueError("include_default=False needs at least one alias file in aliases")
    return AliasTable.load([str(p) for p in aliases or ()], include_default=include_default)


# --------------------------------------------------------------------------- #
# The pipeline (worker side)
# --------------------------------------------------------------------------- #

# content hash -> (nlp, table); lives as long as the Python worker process.
_PIPELINES: dict[str, tuple[Any, AliasTable]] = {}
# How many pipelines this process built; tests use it to check "once per worker".
_BUILDS: dict[str, int] = {}


def _pipeline(table_file: str, content_hash: str, init_json: str = "{}",
              ) -> tuple[Any, AliasTable]:
    """The pipeline for the shipped table and settings, built on first use in this worker.

    Runs on executors. *init_json* holds the component settings and the model
    (``{"settings": {...}, "model": ...}``, JSON so it pickles small and keys the
    cache). Only a few pipelines are kept, so a long-lived worker that serves
    many different tables does not grow without bound.
    """
    key = f"{content_hash}:{init_json}"
    cached = _PIPELINES.get(key)
    if cached is not None:
        return cached

    try:
        table = AliasTable.from_disk(SparkFiles.get(table_file))
    except ValueError as exc:  # the compiled format differs between driver and executor
        raise RuntimeError(
            f"cannot read the alias table shipped by the driver ({exc}): the driver and the "
            "executors must run the same romanize-entities version"
        ) from exc
    if table.content_hash != content_hash:
        raise RuntimeError(
            f"alias table file {table_file} has content hash {table.content_hash}, "
            f"the driver shipped {content_hash}"
        )
    given = json.loads(init_json)
    # The table is set before first use, so the component never reads alias files here.
    nlp = worker.build_pipeline(
        worker.WorkerInit(settings=given.get("settings") or {}, model=given.get("model")), table
    )
    while len(_PIPELINES) >= _PIPELINE_CACHE_SIZE:
        _PIPELINES.pop(next(iter(_PIPELINES)))
    _PIPELINES[key] = (nlp, table)
    _BUILDS[content_hash] = _BUILDS.get(content_hash, 0) + 1
    # PySpark's daemon runs gc.collect() after every task of a reused worker;
    # freezing the long-lived pipeline keeps each of those from rescanning it.
    gc.collect()
    gc.freeze()
    return nlp, table


def _init_json(settings: Mapping[str, Any] | None, model: str | None) -> str:
    """Component settings and model as the canonical JSON the executors build from."""
    from romanize_entities.settings import SettingsError, check_component_settings

    try:
        checked = check_component_settings(dict(settings or {}))
    except SettingsError as exc:
        raise ValueError(str(exc)) from exc
    return json.dumps({"settings": checked, "model": model}, sort_keys=True)


def _check_text(text: object, text_col: str) -> str:
    """*text* if it is a string; otherwise the TypeError that makes its document fail."""
    if isinstance(text, str):
        return text
    if text is None or (isinstance(text, float) and text != text):
        raise TypeError(f"text column {text_col!r} is null")
    if isinstance(text, (bytes, bytearray)):
        raise TypeError(
            f"text column {text_col!r} holds bytes, not a string; decode it first, "
            f"e.g. F.decode(F.col({text_col!r}), 'utf-8')"
        )
    raise TypeError(f"text column {text_col!r} holds {type(text).__name__}, not a string")


def _frame(rows: list[dict[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    # object columns: Arrow converts each to the declared Spark type, None to null.
    return pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object) for c in columns})


def _link_batches(
    batches: Iterator[pd.DataFrame],
    *,
    table_file: str,
    content_hash: str,
    text_col: str,
    id_col: str,
    batch_size: int,
    init_json: str = "{}",
) -> Iterator[pd.DataFrame]:
    """mapInPandas function of :func:`extract_mentions_with_errors` (runs on executors)."""
    nlp, table = _pipeline(table_file, content_hash, init_json)
    rows: list[dict[str, Any]] = []
    linked = 0
    for frame in batches:
        ids = frame[id_col].astype(object).where(frame[id_col].notna(), None).tolist()
        for doc_id, text in zip(ids, frame[text_col].tolist(), strict=True):
            try:
                records, _ = _link_checked(nlp, text, text_col, table)
            except Exception as exc:  # one document's failure, not the job's
                rows.append({"doc": doc_id, "status": "failed",
                             "reason": f"{type(exc).__name__}: {exc}"})
            else:
                for record in records:
                    record["doc"] = doc_id
                    record["table_hash"] = content_hash
                rows.extend(records)
            linked += 1
            if linked >= batch_size:
                if rows:
                    yield _frame(rows, _COMBINED_COLUMNS)
                rows, linked = [], 0
    if rows:
        yield _frame(rows, _COMBINED_COLUMNS)


def _link_checked(
    nlp: Any, text: object, text_col: str, table: AliasTable
) -> tuple[list[dict[str, Any]], list[Any]]:
    """:func:`worker.link_text` after checking that *text* is a string (see :func:`_check_text`)."""
    return worker.link_text(nlp, _check_text(text, text_col), "", table)


# --------------------------------------------------------------------------- #
# DataFrame API
# --------------------------------------------------------------------------- #


_SQL_TYPES: dict[str, Any] = {
    "string": StringType, "long": LongType, "double": DoubleType,
}


def _sql_type(name: str) -> DataType:
    """The Spark type of a :mod:`romanize_entities.schema` type name ("array<long>" too)."""
    if name.startswith("array<") and name.endswith(">"):
        return ArrayType(_sql_type(name[6:-1]), True)
    kind: DataType = _SQL_TYPES[name]()
    return kind


def _combined_schema(doc_type: DataType) -> StructType:
    """Mention fields, then ``table_hash``, then the error fields other than ``doc``."""
    fields = [
        StructField(name, doc_type if name == "doc" else _sql_type(kind), True)
        for name, kind in (*MENTION_SCHEMA, ("table_hash", "string"),
                           *(f for f in ERROR_SCHEMA if f[0] != "doc"))
    ]
    return StructType(fields)


def extract_mentions_with_errors(
    df: DataFrame,
    text_col: str = "text",
    id_col: str = "id",
    *,
    aliases: Sequence[PathLike] | None = None,
    include_default: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    persist: bool = True,
    settings: Mapping[str, Any] | None = None,
    model: str | None = None,
) -> tuple[DataFrame, DataFrame]:
    """``(mentions, errors)`` for the documents of *df*; see :func:`extract_mentions`.

    ``errors`` has one row per document that could not be linked: ``doc`` (the
    id), ``status`` (``"failed"``) and ``reason`` (``"ExcType: message"``).

    Both frames come from one ``mapInPandas`` pass over *df*. Spark would run
    that pass again for every action on either frame, so with *persist* (the
    default) the pass's result is persisted (memory, spilling to disk) and each
    document is linked once however many actions follow. The persisted data is
    the frames' common parent, not either frame, so ``mentions.unpersist()``
    does not release it: ``spark.catalog.clearCache()`` or the end of the
    session does. With ``persist=False`` nothing is cached.
    """
    if text_col not in df.columns:
        raise ValueError(f"no column {text_col!r} in the DataFrame (columns: {df.columns})")
    if id_col not in df.columns:
        raise ValueError(f"no column {id_col!r} in the DataFrame (columns: {df.columns})")
    if id_col == text_col:
        raise ValueError(f"id_col and text_col are both {id_col!r}: the id must be another column")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    init_json = _init_json(settings, model)
    table = _load_table(aliases, include_default)
    spark = df.sparkSession
    table_file = _ship_table(spark, table)
    func = functools.partial(
        _link_batches, table_file=table_file, content_hash=table.content_hash,
        text_col=text_col, id_col=id_col, batch_size=batch_size, init_json=init_json,
    )
    schema = _combined_schema(df.schema[id_col].dataType)
    combined = df.select(id_col, text_col).mapInPandas(func, schema)
    if persist:
        combined = combined.persist()
    mentions = combined.filter(F.col("status").isNull()).select(*MENTION_COLUMNS)
    errors = combined.filter(F.col("status").isNotNull()).select(*ERROR_COLUMNS)
    return mentions, errors


def extract_mentions(
    df: DataFrame,
    text_col: str = "text",
    id_col: str = "id",
    *,
    aliases: Sequence[PathLike] | None = None,
    include_default: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    settings: Mapping[str, Any] | None = None,
    model: str | None = None,
) -> DataFrame:
    """One row per mention in the documents of *df* (lazy: nothing runs until an action).

    Columns: ``doc`` (the value of *id_col*, with its type), ``start``, ``end``,
    ``text``, ``label``, ``entity_id``, ``name``, ``score``, ``method`` — the
    batch runner's ``mentions.jsonl`` fields, with the same values — and
    ``table_hash``, the content hash of the alias table used. *aliases* and
    *include_default* choose the table as for ``romanize-entities run``; it is
    loaded here, on the driver, and shipped to the executors. *settings* (component
    config keys such as ``threshold``) and *model* (a spaCy pipeline run before the
    component) reach every executor, as ``run --set/--model`` do.

    Documents that fail (a null or non-string text, an exception while linking)
    are left out; use :func:`extract_mentions_with_errors` to see them.
    *batch_size* is how many documents a worker links before it hands their
    mentions back to Spark as one Arrow batch (it bounds the worker's memory);
    how many documents Spark hands *to* a worker at once is the session's
    ``spark.sql.execution.arrow.maxRecordsPerBatch``, which is worth lowering
    for very long documents. Linking runs in parallel over *df*'s partitions:
    repartition a DataFrame with few partitions first.
    """
    mentions, _ = extract_mentions_with_errors(
        df, text_col, id_col, aliases=aliases, include_default=include_default,
        batch_size=batch_size, persist=False, settings=settings, model=model,
    )
    return mentions


def summarize_entities(
    mentions_df: DataFrame,
    *,
    aliases: Sequence[PathLike] | None = None,
    include_default: bool = True,
) -> DataFrame:
    """The ``entities.csv`` table of *mentions_df*, as a DataFrame sorted like the file.

    Columns and values are those of :func:`romanize_entities.writers.entity_rows`:
    ``entity_id``, ``name``, ``type``, ``wikidata`` (``""`` when unknown),
    ``mentions``, ``documents``, ``spellings`` (distinct written forms, most
    frequent first, ties alphabetical, joined by ``" | "``), ``linked``
    (``"true"``/``"false"``) and ``cluster``; linked entities first, most
    mentioned first, then by id; then one row per cluster of unlinked names
    (empty ``entity_id``). ``name``, ``type`` and ``wikidata`` come from
    the alias table, which *aliases* / *include_default* choose: pass the same
    as to :func:`extract_mentions`. When *mentions_df* has a ``table_hash``
    column, a row linked with another table makes the action fail with a clear
    error instead of mixing two tables' ids.
    """
    table = _load_table(aliases, include_default)
    spark = mentions_df.sparkSession
    m = mentions_df
    if "table_hash" in m.columns:
        expected = table.content_hash
        m = m.filter(
            F.when(
                F.col("table_hash") != F.lit(expected),
                F.raise_error(F.concat(
                    F.lit("summarize_entities: mention linked with alias table "),
                    F.col("table_hash"),
                    F.lit(f", but the table given has content hash {expected}; pass the "
                          "aliases/include_default used for extract_mentions"),
                )),
            ).otherwise(F.lit(True))
        )
    if "cluster" not in m.columns:  # mentions from before clusters existed
        m = m.withColumn("cluster", F.lit(None).cast(StringType()))
    # A group is a linked entity ("e", id) or a cluster of unlinked names ("c", cluster),
    # as in writers.entity_rows.
    has_id = F.col("entity_id").isNotNull() & (F.col("entity_id") != "")
    has_cluster = F.col("cluster").isNotNull() & (F.col("cluster") != "")
    grouped = m.filter(has_id | has_cluster).withColumn(
        "g_kind", F.when(has_id, F.lit("e")).otherwise(F.lit("c"))
    ).withColumn("g_id", F.when(has_id, F.col("entity_id")).otherwise(F.col("cluster")))
    per_form = grouped.groupBy("g_kind", "g_id", "text").agg(F.count(F.lit(1)).alias("n"))
    # Sorting (-count, text) structs gives most frequent first, ties by code point
    # (Spark compares strings as UTF-8 bytes, which orders like Python's str).
    forms = per_form.groupBy("g_kind", "g_id").agg(
        F.concat_ws(
            SPELLING_SEPARATOR,
            F.transform(
                F.sort_array(F.collect_list(F.struct((-F.col("n")).alias("k"), F.col("text")))),
                lambda s: s["text"],
            ),
        ).alias("spellings")
    )
    counts = grouped.groupBy("g_kind", "g_id").agg(
        F.count(F.lit(1)).alias("mentions"),
        # a struct is never null, so a null doc id counts as one document, as in Python
        F.count_distinct(F.struct(F.col("doc"))).alias("documents"),
        F.min("label").alias("label"),
    )
    info_schema = StructType([
        StructField("g_id", StringType(), False),
        StructField("e_name", StringType(), True),
        StructField("e_type", StringType(), True),
        StructField("e_wikidata", StringType(), True),
        StructField("known", BooleanType(), False),
    ])
    info = spark.createDataFrame(
        [(e.id, e.name, e.type, e.wikidata or "", True) for e in table], info_schema
    ).withColumn("g_kind", F.lit("e"))
    joined = counts.join(forms, ["g_kind", "g_id"]).join(
        F.broadcast(info), ["g_kind", "g_id"], "left")
    known = F.col("known").isNotNull()
    linked = F.col("g_kind") == F.lit("e")
    return joined.select(
        F.when(linked, F.col("g_id")).otherwise(F.lit("")).alias("entity_id"),
        F.when(known, F.col("e_name")).alias("name"),
        # an id the table does not know (mentions from another table), or a cluster:
        # the mention label
        F.when(known, F.col("e_type")).otherwise(F.col("label")).alias("type"),
        F.when(known, F.col("e_wikidata")).otherwise(F.lit("")).alias("wikidata"),
        "mentions",
        "documents",
        "spellings",
        F.when(linked, F.lit("true")).otherwise(F.lit("false")).alias("linked"),
        F.when(linked, F.lit("")).otherwise(F.col("g_id")).alias("cluster"),
        F.col("g_kind"), F.col("g_id"),
    ).orderBy(F.col("g_kind").asc(), F.col("mentions").desc(), F.col("g_id").asc(),
              ).select(*ENTITY_FIELDS)


# --------------------------------------------------------------------------- #
# The batch runner's engine
# --------------------------------------------------------------------------- #

def _process_partition(
    tasks: Iterator[tuple[int, Task]], *, table_file: str, content_hash: str,
    init_json: str = "{}",
) -> Iterator[tuple[int, Outcome]]:
    """mapPartitions function of :func:`spark_outcomes` (runs on executors)."""
    nlp, table = _pipeline(table_file, content_hash, init_json)
    worker.use_pipeline(nlp, table)
    for index, task in tasks:
        yield index, worker.process_file(task)


def _chunk_plan(n_tasks: int, parallelism: int) -> tuple[int, int, int]:
    """``(files per job, jobs in flight, partitions per job)`` for :func:`spark_outcomes`.

    Every job costs a fixed ~0.05-0.1 s (planning on the driver, task set-up,
    the ``gc.collect()`` PySpark runs after each task in a reused Python
    worker), so jobs are few and large: about four per core, so the driver
    writes earlier results while later ones are linked and the last job, whose
    results the driver writes while the cores idle, is small. One job more than
    there are cores is in flight, so a core that finishes finds work queued.
    Tasks hold at most ``_MAX_FILES_PER_TASK`` files, which bounds the driver's
    memory on huge runs; on big clusters (more than ``_MAX_JOBS_IN_FLIGHT``
    cores) a job has several partitions instead of the driver running hundreds
    of jobs at once.
    """
    parallelism = max(1, parallelism)
    window = min(parallelism + 1, _MAX_JOBS_IN_FLIGHT)
    per_job = -(-(parallelism + 1) // window)
    rounds = _ROUNDS_PER_CORE * -(-parallelism // per_job)
    size = -(-n_tasks // rounds)
    return max(1, min(size, _MAX_FILES_PER_TASK * per_job)), window, per_job


def _run_chunk(
    sc: Any, tasks: list[Task], first: int, partitions: int, func: Any, group: str,
) -> list[Outcome]:
    """Link ``tasks`` (numbered from *first*) as one Spark job; outcomes in task order.

    An RDD job, not a DataFrame one: the tasks and outcomes are Python objects
    pickled straight through, and a job costs the JVM a fifth of what
    ``createDataFrame(...).mapInPandas(...).collect()`` does (SQL planning,
    Arrow conversion), which mattered with a few jobs per core.
    """
    sc.setJobGroup(group, "romanize-entities run --engine spark", False)
    numbered = list(enumerate(tasks, start=first))
    found = sorted(sc.parallelize(numbered, partitions).mapPartitions(func).collect(),
                   key=operator.itemgetter(0))
    if [index for index, _ in found] != list(range(first, first + len(tasks))):
        raise RuntimeError(f"Spark returned {len(found)} outcomes for {len(tasks)} files "
                           f"(files {first}-{first + len(tasks) - 1})")
    return [outcome for _, outcome in found]


class _OrderedJobs:
    """Run ``job(i)`` for i in ``range(n)`` on *window* threads; hand results back in order.

    A thread takes the next job as soon as its previous one finishes, whatever
    order they finish in (waiting for the oldest job before starting another,
    as a queue of futures does, left a core idle whenever a later job finished
    first). At most *ahead* jobs run or wait beyond the one the consumer needs
    next, which bounds the results held in memory.
    """

    def __init__(self, job: Any, n: int, window: int, ahead: int) -> None:
        self._job, self._n, self._ahead = job, n, ahead
        self._cond = threading.Condition()
        self._results: dict[int, tuple[bool, Any]] = {}
        self._next = 0  # the next job to start
        self._wanted = 0  # the next result the consumer takes
        self._stopped = False
        self._threads = [
            threading.Thread(target=self._work, name=f"romanize-entities-spark-{i}", daemon=True)
            for i in range(min(window, n))
        ]
        for thread in self._threads:
            thread.start()

    def _work(self) -> None:
        while True:
            with self._cond:
                while (not self._stopped and self._next < self._n
                       and self._next - self._wanted >= self._ahead):
                    self._cond.wait()
                if self._stopped or self._next >= self._n:
                    return
                index = self._next
                self._next += 1
            try:
                result: tuple[bool, Any] = (True, self._job(index))
            except BaseException as exc:  # handed to the consumer, raised there
                result = (False, exc)
            with self._cond:
                self._results[index] = result
                if not result[0]:
                    # The consumer stops at this job: later ones would be wasted work.
                    # Earlier ones have all started (jobs start in order) and finish.
                    self._stopped = True
                self._cond.notify_all()

    def __iter__(self) -> Iterator[Any]:
        for index in range(self._n):
            with self._cond:
                while index not in self._results:
                    self._cond.wait()
                ok, value = self._results.pop(index)
                self._wanted = index + 1
                self._cond.notify_all()
            if not ok:
                raise value
            yield value

    def stop(self) -> None:
        """Start no more jobs and wait for the running ones (cancel them first to be quick)."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()


def spark_outcomes(
    tasks: list[Task], init: WorkerInit, table: AliasTable, *, master: str | None = None,
) -> Iterator[Outcome]:
    """Outcomes of *tasks* computed on Spark, in task order (the ``spark`` engine of run_batch).

    *tasks* name files that executors read themselves, so the paths must be
    visible to them (a shared file system; trivially so in local mode). *init*'s
    alias paths are not used on the executors: *table*, already loaded by the
    driver, is shipped to them instead, so the alias files need not exist there.

    The task list is cut into consecutive chunks, each linked by one small
    Spark job (``mapPartitions`` over the chunk's file names, then
    ``collect``), with a window of jobs in flight, like the local engine's
    process pool. Results come back in task order while later chunks are still
    being linked, so the driver's writing (``run_batch`` fsyncs every
    document) overlaps with the executors' work, and the driver holds only a
    few chunks, never the whole corpus. (One job over the whole corpus would
    have to finish, or be cached, before ``toLocalIterator`` streams it back,
    and ``toLocalIterator`` on its own computes one partition at a time.) The
    task index travels with every outcome, so the order never depends on
    Spark's. Closing the generator early cancels the jobs still running.
    *init*'s component settings and model reach every executor.
    """
    if not tasks:
        return
    spark = get_spark(master)
    table_file = _ship_table(spark, table)
    func = functools.partial(
        _process_partition, table_file=table_file, content_hash=table.content_hash,
        init_json=_init_json(init.settings, init.model),
    )
    sc = _spark_context(spark)
    size, window, per_job = _chunk_plan(len(tasks), sc.defaultParallelism)
    group = f"romanize-entities-{os.getpid()}-{next(_RUNS)}"
    starts = range(0, len(tasks), size)

    def job(i: int) -> list[Outcome]:
        first = starts[i]
        return _run_chunk(sc, tasks[first:first + size], first, per_job, func, group)

    jobs = _OrderedJobs(job, len(starts), window, ahead=2 * window)
    finished = False
    try:
        for outcomes in jobs:
            yield from outcomes
        finished = True
    finally:
        if not finished:
            sc.cancelJobGroup(group)
        jobs.stop()
