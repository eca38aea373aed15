"""romanize-entities: link every romanized spelling of a Korean name to one entity ID."""

from romanize_entities.aliases import (
    DEFAULT_THRESHOLD,
    AliasTable,
    AliasTableError,
    Candidate,
    Entity,
)
from romanize_entities.component import load
from romanize_entities.keys import name_key
from romanize_entities.romanization import romanize
from romanize_entities.romanization.reverse import hangul_candidates

__version__ = "0.1.0"
__all__ = [
    "DEFAULT_THRESHOLD",
    "AliasTable",
    "AliasTableError",
    "Candidate",
    "Entity",
    "__version__",
    "hangul_candidates",
    "load",
    "name_key",
    "romanize",
]
