"""How fast the `run --html` report opens: headless Chromium reaching `load` for html/index.html.

    python benchmarks/bench_report.py [--docs 10000] [--jobs 2] [--repeat 3] [--keep DIR]

Generates --docs short documents with bench_batch's generator (names of the
packaged table in RR, MR, MR-without-diacritics and North Korean spellings),
links them with ``run_batch(..., html=True)``, then opens ``html/index.html``
from the file system in a fresh headless Chromium --repeat times and prints the
median time from navigation start to the end of the ``load`` event (the
browser's own Navigation Timing), plus the same for the largest entity page;
it also times the report step alone (``write_report`` from the run's outputs).
Target (issue 17): median ≤ 2 s for 10,000 documents.
Needs Debian's ``chromium`` on PATH.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from bench_batch import generate_corpus  # noqa: E402

from _chromium import Browser, find_chromium  # noqa: E402
from romanize_entities.aliases import AliasTable  # noqa: E402
from romanize_entities.batch import run_batch  # noqa: E402
from romanize_entities.report import write_report  # noqa: E402


def load_times(url: str, repeat: int) -> list[float]:
    """Seconds from navigation start to loadEventEnd, each in a fresh browser (cold cache)."""
    times = []
    for _ in range(repeat):
        with Browser(width=1280, height=900) as browser:
            times.append(browser.open(url))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the corpus and run here and keep them")
    args = parser.parse_args()
    if find_chromium() is None:
        sys.exit("chromium not found on PATH (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        corpus, out = base / "corpus", base / "out"
        corpus.mkdir(parents=True, exist_ok=True)
        words = generate_corpus(corpus, args.docs, seed=args.seed, paragraphs=(2, 5))
        started = time.perf_counter()
        result = run_batch([corpus], out, html=True, jobs=args.jobs, force=True)
        linked = time.perf_counter() - started
        # the report step alone, from the run's outputs, as run_batch's finish step calls it
        mentions = [json.loads(line) for line in
                    (out / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
        entries = [json.loads(line) for line in
                   (out / "state.jsonl").read_text(encoding="utf-8").splitlines()]
        started = time.perf_counter()
        write_report(out / "html", AliasTable.default(), mentions, entries)
        report = time.perf_counter() - started
        index = out / "html" / "index.html"
        entity_pages = sorted((out / "html" / "entities").glob("*.html"),
                              key=lambda p: p.stat().st_size)
        print(f"{args.docs} documents, {words} words, {result.mentions} mentions: "
              f"run --html -j {args.jobs} took {linked:.1f} s, of which the report "
              f"(index and entity pages) about {report:.1f} s")
        print(f"index.html: {index.stat().st_size / 1e6:.2f} MB; "
              f"{len(entity_pages)} entity pages, largest "
              f"{entity_pages[-1].stat().st_size / 1e6:.2f} MB ({entity_pages[-1].name})")
        for label, path in (("index.html", index), (entity_pages[-1].name, entity_pages[-1])):
            times = load_times(path.as_uri(), args.repeat)
            shown = ", ".join(f"{t:.3f}" for t in times)
            print(f"{label}: load in {statistics.median(times):.3f} s median of "
                  f"{args.repeat} ({shown})")


if __name__ == "__main__":
    main()
