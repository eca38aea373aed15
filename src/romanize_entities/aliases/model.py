"""Plain data types of the alias table: entities, candidates and problems.

Kept free of YAML and matching code so that the spaCy component, the CLI and
the tests can share them without importing the loader machinery.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Entity types accepted in the `type` key (spaCy's label names, so that the
#: component can copy them onto spans unchanged).
ENTITY_TYPES: frozenset[str] = frozenset(
    {"PERSON", "ORG", "EVENT", "GPE", "LOC", "NORP", "FAC", "WORK_OF_ART"}
)

#: Every method a `Candidate` can carry; "context" is reserved for the spaCy component.
METHODS: tuple[str, ...] = ("exact", "alias", "hangul", "key", "fuzzy", "context")

#: Values of the `kind` key: what sort of body or event a structured entry is.
#: Congress-like kinds are events named by ordinal or date; the others are
#: bodies named "X of the Y" / "Y X" / "Y's X" after their parent (`part_of`).
KINDS: frozenset[str] = frozenset({
    "party", "state", "congress", "conference", "plenum", "session", "meeting",
    "central-committee", "politburo", "presidium", "secretariat", "department",
    "ministry", "embassy", "committee", "commission", "cabinet", "assembly", "agency",
    "army", "command", "corps", "division", "uprising", "war", "coup", "movement",
    "incident", "revolution", "massacre",
})


@dataclass(frozen=True)
class Entity:
    """One canonical entity of the alias table (see docs/aliases.md for the keys)."""

    id: str
    type: str
    name: str
    hangul: str | None = None
    hanja: str | None = None
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    wikidata: str | None = None
    born: int | None = None
    died: int | None = None
    note: str | None = None
    replaced_by: str | None = None
    hangul_source: str | None = None
    #: The Russian (Cyrillic) form of the name, as a source writes it; Latin
    #: spellings in every Cyrillic → Latin system are generated from it.
    cyrillic: str | None = None
    #: A Chinese person's name in characters (traditional as the source shows
    #: them); Pinyin and Wade–Giles spellings are generated from it.
    hanzi: str | None = None
    #: An unchecked draft (e.g. from `import-wikidata`): a warning in user files,
    #: an error in the packaged table until a reader has checked it.
    review: bool = False
    # Structure (issue 12): what the name is made of, so its spellings are generated.
    part_of: str | None = None
    kind: str | None = None
    ordinal: int | None = None
    date: str | None = None
    demonyms: tuple[str, ...] = ()

    def spellings(self) -> tuple[str, ...]:
        """The written forms the table itself attests: display name, then aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True, order=False)
class Candidate:
    """One possible referent of a looked-up text.

    `score` is in 0..1 and comparable across methods (exact 1.0 > alias 0.99 >
    hangul 0.97 > key 0.75–0.95 > fuzzy ≤ 0.9); `matched` is the spelling of
    the entity that produced the score, so a reviewer can see why it linked.
    `verified` says the written spelling was checked to *be* this entity's name
    (`aliases.verify`): exact, alias and Hangul matches always are; key and
    fuzzy matches only when every syllable reads as the entity's Hangul or the
    spelling equals a listed one up to case, punctuation and marks. A Korean
    personal name links only through a verified candidate (`linking.decide`).
    """

    entity_id: str
    score: float
    method: str
    matched: str = ""
    verified: bool = False


@dataclass(frozen=True)
class Problem:
    """A validation finding, located so that a historian can open the file at it."""

    path: str
    line: int
    col: int
    entity_id: str | None
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}"


@dataclass
class AliasTableError(ValueError):
    """Raised when alias files have errors; the message lists every one of them."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        return "\n".join(str(p) for p in errors) or "alias table error"
