"""romanize-entities: link every romanized spelling of a Korean name to one entity ID."""

from romanize_entities.keys import name_key
from romanize_entities.romanization import romanize

__version__ = "0.1.0"
__all__ = ["__version__", "name_key", "romanize"]
