"""The batch runner's output files, and a registry of the writers that build the summaries.

The per-document outputs (``mentions.jsonl``, ``errors.jsonl``, ``state.jsonl``)
are appended while documents are linked (see ``batch._Journal``); everything
built from the finished ``mentions.jsonl`` at the end of a run is a
:class:`SummaryWriter` in :data:`SUMMARY_WRITERS`: a new output format is one
function registered with :func:`summary_writer`, and the runner needs no change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from romanize_entities.aliases import AliasTable
from romanize_entities.writers import (
    ENTITY_FIELDS,
    SPELLING_FIELDS,
    entity_rows,
    spelling_rows,
    write_csv,
)

__all__ = [
    "ENTITIES", "ERRORS", "HTML_DIR", "MENTIONS", "OUTPUT_NAMES", "RUN", "SPELLINGS", "STATE",
    "SUMMARY_WRITERS", "Summary", "SummaryWriter", "html_path", "summary_writer",
]

MENTIONS = "mentions.jsonl"
ENTITIES = "entities.csv"
SPELLINGS = "spellings.csv"
ERRORS = "errors.jsonl"
STATE = "state.jsonl"
RUN = "run.json"
HTML_DIR = "html"
OUTPUT_NAMES = (MENTIONS, ENTITIES, SPELLINGS, ERRORS, STATE, RUN)


@dataclass
class Summary:
    """What a summary writer may use: the finished run, in input order.

    ``mentions`` are the parsed ``mentions.jsonl`` rows, ``doc_order`` each
    document's position among the inputs, ``per_doc`` each finished document's
    number of mentions (input order), ``html`` whether ``--html`` was given,
    ``entries`` the finished documents' ``state.jsonl`` entries (input order).
    """

    out: Path
    mentions: list[dict[str, Any]]
    table: AliasTable
    doc_order: dict[str, int]
    per_doc: dict[str, int]
    html: bool
    entries: list[dict[str, Any]]


@dataclass(frozen=True)
class SummaryWriter:
    """Writes one output from a :class:`Summary`; returns its path, or None when not wanted."""

    name: str
    write: Callable[[Summary], Path | None]


#: The summary outputs, written in this order after every run.
SUMMARY_WRITERS: list[SummaryWriter] = []


def summary_writer(name: str) -> Callable[[Callable[[Summary], Path | None]],
                                          Callable[[Summary], Path | None]]:
    """Register a function as the writer of the summary output *name*."""
    def register(func: Callable[[Summary], Path | None]) -> Callable[[Summary], Path | None]:
        SUMMARY_WRITERS.append(SummaryWriter(name, func))
        return func

    return register


def html_path(out: Path, relpath: str) -> Path:
    """Where ``--html`` puts the page of document *relpath*."""
    return out / HTML_DIR / f"{relpath}.html"


@summary_writer(ENTITIES)
def _write_entities(summary: Summary) -> Path:
    path = summary.out / ENTITIES
    write_csv(path, ENTITY_FIELDS, entity_rows(summary.mentions, summary.table))
    return path


@summary_writer(SPELLINGS)
def _write_spellings(summary: Summary) -> Path:
    path = summary.out / SPELLINGS
    write_csv(path, SPELLING_FIELDS, spelling_rows(summary.mentions, summary.doc_order))
    return path


@summary_writer(f"{HTML_DIR}/index.html")
def _write_html_report(summary: Summary) -> Path | None:
    """The browsable report (report/): index, one page per entity, name clusters."""
    if not summary.html:
        return None
    from romanize_entities.report import write_report

    return write_report(summary.out / HTML_DIR, summary.table, summary.mentions,
                        summary.entries)[0]
