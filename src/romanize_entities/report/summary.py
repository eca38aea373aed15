"""What the report shows, computed from a run's outputs: entities, unlinked clusters, documents.

Pure data, no HTML: :func:`summarize` folds the mention records of
``mentions.jsonl`` (and the ``state.jsonl`` entries of the finished documents)
into one :class:`Summary`; :func:`add_contexts` then reads back only the
documents whose mentions are shown on an entity page, to cut a few words of
context around each.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from romanize_entities.aliases import AliasTable

__all__ = ["MENTIONS_SHOWN", "Cluster", "DocumentRow", "EntityRow", "Shown", "Summary",
           "add_contexts", "summarize"]

#: Mentions shown in context on one entity page; the page lists every document beyond them.
MENTIONS_SHOWN = 200
#: Characters of text looked at on either side of a mention, and words kept of them.
CONTEXT_CHARS = 80
CONTEXT_WORDS = 8


@dataclass
class Shown:
    """One mention shown in context on an entity page."""

    doc: str
    start: int
    text: str
    left: str = ""
    right: str = ""
    #: where the document page marks it: the start of the enclosing mention for a
    #: name nested in a body's or an event's name (only top-level names are marked)
    anchor: int = -1


@dataclass
class EntityRow:
    id: str
    name: str
    type: str
    wikidata: str
    mentions: int = 0
    documents: Counter[str] = field(default_factory=Counter)
    spellings: Counter[str] = field(default_factory=Counter)
    spelling_docs: dict[str, set[str]] = field(default_factory=dict)
    shown: list[Shown] = field(default_factory=list)


@dataclass
class Cluster:
    """Unlinked mentions grouped under one ``cluster`` value (or, without one, one spelling)."""

    key: str
    mentions: int = 0
    spellings: Counter[str] = field(default_factory=Counter)
    documents: Counter[str] = field(default_factory=Counter)


@dataclass
class DocumentRow:
    doc: str
    mentions: int = 0
    linked: int = 0
    entities: set[str] = field(default_factory=set)


@dataclass
class Summary:
    entities: list[EntityRow]
    clusters: list[Cluster]
    #: True when the clusters come from the mentions' ``cluster`` field, False when
    #: the run had none and unlinked names are grouped by spelling instead.
    clustered: bool
    documents: list[DocumentRow]
    mentions: int
    #: (root, doc, sha256) of every finished document, to read contexts from.
    sources: dict[str, tuple[str, str]] = field(default_factory=dict)


def summarize(mentions: Iterable[dict[str, Any]], table: AliasTable,
              entries: Sequence[dict[str, Any]]) -> Summary:
    """Fold mention records and state entries (``root``, ``doc``, ``sha256``) into a Summary.

    Entities are ordered most mentioned first (then by id); documents keep the
    run's input order; clusters most mentioned first.
    """
    docs: dict[str, DocumentRow] = {}
    sources: dict[str, tuple[str, str]] = {}
    for entry in entries:
        doc = str(entry["doc"])
        docs.setdefault(doc, DocumentRow(doc))
        sources[doc] = (str(entry.get("root", "")), str(entry.get("sha256", "")))
    rows: dict[str, EntityRow] = {}
    by_cluster: dict[str, Cluster] = {}
    by_spelling: dict[str, Cluster] = {}
    total = 0
    for m in mentions:
        total += 1
        doc = str(m["doc"])
        drow = docs.setdefault(doc, DocumentRow(doc))
        drow.mentions += 1
        ident = m.get("entity_id")
        text = str(m.get("text", ""))
        if ident:
            drow.linked += 1
            drow.entities.add(ident)
            row = rows.get(ident)
            if row is None:
                entity = table.get(ident)
                row = rows[ident] = EntityRow(
                    ident,
                    entity.name if entity else str(m.get("name") or ident),
                    entity.type if entity else str(m.get("label") or ""),
                    (entity.wikidata or "") if entity else "",
                )
            row.mentions += 1
            row.documents[doc] += 1
            row.spellings[text] += 1
            row.spelling_docs.setdefault(text, set()).add(doc)
            if len(row.shown) < MENTIONS_SHOWN:
                parent = m.get("parent")
                anchor = int(parent[0]) if parent else int(m["start"])
                row.shown.append(Shown(doc, int(m["start"]), text, anchor=anchor))
            continue
        cluster = m.get("cluster")
        if cluster:
            group = by_cluster.setdefault(str(cluster), Cluster(str(cluster)))
        elif m.get("label") == "PERSON":
            group = by_spelling.setdefault(text, Cluster(text))
        else:
            continue
        group.mentions += 1
        group.spellings[text] += 1
        group.documents[doc] += 1
    clustered = bool(by_cluster)
    groups = list((by_cluster if clustered else by_spelling).values())
    groups.sort(key=lambda c: (-c.mentions, c.key))
    entities = sorted(rows.values(), key=lambda r: (-r.mentions, r.id))
    return Summary(entities, groups, clustered, list(docs.values()), total, sources)


_SPACE = re.compile(r"\s+")


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """A few whole words on either side of ``text[start:end]``, whitespace collapsed."""
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    left = _SPACE.sub(" ", text[lo:start]).split(" ")
    right = _SPACE.sub(" ", text[end:hi]).split(" ")
    if lo > 0:
        left = left[1:]  # the window may begin inside a word
    if hi < len(text):
        right = right[:-1]
    return " ".join(left[-CONTEXT_WORDS:]), " ".join(right[:CONTEXT_WORDS])


def add_contexts(summary: Summary) -> None:
    """Fill ``left``/``right`` of every shown mention from its document's text.

    Only documents with a shown mention are read, each once. A document that
    cannot be read again, or whose bytes changed since it was linked (other
    sha256), keeps its mentions without context: wrong offsets would be worse.
    """
    from romanize_entities.readers import read_document

    wanted: dict[str, list[Shown]] = {}
    for row in summary.entities:
        for shown in row.shown:
            wanted.setdefault(shown.doc, []).append(shown)
    for doc, shown_list in wanted.items():
        root, sha256 = summary.sources.get(doc, ("", ""))
        if not root:
            continue
        base = Path(root)
        path = base if base.is_file() else base / doc
        try:
            document = read_document(path, base)
        except Exception:  # unreadable now: the mention is still listed, without context
            continue
        if sha256 and document.sha256 != sha256:
            continue
        text = document.text
        for shown in shown_list:
            end = shown.start + len(shown.text)
            if text[shown.start:end] == shown.text:
                shown.left, shown.right = _context(text, shown.start, end)
