"""Benchmark: load, index and query a synthetic 100,000-entity alias table.

Measures the cold path (YAML parse + validation + keys of every spelling), the
warm path (compiled msgpack cache), peak RSS and lookups per second, because
the spaCy component loads the table at start-up and must not stall a pipeline.

    python benchmarks/bench_aliases.py [N]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from romanize_entities.aliases import AliasTable
from romanize_entities.romanization import romanize

SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나"


def random_hangul_name(rng: random.Random) -> str:
    given = "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(rng.choice((1, 2, 2, 2))))
    return rng.choice(SURNAMES) + given


def make_table(n: int, path: Path, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    entities = []
    names = []
    for i in range(n):
        hangul = random_hangul_name(rng)
        name = romanize(hangul, "rr", name=True, surnames="common")
        aliases = [romanize(hangul, rng.choice(("mr", "dprk")), name=True)]
        if rng.random() < 0.5:
            aliases.append(romanize(hangul, "mr-ascii", name=True, hyphen=True))
        entities.append({"id": f"p{i}", "type": "PERSON", "name": name, "hangul": hangul,
                         "aliases": aliases, "sources": [f"https://example.org/{i}"]})
        names.append(name)
    path.write_text(yaml.dump({"version": "bench", "entities": entities}, allow_unicode=True,
                              Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper)),
                    encoding="utf-8")
    return names


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_in_fresh_process(path: Path, cache: bool) -> tuple[float, float, int]:
    """(seconds, peak RSS MB, warnings) of one load in a new interpreter.

    A fresh process is what a user's pipeline start-up is, and its peak RSS is
    the load's own (the generator's memory in this process would hide it).
    """
    code = (
        "import resource, sys, time\n"
        "t0 = time.perf_counter()\n"
        "from romanize_entities.aliases import AliasTable\n"
        "t1 = time.perf_counter()\n"
        f"table = AliasTable.from_yaml(sys.argv[1], cache={cache})\n"
        "dt = time.perf_counter() - t1\n"
        "print(dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "
        "len(table.warnings))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], check=True,
                         capture_output=True, text=True, env=os.environ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Alias-table load time (cold YAML vs warm cache), memory and lookup rate "
                    "on a generated table.")
    parser.add_argument("entities", nargs="?", type=int, default=100_000,
                        help="entities in the generated table (default: 100000)")
    n = parser.parse_args().entities
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ROMANIZE_ENTITIES_CACHE_DIR"] = str(Path(tmp) / "cache")
        path = Path(tmp) / "aliases.yaml"
        t0 = time.perf_counter()
        names = make_table(n, path)
        print(f"generated {n} entities ({path.stat().st_size / 1e6:.1f} MB YAML) "
              f"in {time.perf_counter() - t0:.1f}s")

        text = path.read_text(encoding="utf-8")
        t0 = time.perf_counter()
        yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        print(f"libyaml compose alone (floor of any YAML load): {time.perf_counter() - t0:.2f}s")
        del text

        cold_s, cold_rss, warnings = load_in_fresh_process(path, cache=True)
        print(f"cold load (YAML + validation + keys + cache write), fresh process: "
              f"{cold_s:.2f}s, peak RSS {cold_rss:.0f} MB; {warnings} warnings")
        warm_s, warm_rss, _ = load_in_fresh_process(path, cache=True)
        print(f"warm load (compiled msgpack cache), fresh process: {warm_s:.2f}s, "
              f"peak RSS {warm_rss:.0f} MB")
        print(f"the cache buys {cold_s / warm_s:.1f}x")

        warm = AliasTable.from_yaml(path, cache=True)
        rng = random.Random(1)
        queries = [rng.choice(names) for _ in range(1000)]
        variants = [q.replace("-", " ").replace("eo", "o") for q in queries[:1000]]
        typos = [q[:2] + "x" + q[3:] for q in queries[:300]]
        for label, qs in (("exact", queries), ("variant", variants), ("typo", typos)):
            t0 = time.perf_counter()
            for q in qs:
                warm.lookup(q)
            dt = time.perf_counter() - t0
            print(f"lookups ({label}): {len(qs) / dt:,.0f}/s")


if __name__ == "__main__":
    main()
