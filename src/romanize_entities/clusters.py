"""Name clusters: unknown Korean names grouped by the Hangul they can be read as.

A name the table does not know still names somebody, and a reader wants every
spelling of that somebody together. Romanization is ambiguous — MR-ascii
"Kim Chong-un" fits 김정은, 김종운 and 김정운 — so each spelling gets the *set*
of Hangul names it can be read as (`reading_set`), and spellings join a cluster
only when their sets meet every member's set (complete linkage): "Kim Jong Un",
"Kim Jong-un", "Kim Chŏng-ŭn" and 김정은 share 김정은 and form one cluster, while
"Kim Yo-jong" (김여정…) and "Kim Mu-jong" (김무정…) can never share one, whatever
comes between them. A Hangul spelling anchors its cluster; an ambiguous
spelling joins the first compatible cluster in that order (Hangul anchors
first, then first appearance) and otherwise starts its own.

A cluster is one *name*, not proof of one person: two namesakes share it.
Cluster ids are "~" + the anchor's spelling, stable for the same inputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from romanize_entities.hangul import has_hangul, is_syllable
from romanize_entities.romanization.readings import fold_latin, hangul_readings
from romanize_entities.romanization.surnames import COMMON_SURNAMES, SURNAME_VARIANTS

#: Hangul surnames a written surname is checked against.
KNOWN_SURNAMES: frozenset[str] = frozenset(COMMON_SURNAMES) | frozenset(
    h for hs in SURNAME_VARIANTS.values() for h in hs
)


@lru_cache(maxsize=4096)
def surname_hangul(written: str) -> frozenset[str]:
    """The Hangul surnames a written surname can be ("Pak" → 박; "Lee" → 이, 리)."""
    from romanize_entities.aliases.verify import surname_reads_as

    if has_hangul(written):
        return frozenset({written}) if written in KNOWN_SURNAMES else frozenset()
    folded = fold_latin(written)
    listed = SURNAME_VARIANTS.get(folded, ())
    return frozenset(listed) | frozenset(
        h for h in KNOWN_SURNAMES if surname_reads_as(written, h)
    )


@lru_cache(maxsize=16384)
def reading_set(name: str) -> frozenset[str]:
    """Every Hangul name a written personal name can be read as (surname first).

    Hangul is read as itself (spaces dropped). A Western-order name with a
    hyphenated given name ("Dae-jung Kim") is read surname-last.
    """
    compact = "".join(name.split())
    if has_hangul(name):
        return frozenset({compact}) if all(is_syllable(ch) for ch in compact) else frozenset()
    words = name.split()
    if len(words) < 2:
        return frozenset()
    orders = [(words[0], words[1:])]
    if "-" in words[0] and len(words) == 2:
        orders.append((words[-1], words[:-1]))
    out: set[str] = set()
    for surname, given in orders:
        surnames = surname_hangul(surname)
        if not surnames:
            continue
        givens = hangul_readings(" ".join(given))
        out.update(s + g for s in surnames for g in givens)
    return frozenset(out)


def assign_clusters(names: Iterable[str]) -> dict[str, str]:
    """Cluster id for each distinct name (order of first appearance decides ties)."""
    ordered = list(dict.fromkeys(" ".join(n.split()) for n in names if n.strip()))
    ordered.sort(key=lambda n: not has_hangul(n))  # stable: Hangul anchors first
    clusters: list[tuple[str, list[frozenset[str]]]] = []
    out: dict[str, str] = {}
    for name in ordered:
        readings = reading_set(name)
        home = None
        if readings:
            for cluster_id, members in clusters:
                if all(readings & m for m in members):
                    home = cluster_id
                    members.append(readings)
                    break
        if home is None:
            home = "~" + " ".join(name.split())
            clusters.append((home, [readings] if readings else [frozenset({name})]))
        out[name] = home
    return out


def recluster_run(rows: list[dict[str, Any]]) -> bool:
    """Give the mention rows of a whole run one set of cluster ids, in place.

    Each document was clustered on its own (the component sees one document);
    a run wants "Kim Jong Un" in one file and 김정은 in another in one cluster.
    Rows are mentions.jsonl records (`text`, `cluster`). A full name is placed
    by its own spelling; a surname alone that its document tied to a name
    follows that name's anchor ("~" + spelling) into the run's cluster.
    Returns whether any row changed. Running it again on its own output changes
    nothing (the names, and so the ids, are the same).
    """
    names = [str(r["text"]) for r in rows if r.get("cluster") and len(str(r["text"]).split()) > 1]
    anchors = [str(r["cluster"])[1:] for r in rows if r.get("cluster")]
    hangul_words = [str(r["text"]) for r in rows
                    if r.get("cluster") and has_hangul(str(r["text"]))]
    ids = assign_clusters([*hangul_words, *names, *anchors])
    changed = False
    for row in rows:
        cluster = row.get("cluster")
        if not cluster:
            continue
        text = " ".join(str(row["text"]).split())
        own = ids.get(text) if (len(text.split()) > 1 or has_hangul(text)) else None
        new = own or ids.get(str(cluster)[1:], cluster)
        if new != cluster:
            row["cluster"] = new
            changed = True
    return changed
