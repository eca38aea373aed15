"""The output schemas, defined once: mention rows and error rows.

``mentions.jsonl`` lines, the Spark mentions DataFrame, ``errors.jsonl`` lines
and the Spark errors DataFrame are all built from the field lists here, so a
new field is added in one place. Each field carries a type name that the
Spark side maps to its SQL types (``string``, ``long``, ``double``).
"""

from __future__ import annotations

from typing import Any

from romanize_entities.aliases import AliasTable

__all__ = [
    "ERROR_FIELDS", "ERROR_SCHEMA", "MENTION_FIELDS", "MENTION_SCHEMA", "error_record",
    "mention_record",
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
)
MENTION_FIELDS: tuple[str, ...] = tuple(name for name, _ in MENTION_SCHEMA)

#: ``(field, type)`` of an error row (a failed or skipped document).
ERROR_SCHEMA: tuple[tuple[str, str], ...] = (
    ("doc", "string"),
    ("status", "string"),
    ("reason", "string"),
)
ERROR_FIELDS: tuple[str, ...] = tuple(name for name, _ in ERROR_SCHEMA)


def mention_record(doc: Any, offset: int, span: Any, table: AliasTable) -> dict[str, Any]:
    """The mention row of *span* (a spaCy Span of a chunk starting at *offset* in *doc*)."""
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
    }


def error_record(doc: Any, status: str, reason: str) -> dict[str, Any]:
    """The error row of a document that failed or was skipped."""
    return {"doc": doc, "status": status, "reason": reason}
