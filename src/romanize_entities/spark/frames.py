"""The DataFrame API: documents in, mentions (and failed documents) out; the entities table."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
from pyspark.sql import DataFrame
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

from romanize_entities import worker
from romanize_entities.aliases import AliasTable
from romanize_entities.schema import ERROR_FIELDS, ERROR_SCHEMA, MENTION_FIELDS, MENTION_SCHEMA
from romanize_entities.writers import ENTITY_FIELDS, SPELLING_SEPARATOR

if TYPE_CHECKING:
    pass

from romanize_entities.spark.pipelines import _init_json, _load_table, _pipeline, _ship_table

PathLike = str | os.PathLike[str]

__all__ = [
    "DEFAULT_BATCH_SIZE", "ERROR_COLUMNS", "MENTION_COLUMNS", "extract_mentions",
    "extract_mentions_with_errors", "summarize_entities",
]

#: Documents linked before the Python worker hands an output batch back to Spark.
DEFAULT_BATCH_SIZE = 256
#: Columns of the mentions DataFrame: the ``mentions.jsonl`` fields plus ``table_hash``.
MENTION_COLUMNS = (*MENTION_FIELDS, "table_hash")
#: Columns of the errors DataFrame (as in ``errors.jsonl``).
ERROR_COLUMNS = ERROR_FIELDS
# Rows of one mapInPandas pass: mention rows have status null, error rows a status.
_COMBINED_COLUMNS = (*MENTION_COLUMNS, *(f for f in ERROR_FIELDS if f != "doc"))


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
    # linked ones first ("e" > "c"),
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
    ).orderBy(F.col("g_kind").desc(), F.col("mentions").desc(), F.col("g_id").asc(),
              ).select(*ENTITY_FIELDS)
