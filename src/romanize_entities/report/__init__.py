"""The static report a ``run --html`` leaves in ``html/``: a small site that opens from disk.

``index.html`` lists every entity (sortable, filterable), the unlinked names and
the documents; ``entities/<id>.html`` shows an entity's spellings and its
mentions in context, each linking to the mark on the document page. Built from
the run's outputs alone (mention records and finished-document entries), so it
is the same for every engine and number of jobs. See docs/batch.md.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from romanize_entities.aliases import AliasTable
from romanize_entities.report.pages import entity_page, index_page
from romanize_entities.report.summary import Summary, add_contexts, summarize

__all__ = ["Summary", "summarize", "write_report"]

ENTITIES_DIR = "entities"


def write_report(html_dir: Path, table: AliasTable, mentions: Iterable[dict[str, Any]],
                 entries: Sequence[dict[str, Any]]) -> list[Path]:
    """Write ``index.html`` and ``entities/<id>.html`` into *html_dir*; return the index path.

    *mentions* are ``mentions.jsonl`` records, *entries* the ``state.jsonl``
    entries of the finished documents (``root``, ``doc``, ``sha256``), in input
    order. Entity pages of an earlier run that no longer has that entity are removed.
    """
    from romanize_entities.writers import atomic_write_text

    summary = summarize(mentions, table, entries)
    add_contexts(summary)
    pages = html_dir / ENTITIES_DIR
    if pages.exists():
        shutil.rmtree(pages)
    for row in summary.entities:
        atomic_write_text(pages / f"{row.id}.html", entity_page(row, table.get(row.id)))
    index = html_dir / "index.html"
    atomic_write_text(index, index_page(summary))
    return [index]
