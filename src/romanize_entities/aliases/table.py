"""`AliasTable`: load, merge, validate, index and cache alias files.

Loading YAML and computing keys for every spelling dominates start-up time, so
a validated table is compiled (entities + per-spelling keys) and cached as
msgpack in the user's cache dir, keyed by the sha256 of the source files and
`FORMAT_VERSION`. Pickle is never used: a cache file is data, not code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import MISSING, asdict, fields
from importlib import resources
from pathlib import Path
from typing import Any

import srsly

from romanize_entities.aliases import structured
from romanize_entities.aliases.loader import ParsedFile, parse_file
from romanize_entities.aliases.lookup import (
    EAGER_VARIANT_LIMIT,
    Index,
    Processor,
    Scorer,
    generate_variants,
    normalize_spelling,
    spelling_rows,
)
from romanize_entities.aliases.model import AliasTableError, Candidate, Entity, Problem
from romanize_entities.aliases.validate import MergedRecord, check_references, merge_files
from romanize_entities.files import give_new_file_mode
from romanize_entities.transliteration.variants import field_variants

logger = logging.getLogger("romanize_entities")

#: Bump when the compiled form, the key functions or the generated variants change:
#: old caches are ignored (the cache file name hashes it) and an old compiled table
#: (a saved pipeline's) is refused with `StaleTableError`.
#: 4: script spellings (Cyrillic/Hanja/Hanzi readings), or, on another branch, issue 14
#: (name_key folds Ye/Hur/Hahn/...; RR unit hyphens, MR word division, North Korean
#: Ri/Ro/Ryang variants; hangul index folds the initial-sound law); 5: both; 6: with
#: the spellings generated from structure (issue 12: part_of, kind, ordinal, date).
FORMAT_VERSION = 7
_ENTITY_FIELDS = tuple(f.name for f in fields(Entity))
PathLike = str | os.PathLike[str]


class StaleTableError(ValueError):
    """A compiled table written by a version with other keys or variants: rebuild it."""


def default_table_path() -> Path:
    """The packaged data/aliases.yaml: inside the wheel, else the repo checkout."""
    try:
        resource = resources.files("romanize_entities").joinpath("data/aliases.yaml")
        if resource.is_file():
            return Path(str(resource))
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover
        pass
    return Path(__file__).resolve().parents[3] / "data" / "aliases.yaml"


def cache_dir() -> Path:
    """ROMANIZE_ENTITIES_CACHE_DIR, else platformdirs' user cache dir."""
    env = os.environ.get("ROMANIZE_ENTITIES_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("romanize-entities"))


def _entity(values: dict[str, Any]) -> Entity:
    kwargs = {k: values[k] for k in _ENTITY_FIELDS if k in values}
    for key in ("aliases", "sources", "demonyms"):
        kwargs[key] = tuple(kwargs.get(key, ()))
    return Entity(**kwargs)


_ENTITY_DEFAULTS = {f.name: f.default for f in fields(Entity) if f.default is not MISSING}


def _trusted_entity(values: dict[str, Any]) -> Entity:
    """An Entity from our own compiled cache, skipping the frozen dataclass __init__.

    The values were validated before the cache was written; setting the
    instance dict directly is ~5x faster, which matters for 100,000 entities.
    """
    entity = object.__new__(Entity)
    data = {**_ENTITY_DEFAULTS, **values}
    data["aliases"] = tuple(data["aliases"])
    data["sources"] = tuple(data["sources"])
    data["demonyms"] = tuple(data["demonyms"])
    entity.__dict__.update(data)
    return entity


def _record_dict(ent: Entity) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in _ENTITY_FIELDS:
        value = getattr(ent, key)
        if value is None or value == () or value is False:
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


class AliasTable:
    """The merged, validated and indexed alias table."""

    def __init__(self, entities: Iterable[Entity], *, version: str | None = None,
                 warnings: Sequence[Problem] = (), eager_variants: bool | None = None,
                 content_hash: str | None = None,
                 compiled_index: dict[str, Any] | None = None) -> None:
        self._entities: dict[str, Entity] = {e.id: e for e in entities}
        self.version = version
        self.warnings: list[Problem] = list(warnings)
        self._short_forms: dict[str, list[structured.ShortForm]] | None = None
        if compiled_index is not None:
            self._index = Index.from_compiled(self._entities, compiled_index)
        else:
            with_hangul = sum(1 for e in self._entities.values() if e.hangul)
            small = with_hangul <= EAGER_VARIANT_LIMIT
            generated = structured.generate(self._entities)
            self._short_forms = generated.short
            # Generated romanizations at load: every one when asked (eager_variants),
            # else those of places, bodies and events of a small table. A person's
            # are made on first use, when a lookup lands in the person's key bucket
            # (Index.variants): a person's variants nearly always share the key of the
            # name, and generating them is most of a cold load. Readings of
            # Hangul/Hanja/Hanzi (Kim Chen Yn, Jin Jiu) likewise, on first use
            # (Index._readings_for); only the cyrillic field's spellings here.
            rows = {e.id: spelling_rows(e, generate_variants(e) if (
                                            eager_variants if eager_variants is not None
                                            else small and e.type != "PERSON") else (),
                                        field_variants(e),
                                        generated.full.get(e.id, ()))
                    for e in self._entities.values()}
            self._index = Index(self._entities, rows, variants_complete=bool(eager_variants),
                                readings_from_hangul=small)
        self.content_hash = content_hash or self._hash()

    @property
    def short_forms(self) -> dict[str, list[structured.ShortForm]]:
        """Definite short forms ("central committee", "party") → the entities they
        may denote, for the component's context rule (computed on first use)."""
        if self._short_forms is None:
            self._short_forms = structured.generate(self._entities).short
        return self._short_forms

    # -- construction ---------------------------------------------------------

    @classmethod
    def from_yaml(cls, *paths: PathLike, include_default: bool = False,
                  require_sources: bool = False, cache: bool = False) -> AliasTable:
        """Load and merge files in order (later files extend earlier ones by id).

        Raises AliasTableError listing every error; warnings go to `.warnings`.
        With `cache=True` a compiled copy is kept in `cache_dir()`.
        """
        all_paths = [default_table_path(), *paths] if include_default else list(paths)
        blobs = [Path(p).read_bytes() for p in all_paths]
        cache_file: Path | None = None
        if cache:
            digest = hashlib.sha256(
                f"{FORMAT_VERSION}:{structured.RULES_VERSION}:{require_sources}".encode())
            for blob in blobs:
                digest.update(hashlib.sha256(blob).digest())
            cache_file = cache_dir() / f"table-{digest.hexdigest()[:32]}.msgpack"
            if cache_file.is_file():
                try:
                    return cls.from_disk(cache_file)
                except (ValueError, OSError, KeyError, TypeError) as exc:
                    logger.info("ignoring unreadable alias cache %s: %s", cache_file, exc)
        parsed = [parse_file(p, blob) for p, blob in zip(all_paths, blobs, strict=True)]
        table = cls._from_parsed(parsed, require_sources=require_sources)
        if cache_file is not None:
            try:
                table.to_disk(cache_file)
            except OSError as exc:
                logger.info("could not write alias cache %s: %s", cache_file, exc)
        return table

    @classmethod
    def _from_parsed(cls, parsed: list[ParsedFile], *, require_sources: bool) -> AliasTable:
        records, version, problems = merge_files(parsed, require_sources=require_sources)
        problems += check_references(records)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise AliasTableError(problems)
        entities = [_entity(r.values) for r in records.values()]
        table = cls(entities, version=version)
        table.warnings = [*problems, *table._shared_spelling_warnings(records)]
        for w in table.warnings:
            logger.debug("%s", w)
        if table.warnings:
            logger.info("alias table: %d warning(s); see AliasTable.warnings",
                           len(table.warnings))
        return table

    @classmethod
    def default(cls) -> AliasTable:
        """The packaged table (cached per process and on disk)."""
        global _DEFAULT
        if _DEFAULT is None:
            _DEFAULT = cls.from_yaml(default_table_path(), cache=True)
        return _DEFAULT

    @classmethod
    def load(cls, paths: Sequence[PathLike] = (), include_default: bool = True) -> AliasTable:
        """The packaged table (if wanted) with the user's files merged on top."""
        if include_default and not paths:
            return cls.default()
        return cls.from_yaml(*paths, include_default=include_default, cache=True)

    # -- compiled form ----------------------------------------------------------

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT_VERSION,
            "version": self.version,
            "content_hash": self.content_hash,
            "entities": [_record_dict(e) for e in self._entities.values()],
            "index": self._index.to_compiled(),
            "warnings": [asdict(w) for w in self.warnings],
        }
        return bytes(srsly.msgpack_dumps(data))

    @classmethod
    def from_bytes(cls, blob: bytes, source: str = "compiled alias table") -> AliasTable:
        data = srsly.msgpack_loads(blob)
        if data.get("format") != FORMAT_VERSION:
            raise StaleTableError(
                f"{source} has format {data.get('format')!r}, but this version of "
                f"romanize-entities reads format {FORMAT_VERSION} (its name keys or generated "
                "spellings changed): rebuild it from its YAML files "
                "(AliasTable.from_yaml(...).to_disk(...), or save the pipeline again)")
        table = cls([_trusted_entity(d) for d in data["entities"]], version=data["version"],
                    warnings=[Problem(**w) for w in data["warnings"]],
                    content_hash=data["content_hash"], compiled_index=data["index"])
        return table

    def to_disk(self, path: PathLike) -> None:
        """Write the compiled table atomically (temp file in the same dir + os.replace)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".msgpack")
        try:
            give_new_file_mode(fd)  # as any file the user creates, not mkstemp's 0600
            with os.fdopen(fd, "wb") as fh:
                fh.write(self.to_bytes())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def from_disk(cls, path: PathLike) -> AliasTable:
        return cls.from_bytes(Path(path).read_bytes(), source=f"compiled alias table {path}")

    # -- mapping protocol -------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self._entities.values())

    def __contains__(self, ident: object) -> bool:
        return ident in self._entities

    def __getitem__(self, ident: str) -> Entity:
        return self._entities[ident]

    def get(self, ident: str, default: Entity | None = None) -> Entity | None:
        return self._entities.get(ident, default)

    def resolve(self, ident: str) -> str:
        """Follow replaced_by links from a retired id to the current one."""
        seen = set()
        while ident in self._entities and self._entities[ident].replaced_by:
            if ident in seen:
                break
            seen.add(ident)
            ident = str(self._entities[ident].replaced_by)
        return ident

    def spellings(self, ident: str) -> list[str]:
        """Every Latin spelling of `ident`: display name, aliases, generated romanizations."""
        return self._index.spellings(ident)

    def lookup(self, text: str, limit: int | None = 5, *, scorer: Scorer | None = None,
               processor: Processor | None = None) -> list[Candidate]:
        """Ranked candidates for `text`, best first (score desc, then entity_id).

        Retired ids are reported as the id they resolve to. `scorer`/`processor`
        replace rapidfuzz's `fuzz.ratio`/`plain_key` in the fuzzy stage.
        """
        return self._index.lookup(text, limit, scorer=scorer, processor=processor,
                                  resolve=self.resolve)

    # -- internals --------------------------------------------------------------

    def _hash(self) -> str:
        canon = {"version": self.version,
                 "entities": sorted((_record_dict(e) for e in self._entities.values()),
                                    key=lambda d: str(d["id"]))}
        blob = json.dumps(canon, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()

    def _shared_spelling_warnings(self, records: dict[str, MergedRecord]) -> list[Problem]:
        """One warning per spelling or name key that two unrelated entities share."""
        out: list[Problem] = []
        spellings = {k: list(v) for k, v in self._index.exact.items()}
        for norm, found in self._index.alias.items():
            spellings[norm] = list(dict.fromkeys([*spellings.get(norm, []), *found]))
        keys = {k: list(v) for k, v in self._index.key.items()}
        for kind, index in (("alias", spellings), ("name key", keys)):
            for spelling, ids in index.items():
                ids = [i for i in ids if not self._entities[i].replaced_by]
                ids = [i for i in dict.fromkeys(self.resolve(i) for i in ids)]
                if len(ids) < 2:
                    continue
                second = records[ids[1]]
                loc = second.origin
                for alias, where in second.alias_where.items():
                    if normalize_spelling(alias) == spelling:
                        loc = where
                if kind == "alias":
                    shown = ", ".join(repr(i) for i in ids)
                    what = f"alias {spelling!r} is shared by entities {shown}"
                else:
                    shown = ", ".join(f"{i!r} ({self._entities[i].name})" for i in ids)
                    what = f"entities {shown} share the name key {spelling!r}"
                out.append(Problem(loc.path, loc.mark[0], loc.mark[1], ids[1], "warning",
                                   f"{what}; lookup returns all of them (a tie when "
                                   "spelled alike)"))
        return out


_DEFAULT: AliasTable | None = None


def user_warnings(table: AliasTable, paths: Sequence[PathLike]) -> list[Problem]:
    """Warnings that something in *paths* (the user's files) is ignored: unknown keys.

    Commands that link text show these on stderr, since an ``alias:`` written for
    ``aliases:`` otherwise drops the user's spellings silently. Spellings shared
    between entities are left to ``check``: they are expected in real tables.
    """
    wanted = {os.path.realpath(p) for p in paths}
    return [w for w in table.warnings
            if w.message.endswith(" ignored") and os.path.realpath(w.path) in wanted]
