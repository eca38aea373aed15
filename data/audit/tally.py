"""Tally an audit verdict sheet (data/audit/recheck-*.tsv) into error rates.

Why: the error rate reported in the issue note must be recomputable from the
per-field verdicts, not typed by hand. Verdicts: ``ok``, ``wrong``,
``unverifiable`` (not seen on any page read; excluded from the denominator) and
``weak`` (sources only: every page is a list or event page that names the
entity but none is about it; counted as checked, not as wrong, and reported
separately because the curation rule asks for a page about the entity).

Usage: python data/audit/tally.py data/audit/recheck-2026-12-02.tsv [--table]
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict

FIELDS = ["type", "name", "hangul", "hanja", "born", "died", "aliases", "note", "sources"]
SHORT = {"ok": "ok", "wrong": "**WRONG**", "unverifiable": "unverif.", "weak": "weak"}


def load(path: str) -> list[dict[str, str]]:
    """Read the tab-separated verdict sheet (no quoting: evidence may hold quotes)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def tally(rows: list[dict[str, str]]) -> None:
    """Print per-batch counts: wrong/checked fields and entries with a wrong field."""
    by_batch: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_batch[row["batch"]].append(row)
    for batch, items in sorted(by_batch.items()):
        entries = {r["id"] for r in items}
        verdicts = [r["verdict"] for r in items]
        checked = sum(v in ("ok", "wrong", "weak") for v in verdicts)
        wrong = verdicts.count("wrong")
        weak = verdicts.count("weak")
        unver = verdicts.count("unverifiable")
        bad_entries = sorted({r["id"] for r in items if r["verdict"] == "wrong"})
        data_wrong = sum(r["verdict"] == "wrong" and r["field"] != "sources" for r in items)
        print(f"{batch}: {len(entries)} entries, {checked} fields checked, "
              f"{wrong} wrong ({wrong / checked:.1%}; {data_wrong} outside `sources`), "
              f"{weak} weak sources, {unver} unverifiable; "
              f"entries with >=1 wrong field: {len(bad_entries)}/{len(entries)} {bad_entries}; "
              f"counting weak as wrong: {(wrong + weak) / checked:.1%}")


def table(rows: list[dict[str, str]]) -> None:
    """Print a markdown table: one line per entry, one column per field."""
    cells: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    urls: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        key = (row["batch"], row["id"])
        cells[key][row["field"]] = SHORT[row["verdict"]]
        for url in row["url_read"].split(" ; "):
            if url and url not in urls[key]:
                urls[key].append(url)
    print("| batch | id | " + " | ".join(FIELDS) + " | pages read |")
    print("|" + "---|" * (len(FIELDS) + 3))
    for key, got in cells.items():
        line = [key[0], f"`{key[1]}`"] + [got.get(f, "–") for f in FIELDS]
        line.append("<br>".join(f"<{u}>" for u in urls[key]))
        print("| " + " | ".join(line) + " |")


if __name__ == "__main__":
    sheet = load(sys.argv[1])
    tally(sheet)
    if "--table" in sys.argv:
        table(sheet)
