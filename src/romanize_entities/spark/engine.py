"""The batch runner's Spark engine: ``run --engine spark``."""

from __future__ import annotations

import functools
import itertools
import operator
import os
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from romanize_entities import worker
from romanize_entities.aliases import AliasTable

if TYPE_CHECKING:
    from romanize_entities.worker import Outcome, Task, WorkerInit

from romanize_entities.spark.pipelines import _init_json, _pipeline, _ship_table
from romanize_entities.spark.session import _spark_context, get_spark

__all__ = ["spark_outcomes"]

# The batch engine's Spark tasks hold at most this many files (results come back
# to the driver in pieces of bounded size), and at most this many jobs run at once.
_MAX_FILES_PER_TASK = 2000
_MAX_JOBS_IN_FLIGHT = 32
_RUNS = itertools.count()
# Jobs per core of a `run --engine spark` (see _chunk_plan).
_ROUNDS_PER_CORE = 4


# --------------------------------------------------------------------------- #
# The batch runner's engine
# --------------------------------------------------------------------------- #

def _process_partition(
    tasks: Iterator[tuple[int, Task]], *, table_file: str, content_hash: str,
    init_json: str = "{}",
) -> Iterator[tuple[int, Outcome]]:
    """mapPartitions function of :func:`spark_outcomes` (runs on executors)."""
    nlp, table = _pipeline(table_file, content_hash, init_json)
    worker.use_pipeline(nlp, table)
    for index, task in tasks:
        yield index, worker.process_file(task)


