"""List entries of data/aliases.yaml whose sources hold no page about the entity.

Why: the curation rule (data/README.md, "What may be a source") asks for a page
*about* each entity.  Some entries were filled from a list page, a navigation
box or a table on a page about somebody else (a Politburo list on namu.wiki's
page about Kye Ung-thae, the table of provincial party chairmen on the page
about Ri Thae-il, a successor's infobox ...).  This script finds them so that a
person can look for a real page and re-source the entry.

How: every URL in an entry's ``sources`` (including the original and the copy
of ``'ORIG (read as copy COPY)'`` / ``'COPY (copy of ORIG)'``) is reduced to a
title (last path segment, or the ``q=``/``title=``/``page=`` parameter,
URL-decoded).  A source counts as ABOUT the entity when that title

* contains the entry's Hangul, Hanzi or Cyrillic form, or
* normalises (lowercase, letters only) to the entry's name, an alias or the id, or
* is linked back to the entry by the table's own lookup (so "Pak_Chŏng_Ae"
  finds pak-chong-ae through the generated romanizations).

Every other source is classed, for the reader, as

* LIST   -- the title looks like a list/navbox/category/cabinet/election/congress
  page (``List_of_``, ``Cabinet``, ``Politburo``, ``Central_Committee``, ...);
* OTHER  -- a titled encyclopedia/wiki page about something else (often another
  person whose page carries a table);
* OPAQUE -- a news article or document whose URL shows no title (numeric ids);
  it may well be about the entity: read it before deciding;
* TEXT   -- a citation without a URL (a document in which the name occurs).

An entry is printed when none of its sources is ABOUT it.  The output is a list
of candidates to be reviewed by eye, not a verdict: an OPAQUE news article can
be a profile of the person, and a title in another script may not be matched.

Usage::

    PYTHONPATH=$PWD/src python data/audit/weak_sources.py [data/aliases.yaml]
        [--type PERSON] [--all-opaque] [--ids]

``--all-opaque`` also prints entries whose only non-ABOUT sources are OPAQUE
(hidden by default: most are news articles about the person); ``--ids`` prints
ids only.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from urllib.parse import parse_qs, unquote, urlparse

import yaml

URL_RE = re.compile(r"https?://[^\s')]+")
LIST_WORDS = re.compile(
    r"list[_ ]of|^lists?\b|cabinet|politburo|presidium|central[_ ]committee|"
    r"secretariat|election|congress|conference|plenum|plenary|assembly|"
    r"category:|template:|navbox|members?[_ ]of|ministers?[_ ]of|"
    r"ambassadors?[_ ]|chairm[ae]n[_ ]of|heads?[_ ]of|leaders?[_ ]of|"
    r"government[_ ]of|council|committee|roster|officials|delegat|"
    r"(vice[_ ])?(president|premier|speaker|chairman|minister)[_ ]of|"
    r"governor-general|embassy[_ ]of|wikidata\.csv|"
    r"명단|목록|내각|정치국|중앙위원회|선거|대회|회의|역대|틀:|분류:",
    re.I,
)
QUERY_KEYS = ("q", "title", "page", "search")


def titles(url: str) -> list[str]:
    """The human-readable title(s) a URL carries: last path segment and query titles."""
    parsed = urlparse(url)
    out = []
    query = parse_qs(parsed.query)
    for key in QUERY_KEYS:
        out.extend(query.get(key, []))
    segs = [s for s in parsed.path.split("/") if s]
    if segs:
        last = segs[-1]
        if re.fullmatch(r"(index|view|read|article|viw|board)\.\w+", last, re.I) and len(segs) > 1:
            last = segs[-2]
        out.append(last)
    return [unquote(t).replace("_", " ") for t in out if t]


def fold(text: str) -> str:
    """Lowercase ASCII letters only (diacritics and punctuation dropped)."""
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z]", "", text.lower())


def opaque(title: str) -> bool:
    """True when the title carries no words (numeric ids, hashes, php pages)."""
    letters = re.sub(r"\.(html?|php|asp|aspx|jsp)$", "", title, flags=re.I)
    if len(re.sub(r"[^\uac00-\ud7a3\u4e00-\u9fff\u0400-\u04ff]", "", letters)) >= 2:
        return False  # a Hangul/Chinese/Cyrillic title (often another person's page)
    return len(re.sub(r"[^A-Za-z]", "", letters)) < 4 or bool(
        re.fullmatch(r"[\w-]*\d{5,}[\w-]*", letters))


def classify(entry: dict, table, source: str) -> list[tuple[str, str]]:
    """(class, title) for every URL in one source string."""
    urls = URL_RE.findall(source)
    if not urls:
        return [("TEXT", source[:60])]
    forms = {fold(entry.get("name", "")), fold(entry["id"])}
    forms |= {fold(a) for a in entry.get("aliases") or []}
    forms.discard("")
    scripts = [entry.get(k) for k in ("hangul", "hanzi", "cyrillic", "hanja") if entry.get(k)]
    scripts = [s.replace(" ", "") for s in scripts]
    out = []
    for url in urls:
        ts = titles(url)
        verdict, shown = None, (ts[0] if ts else url)
        for t in ts:
            compact = t.replace(" ", "")
            if any(s and s in compact for s in scripts):
                verdict, shown = "ABOUT", t
                break
            base = re.sub(r"\.(html?|php)$", "", t, flags=re.I)
            base = re.sub(r"\s*\(.*$", "", base)  # Wikipedia disambiguator
            fb = fold(base)
            if fb in forms or fold(base.split("-", 1)[-1]) in forms:
                verdict, shown = "ABOUT", t
                break
            # a news slug naming the person ("kim-jung-rin-dies"); names of 8+ letters only
            if any(len(f) >= 8 and f in fb for f in forms):
                verdict, shown = "ABOUT", t
                break
            if table is not None and re.search(r"[A-Za-z]{2}", base) and len(base) < 60:
                try:
                    title = base.replace("-", " ") if "/" in url and "people" in url else base
                    cands = table.lookup(title)
                except Exception:  # a title the lookup cannot read
                    cands = []
                if any(c.entity_id == entry["id"] and c.score >= 0.9 for c in cands[:3]):
                    verdict, shown = "ABOUT", t
                    break
        if verdict is None:
            joined = " ".join(ts) or url
            if LIST_WORDS.search(joined):
                verdict = "LIST"
            elif all(opaque(t) for t in ts) or not ts:
                verdict = "OPAQUE"
            else:
                verdict = "OTHER"
        out.append((verdict, shown))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", nargs="?", default="data/aliases.yaml")
    ap.add_argument("--type", default=None, help="only entries of this type (e.g. PERSON)")
    ap.add_argument("--all-opaque", action="store_true")
    ap.add_argument("--ids", action="store_true")
    args = ap.parse_args(argv)
    with open(args.path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    try:
        from romanize_entities import AliasTable
        table = AliasTable.load([])
    except Exception:  # run without the library: title matching only
        table = None
    count = 0
    for entry in doc["entities"]:
        if args.type and entry.get("type") != args.type:
            continue
        if entry.get("replaced_by"):
            continue
        classes = [c for s in entry.get("sources") or [] for c in classify(entry, table, str(s))]
        kinds = {k for k, _ in classes}
        if "ABOUT" in kinds:
            continue
        if kinds <= {"OPAQUE", "TEXT"} and not args.all_opaque:
            continue
        count += 1
        if args.ids:
            print(entry["id"])
        else:
            desc = "; ".join(f"{k}:{t[:50]}" for k, t in classes)
            print(f"{entry['id']}\t{entry.get('type')}\t{desc}")
    print(f"# {count} entries without a source titled by the entity", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
