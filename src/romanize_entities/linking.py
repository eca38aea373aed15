"""The decision: which candidate, if any, a mention links to.

Kept apart from retrieval (`aliases.lookup`) and from candidate filtering
(`candidates`) so that every entry point — the spaCy component, `lookup`,
`suggest`, `serve` — links by one rule:

* the best *eligible* candidate links when it scores at or above `threshold`
  and no eligible candidate of another entity ties with it;
* for a Korean personal name only verified candidates are eligible (the
  threshold ranks them; it never turns a coarse key match into a link);
* for any other text a fuzzy match may also link (an OCR slip of "Molotov"),
  but an unverified key match never does: a name key is retrieval, not proof.
"""

from __future__ import annotations

from collections.abc import Sequence

from romanize_entities.aliases.model import Candidate

#: Scores this close are a tie (scores are rounded to 1e-9 in lookup).
TIE_EPSILON = 1e-9


def eligible(candidate: Candidate, *, korean_name: bool) -> bool:
    """May this candidate link at all (before the threshold is asked)?"""
    if candidate.verified:
        return True
    return not korean_name and candidate.method == "fuzzy"


def decide(
    candidates: Sequence[Candidate], threshold: float, *, korean_name: bool
) -> Candidate | None:
    """The candidate to link, or None (nothing eligible, under threshold, or a tie).

    Args:
        candidates: ranked best first, as `AliasTable.lookup` returns them.
        threshold: minimum score of the linked candidate (0..1).
        korean_name: the mention reads as a Korean personal name (surname +
            given name in any romanization, or Hangul), so only verified
            candidates may link.
    """
    ranked = [c for c in candidates if eligible(c, korean_name=korean_name)]
    if not ranked:
        return None
    best = max(ranked, key=lambda c: (c.score, c.verified))
    if best.score < threshold:
        return None
    for other in ranked:
        if other.entity_id != best.entity_id and abs(other.score - best.score) <= TIE_EPSILON:
            return None
    return best
