"""Leave-one-out over the packaged table (issue 11): wrong links of withheld people.

    python benchmarks/bench_leave_one_out.py [--aliases FILE]... [--no-default] [--show N]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

import spacy

from romanize_entities.leave_one_out import run_leave_one_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aliases", action="append", default=[])
    parser.add_argument("--no-default", action="store_true")
    parser.add_argument("--show", type=int, default=20, help="list this many of each kind")
    args = parser.parse_args()
    nlp = spacy.blank("en")
    nlp.add_pipe("romanize_entities", config={"aliases": args.aliases,
                                              "include_default": not args.no_default})
    started = time.perf_counter()
    report = run_leave_one_out(nlp)
    seconds = time.perf_counter() - started
    print(f"people {report.people}, spellings {report.spellings}, {seconds:.1f} s")
    print(f"wrong links: {len(report.wrong)}")
    print(f"namesakes (another person lists the spelling): {len(report.namesakes)} "
          f"over {len({w.withheld for w in report.namesakes})} people")
    print(f"homographs (a place or body lists the spelling): {len(report.homographs)}")
    print(f"withheld person without Hangul, spelling reads as another's Hangul: "
          f"{len(report.hangul_unknown)}")
    print(f"places inside a spelling linked as the place: {len(report.places_inside)}")
    for kind, rows in (("WRONG", report.wrong), ("NAMESAKE", report.namesakes),
                       ("HOMOGRAPH", report.homographs), ("PLACE", report.places_inside),
                       ("NO-HANGUL", report.hangul_unknown)):
        for row in rows[: args.show]:
            print(f"  {kind}: {row.spelling!r} of {row.withheld} -> {row.linked_to} ({row.method})")
    print("methods of wrong links:", dict(Counter(w.method for w in report.wrong)))


if __name__ == "__main__":
    main()
