"""Batch runner: link every document under some folders and write tables of the results.

:func:`run_batch` is the one entry point; the ``romanize-entities run`` command
and future integrations call it. Outputs (all in ``out_dir``) are described in
``docs/batch.md``. The design points:

* documents are read and linked in worker processes (``jobs > 1``), each
  building the spaCy pipeline once in its initializer; results are collected
  and written in input order, so every output except ``run.json`` is
  byte-identical for any number of jobs;
* per-document results are appended as complete, fsync'ed lines, and a
  document is recorded in ``state.jsonl`` only after its mentions are durable,
  so an interrupted run resumes where it stopped: finished documents whose
  bytes are unchanged (same sha256) are not processed again;
* a failed document is reported in ``errors.jsonl`` and the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from romanize_entities import __version__
from romanize_entities.aliases import AliasTable, user_warnings
from romanize_entities.clusters import recluster_run
from romanize_entities.engines import Engine, get_engine, local_outcomes
from romanize_entities.errors import BatchConfigError
from romanize_entities.outputs import (
    ENTITIES,
    ERRORS,
    HTML_DIR,
    MENTIONS,
    OUTPUT_NAMES,
    RUN,
    SPELLINGS,
    STATE,
    SUMMARY_WRITERS,
    Summary,
    html_path,
)
from romanize_entities.readers import _relpath, display_path, iter_inputs
from romanize_entities.schema import error_record
from romanize_entities.settings import (
    SettingsError,
    check_component_settings,
    check_model,
    effective_settings,
)
from romanize_entities.worker import Outcome, Task, WorkerInit, link_text, use_pipeline
from romanize_entities.writers import (
    JsonlAppender,
    atomic_write_text,
    dumps_line,
    read_complete_lines,
    write_json,
)

__all__ = [
    "BatchConfigError", "BatchResult", "Outcome", "Task", "WorkerInit", "link_text",
    "local_outcomes", "run_batch", "use_pipeline",
]

#: Held by the running process (see _OutLock); hidden, so never read as an input.
LOCK = ".lock"
#: Test-only hook: when set to N, the run SIGKILLs itself right after the N-th
#: document of this run is durable, so the resume test does not depend on timing.
KILL_AFTER_ENV = "ROMANIZE_ENTITIES_TEST_KILL_AFTER"

PathLike = str | os.PathLike[str]
_Key = tuple[str, str]  # (absolute INPUT root, relpath)


@dataclass
class BatchResult:
    """What one call of :func:`run_batch` did.

    ``done`` counts documents linked in this run, ``unchanged`` finished
    documents from an earlier run that were not processed again; ``mentions``
    is the number of lines in the final ``mentions.jsonl``.
    """

    out_dir: Path
    done: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    mentions: int = 0
    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the user's alias files

    @property
    def documents(self) -> int:
        return self.done + self.unchanged + self.failed + self.skipped

    @property
    def exit_code(self) -> int:
        """0 when no document failed (skipped files do not count), else 1."""
        return 1 if self.failed else 0

    def counts(self) -> dict[str, int]:
        return {
            "documents": self.documents,
            "done": self.done,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "skipped": self.skipped,
            "mentions": self.mentions,
        }


# --------------------------------------------------------------------------- #
# Run bookkeeping
# --------------------------------------------------------------------------- #


#: Finished documents are made durable in groups: at most this many per commit, and
#: at most COMMIT_SECONDS apart.
COMMIT_EVERY = 256
COMMIT_SECONDS = 0.5


class _Journal:
    """The three append-only outputs, committed in groups.

    An fsync costs ~0.5-1 ms here; two per document were a third of a ``-j 1``
    run over short documents. A commit appends the pending mention lines and
    fsyncs them, then the state entries and fsyncs those, so ``state.jsonl``
    never names a document whose mentions are not durable; a kill loses at most
    the documents since the last commit, which a resume links again.
    """

    def __init__(self, out: Path, commit_every: int = COMMIT_EVERY) -> None:
        self._mentions = JsonlAppender(out / MENTIONS)
        self._state = JsonlAppender(out / STATE)
        self._errors = JsonlAppender(out / ERRORS)
        self._commit_every = commit_every
        self._pending: list[tuple[list[str], str]] = []
        self._pending_errors: list[str] = []
        self._last = time.monotonic()

    def add_done(self, root: str, outcome: Outcome) -> None:
        entry = dumps_line({"root": root, "doc": outcome.relpath, "sha256": outcome.sha256,
                            "mentions": len(outcome.lines)})
        self._pending.append((outcome.lines, entry))

    def add_error(self, outcome: Outcome) -> None:
        self._pending_errors.append(dumps_line(
            error_record(outcome.relpath, outcome.status, outcome.reason)
        ))

    def due(self) -> bool:
        waiting = len(self._pending) + len(self._pending_errors)
        return waiting >= self._commit_every or (
            waiting > 0 and time.monotonic() - self._last >= COMMIT_SECONDS
        )

    def commit(self) -> None:
        if self._pending:
            self._mentions.write_lines(line for lines, _ in self._pending for line in lines)
            self._state.write_lines(entry for _, entry in self._pending)
        if self._pending_errors:
            self._errors.write_lines(self._pending_errors)
        self._pending, self._pending_errors = [], []
        self._last = time.monotonic()

    def __enter__(self) -> _Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self.commit()
        finally:
            for appender in (self._mentions, self._state, self._errors):
                appender.close()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _sha256_file(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _load_blocks(out: Path) -> dict[_Key, tuple[dict[str, Any], list[str]]]:
    """Finished documents of an earlier run: state entry and its mention lines, in file order.

    ``state.jsonl`` entries are written only after the document's mention lines
    were made durable, and list how many there are, so mention lines after the
    last complete entry belong to an unfinished document and are dropped.
    """
    entries = read_complete_lines(out / STATE)
    lines = read_complete_lines(out / MENTIONS)
    blocks: dict[_Key, tuple[dict[str, Any], list[str]]] = {}
    pos = 0
    for raw in entries:
        try:
            entry = json.loads(raw)
            count = int(entry["mentions"])
            key = (str(entry["root"]), str(entry["doc"]))
        except (ValueError, KeyError, TypeError):
            break
        if pos + count > len(lines):
            break
        blocks[key] = (entry, lines[pos:pos + count])
        pos += count
    return blocks


def _reencode(ordered: list[Any], mentions: list[dict[str, Any]]) -> list[Any]:
    """The blocks with their mention lines encoded again from *mentions* (same order)."""
    rows = iter(mentions)
    return [(key, (entry, [dumps_line(next(rows)) for _ in lines]))
            for key, (entry, lines) in ordered]


def _write_blocks(out: Path, blocks: list[tuple[dict[str, Any], list[str]]]) -> None:
    atomic_write_text(out / MENTIONS, "".join(line for _, lines in blocks for line in lines))
    atomic_write_text(out / STATE, "".join(dumps_line(entry) for entry, _ in blocks))


def _clear(out: Path) -> None:
    for name in OUTPUT_NAMES:
        (out / name).unlink(missing_ok=True)
    shutil.rmtree(out / HTML_DIR, ignore_errors=True)


class _OutLock:
    """An exclusive lock on ``DIR/.lock`` for the whole run: two runs on one --out would
    interleave their appends and both report success. Released when the process ends,
    however it ends (``flock``); where there is no ``fcntl`` (Windows) there is no lock.
    """

    def __init__(self, out: Path) -> None:
        self.path = out / LOCK
        self._fh: Any = None

    def __enter__(self) -> _OutLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            fh.seek(0)
            holder = fh.read().strip()
            fh.close()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise BatchConfigError(
                f"another run is writing to {display_path(str(self.path.parent))}{who}; wait "
                "for it to finish or choose another --out"
            ) from exc
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.close()  # closing the file releases the lock
            self._fh = None


@dataclass
class _Plan:
    """What a run will do, decided before any document is linked."""

    out: Path
    table: AliasTable
    init: WorkerInit
    engine: Engine
    html: bool
    quiet: bool
    run_info: dict[str, Any]
    order: list[tuple[_Key, Path, Path]] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    result: BatchResult | None = None


def run_batch(
    inputs: Sequence[PathLike],
    out_dir: PathLike,
    *,
    aliases: Sequence[PathLike] = (),
    include_default: bool = True,
    jobs: int = 1,
    force: bool = False,
    html: bool = False,
    quiet: bool = True,
    engine: str = "local",
    master: str | None = None,
    settings: Mapping[str, Any] | None = None,
    model: str | None = None,
) -> BatchResult:
    """Link every document under *inputs* and write the outputs to *out_dir*.

    Raises :class:`BatchConfigError` for a missing INPUT, ``jobs < 1``, an
    *out_dir* written with a different alias table or other settings, or
    holding outputs of something else (unless *force*, which clears the
    earlier outputs and starts over), or in use by another run; and
    :class:`~romanize_entities.aliases.AliasTableError` / ``OSError`` for
    broken or unreadable alias files. Per-document problems never raise: they
    are counted and written to ``errors.jsonl``.

    *settings* are component config keys (``threshold``, ``max_window``, ...)
    and *model* a spaCy pipeline run before the component; both reach every
    worker process and Spark executor and are recorded in ``run.json``, and a
    resumed run with other settings is refused unless *force*.
    """
    started = _now()
    if jobs < 1:
        raise BatchConfigError(f"--jobs must be at least 1, got {jobs}")
    if not inputs:
        raise BatchConfigError("no INPUT given")
    for raw in inputs:
        if not Path(raw).exists():
            raise BatchConfigError(f"{display_path(str(raw))}: input not found")
    if not include_default and not aliases:
        raise BatchConfigError("--no-default needs at least one --aliases FILE")
    try:
        component_settings = check_component_settings(dict(settings or {}))
        check_model(model)
    except SettingsError as exc:
        raise BatchConfigError(str(exc)) from exc
    runner = get_engine(engine, jobs=jobs, master=master)
    alias_paths = tuple(str(p) for p in aliases)
    table = AliasTable.load(alias_paths, include_default=include_default)

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise BatchConfigError(f"{out}: output path exists and is not a folder")
    for raw in inputs:
        if Path(raw).is_dir() and os.path.realpath(raw) == os.path.realpath(out):
            raise BatchConfigError(f"--out {out} is an INPUT folder: choose another folder "
                                   "(one inside the INPUT is fine, it is not read)")
    out.mkdir(parents=True, exist_ok=True)
    with _OutLock(out):
        plan = _plan(inputs, out, table, runner, force=force, html=html, quiet=quiet,
                     init=WorkerInit(alias_paths, include_default, component_settings, model),
                     run_info={
                         "version": __version__,
                         "inputs": [display_path(str(p)) for p in inputs],
                         "aliases": [{"path": display_path(p), "sha256": _sha256_file(Path(p))}
                                     for p in alias_paths],
                         "include_default": include_default,
                         "settings": effective_settings(component_settings),
                         "model": model,
                         "table": {"version": table.version,
                                   "content_hash": table.content_hash, "entities": len(table)},
                         "jobs": jobs, "engine": engine, "master": master, "html": html,
                         "counts": None, "started": started, "finished": None,
                     })
        _execute(plan)
        return _finish(plan)


def _root_key(root: Path | str) -> str:
    """How ``state.jsonl`` names an INPUT root (absolute, valid UTF-8)."""
    return display_path(os.path.abspath(root))


def _check_previous(out: Path, table: AliasTable, run_info: dict[str, Any], force: bool,
                    ) -> bool:
    """Refuse to mix with what *out* holds; True when the earlier outputs are to be cleared."""
    previous: dict[str, Any] | None = None
    try:
        previous = json.loads((out / RUN).read_text(encoding="utf-8"))
    except FileNotFoundError:
        previous = None
    except (OSError, ValueError):
        previous = {}
    if force:
        return True
    if previous is None:
        foreign = [name for name in (MENTIONS, ENTITIES, SPELLINGS, ERRORS, STATE, HTML_DIR)
                   if (out / name).exists()]
        if foreign:
            raise BatchConfigError(
                f"{out} holds {', '.join(foreign)} but no {RUN}: not the outputs of a run "
                "(or of an older version); use --force to overwrite them or choose another --out"
            )
        return True
    old_hash = previous.get("table", {}).get("content_hash")
    if old_hash != table.content_hash:
        raise BatchConfigError(
            f"{out} holds results of a different alias table "
            f"(content_hash {old_hash!r}, now {table.content_hash!r}); use --force to start "
            "over or choose another --out"
        )
    recorded, model = run_info["settings"], run_info["model"]
    old_settings = previous.get("settings") or effective_settings({})
    changed = sorted(k for k in {*old_settings, *recorded}
                     if old_settings.get(k) != recorded.get(k))
    if previous.get("model") != model:
        changed.append("model")
    if changed:
        raise BatchConfigError(
            f"{out} holds results made with other settings ({', '.join(changed)}); "
            "use --force to start over or choose another --out"
        )
    return False


def _plan(inputs: Sequence[PathLike], out: Path, table: AliasTable, engine: Engine, *,
          force: bool, html: bool, quiet: bool, init: WorkerInit,
          run_info: dict[str, Any]) -> _Plan:
    """Check *out*, record the run, list the documents and keep the unchanged finished ones."""
    if _check_previous(out, table, run_info, force):
        _clear(out)
    write_json(out / RUN, run_info)
    plan = _Plan(out, table, init, engine, html, quiet, run_info)
    # Which documents are there, in order, and which of them are already finished?
    for file, root in iter_inputs([Path(p) for p in inputs], skip_dirs=[out]):
        key = (_root_key(root), _relpath(file, root))
        plan.order.append((key, file, root))
    old = _load_blocks(out)
    result = plan.result = BatchResult(out_dir=out)
    result.warnings = [str(p) for p in user_warnings(table, list(init.aliases))]
    kept: list[tuple[dict[str, Any], list[str]]] = []
    for key, file, root in plan.order:
        block = old.get(key)
        if (block is not None and block[0].get("sha256") == _sha256_file(file)
                and (not html or html_path(out, key[1]).exists())):
            kept.append(block)
            result.unchanged += 1
        else:
            plan.tasks.append(Task(str(file), str(root), html))
    _write_blocks(out, kept)
    atomic_write_text(out / ERRORS, "")
    return plan


def _execute(plan: _Plan) -> None:
    """Link the planned tasks on the engine and journal every outcome as it comes."""
    out, tasks, result = plan.out, plan.tasks, plan.result
    assert result is not None
    kill_after = int(os.environ.get(KILL_AFTER_ENV) or 0)
    progress: Any = None
    if not plan.quiet and sys.stderr.isatty():
        from tqdm import tqdm  # type: ignore[import-untyped,unused-ignore]

        progress = tqdm(total=len(tasks), unit="doc", file=sys.stderr, desc="documents")
    found = 0
    try:
        with _Journal(out, commit_every=1 if kill_after else COMMIT_EVERY) as journal:
            for task, outcome in zip(
                tasks, plan.engine.outcomes(tasks, plan.init, plan.table), strict=True
            ):
                if outcome.status == "done":
                    if outcome.html is not None:
                        atomic_write_text(html_path(out, outcome.relpath), outcome.html)
                    journal.add_done(_root_key(task.root), outcome)
                    result.done += 1
                else:
                    journal.add_error(outcome)
                    if outcome.status == "failed":
                        result.failed += 1
                    else:
                        result.skipped += 1
                if journal.due():
                    journal.commit()
                    if kill_after and result.done >= kill_after:
                        os.kill(os.getpid(), signal.SIGKILL)
                if progress is not None:
                    found += len(outcome.lines)
                    progress.set_postfix(mentions=found, failed=result.failed,
                                         skipped=result.skipped, refresh=False)
                    progress.update(1)
    finally:
        if progress is not None:
            progress.close()


def _finish(plan: _Plan) -> BatchResult:
    """Put mentions.jsonl in input order, run the summary writers, complete run.json."""
    out, result = plan.out, plan.result
    assert result is not None
    # Resumed runs may have appended out of order.
    blocks = _load_blocks(out)
    position = {key: i for i, (key, _, _) in enumerate(plan.order)}
    ordered = sorted(blocks.items(), key=lambda kv: position.get(kv[0], len(position)))
    if [k for k, _ in ordered] != list(blocks):
        _write_blocks(out, [block for _, block in ordered])
    # One parse of all lines as a JSON array: a quarter faster than a loads() per line.
    mentions = json.loads("[" + ",".join(line for _, (_, lines) in ordered for line in lines) + "]")
    if recluster_run(mentions):  # name clusters across documents, not only within one
        ordered = _reencode(ordered, mentions)
        _write_blocks(out, [block for _, block in ordered])
    result.mentions = len(mentions)
    doc_order: dict[str, int] = {}
    for key, _, _ in plan.order:
        doc_order.setdefault(key[1], len(doc_order))
    per_doc: dict[str, int] = {}
    for (_, relpath), (entry, _) in ordered:
        per_doc[relpath] = int(entry["mentions"])
    entries = [entry for _, (entry, _) in ordered]
    summary = Summary(out, mentions, plan.table, doc_order, per_doc, plan.html, entries)
    written = [path for writer in SUMMARY_WRITERS if (path := writer.write(summary))]
    result.outputs = [out / MENTIONS, *written, out / ERRORS, out / RUN]
    plan.run_info["counts"] = result.counts()
    plan.run_info["finished"] = _now()
    write_json(out / RUN, plan.run_info)
    return result
