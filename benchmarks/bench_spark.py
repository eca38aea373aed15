"""Spark local mode against the local batch runner: documents/s, in one run.

    python benchmarks/bench_spark.py [--docs 1000] [--seed 7] [--repeat 2] [--idle-wait 120]
                                        [--no-pin] [--skip-dataframe]

Corpus: --docs generated documents (``generate_corpus`` of bench_batch.py, by
default ~670 words each, naming table entities in several romanizations;
``--paragraphs 4 8`` for ~160-word briefs), written to a temporary folder.
Configurations, all on that corpus and all from scratch (``force=True``) into
their own output folders:

  run_batch(jobs=1), run_batch(jobs=2)                   local worker processes
  run_batch(engine="spark") on local[1] and on local[2]  Spark local mode
  extract_mentions(...).count() on local[1] / local[2]   the DataFrame API, reading the
                                                         corpus with spark.read.text(wholetext)

Each Spark master runs in a fresh Python process (a stopped session leaves its
JVM behind, which would make the second master's start look free). Spark's fixed
start-up cost (starting the session and its JVM, then a first tiny job that
starts the Python workers and builds their pipelines) is timed separately and
left out of its documents/s, which are therefore steady-state figures; the local
runner's figures include its (much smaller) start-up. Each configuration is
pinned to as many CPUs as it has cores (jobs=1 and local[1] to one CPU: the JVM,
the driver and the worker share it; --no-pin lets them use the whole machine).
Each configuration runs --repeat times and the best run counts, since other
load on the machine can only add time; before each run the script waits (up to
--idle-wait seconds) for the cores to be idle, and says so when they were not.
The outputs of every run are compared byte for byte with run_batch(jobs=1). The
load average is printed because the figures only mean something on an otherwise
idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from romanize_entities.batch import run_batch

COMPARED = ("mentions.jsonl", "entities.csv", "spellings.csv", "errors.jsonl")
BENCH_DIR = Path(__file__).resolve().parent


def same_outputs(a: Path, b: Path) -> bool:
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in COMPARED)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min) {five:.2f} (5 min)"


REPEAT = [1]  # set from --repeat
PIN = [True]  # cleared by --no-pin
IDLE_WAIT = [0.0]  # set from --idle-wait


def _cpu_idle_share(seconds: float = 1.0) -> float | None:
    """Share of all cores' time that was idle during the next *seconds* (Linux /proc/stat)."""
    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return fields[3] + fields[4], sum(fields)  # idle + iowait, total

    try:
        idle0, total0 = sample()
        time.sleep(seconds)
        idle1, total1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return (idle1 - idle0) / max(1, total1 - total0)


def pin(cpus: int | None) -> None:
    """Let this process and everything it starts run on the first *cpus* CPUs (all if None).

    Without this, "1 core" is not one core: local[1] runs its Python worker on
    one core while the JVM (JIT compiler, GC, Arrow) and the driver's writing use
    the other, for free, and the local runner's jobs=1 likewise gets its file
    I/O done on the side; the ratios then say more about the machine than about
    scaling. Linux only; elsewhere, or with --no-pin, nothing is pinned.
    """
    if not hasattr(os, "sched_setaffinity"):
        return
    every = set(range(os.cpu_count() or 1))
    os.sched_setaffinity(0, every if cpus is None or not PIN[0] else set(range(cpus)) & every)


def wait_until_idle() -> None:
    """Wait (at most --idle-wait s) until the cores are >= 90 % idle, so other processes
    on a shared machine do not decide the figures; say so when they did."""
    deadline = time.monotonic() + IDLE_WAIT[0]
    while True:
        share = _cpu_idle_share()
        if share is None or share >= 0.9:
            return
        if time.monotonic() >= deadline:
            print(f"  (machine busy: only {share:.0%} of CPU idle before this run)", flush=True)
            return


def timed(label: str, fn: Callable[[], object], repeat: int | None = None) -> float:
    """Best (shortest) of *repeat* runs: other processes on the machine only ever add time."""
    times = []
    for _ in range(REPEAT[0] if repeat is None else repeat):
        wait_until_idle()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    shown = ", ".join(f"{t:.2f}" for t in times)
    print(f"  {label}: {min(times):.2f} s (runs: {shown} s; {load()})", flush=True)
    return min(times)


def bench_spark(master: str, base: Path, corpus: Path, n_docs: int, dataframe: bool,
                ) -> dict[str, float]:
    """Start-up cost and steady-state docs/s of one Spark master, in a new process."""
    argv = [sys.executable, __file__, "--spark-master", master, "--base", str(base),
            "--docs", str(n_docs), "--repeat", str(REPEAT[0]), "--idle-wait", str(IDLE_WAIT[0])]
    if not PIN[0]:
        argv.append("--no-pin")
    if not dataframe:
        argv.append("--skip-dataframe")
    proc = subprocess.run(argv, stdout=subprocess.PIPE, text=True, check=True)
    lines = proc.stdout.splitlines()
    print("\n".join(lines[:-1]), flush=True)
    result: dict[str, float] = json.loads(lines[-1])
    return result


