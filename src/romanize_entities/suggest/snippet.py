"""Ids, the draft YAML snippet and the table shown to people."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import yaml

from romanize_entities.aliases import ENTITY_TYPES, AliasTable
from romanize_entities.aliases.validate import ID_PATTERN
from romanize_entities.hangul import is_syllable
from romanize_entities.keys import strip_marks
from romanize_entities.suggest.model import _SLUG_JUNK, Suggestion

if TYPE_CHECKING:
    pass

# --------------------------------------------------------------------------- #
# Ids, the YAML snippet and the table for people
# --------------------------------------------------------------------------- #


def slugify(text: str) -> str:
    """The docs/aliases.md id of a display name: lowercase ASCII words joined by hyphens.

    Marks and apostrophes are dropped (Ch'oe Yŏng-gŏn → choe-yong-gon); a name
    in Hangul is romanized (RR) first, since an id must be ASCII.
    """
    if any(is_syllable(ch) for ch in text):
        from romanize_entities.romanization import romanize

        text = romanize(text, "rr", name=True)
    folded = strip_marks(text).lower()
    folded = re.sub(r"['’`ʼ]", "", folded)
    return _SLUG_JUNK.sub("-", folded).strip("-")


def _assign_ids(suggestions: list[Suggestion], table: AliasTable) -> None:
    """Slug ids; a slug already taken gets a `-YYYY` suffix the loader refuses.

    docs/aliases.md gives namesakes their birth year. We do not know it, and an
    id that silently matched an existing entity would *merge* into it, so the
    placeholder is deliberately invalid until the user writes the year.
    """
    taken = {e.id for e in table}
    for s in suggestions:
        slug = slugify(s.text) or "unnamed"
        if slug in taken:
            owner = table.get(slug)
            what = f"{owner.name!r} in the table" if owner else "another suggestion"
            s.id = f"{slug}-YYYY"
            s.id_note = f"id {slug!r} is taken by {what}: replace YYYY with the birth year"
        else:
            s.id = slug
        taken.add(s.id if ID_PATTERN.match(s.id) else slug)


def _yaml_line(key: str, value: object) -> str:
    """`key: value` as PyYAML writes it (quoting included), on one line."""
    # flow style for a list of strings ([a, b], as in data/aliases.yaml), block otherwise
    flow = None if isinstance(value, list) else False
    dumped = yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=flow,
                            sort_keys=False, width=1_000_000)
    return dumped.rstrip("\n")


def yaml_snippet(suggestions: Sequence[Suggestion]) -> str:
    """A ready-to-edit alias file: one entry per suggestion, facts left to the user.

    The data lines are PyYAML's (so quoting is right) and the result loads with
    `AliasTable.from_yaml` as it stands; Hangul readings, the evidence and the
    type guesses are comments, and `sources` is empty with a note to fill it.
    """
    lines = [
        "# Draft entries from `romanize-entities suggest`. Check each one against a source,",
        "# fill in `sources` (and `hangul`, `hanja`, `born`, `died` where a source gives them),",
        "# delete what is not a name, then run: romanize-entities check YOUR_FILE.yaml",
        "# In an existing alias file, paste only the entries below `entities:`.",
        "entities:",
    ]
    for s in suggestions:
        lines.append("")
        docs = len(s.documents)
        lines.append(f"# {s.text}: {s.count} mention{'s' if s.count != 1 else ''} in {docs} "
                     f"document{'s' if docs != 1 else ''} ({s.kind})")
        if s.nearest:
            shown = "; ".join(f"{n.entity_id} ({n.name}) {n.score:.2f} {n.method}"
                              for n in s.nearest)
            lines.append(f"#   nearest known: {shown}")
        for ctx in s.contexts[:1]:
            lines.append(f"#   seen: {ctx}")
        if s.id_note:
            lines.append(f"#   {s.id_note}")
        lines.append("- " + _yaml_line("id", s.id))
        type_line = "  " + _yaml_line("type", s.type)
        if s.kind != "korean-name":
            type_line += f"  # {s.type_reason}; one of {' '.join(sorted(ENTITY_TYPES))}"
        lines.append(type_line)
        lines.append("  " + _yaml_line("name", s.text))
        if s.hangul_candidates:
            listed = ", ".join(s.hangul_candidates)
            which = "spellings" if len(s.spellings) > 1 else "spelling"
            lines.append(f"  # hangul: {s.hangul_candidates[0]}  ← candidates from the "
                         f"{which}: {listed}; check a source")
        others = [t for t, _ in s.spellings.most_common() if t != s.text]
        if others:
            lines.append("  " + _yaml_line("aliases", others))
        lines.append("  sources: []  # required: where you checked this entry")
    return "\n".join(lines) + "\n"


def format_table(suggestions: Sequence[Suggestion]) -> str:
    """The human-readable overview: one row per suggestion and its first context."""
    rows = [("count", "docs", "kind", "spelling(s)", "nearest known entities")]
    contexts: list[str] = []
    for s in suggestions:
        spelled = ", ".join(f"{t} ({n})" for t, n in s.spellings.most_common())
        near = ", ".join(f"{n.entity_id} {n.score:.2f}" for n in s.nearest) or "-"
        rows.append((str(s.count), str(len(s.documents)), s.kind, spelled, near))
        contexts.append(str(s.contexts[0]) if s.contexts else "")
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    out: list[str] = []
    for n, row in enumerate(rows):
        cells = [row[0].rjust(widths[0]), row[1].rjust(widths[1]),
                 row[2].ljust(widths[2]), row[3].ljust(widths[3]), row[4]]
        out.append("  ".join(cells).rstrip())
        if n:
            out.append(" " * (widths[0] + widths[1] + 4) + contexts[n - 1])
    return "\n".join(out)
