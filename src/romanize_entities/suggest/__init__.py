"""Names the linker saw but could not link, turned into draft alias-table entries.

`romanize-entities run` leaves a mention unlinked when no entity of the table
claims it. A historian growing a table for a collection wants the reverse view:
*which* names are missing, how often they occur, what they look like in context
and which known entity they resemble (a namesake, or the same person under a
spelling the table lacks). This module answers that, reading documents exactly
as `run` does (`readers.iter_inputs`/`read_document`, `worker.link_text`), so a
suggestion is always something the normal run left unlinked.

Two kinds of suggestion:

* ``korean-name``: a window of 2-4 capitalized words that reads as a romanized
  Korean personal name (known surname + romanized syllables). Always listed:
  one mention of an unknown person is worth a look. Every spelling with the same
  `name_key` is grouped, so "Gim Dong-cheol" and "Kim Tong Chol" are one row.
* ``capitalized``: other capitalized spans left unlinked, grouped by
  `plain_key`, listed only when they occur `min_count` times and are not an
  English word capitalized at a sentence start ("Considering", "Government").

The YAML snippet never asserts a fact the documents do not show: Hangul readings
computed from the spelling are written as *comments* for the user to verify,
and ``sources`` is left empty for the user to fill in.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from romanize_entities.aliases import AliasTable
from romanize_entities.readers import ReadError, SkippedFile, iter_inputs, read_document
from romanize_entities.suggest.grouping import _Neighbours, _suggestion, _worth_listing
from romanize_entities.suggest.model import (
    _LOWER_WORD,
    KINDS,
    PASTE_MARKER,
    SIMILAR_FACTOR,
    Context,
    Nearest,
    Suggestion,
    _Group,
)
from romanize_entities.suggest.occurrences import _is_covered, _occurrences
from romanize_entities.suggest.snippet import _assign_ids, format_table, slugify, yaml_snippet

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger("romanize_entities")

__all__ = [
    "KINDS",
    "PASTE_MARKER",
    "SIMILAR_FACTOR",
    "Context",
    "Nearest",
    "Suggestion",
    "_is_covered",
    "format_table",
    "slugify",
    "suggest",
    "suggest_texts",
    "yaml_snippet",
]

# --------------------------------------------------------------------------- #
# Entry points
# --------------------------------------------------------------------------- #


def suggest(
    inputs: Sequence[str | Path],
    *,
    aliases: Sequence[str | Path] = (),
    include_default: bool = True,
    min_count: int = 2,
    limit: int | None = None,
    nlp: Language | None = None,
    on_problem: Callable[[ReadError | SkippedFile], None] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> list[Suggestion]:
    """Suggestions for the documents under `inputs` (files or folders, as for `run`).

    A missing INPUT raises FileNotFoundError before anything is read; a broken
    alias file raises AliasTableError (or OSError) before any document is
    linked, since both are configuration errors. An unreadable or unsupported
    document is passed to `on_problem` (default: logged) and the rest goes on,
    as in `run`. `nlp` reuses a pipeline from `component.load()`; `aliases`,
    `include_default` and `settings` (component config keys such as `threshold`)
    are then ignored. A name counts as linked by the component's rules and threshold.
    """
    for raw in inputs:
        if not Path(raw).exists():
            raise FileNotFoundError(errno.ENOENT, "input not found", str(raw))
    if nlp is None:
        from romanize_entities.component import load

        nlp = load(aliases=aliases, include_default=include_default, settings=settings)
    _table_of(nlp)  # compile (and validate) the alias table before reading anything

    def report(exc: ReadError | SkippedFile) -> None:
        if on_problem is not None:
            on_problem(exc)
        else:
            logger.warning("%s", exc)

    def texts() -> Iterator[tuple[str, str]]:
        for file, root in iter_inputs([Path(p) for p in inputs]):
            try:
                document = read_document(file, root)
            except (ReadError, SkippedFile) as exc:
                report(exc)
                continue
            yield document.relpath, document.text

    return suggest_texts(texts(), nlp, min_count=min_count, limit=limit)


def suggest_texts(
    texts: Iterable[tuple[str, str]],
    nlp: Language,
    *,
    min_count: int = 2,
    limit: int | None = None,
) -> list[Suggestion]:
    """Suggestions for `(doc_name, text)` pairs, linked with `nlp`.

    Sorted Korean names first, then by count (descending), then by text; at
    most `limit` of them. `min_count` applies to capitalized spans only.
    """
    from romanize_entities.worker import link_text

    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, not {min_count}")
    table = _table_of(nlp)
    pipe: Any = nlp.get_pipe("romanize_entities")
    groups: dict[tuple[str, str], _Group] = {}
    linked: set[str] = set()  # spellings linked somewhere: never suggested
    lower_words: set[str] = set()  # for telling "Government" (a word) from a name
    for doc_name, text in texts:
        lower_words.update(m.group().lower() for m in _LOWER_WORD.finditer(text))
        _records, docs = link_text(nlp, text, doc_name, table)
        for occ in _occurrences(doc_name, text, docs, pipe, linked):
            group = groups.get((occ.kind, occ.key))
            if group is None:
                group = groups[occ.kind, occ.key] = _Group(occ.kind, occ.key)
            group.add(occ, text)
    neighbours = _Neighbours(table)
    out: list[Suggestion] = []
    by_cluster = [part for group in groups.values()
                  for part in (group.split_by_cluster() if group.kind == "korean-name"
                               else [group])]
    for group in by_cluster:
        if group.kind == "capitalized" and not _worth_listing(
                group, min_count, lower_words, linked):
            continue
        out.append(_suggestion(group, neighbours))
    out.sort(key=lambda s: (KINDS.index(s.kind), -s.count, s.text))
    if limit is not None:
        out = out[:limit]
    _assign_ids(out, table)
    return out


def _table_of(nlp: Language) -> AliasTable:
    table: AliasTable = nlp.get_pipe("romanize_entities").table  # type: ignore[attr-defined]
    return table

