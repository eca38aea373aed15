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

import importlib

try:
    import pandas  # noqa: F401
    import pyspark
    import pyspark.sql  # noqa: F401

    # mapInPandas needs pyarrow: fail on import, not later in a worker
    importlib.import_module("pyarrow")
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        f"romanize_entities.spark needs the spark extra ({exc.name or exc} is missing): "
        "pip install 'romanize-entities[spark]'"
    ) from exc

from romanize_entities.spark.engine import (
    _MAX_FILES_PER_TASK,
    _MAX_JOBS_IN_FLIGHT,
    _ROUNDS_PER_CORE,
    _chunk_plan,
    _OrderedJobs,
    spark_outcomes,
)
from romanize_entities.spark.frames import (
    DEFAULT_BATCH_SIZE,
    ERROR_COLUMNS,
    MENTION_COLUMNS,
    extract_mentions,
    extract_mentions_with_errors,
    summarize_entities,
)
from romanize_entities.spark.pipelines import _BUILDS, _PIPELINES
from romanize_entities.spark.session import get_spark

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "ERROR_COLUMNS",
    "MENTION_COLUMNS",
    "_BUILDS",
    "_MAX_FILES_PER_TASK",
    "_MAX_JOBS_IN_FLIGHT",
    "_PIPELINES",
    "_ROUNDS_PER_CORE",
    "_OrderedJobs",
    "_chunk_plan",
    "extract_mentions",
    "extract_mentions_with_errors",
    "get_spark",
    "spark_outcomes",
    "summarize_entities",
]
