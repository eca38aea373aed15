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

Each Spark master runs in its own Python process (a stopped session leaves its JVM
behind, which would make the second master's start look free); both stay alive so
that their runs can be interleaved: every round runs each configuration once,
alternating (local[1], local[2], then local[2], local[1]), and likewise jobs=1 and
jobs=2. The host this was written on is a shared VM whose speed drifts by ±30 %
within minutes; run back to back, a slow phase landed on one side of a ratio (2.7x
on two cores was seen), whereas interleaved runs share it. Ratios are printed best-
vs-best and as the median of the per-round ratios. Spark's fixed start-up cost
(starting the session and its JVM, then a first tiny job that starts the Python
workers and builds their pipelines) is timed separately and left out of its
documents/s, which are therefore steady-state figures; the local runner's figures
include its (much smaller) start-up. Each configuration is pinned to as many CPUs as
it has cores (jobs=1 and local[1] to one CPU: the JVM, the driver and the worker
share it; --no-pin lets them use the whole machine). Each configuration runs
--repeat times and the best run counts, since other load on the machine can only add
time; before each run the script waits (up to --idle-wait seconds) for the cores to
be idle, and says so when they were not.
The outputs of every run_batch run are compared byte for byte with jobs=1's. The
load average is printed because the figures only mean something on an otherwise
idle machine.
"""

from __future__ import annotations

import argparse
import functools
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


class SparkChild:
    """One Spark master in its own process (a stopped session leaves its JVM behind,
    which would make a second master's start look free), kept alive so that its
    runs can be interleaved with the other master's."""

    def __init__(self, master: str, base: Path, n_docs: int) -> None:
        argv = [sys.executable, __file__, "--spark-master", master, "--base", str(base),
                "--docs", str(n_docs), "--idle-wait", str(IDLE_WAIT[0])]
        if not PIN[0]:
            argv.append("--no-pin")
        self.master = master
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
        self.startup: dict[str, float] = self._reply()

    def _reply(self) -> dict[str, float]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.master} benchmark process died")
        reply: dict[str, float] = json.loads(line)
        return reply

    def run(self, kind: str) -> float:
        assert self.proc.stdin is not None
        self.proc.stdin.write(kind + "\n")
        self.proc.stdin.flush()
        return self._reply()["seconds"]

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=120)


def _serve_spark(master: str, base: Path, corpus: Path, n_docs: int) -> None:
    """Child process: start *master*, then time one run per command read from stdin."""
    from pyspark.sql import functions as F

    from romanize_entities import spark as rs

    def say(**values: float) -> None:
        print(json.dumps(values), flush=True)

    start = time.perf_counter()
    spark = rs.get_spark(master)
    spark.sparkContext.setLogLevel("ERROR")
    session = time.perf_counter() - start
    start = time.perf_counter()
    run_batch([base / "tiny"], base / f"tiny-{master}", engine="spark", force=True)
    say(session=session, first_job=time.perf_counter() - start)
    out = base / f"out-{master}"
    for command in sys.stdin:
        kind = command.strip()
        wait_until_idle()
        start = time.perf_counter()
        if kind == "run_batch":
            run_batch([corpus], out, engine="spark", force=True)
            seconds = time.perf_counter() - start
            assert same_outputs(out, base / "out-j1"), f"spark {master} outputs differ from -j 1"
        elif kind == "dataframe":
            df = (spark.read.text(str(corpus), wholetext=True)
                  .select(F.input_file_name().alias("id"), F.col("value").alias("text")))
            # one file is one partition: regroup into 2 partitions per core
            df = df.repartition(2 * spark.sparkContext.defaultParallelism)
            assert rs.extract_mentions(df).count() > 0
            seconds = time.perf_counter() - start
        else:
            raise SystemExit(f"unknown command {kind!r}")
        say(seconds=seconds)
    spark.stop()


