"""Batch-runner throughput: documents/s and words/s at -j 1 and -j 2, in one run.

    python benchmarks/bench_batch.py [--docs 1000] [--seed 7]

Corpus: --docs generated English documents (by default 10-40 paragraphs, ~670
words on average: archival records run to pages, and the 1956 letter in
tests/data has ~5,100 words; ``--paragraphs 4 8`` gives ~160-word briefs) that
mention people, places and parties of the packaged alias table in RR, MR,
MR-without-diacritics and North Korean spellings, plus unlisted capitalized
words, written to a temporary folder. Each configuration runs
``run_batch`` from scratch (``force=True``) in a fresh interpreter into its own
output folder, so the timings include start-up (pipeline and worker
processes), reading, linking, writing and the final tables; the best of
``--repeat`` runs counts, and the outputs of the two configurations are
compared byte for byte.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from romanize_entities import AliasTable, romanize

FILLER = (  # noqa: SIM905 - prose reads better than a list of words
    "The delegation arrived in the morning and the talks went on until late in the "
    "evening . Reports of the meeting were sent to the ministry , and the embassy "
    "noted that the question of grain deliveries was raised again . According to "
    "the minutes , the plenum discussed the situation in the provinces , the plan for "
    "industry and the work of the party organizations in the factories . Several "
    "speakers criticized the leadership for its methods of work ."
).split()
SYSTEMS = ("rr", "mr", "mr-ascii", "dprk")


def _spellings(table: AliasTable) -> list[str]:
    """Written forms of table entities: listed aliases and romanizations of their Hangul."""
    forms: list[str] = []
    for entity in table:
        forms.append(entity.name)
        forms.extend(entity.aliases[:2])
        if entity.hangul and entity.type == "PERSON":
            for system in SYSTEMS:
                forms.append(romanize(entity.hangul, system, name=True))
    return [f for f in forms if f]


def generate_corpus(folder: Path, n: int, seed: int = 7, paragraphs: tuple[int, int] = (4, 8)
                    ) -> int:
    """Write *n* documents ``doc-00000.txt`` … into *folder*; return the number of words.

    Each document has a random number of *paragraphs* in the given range, each
    paragraph 15-30 words with 1-3 names (about 40 words per paragraph).
    """
    rng = random.Random(seed)
    names = _spellings(AliasTable.default())
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n):
        words: list[str] = []
        for _ in range(rng.randint(*paragraphs)):
            start = rng.randrange(len(FILLER) - 30)
            sentence = FILLER[start:start + rng.randint(15, 30)]
            for _ in range(rng.randint(1, 3)):
                sentence.insert(rng.randrange(len(sentence)), rng.choice(names))
            words.extend(sentence)
            words.append("\n\n")
        text = " ".join(words).replace(" \n\n ", "\n\n")
        total += len(text.split())
        (folder / f"doc-{i:05d}.txt").write_text(text, encoding="utf-8")
    return total


def time_run(corpus: Path, out: Path, jobs: int) -> float:
    """Seconds for one whole run in a fresh interpreter, pipeline start-up included.

    A fresh process per run is what a user gets, and it keeps one run's warm
    caches (name keys, lookups) from flattering the next.
    """
    code = (
        "import sys, time\n"
        "start = time.perf_counter()\n"
        "from romanize_entities.batch import run_batch\n"
        "result = run_batch([sys.argv[1]], sys.argv[2], jobs=int(sys.argv[3]), force=True)\n"
        "assert result.failed == 0, result.counts()\n"
        "print(time.perf_counter() - start)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(corpus), str(out), str(jobs)],
                          check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2, help="runs per configuration (best)")
    parser.add_argument("--paragraphs", type=int, nargs=2, default=(10, 40),
                        metavar=("MIN", "MAX"),
                        help="paragraphs per document (~40 words each); the 1956 letter "
                             "in tests/data has ~5,100 words")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        words = generate_corpus(base / "corpus", args.docs, args.seed, tuple(args.paragraphs))
        print(f"corpus: {args.docs} documents, {words} words "
              f"({words / args.docs:.0f} per document)")
        generate_corpus(base / "one", 1, args.seed, tuple(args.paragraphs))
        AliasTable.default()  # compile the packaged table once, so no run pays the YAML
        times: dict[int, float] = {}
        for rep in range(args.repeat):
            for jobs in (1, 2):
                took = time_run(base / "corpus", base / f"out-j{jobs}", jobs)
                times[jobs] = min(took, times.get(jobs, took))
                print(f"run {rep + 1} -j {jobs}: {took:7.2f} s  {args.docs / took:8.1f} docs/s  "
                      f"{words / took:10.0f} words/s")
        print(f"best of {args.repeat}: -j 1 {args.docs / times[1]:.1f} docs/s, "
              f"-j 2 {args.docs / times[2]:.1f} docs/s")
        print(f"-j 2 / -j 1 documents/s, whole runs: {times[1] / times[2]:.2f}x")
        # The fixed cost of a run (interpreter, spaCy import, pipeline, worker
        # start, final tables) measured on a one-document corpus; the rate net
        # of it is what a longer run approaches.
        fixed = {jobs: min(time_run(base / "one", base / f"one-j{jobs}", jobs)
                           for _ in range(args.repeat)) for jobs in (1, 2)}
        net = {jobs: args.docs / max(times[jobs] - fixed[jobs], 1e-9) for jobs in (1, 2)}
        print(f"fixed cost of a run: -j 1 {fixed[1]:.2f} s, -j 2 {fixed[2]:.2f} s; "
              f"net of it: -j 1 {net[1]:.1f} docs/s, -j 2 {net[2]:.1f} docs/s, "
              f"ratio {net[2] / net[1]:.2f}x")
        same = all(
            (base / "out-j1" / name).read_bytes() == (base / "out-j2" / name).read_bytes()
            for name in ("mentions.jsonl", "entities.csv", "spellings.csv", "errors.jsonl")
        )
        print(f"outputs byte-identical across -j: {same}")


if __name__ == "__main__":
    main()
