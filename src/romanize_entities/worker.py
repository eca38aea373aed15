"""Work done per document, in whatever process links it: the worker side of every engine.

The batch runner's engines (local processes, Spark executors; see
:mod:`romanize_entities.engines`) hand out :class:`Task` values and get
:class:`Outcome` values back; this module turns one into the other. It imports
neither the runner nor any engine, so engines depend on it and not on each other.

A process builds its pipeline once (:func:`init_worker` from a
:class:`WorkerInit`, or :func:`use_pipeline` for engines that cache pipelines
themselves) and then calls :func:`process_file` per document.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from romanize_entities.aliases import AliasTable
from romanize_entities.readers import (
    ReadError,
    SkippedFile,
    _relpath,
    read_document,
    split_for_max_length,
)
from romanize_entities.schema import mention_records
from romanize_entities.writers import dumps_line

__all__ = [
    "Outcome", "Task", "WorkerInit", "build_pipeline", "init_worker", "link_text",
    "process_file", "use_pipeline",
]


@dataclass(frozen=True)
class Task:
    """One document to link: the file, the INPUT root it was found under, html wanted."""

    file: str
    root: str
    html: bool = False


@dataclass(frozen=True)
class WorkerInit:
    """Everything a process needs to build the run's pipeline, picklable for any engine.

    ``settings`` are component config keys (``--threshold``, ``--set KEY=VALUE``)
    on top of the defaults, ``model`` a spaCy pipeline (name or path) the
    component is added after (``--model``); None is a blank English pipeline.
    """

    aliases: tuple[str, ...] = ()
    include_default: bool = True
    settings: Mapping[str, Any] = field(default_factory=dict)
    model: str | None = None


@dataclass
class Outcome:
    """The result of one document: what the writers need, picklable for any engine.

    ``lines`` are the document's ``mentions.jsonl`` lines, encoded where the
    document was linked (a worker process, a Spark executor): the process that
    writes the outputs then only appends strings, instead of unpickling and
    re-encoding every mention while the workers wait for it.
    """

    relpath: str
    sha256: str | None
    status: str  # "done" | "failed" | "skipped"
    reason: str = ""
    lines: list[str] = field(default_factory=list)
    html: str | None = None

    @classmethod
    def linked(cls, relpath: str, sha256: str | None, records: list[dict[str, Any]],
               html: str | None = None) -> Outcome:
        return cls(relpath, sha256, "done", lines=[dumps_line(r) for r in records], html=html)


_WORKER: dict[str, Any] = {}


def _exit_with_parent(parent: int, interval: float = 0.5) -> None:
    """End this worker soon after the parent dies (kill -9 leaves no one to shut the pool).

    A pool worker blocks on its task queue, whose write end every sibling also
    holds, so it never sees EOF when the parent is killed and would live on as
    an orphan holding the run's terminal and pipes.
    """
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def build_pipeline(init: WorkerInit, table: AliasTable | None = None) -> Any:
    """The run's spaCy pipeline; with *table* the component uses it and reads no alias file."""
    from romanize_entities.component import load

    if table is not None:  # the table is set before first use: no YAML is read
        nlp = load(aliases=(), include_default=False, base=init.model,
                   settings=init.settings, initialize=False)
        pipe: Any = nlp.get_pipe("romanize_entities")
        pipe.set_table(table)
        return nlp
    return load(aliases=init.aliases, include_default=init.include_default, base=init.model,
                settings=init.settings)


def init_worker(init: WorkerInit, table: AliasTable | None = None,
                parent: int | None = None) -> None:
    """Build the pipeline once per process."""
    if parent is not None:
        _exit_with_parent(parent)
    if "nlp" in _WORKER:  # built by the parent before it forked this worker
        return
    nlp = build_pipeline(init, table)
    use_pipeline(nlp, nlp.get_pipe("romanize_entities").table)


def use_pipeline(nlp: Any, table: AliasTable) -> None:
    """Make *nlp* (linking against *table*) the pipeline :func:`process_file` uses here.

    For engines that build and cache pipelines themselves (Spark keeps one
    per Python worker and table) instead of calling :func:`init_worker`.
    """
    _WORKER["nlp"] = nlp
    _WORKER["table"] = table


def release_pipeline() -> None:
    """Forget this process's pipeline (the local engine, when its run ends)."""
    _WORKER.clear()


def link_text(nlp: Any, text: str, doc: str, table: AliasTable | None = None,
              ) -> tuple[list[dict[str, Any]], list[Any]]:
    """Mentions of *text* as output records, plus the spaCy Docs that produced them.

    Rows are :func:`~romanize_entities.schema.mention_records`: every ``doc.ents``
    mention and, after it, the linked mentions nested inside it. Texts longer
    than ``nlp.max_length`` are processed in chunks from
    :func:`split_for_max_length`; each chunk's offset is added so that
    ``start``/``end`` always index *text* itself.
    """
    if table is None:
        table = nlp.get_pipe("romanize_entities").table
    if len(text) > nlp.max_length:
        chunks = split_for_max_length(text, nlp.max_length)
    else:
        chunks = [(0, text)]
    spans_key = nlp.get_pipe("romanize_entities").spans_key
    records: list[dict[str, Any]] = []
    docs: list[Any] = []
    for offset, chunk in chunks:
        sdoc = nlp(chunk)
        docs.append(sdoc)
        records.extend(mention_records(doc, offset, sdoc, table, spans_key))
    return records, docs


def process_file(task: Task) -> Outcome:
    """Read, link and (if asked) render one document; never raises for the document's faults."""
    path, base = Path(task.file), Path(task.root)
    relpath = _relpath(path, base)
    try:
        document = read_document(path, base)
    except SkippedFile as exc:
        return Outcome(relpath, None, "skipped", exc.reason)
    except ReadError as exc:
        return Outcome(relpath, None, "failed", exc.reason)
    except Exception as exc:  # readers promise ReadError; a broken promise is still one file's
        return Outcome(relpath, None, "failed", f"{type(exc).__name__}: {exc}")
    try:
        nlp = _WORKER["nlp"]
        table = _WORKER["table"]
        records, docs = link_text(nlp, document.text, relpath, table)
        page = None
        if task.html:
            from romanize_entities.render import render_html

            if not docs:
                docs = [nlp.make_doc("")]
            docs[0].user_data["title"] = relpath
            page = render_html(docs, table=table, title=relpath, site_relpath=relpath)
    except Exception as exc:  # any pipeline failure is this document's, not the batch's
        return Outcome(relpath, document.sha256, "failed", f"{type(exc).__name__}: {exc}")
    return Outcome.linked(relpath, document.sha256, records, html=page)