def interleaved(configs: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Seconds of each configuration per round, the configurations alternating within a
    round (and their order reversed every other round), so that a slow phase of a
    shared host hits both sides of a ratio alike instead of one of them."""
    times: dict[str, list[float]] = {name: [] for name in configs}
    names = list(configs)
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            times[name].append(configs[name]())
    for name, seconds in times.items():
        shown = ", ".join(f"{t:.2f}" for t in seconds)
        print(f"  {name}: best {min(seconds):.2f} s (runs: {shown} s; {load()})", flush=True)
    return times


def ratio_summary(label: str, slow: list[float], fast: list[float]) -> str:
    """Best-vs-best ratio and the median of the per-round ratios (same round, minutes apart)."""
    paired = sorted(a / b for a, b in zip(slow, fast, strict=True))
    median = paired[len(paired) // 2] if len(paired) % 2 else (
        (paired[len(paired) // 2 - 1] + paired[len(paired) // 2]) / 2)
    shown = ", ".join(f"{x:.2f}" for x in paired)
    return (f"  {label:<38} {min(slow) / min(fast):.2f}x best/best; per-round median "
            f"{median:.2f}x (rounds: {shown})")


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
        _serve_spark(args.spark_master, args.base, args.base / "corpus", args.docs)
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

        def local_run(jobs: int) -> Callable[[], float]:
            def run() -> float:
                pin(jobs)
                wait_until_idle()
                start = time.perf_counter()
                run_batch([corpus], base / f"out-j{jobs}", jobs=jobs, force=True)
                seconds = time.perf_counter() - start
                pin(None)
                return seconds
            return run

        print("local batch runner:", flush=True)
        local = interleaved({"jobs=1": local_run(1), "jobs=2": local_run(2)}, REPEAT[0])
        assert same_outputs(base / "out-j2", base / "out-j1"), "jobs=2 outputs differ"
        children: dict[str, SparkChild] = {}
        try:
            for master in ("local[1]", "local[2]"):  # one after the other: start-ups apart
                children[master] = SparkChild(master, base, args.docs)
                up = children[master].startup
                print(f"Spark {master} start-up: session {up['session']:.1f} s + first tiny "
                      f"job (Python workers + pipeline, 8 docs) {up['first_job']:.1f} s",
                      flush=True)
            kinds = ["run_batch"] + ([] if args.skip_dataframe else ["dataframe"])
            spark: dict[str, dict[str, list[float]]] = {}
            for kind in kinds:
                print(f"Spark, {kind}:", flush=True)
                spark[kind] = interleaved(
                    {m: functools.partial(child.run, kind) for m, child in children.items()},
                    REPEAT[0])
        finally:
            for child in children.values():
                child.close()

    def rate(seconds: list[float]) -> float:
        return args.docs / min(seconds)

    print()
    print(f"documents/s, best run ({args.docs} documents, {words} words; {load()}):")
    print(f"  run_batch jobs=1                     {rate(local['jobs=1']):8.1f}")
    print(f"  run_batch jobs=2                     {rate(local['jobs=2']):8.1f}")
    for m in ("local[1]", "local[2]"):
        print(f"  run_batch engine=spark {m:<13} {rate(spark['run_batch'][m]):8.1f}")
    if not args.skip_dataframe:
        for m in ("local[1]", "local[2]"):
            print(f"  extract_mentions {m:<19} {rate(spark['dataframe'][m]):8.1f}")
    print("ratios (target for Spark local[2] / local[1]: 1.6x):")
    print(ratio_summary("jobs=2 / jobs=1", local["jobs=1"], local["jobs=2"]))
    print(ratio_summary("spark local[2] / local[1] (run_batch)",
                        spark["run_batch"]["local[1]"], spark["run_batch"]["local[2]"]))
    if not args.skip_dataframe:
        print(ratio_summary("spark local[2] / local[1] (DataFrame)",
                            spark["dataframe"]["local[1]"], spark["dataframe"]["local[2]"]))
    print(ratio_summary("spark local[1] / run_batch jobs=1",
                        local["jobs=1"], spark["run_batch"]["local[1]"]))
    print(ratio_summary("spark local[2] / run_batch jobs=2",
                        local["jobs=2"], spark["run_batch"]["local[2]"]))
    print("fixed start-up cost, not in the figures above (session start + first tiny job):")
    for m, child in children.items():
        up = child.startup
        print(f"  {m}: {up['session']:.1f} s + {up['first_job']:.1f} s = "
              f"{up['session'] + up['first_job']:.1f} s")
    print("outputs of every run_batch run byte-identical to run_batch jobs=1: True")


if __name__ == "__main__":
    main()
