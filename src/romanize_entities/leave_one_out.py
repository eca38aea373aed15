"""Leave-one-out: would a person the table lacks be linked to someone else?

For every person of a table, pretend the table does not hold them: each of
their spellings (display name, aliases, every generated romanization, Hangul)
is run in a plain sentence through the component with that entity's
candidates withheld. Any link is then a wrong link — an unknown person merged
into a known one — except where the table lists the same spelling or Hangul
for the other entity too (namesakes: two people really written alike), which
are counted apart (namesakes if the other entity is a person, homographs
otherwise). Any other link — to a person or not — is wrong.

Used by tests/test_leave_one_out.py (the count must be 0) and
benchmarks/bench_leave_one_out.py (prints the report).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.language import Language

from romanize_entities.aliases import AliasTable, Candidate, Entity
from romanize_entities.aliases.lookup import compact, normalize_spelling
from romanize_entities.aliases.verify import reads_as_person
from romanize_entities.component import RomanizeEntities
from romanize_entities.hangul import initial_sound_fold
from romanize_entities.romanization.readings import fold_latin

SENTENCE = "Yesterday {} met the delegation in the capital."


@dataclass
class WrongLink:
    """One spelling of a withheld person that linked to another entity."""

    withheld: str
    spelling: str
    linked_to: str
    method: str
    part: bool = False  # the link covers only part of the spelling


@dataclass
class LeaveOneOutReport:
    people: int = 0
    spellings: int = 0
    wrong: list[WrongLink] = field(default_factory=list)
    #: another person listed with the same spelling or Hangul (two Lee Beom-seoks)
    namesakes: list[WrongLink] = field(default_factory=list)
    #: a place or body listed with the same spelling (김책 the man and 김책 the city;
    #: Kim Seong-su's pen name Inchon and the city): the text alone cannot tell them apart
    homographs: list[WrongLink] = field(default_factory=list)
    #: a place named inside the spelling ("Korea" of "Gojong of Korea"), linked as the
    #: place: the open-world rule lets a place inside an unknown name link
    places_inside: list[WrongLink] = field(default_factory=list)
    #: the withheld person has no Hangul in the table and the spelling reads as the
    #: other person's Hangul: whether the two are namesakes cannot be known from the
    #: table (a Hangul source for the withheld one would settle it), so counted apart
    hangul_unknown: list[WrongLink] = field(default_factory=list)


def person_spellings(table: AliasTable, entity: Entity) -> list[str]:
    """Every written form of `entity` the library knows, Hangul included."""
    forms = [*table.spellings(entity.id)]
    if entity.hangul:
        forms.append(entity.hangul)
    return list(dict.fromkeys(f for f in forms if f.strip()))


def _lists_spelling(table: AliasTable, entity: Entity, spelling: str) -> bool:
    norm = normalize_spelling(spelling)
    if any(normalize_spelling(s) == norm for s in table.spellings(entity.id)):
        return True
    return bool(entity.hangul) and compact(str(entity.hangul)) == compact(spelling)


def _namesakes(table: AliasTable, one: Entity, other: Entity) -> bool:
    """Two people the table itself writes alike: the same Hangul up to the initial-sound
    law (리병철 of the North and 이병철 of the South are one name), or a shared listed
    spelling up to case and punctuation (the marshal 최용건 and the vice premier
    최영건 are both listed as "Choe Yong-gon")."""
    if other.type != "PERSON":
        return False
    if one.hangul and other.hangul and (compact(initial_sound_fold(one.hangul))
                                        == compact(initial_sound_fold(other.hangul))):
        return True
    mine = {fold_latin(s) for s in one.spellings()}
    return any(fold_latin(s) in mine for s in other.spellings())


def run_leave_one_out(nlp: Language, *, limit: int | None = None) -> LeaveOneOutReport:
    """Run every person's spellings with that person withheld (see the module docstring)."""
    component = nlp.get_pipe("romanize_entities")
    assert isinstance(component, RomanizeEntities)
    table = component.table
    report = LeaveOneOutReport()
    people = [e for e in table if e.type == "PERSON" and not e.replaced_by]
    for entity in people[:limit]:
        report.people += 1
        for spelling in person_spellings(table, entity):
            report.spellings += 1
            for wrong in _links_without(nlp, component, entity, spelling):
                other = table[wrong.linked_to]
                if wrong.part and other.type in ("GPE", "LOC"):
                    report.places_inside.append(wrong)
                elif (not entity.hangul and other.type == "PERSON" and other.hangul
                      and reads_as_person(spelling, other.hangul)):
                    report.hangul_unknown.append(wrong)
                elif not (_lists_spelling(table, other, spelling)
                          or _namesakes(table, entity, other)):
                    report.wrong.append(wrong)
                elif other.type == "PERSON":
                    report.namesakes.append(wrong)
                else:
                    report.homographs.append(wrong)
    return report


def _links_without(nlp: Language, component: RomanizeEntities, entity: Entity,
                   spelling: str) -> Iterator[WrongLink]:
    original = component._candidates

    def withheld(surface: str, upper_line: bool) -> tuple[Candidate, ...]:
        return tuple(c for c in original(surface, upper_line) if c.entity_id != entity.id)

    component._candidates = withheld  # type: ignore[method-assign]
    try:
        doc = nlp(SENTENCE.format(spelling))
    finally:
        del component._candidates
    start = SENTENCE.index("{}")
    end = start + len(spelling)
    for span in doc.spans[component.spans_key]:
        # the one-word surname rule reads the whole table; a link to the withheld
        # person itself is the harness leaking, not a wrong link
        if span.kb_id_ not in ("", entity.id) and span.start_char < end and start < span.end_char:
            link = span._.entity_link or {}
            part = span.start_char > start or span.end_char < end
            yield WrongLink(entity.id, spelling, span.kb_id_, str(link.get("method", "")), part)
