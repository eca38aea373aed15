"""The output schemas, defined once: mention rows and error rows.

``mentions.jsonl`` lines, the Spark mentions DataFrame, ``errors.jsonl`` lines
and the Spark errors DataFrame are all built from the field lists here, so a
new field is added in one place. Each field carries a type name that the
Spark side maps to its SQL types (``string``, ``long``, ``double``).
"""

from __future__ import annotations

import bisect
from typing import Any

from romanize_entities.aliases import AliasTable

__all__ = [
    "ERROR_FIELDS", "ERROR_SCHEMA", "MENTION_FIELDS", "MENTION_SCHEMA", "error_record",
    "mention_record", "mention_records",
]

#: ``(field, type)`` of a mention row, in output order.
MENTION_SCHEMA: tuple[tuple[str, str], ...] = (
    ("doc", "string"),
    ("start", "long"),
    ("end", "long"),
    ("text", "string"),
    ("label", "string"),
    ("entity_id", "string"),
    ("name", "string"),
    ("score", "double"),
    ("method", "string"),
    ("cluster", "string"),
    ("parent", "array<long>"),
)
MENTION_FIELDS: tuple[str, ...] = tuple(name for name, _ in MENTION_SCHEMA)

#: ``(field, type)`` of an error row (a failed or skipped document).
ERROR_SCHEMA: tuple[tuple[str, str], ...] = (
    ("doc", "string"),
    ("status", "string"),
    ("reason", "string"),
)
ERROR_FIELDS: tuple[str, ...] = tuple(name for name, _ in ERROR_SCHEMA)


def mention_record(doc: Any, offset: int, span: Any, table: AliasTable,
                   parent: Any = None) -> dict[str, Any]:
    """The mention row of *span* (a spaCy Span of a chunk starting at *offset* in *doc*).

    ``cluster`` groups unlinked Korean personal names that may be one person
    (``span._.entity_link["cluster"]``, null otherwise); ``parent`` is
    ``[start, end]`` of the ``doc.ents`` mention a nested span lies in (*parent*,
    a Span of the same chunk), null for a top-level mention.
    """
    link = span._.entity_link or {}
    ident = span.kb_id_ or None
    entity = table.get(ident) if ident else None
    return {
        "doc": doc,
        "start": offset + span.start_char,
        "end": offset + span.end_char,
        "text": span.text,
        "label": span.label_,
        "entity_id": ident,
        "name": entity.name if entity else None,
        "score": link.get("score"),
        "method": link.get("method"),
        "cluster": link.get("cluster"),
        "parent": (None if parent is None
                   else [offset + parent.start_char, offset + parent.end_char]),
    }


def error_record(doc: Any, status: str, reason: str) -> dict[str, Any]:
    """The error row of a document that failed or was skipped.

    A reason quoting a file name that is not UTF-8 (an OS error message) gets
    U+FFFD for the bytes that cannot be written, instead of failing the run.
    """
    if not reason.isascii():
        reason = reason.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return {"doc": doc, "status": status, "reason": reason}


def mention_records(doc: Any, offset: int, sdoc: Any, table: AliasTable,
                    spans_key: str) -> list[dict[str, Any]]:
    """The rows of one linked chunk: each ``doc.ents`` mention, followed by the linked
    spans of ``doc.spans[spans_key]`` strictly inside it (nested mentions: the persons,
    parties and places named inside a body's or an event's name), with ``parent`` set.

    A nested span linked to the same entity as its parent ("Pak" in "Pak Hon Yong")
    names nothing new and is left out; so are repeats of one span.
    """
    ents = list(sdoc.ents)
    inner: list[Any] = []
    if spans_key in sdoc.spans and ents:
        inner = sorted((s for s in sdoc.spans[spans_key] if s.kb_id_),
                       key=lambda s: (s.start_char, -s.end_char, s.kb_id_))
    starts = [s.start_char for s in inner]
    rows: list[dict[str, Any]] = []
    for ent in ents:
        rows.append(mention_record(doc, offset, ent, table))
        if not inner:
            continue
        # only the spans starting inside the mention (binary search: documents can
        # have tens of thousands of mentions and spans)
        first = bisect.bisect_left(starts, ent.start_char)
        last = bisect.bisect_left(starts, ent.end_char, lo=first)
        seen: set[tuple[int, int, str]] = set()
        for span in inner[first:last]:
            if (span.end_char > ent.end_char or span.kb_id_ == ent.kb_id_
                    or (span.start_char, span.end_char) == (ent.start_char, ent.end_char)):
                continue
            ident = (span.start_char, span.end_char, span.kb_id_)
            if ident not in seen:
                seen.add(ident)
                rows.append(mention_record(doc, offset, span, table, parent=ent))
    return rows
