"""Engines of the batch runner: where documents are linked (local processes, Spark).

An engine is anything with the :class:`Engine` method ``outcomes``: it turns
the run's tasks into outcomes, *in task order*, using the pipeline described
by a :class:`~romanize_entities.worker.WorkerInit` and the table the driver
loaded. The runner (:mod:`romanize_entities.batch`) knows only this protocol;
engines know only :mod:`romanize_entities.worker`, so there is no import cycle
between the runner and Spark.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from romanize_entities.aliases import AliasTable
from romanize_entities.errors import BatchConfigError
from romanize_entities.readers import _relpath
from romanize_entities.worker import (
    Outcome,
    Task,
    WorkerInit,
    init_worker,
    process_file,
    release_pipeline,
)

__all__ = ["Engine", "LocalEngine", "SparkEngine", "get_engine", "local_outcomes"]


class Engine(Protocol):
    """Turns tasks into outcomes, in task order."""

    def outcomes(self, tasks: list[Task], init: WorkerInit,
                 table: AliasTable) -> Iterator[Outcome]: ...


@dataclass(frozen=True)
class LocalEngine:
    """Link in this process (``jobs == 1``) or in a pool of *jobs* worker processes."""

    jobs: int = 1

    def outcomes(self, tasks: list[Task], init: WorkerInit,
                 table: AliasTable) -> Iterator[Outcome]:
        return local_outcomes(tasks, self.jobs, init, table)


@dataclass(frozen=True)
class SparkEngine:
    """Link on Spark (see :func:`romanize_entities.spark.spark_outcomes`)."""

    master: str | None = None

    def outcomes(self, tasks: list[Task], init: WorkerInit,
                 table: AliasTable) -> Iterator[Outcome]:
        from romanize_entities.spark import spark_outcomes

        return spark_outcomes(tasks, init, table, master=self.master)


def get_engine(name: str, *, jobs: int = 1, master: str | None = None) -> Engine:
    """The engine called *name* ("local" or "spark"), checked before any output is touched."""
    if name == "local":
        if master is not None:
            raise BatchConfigError("--master is only meaningful with --engine spark")
        return LocalEngine(jobs)
    if name == "spark":
        try:
            from romanize_entities.spark import get_spark
        except ImportError as exc:
            raise BatchConfigError(
                "--engine spark needs the spark extra: pip install 'romanize-entities[spark]'"
                f" ({exc})"
            ) from exc
        try:  # start (or join) the session now, before any output is touched
            get_spark(master)
        except Exception as exc:
            raise BatchConfigError(f"could not start Spark ({type(exc).__name__}): {exc}"
                                   ) from exc
        return SparkEngine(master)
    raise BatchConfigError(f"unknown engine {name!r}: use 'local' or 'spark'")


def local_outcomes(
    tasks: list[Task], jobs: int, init: WorkerInit, table: AliasTable,
) -> Iterator[Outcome]:
    """Outcomes of *tasks* in task order, computed in-process or by a process pool."""
    if not tasks:
        return
    if jobs <= 1:
        init_worker(init, table=table)
        try:
            for task in tasks:
                yield process_file(task)
        finally:
            release_pipeline()
        return
    # Where workers are forked, build the pipeline once here: every worker
    # inherits it (copy-on-write) instead of importing spaCy and loading the
    # table itself, which is most of a short run's start-up. Elsewhere
    # (spawn, forkserver) each worker builds its own in the initializer.
    context = multiprocessing.get_context()
    if context.get_start_method() == "fork":
        init_worker(init, table=table)

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                   initializer=init_worker,
                                   initargs=(init, None, os.getpid()))

    pool = new_pool()
    try:
        todo = deque(tasks)
        pending: deque[tuple[Task, Future[Outcome]]] = deque()
        while todo or pending:
            while todo and len(pending) < jobs * 4:
                task = todo.popleft()
                pending.append((task, pool.submit(process_file, task)))
            task, future = pending.popleft()
            try:
                yield future.result()
                continue
            except BrokenProcessPool:
                pass
            # A worker died (killed, out of memory, a crash in native code) and
            # took every pending future with it. Rerun the suspects one at a
            # time in a fresh pool: the one that kills its worker again fails
            # alone, the others are done as usual.
            suspects = [task, *(t for t, _ in pending)]
            pending.clear()
            pool.shutdown(wait=True, cancel_futures=True)
            pool = new_pool()
            for suspect in suspects:
                try:
                    yield pool.submit(process_file, suspect).result()
                except BrokenProcessPool:
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = new_pool()
                    yield Outcome(_relpath(Path(suspect.file), Path(suspect.root)), None,
                                  "failed", "the worker process died while processing this "
                                  "document (out of memory or killed)")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        release_pipeline()