def _chunk_plan(n_tasks: int, parallelism: int) -> tuple[int, int, int]:
    """``(files per job, jobs in flight, partitions per job)`` for :func:`spark_outcomes`.

    Every job costs a fixed ~0.05-0.1 s (planning on the driver, task set-up,
    the ``gc.collect()`` PySpark runs after each task in a reused Python
    worker), so jobs are few and large: about four per core, so the driver
    writes earlier results while later ones are linked and the last job, whose
    results the driver writes while the cores idle, is small. One job more than
    there are cores is in flight, so a core that finishes finds work queued.
    Tasks hold at most ``_MAX_FILES_PER_TASK`` files, which bounds the driver's
    memory on huge runs; on big clusters (more than ``_MAX_JOBS_IN_FLIGHT``
    cores) a job has several partitions instead of the driver running hundreds
    of jobs at once.
    """
    parallelism = max(1, parallelism)
    window = min(parallelism + 1, _MAX_JOBS_IN_FLIGHT)
    per_job = -(-(parallelism + 1) // window)
    rounds = _ROUNDS_PER_CORE * -(-parallelism // per_job)
    size = -(-n_tasks // rounds)
    return max(1, min(size, _MAX_FILES_PER_TASK * per_job)), window, per_job


def _run_chunk(
    sc: Any, tasks: list[Task], first: int, partitions: int, func: Any, group: str,
) -> list[Outcome]:
    """Link ``tasks`` (numbered from *first*) as one Spark job; outcomes in task order.

    An RDD job, not a DataFrame one: the tasks and outcomes are Python objects
    pickled straight through, and a job costs the JVM a fifth of what
    ``createDataFrame(...).mapInPandas(...).collect()`` does (SQL planning,
    Arrow conversion), which mattered with a few jobs per core.
    """
    sc.setJobGroup(group, "romanize-entities run --engine spark", False)
    numbered = list(enumerate(tasks, start=first))
    found = sorted(sc.parallelize(numbered, partitions).mapPartitions(func).collect(),
                   key=operator.itemgetter(0))
    if [index for index, _ in found] != list(range(first, first + len(tasks))):
        raise RuntimeError(f"Spark returned {len(found)} outcomes for {len(tasks)} files "
                           f"(files {first}-{first + len(tasks) - 1})")
    return [outcome for _, outcome in found]


class _OrderedJobs:
    """Run ``job(i)`` for i in ``range(n)`` on *window* threads; hand results back in order.

    A thread takes the next job as soon as its previous one finishes, whatever
    order they finish in (waiting for the oldest job before starting another,
    as a queue of futures does, left a core idle whenever a later job finished
    first). At most *ahead* jobs run or wait beyond the one the consumer needs
    next, which bounds the results held in memory.
    """

    def __init__(self, job: Any, n: int, window: int, ahead: int) -> None:
        self._job, self._n, self._ahead = job, n, ahead
        self._cond = threading.Condition()
        self._results: dict[int, tuple[bool, Any]] = {}
        self._next = 0  # the next job to start
        self._wanted = 0  # the next result the consumer takes
        self._stopped = False
        self._threads = [
            threading.Thread(target=self._work, name=f"romanize-entities-spark-{i}", daemon=True)
            for i in range(min(window, n))
        ]
        for thread in self._threads:
            thread.start()

    def _work(self) -> None:
        while True:
            with self._cond:
                while (not self._stopped and self._next < self._n
                       and self._next - self._wanted >= self._ahead):
                    self._cond.wait()
                if self._stopped or self._next >= self._n:
                    return
                index = self._next
                self._next += 1
            try:
                result: tuple[bool, Any] = (True, self._job(index))
            except BaseException as exc:  # handed to the consumer, raised there
                result = (False, exc)
            with self._cond:
                self._results[index] = result
                if not result[0]:
                    # The consumer stops at this job: later ones would be wasted work.
                    # Earlier ones have all started (jobs start in order) and finish.
                    self._stopped = True
                self._cond.notify_all()

    def __iter__(self) -> Iterator[Any]:
        for index in range(self._n):
            with self._cond:
                while index not in self._results:
                    self._cond.wait()
                ok, value = self._results.pop(index)
                self._wanted = index + 1
                self._cond.notify_all()
            if not ok:
                raise value
            yield value

    def stop(self) -> None:
        """Start no more jobs and wait for the running ones (cancel them first to be quick)."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()


def spark_outcomes(
    tasks: list[Task], init: WorkerInit, table: AliasTable, *, master: str | None = None,
) -> Iterator[Outcome]:
    """Outcomes of *tasks* computed on Spark, in task order (the ``spark`` engine of run_batch).

    *tasks* name files that executors read themselves, so the paths must be
    visible to them (a shared file system; trivially so in local mode). *init*'s
    alias paths are not used on the executors: *table*, already loaded by the
    driver, is shipped to them instead, so the alias files need not exist there.

    The task list is cut into consecutive chunks, each linked by one small
    Spark job (``mapPartitions`` over the chunk's file names, then
    ``collect``), with a window of jobs in flight, like the local engine's
    process pool. Results come back in task order while later chunks are still
    being linked, so the driver's writing (``run_batch`` fsyncs every
    document) overlaps with the executors' work, and the driver holds only a
    few chunks, never the whole corpus. (One job over the whole corpus would
    have to finish, or be cached, before ``toLocalIterator`` streams it back,
    and ``toLocalIterator`` on its own computes one partition at a time.) The
    task index travels with every outcome, so the order never depends on
    Spark's. Closing the generator early cancels the jobs still running.
    *init*'s component settings and model reach every executor.
    """
    if not tasks:
        return
    spark = get_spark(master)
    table_file = _ship_table(spark, table)
    func = functools.partial(
        _process_partition, table_file=table_file, content_hash=table.content_hash,
        init_json=_init_json(init.settings, init.model),
    )
    sc = _spark_context(spark)
    size, window, per_job = _chunk_plan(len(tasks), sc.defaultParallelism)
    group = f"romanize-entities-{os.getpid()}-{next(_RUNS)}"
    starts = range(0, len(tasks), size)

    def job(i: int) -> list[Outcome]:
        first = starts[i]
        return _run_chunk(sc, tasks[first:first + size], first, per_job, func, group)

    jobs = _OrderedJobs(job, len(starts), window, ahead=2 * window)
    finished = False
    try:
        for outcomes in jobs:
            yield from outcomes
        finished = True
    finally:
        if not finished:
            sc.cancelJobGroup(group)
        jobs.stop()