def _bench_spark_here(master: str, base: Path, corpus: Path, n_docs: int, dataframe: bool,
                      ) -> dict[str, float]:
    from pyspark.sql import functions as F

    from romanize_entities import spark as rs

    print(f"Spark {master}:", flush=True)
    tiny = base / "tiny"
    result: dict[str, float] = {}
    spark = None

    def start() -> None:
        nonlocal spark
        spark = rs.get_spark(master)
        spark.sparkContext.setLogLevel("ERROR")

    result["session"] = timed("session start", start, repeat=1)
    assert spark is not None
    result["first_job"] = timed(
        "first tiny job (Python workers + pipeline, 8 docs)",
        lambda: run_batch([tiny], base / f"tiny-{master}", engine="spark", force=True),
        repeat=1,
    )
    out = base / f"out-{master}"
    elapsed = timed(
        "run_batch(engine='spark')",
        lambda: run_batch([corpus], out, engine="spark", force=True),
    )
    result["run_batch"] = n_docs / elapsed
    assert same_outputs(out, base / "out-j1"), f"spark {master} outputs differ from -j 1"
    if dataframe:
        def extract() -> None:
            df = (spark.read.text(str(corpus), wholetext=True)
                  .select(F.input_file_name().alias("id"), F.col("value").alias("text")))
            # one file is one partition: regroup into 2 partitions per core
            df = df.repartition(2 * spark.sparkContext.defaultParallelism)
            mentions = rs.extract_mentions(df)
            assert mentions.count() > 0

        result["dataframe"] = n_docs / timed("extract_mentions(...).count()", extract)
    spark.stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs per configuration; the best is reported (default 2)")
    parser.add_argument("--idle-wait", type=float, default=120.0,
                        help="before each run wait up to this many seconds for idle cores "
                             "(default 120; 0 to not wait)")
    parser.add_argument("--no-pin", action="store_true",
                        help="do not pin each configuration to as many CPUs as it has cores")
    parser.add_argument("--paragraphs", type=int, nargs=2, default=(10, 40),
                        metavar=("MIN", "MAX"),
                        help="paragraphs per document, as in bench_batch.py (~40 words each)")
    parser.add_argument("--skip-dataframe", action="store_true",
                        help="do not time the extract_mentions DataFrame path")
    parser.add_argument("--spark-master", help=argparse.SUPPRESS)  # child process mode
    parser.add_argument("--base", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    REPEAT[0] = max(1, args.repeat)
    IDLE_WAIT[0] = max(0.0, args.idle_wait)
    PIN[0] = not args.no_pin
    if args.spark_master:
        pin(int(args.spark_master[len("local["):-1]))  # before the JVM starts: it inherits
        result = _bench_spark_here(args.spark_master, args.base, args.base / "corpus",
                                   args.docs, not args.skip_dataframe)
        print(json.dumps(result))
        return
    sys.path.insert(0, str(BENCH_DIR))
    from bench_batch import generate_corpus  # type: ignore[import-not-found]

    paragraphs = (args.paragraphs[0], args.paragraphs[1])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {load()}")
    pinned = PIN[0] and hasattr(os, "sched_setaffinity")
    print("each configuration pinned to as many CPUs as it has cores" if pinned
          else "configurations not pinned: each may use every core of the machine")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        corpus = base / "corpus"
        words = generate_corpus(corpus, args.docs, args.seed, paragraphs)
        generate_corpus(base / "tiny", 8, args.seed + 1, paragraphs)
        print(f"corpus: {args.docs} documents, {words} words "
              f"({words / args.docs:.0f} per document; bench_batch.generate_corpus)", flush=True)

        local: dict[int, float] = {}
        print("local batch runner:")
        for jobs in (1, 2):
            pin(jobs)
            elapsed = timed(f"run_batch(jobs={jobs})", lambda jobs=jobs: run_batch(
                [corpus], base / f"out-j{jobs}", jobs=jobs, force=True))
            local[jobs] = args.docs / elapsed
        pin(None)
        spark = {m: bench_spark(m, base, corpus, args.docs, not args.skip_dataframe)
                 for m in ("local[1]", "local[2]")}

    print()
    print(f"documents/s ({args.docs} documents, {words} words; {load()}):")
    print(f"  run_batch jobs=1                     {local[1]:8.1f}")
    print(f"  run_batch jobs=2                     {local[2]:8.1f}")
    for m in ("local[1]", "local[2]"):
        print(f"  run_batch engine=spark {m:<13} {spark[m]['run_batch']:8.1f}")
    if not args.skip_dataframe:
        for m in ("local[1]", "local[2]"):
            print(f"  extract_mentions {m:<19} {spark[m]['dataframe']:8.1f}")
    one, two = spark["local[1]"], spark["local[2]"]
    print("ratios:")
    print(f"  jobs=2 / jobs=1                       {local[2] / local[1]:.2f}x")
    print(f"  spark local[2] / local[1] (run_batch) {two['run_batch'] / one['run_batch']:.2f}x"
          f"  (target 1.6x)")
    if not args.skip_dataframe:
        print(f"  spark local[2] / local[1] (DataFrame) "
              f"{two['dataframe'] / one['dataframe']:.2f}x")
    print(f"  spark local[1] / run_batch jobs=1     {one['run_batch'] / local[1]:.2f}x")
    print(f"  spark local[2] / run_batch jobs=2     {two['run_batch'] / local[2]:.2f}x")
    print("fixed start-up cost, not in the figures above (session start + first tiny job):")
    for m in ("local[1]", "local[2]"):
        s = spark[m]
        print(f"  {m}: {s['session']:.1f} s + {s['first_job']:.1f} s = "
              f"{s['session'] + s['first_job']:.1f} s")
    print("outputs of every run byte-identical to run_batch jobs=1: True")


if __name__ == "__main__":
    main()
