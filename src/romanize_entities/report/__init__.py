"""The static report a ``run --html`` leaves in ``html/``: a small site that opens from disk.

``index.html`` lists every entity (sortable, filterable), the unlinked names and
the documents; ``entities/<id>.html`` shows an entity's spellings and its
mentions in context, each linking to the mark on the document page. Built from
the run's outputs alone (mention records and finished-document entries), so it
is the same for every engine and number of jobs. See docs/batch.md.
"""

from __future__ import annotations

import os
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
    pages.mkdir(parents=True, exist_ok=True)
    wanted = {f"{row.id}.html" for row in summary.entities}
    for stale in pages.glob("*.html"):
        if stale.name not in wanted:
            stale.unlink()
    for row in summary.entities:
        _replace(pages / f"{row.id}.html", entity_page(row, table.get(row.id)))
    index = html_dir / "index.html"
    atomic_write_text(index, index_page(summary))
    return [index]


def _replace(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a reader never sees half a page.

    Unlike the run's data files these pages are rebuilt by every run, so they
    skip the fsync: on slow disks one per page was most of the report's time.
    """
    tmp = path.with_name(f".tmp-{path.name}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
