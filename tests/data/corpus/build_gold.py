"""Compute gold.jsonl (character offsets) from the readable spec annotations.yaml.

Run from anywhere: ``python tests/data/corpus/build_gold.py`` rewrites gold.jsonl
beside this file; ``--check`` only verifies that gold.jsonl is up to date (the
test suite runs this, so the JSONL can never drift from the spec).

Why a script: offsets typed by hand are wrong sooner or later, and a reviewer
can read "Kim Jong Un | PERSON | null" but not "start": 1234. Each spec item is
found by exact string search, in order:

* a top-level item is searched from the end of the previous top-level item;
* an item flagged ``nested`` is searched inside the last top-level item, from
  the start of the previous nested item (so a name nested two levels deep,
  "KWP" in "KWP CC" in "KWP CC Presidium", is found too), and must end inside it.

A match must not cut a Latin word ("Pak" never matches inside "Pakistan"). Any
miss, unknown label, unknown entity id or malformed line stops the script with
the document, item number and text, so a spec error can never become a silent
wrong offset.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
SPEC = HERE / "annotations.yaml"
GOLD = HERE / "gold.jsonl"
ALIASES = HERE.parents[2] / "data" / "aliases.yaml"
LABELS = {"PERSON", "ORG", "EVENT", "GPE", "LOC", "NORP"}
FLAGS = {"nested", "surname_only", "short_form", "korean"}


class SpecError(Exception):
    """A spec item that cannot be placed; the message names document and item."""


def _latin_word_char(ch: str) -> bool:
    # Hangul and Hanja are letters too, but "Korean리선권" is written glued: only
    # Latin-script letters and digits make a word boundary matter.
    return ch.isalnum() and ord(ch) < 0x2E80


def _find(text: str, surface: str, start: int, end: int) -> int:
    pos = start
    while True:
        i = text.find(surface, pos, end)
        if i < 0:
            return -1
        before = text[i - 1] if i > 0 else " "
        after = text[i + len(surface)] if i + len(surface) < len(text) else " "
        cuts_word = (_latin_word_char(surface[0]) and _latin_word_char(before)) or (
            _latin_word_char(surface[-1]) and _latin_word_char(after)
        )
        if not cuts_word:
            return i
        pos = i + 1


def _parse_item(doc: str, n: int, item: Any, known_ids: set[str]) -> dict[str, Any]:
    where = f"{doc} item {n}"
    if not isinstance(item, str):
        raise SpecError(f"{where}: expected 'SURFACE | LABEL | ID | FLAGS', got {item!r}")
    parts = [p.strip() for p in item.split(" | ")]
    if len(parts) not in (3, 4) or not parts[0]:
        raise SpecError(f"{where}: expected 'SURFACE | LABEL | ID [| FLAGS]', got {item!r}")
    surface, label, ident = parts[:3]
    flags = {f.strip() for f in parts[3].split(",")} if len(parts) == 4 else set()
    if label not in LABELS:
        raise SpecError(f"{where}: unknown label {label!r} in {item!r}")
    if flags - FLAGS:
        raise SpecError(f"{where}: unknown flag(s) {sorted(flags - FLAGS)} in {item!r}")
    entity_id = None if ident == "null" else ident
    if entity_id is not None and entity_id not in known_ids:
        raise SpecError(f"{where}: entity id {entity_id!r} is not in {ALIASES.name}: {item!r}")
    return {"surface": surface, "label": label, "entity_id": entity_id, "flags": flags}


def build(spec: dict[str, list[Any]], known_ids: set[str]) -> list[dict[str, Any]]:
    """Gold records for every spec item, in document and text order."""
    records: list[dict[str, Any]] = []
    for doc, items in spec.items():
        path = DOCS / doc
        if not path.is_file():
            raise SpecError(f"{doc}: no such document in {DOCS}")
        text = path.read_text(encoding="utf-8")
        cursor = 0
        parent: tuple[int, int] | None = None
        nested_cursor = 0
        for n, raw in enumerate(items or [], start=1):
            item = _parse_item(doc, n, raw, known_ids)
            surface = item["surface"]
            if "nested" in item["flags"]:
                if parent is None:
                    raise SpecError(f"{doc} item {n}: nested {surface!r} has no enclosing item")
                start = _find(text, surface, nested_cursor, parent[1])
                if start < 0:
                    raise SpecError(f"{doc} item {n}: nested {surface!r} not found inside "
                                    f"{text[parent[0]:parent[1]]!r}")
                nested_cursor = start
            else:
                start = _find(text, surface, cursor, len(text))
                if start < 0:
                    raise SpecError(f"{doc} item {n}: {surface!r} not found after offset "
                                    f"{cursor} ({text[max(0, cursor - 30):cursor]!r}...)")
                cursor = start + len(surface)
                parent = (start, cursor)
                nested_cursor = start
            record: dict[str, Any] = {
                "doc": doc, "start": start, "end": start + len(surface),
                "label": item["label"], "entity_id": item["entity_id"], "text": surface,
            }
            for flag in sorted(item["flags"]):
                record[flag] = True
            records.append(record)
    return records


def render(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="fail when gold.jsonl differs from what the spec gives")
    args = parser.parse_args(argv)
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    table = yaml.safe_load(ALIASES.read_text(encoding="utf-8"))
    known_ids = {e["id"] for e in table["entities"]}
    try:
        out = render(build(spec, known_ids))
    except SpecError as exc:
        print(f"{SPEC.name}: {exc}", file=sys.stderr)
        return 1
    if args.check:
        if not GOLD.exists() or GOLD.read_text(encoding="utf-8") != out:
            print(f"{GOLD.name} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    GOLD.write_text(out, encoding="utf-8")
    print(f"wrote {GOLD} ({out.count(chr(10))} mentions, {len(spec)} documents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
