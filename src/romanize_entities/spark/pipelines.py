"""The alias table travels to the executors as a file; each Python worker builds its
pipeline from it once (see the package docstring for why)."""

from __future__ import annotations

import atexit
import gc
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyspark import SparkFiles
from pyspark.sql import SparkSession

from romanize_entities import worker
from romanize_entities.aliases import AliasTable

if TYPE_CHECKING:
    pass

from romanize_entities.spark.session import _spark_context

PathLike = str | os.PathLike[str]

_PIPELINE_CACHE_SIZE = 4


# --------------------------------------------------------------------------- #
# Shipping the table (driver side)
# --------------------------------------------------------------------------- #

_SHIP_LOCK = threading.Lock()
_SHIPPED: set[tuple[str, str]] = set()  # (application id, file name)
_SHIP_DIR: list[Path] = []


def _table_file_name(content_hash: str) -> str:
    return f"romanize-entities-table-{content_hash[:32]}.msgpack"



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
