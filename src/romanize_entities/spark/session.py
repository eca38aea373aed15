"""The SparkSession: the active one, or a new one set up for local work."""

from __future__ import annotations

import os
import re
import shutil
import sys
from typing import TYPE_CHECKING, Any

from pyspark.sql import SparkSession

if TYPE_CHECKING:
    pass


__all__ = ["get_spark"]


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
