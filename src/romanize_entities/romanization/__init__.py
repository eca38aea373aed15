"""Korean romanization: systems as data tables, one engine, keys and the way back."""

from romanize_entities.romanization.engine import romanize, romanize_name, split_name
from romanize_entities.romanization.systems import SYSTEMS, System, get_system

__all__ = ["SYSTEMS", "System", "get_system", "romanize", "romanize_name", "split_name"]
