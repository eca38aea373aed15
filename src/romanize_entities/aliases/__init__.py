"""The alias table: canonical entities and every spelling that links to them.

One job per module: `loader` reads YAML with locations, `validate` checks and
merges, `lookup` indexes and ranks, `table` ties them together and caches.
"""

from romanize_entities.aliases.loader import parse_file
from romanize_entities.aliases.lookup import DEFAULT_THRESHOLD, normalize_spelling, ocr_fold
from romanize_entities.aliases.model import (
    ENTITY_TYPES,
    AliasTableError,
    Candidate,
    Entity,
    Problem,
)
from romanize_entities.aliases.table import (
    FORMAT_VERSION,
    AliasTable,
    StaleTableError,
    cache_dir,
    default_table_path,
    user_warnings,
)
from romanize_entities.aliases.validate import hangul_problem

__all__ = [
    "DEFAULT_THRESHOLD",
    "ENTITY_TYPES",
    "FORMAT_VERSION",
    "AliasTable",
    "AliasTableError",
    "Candidate",
    "Entity",
    "Problem",
    "StaleTableError",
    "cache_dir",
    "default_table_path",
    "hangul_problem",
    "normalize_spelling",
    "ocr_fold",
    "parse_file",
    "user_warnings",
]
