"""Output side of the batch runner: crash-safe JSONL appends and the summary tables.

Every per-document record is appended as complete lines followed by
``flush`` + ``os.fsync``, so a killed run leaves at most one trailing partial
line, which :func:`read_complete_lines` ignores. Whole-file outputs (CSV,
``run.json``, compacted JSONL) are written to a temporary file in the same
folder and moved into place with ``os.replace``, so readers never see half a
file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from types import TracebackType
from typing import Any

from romanize_entities.aliases import AliasTable
from romanize_entities.files import give_new_file_mode
from romanize_entities.schema import ERROR_FIELDS, MENTION_FIELDS

__all__ = [
    "ENTITY_FIELDS",
    "ERROR_FIELDS",
    "MENTION_FIELDS",
    "SPELLING_FIELDS",
    "JsonlAppender",
    "atomic_write_text",
    "dumps_line",
    "entity_rows",
    "index_html",
    "read_complete_lines",
    "spelling_rows",
    "write_csv",
    "write_json",
]

ENTITY_FIELDS = ("entity_id", "name", "type", "wikidata", "mentions", "documents", "spellings",
                 "linked", "cluster")
SPELLING_FIELDS = ("entity_id", "spelling", "doc", "count", "linked", "cluster")
SPELLING_SEPARATOR = " | "


def dumps_line(record: dict[str, Any]) -> str:
    """One JSONL line (with its newline); UTF-8 text is kept readable."""
    return json.dumps(record, ensure_ascii=False) + "\n"


class JsonlAppender:
    """Append complete lines to a file and make them durable before returning."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh = open(path, "a", encoding="utf-8", newline="\n")  # noqa: SIM115

    def write_lines(self, lines: Iterable[str]) -> None:
        """Write all *lines* in one go, then flush and fsync."""
        data = "".join(lines)
        if data:
            self._fh.write(data)
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> JsonlAppender:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def read_complete_lines(path: Path) -> list[str]:
    """The newline-terminated lines of *path* (with newlines); a trailing partial line is dropped.

    A missing file reads as no lines.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    end = data.rfind(b"\n")
    if end == -1:
        return []
    return data[: end + 1].decode("utf-8").splitlines(keepends=True)


def atomic_write_text(path: Path, text: str) -> None:
    """Write *text* to *path* via a temporary file in the same folder and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        give_new_file_mode(fd)  # mkstemp's 0600 would hide outputs from the group
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: dict[str, Any]) -> None:
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    atomic_write_text(path, buf.getvalue())


def _group_of(m: dict[str, Any]) -> tuple[str, str] | None:
    """``("e", entity_id)`` for a linked mention, ``("c", cluster)`` for an unlinked one in
    a cluster (issue 11: spellings that may be one person), None for the rest."""
    ident = m.get("entity_id")
    if ident:
        return ("e", ident)
    cluster = m.get("cluster")
    return ("c", cluster) if cluster else None


def _bool(value: bool) -> str:
    return "true" if value else "false"


def entity_rows(mentions: Iterable[dict[str, Any]], table: AliasTable) -> list[list[Any]]:
    """One row per linked entity, then one per cluster of unlinked names (:data:`ENTITY_FIELDS`).

    Linked entities come first, most mentioned first (then by id), with
    ``linked`` true and an empty ``cluster``; a cluster's row has an empty
    ``entity_id`` and ``name``, its mentions' label as ``type``, ``linked``
    false and the cluster id. ``spellings`` lists each distinct written form
    once, most frequent first (ties alphabetically), joined by ``" | "``.
    """
    counts: Counter[tuple[str, str]] = Counter()
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    spellings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    labels: dict[tuple[str, str], str] = {}
    for m in mentions:
        group = _group_of(m)
        if group is None:
            continue
        counts[group] += 1
        docs[group].add(m["doc"])
        spellings[group][m["text"]] += 1
        labels.setdefault(group, m.get("label") or "")
    rows: list[list[Any]] = []
    for group in sorted(counts, key=lambda g: (g[0] != "e", -counts[g], g[1])):
        kind, ident = group
        entity = table.get(ident) if kind == "e" else None
        forms = sorted(spellings[group].items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append([
            ident if kind == "e" else "",
            entity.name if entity else None,
            entity.type if entity else labels[group],
            (entity.wikidata or "") if entity else "",
            counts[group],
            len(docs[group]),
            SPELLING_SEPARATOR.join(form for form, _ in forms),
            _bool(kind == "e"),
            ident if kind == "c" else "",
        ])
    return rows


def spelling_rows(
    mentions: Iterable[dict[str, Any]], doc_order: dict[str, int]
) -> list[list[Any]]:
    """One row per (entity or cluster, spelling, document) with its count.

    Linked entities first, sorted by entity and spelling, then the clusters of
    unlinked names (empty ``entity_id``), sorted by cluster and spelling;
    documents within one spelling follow input order (*doc_order*).
    """
    counts: Counter[tuple[tuple[str, str], str, str]] = Counter()
    for m in mentions:
        group = _group_of(m)
        if group is not None:
            counts[(group, m["text"], m["doc"])] += 1
    unknown = len(doc_order)
    rows = sorted(counts.items(),
                  key=lambda kv: (kv[0][0][0] != "e", kv[0][0][1], kv[0][1],
                                  doc_order.get(kv[0][2], unknown), kv[0][2]))
    return [[ident if kind == "e" else "", spelling, doc, count, _bool(kind == "e"),
             ident if kind == "c" else ""]
            for ((kind, ident), spelling, doc), count in rows]


def index_html(pages: Sequence[tuple[str, str, int]], title: str = "romanize-entities") -> str:
    """``html/index.html``: one link per document page; *pages* are (doc, href, mentions)."""
    items = "\n".join(
        f'<li><a href="{escape(href, quote=True)}">{escape(doc)}</a> '
        f"({count} mention{'s' if count != 1 else ''})</li>"
        for doc, href, count in pages
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>\n<body>\n<h1>{escape(title)}</h1>\n"
        f"<ul>\n{items}\n</ul>\n</body></html>\n"
    )
