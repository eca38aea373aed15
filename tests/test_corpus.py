"""The packaged pipeline on the development corpus (tests/data/corpus) and the seed letter.

The corpus is built from a readable spec; these tests keep it honest (gold current,
every text matching, every document sourced) and pin today's figures as floors for
what is right and ceilings for what is wrong, so no change can make linking worse
unnoticed. The issue targets are far stricter (see BASELINE); tighten the numbers
as the open-world and organization work lands, never loosen them silently.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from romanize_entities.evaluate import (
    ALL,
    Report,
    build_pipeline,
    check_gold,
    evaluate,
    read_documents,
    read_gold_jsonl,
)

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"

# BASELINE: measured on 2026-12-02 with the packaged table at threshold 0.8. Per label:
# (right floor, wrong ceiling, must-stay-unlinked mentions linked: ceiling).
# Issue targets: unknown persons linked ≤ 1 %, known persons right ≥ 97 %, wrong ≤ 1 %;
# ORG and EVENT right ≥ 85 %, wrong ≤ 2 %.
# Before the open-world work (issue 11): PERSON 147/164 right, 1 wrong, 24 of 98 unknown
# persons linked (Kim Jong Un → "Un" = united-nations, Kim Yo-jong → mu-chong, Jo Yong-won
# → jo-so-ang and every later "Jo" with it ...); Korean people the table lacks: 24 of 60
# linked to someone else; surname-only 39/51 right. After it: PERSON 153/164 right, 0 wrong,
# 1 unknown linked (Kim Jeong-suk, Kim Il Sung's sister, written exactly as his wife
# 김정숙 in the table: a namesake no rule on the spelling can tell apart); Korean unknowns
# 1 of 60; surname-only 45/51 right, 0 wrong.
# The second edition of the table (issue 13) added many of the people and places the
# corpus names (Kim Jong Un, Kim Yo-jong, Ri Sol-ju, Choe Son-hui, Jo Yong-won, Korea,
# Japan, China ...); their gold ids were filled in from the new entries and checked.
# Since then: PERSON 203/214 right, 0 wrong, 1 unknown linked (Kim Jeong-suk); GPE 108/116
# right, 2 wrong ("Japan" of 1919-45 is gold empire-of-japan, "Communist China" is gold
# the PRC, and the table's japan/china answer: a period the spelling cannot tell).
# Organizations and events (issue 12) then: ORG 98/122 right, 2 wrong ("CC KWP" inside
# "CC KWP August Plenum", which links as "KWP August Plenum"); EVENT 26/37, 0 wrong;
# "North/South Korean" are NORP demonyms, no longer the country's kb_id_. The plenums and
# departments the new entries name were given their ids in the gold after checking.
# Second edition, session 5 (batches data-e/g/j): the new organizations and places link
# 12 ORG/GPE mentions the gold marked unknown, all rightly ("Korean People's Army Air and
# Anti-Air Force", "Committee for the Peaceful Reunification of the Fatherland", "Kim
# Il-sung Socialist Youth League", "SPA Presidium", "New People's Party of Korea", "KWP
# Central Auditing Commission", Moscow, Beijing/Peking, Sinchon County): their gold ids
# were filled in after checking each. Then ORG 104/128 right, GPE 123/131.
# Batch data-h (events 1954-2026): "2018 North Korea–United States Singapore Summit"
# now links, but only as "Singapore Summit" (the en dash ends a name, so the whole title
# is not one window): the scorer counts that as the nested unknown "Singapore" linked,
# hence the GPE unknown ceiling of 1 -- a span error, not a wrong entity.
# Departments of a Central Committee then got the party's own forms ("WPK United Front
# Department"); the gold gave ids to "Politburo Presidium of the Workers' Party of Korea",
# "Presidium of the Politburo", "Secretariat of the WPK" and "Party's Central Military
# Commission", which the table has held since the organizations work: ORG 107/132.
# Gold corrections (doc 04): "리선권" (glued to "Korean" in the scraped text) is
# ri-son-gwon and "Ri Yong-ho" the foreign minister ri-yong-ho-1956 -- both were marked
# must-stay-unlinked; both are now counted as known and missed (the second ties with
# the namesake ri-yong-ho-1942, as it must).
# Session 6: countries with demonyms (batch data-o) link "Switzerland", "Hungary" and
# "France" (gold ids filled in) and "Hungarian Workers' Party" is no longer the tail
# "Workers' Party" linked to the WPK (another country's demonym makes another body):
# GPE 126/134, ORG unknown linked 0. Batch data-n (DPRK 1945-1975) links "Rim Hae" and
# "Ha Ang-cheon" (doc 25, gold ids filled in), and "Choe Cheol-hwn" of doc 09 (a former
# Soviet Korean heading a cabinet directorate in 1958) is its new choe-chol-hwan: known
# now, and missed, since the document misspells him.
BASELINE = {
    "PERSON": (207, 0, 1),
    "ORG": (111, 2, 0),
    "EVENT": (26, 0, 0),
    "GPE": (126, 2, 1),
    "LOC": (1, 0, 0),
    "NORP": (0, 0, 0),
}
BASELINE_SPURIOUS = 0  # "Chairman Maj" no longer fuzzy-matches Chairman Mao
BASELINE_SURNAME_ONLY = (68, 0, 0)  # right floor of 74 known, wrong ceiling, unknown linked
# Korean people (flag `korean`): 166 known, 14 the table lacks.
BASELINE_KOREAN = (157, 0, 1)


@pytest.fixture(scope="module")
def corpus_report() -> Report:
    texts = read_documents(CORPUS / "docs")
    gold = read_gold_jsonl(CORPUS / "gold.jsonl")
    check_gold(gold, texts, str(CORPUS / "gold.jsonl"))
    return evaluate(build_pipeline(), gold, texts, sweep=None)


def test_gold_is_built_from_the_current_spec() -> None:
    res = subprocess.run([sys.executable, str(CORPUS / "build_gold.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_corpus_shape_and_sources() -> None:
    docs = sorted(p.name for p in (CORPUS / "docs").glob("*.txt"))
    assert len(docs) >= 14
    gold = read_gold_jsonl(CORPUS / "gold.jsonl")
    assert {g.doc for g in gold} == set(docs)  # every document annotated
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"| {name} |" in sources for name in docs)
    assert all(g.text is not None for g in gold)
    # the point of the corpus: people and bodies the table lacks
    # people the table lacks: 98 when the corpus was built, 48 since the second edition of
    # the table took in many of them; the open world must stay measurable here
    assert sum(g.label == "PERSON" and g.entity_id is None for g in gold) >= 40
    assert sum(g.label in ("ORG", "EVENT") for g in gold) >= 100


@pytest.mark.parametrize("label", sorted(BASELINE))
def test_corpus_floors_and_ceilings(corpus_report: Report, label: str) -> None:
    right_floor, wrong_ceiling, unknown_ceiling = BASELINE[label]
    out = corpus_report.main.outcomes[label]
    assert out.right >= right_floor, (label, out.as_dict())
    assert out.wrong <= wrong_ceiling, (label, out.as_dict(), corpus_report.main.wrong_links)
    assert out.unknown_wrong <= unknown_ceiling, (label, out.as_dict())


def test_corpus_spurious_links(corpus_report: Report) -> None:
    assert corpus_report.main.outcomes[ALL].spurious <= BASELINE_SPURIOUS, [
        w for w in corpus_report.main.wrong_links if w.get("spurious")]


@pytest.mark.parametrize(("subset", "baseline"), [("surname_only", BASELINE_SURNAME_ONLY),
                                                   ("korean", BASELINE_KOREAN)])
def test_corpus_subsets(corpus_report: Report, subset: str,
                        baseline: tuple[int, int, int]) -> None:
    right_floor, wrong_ceiling, unknown_ceiling = baseline
    out = corpus_report.main.flagged[subset]
    assert out.right >= right_floor and out.wrong <= wrong_ceiling, out.as_dict()
    assert out.unknown_wrong <= unknown_ceiling, out.as_dict()


def test_seed_letter_has_no_wrong_link() -> None:
    letter = DATA / "seed_letter.txt"
    texts = read_documents(letter)
    gold = read_gold_jsonl(DATA / "seed_letter_gold.jsonl", default_doc=letter.name)
    check_gold(gold, texts, "seed_letter_gold.jsonl")
    out = evaluate(build_pipeline(), gold, texts, sweep=None).main.outcomes[ALL]
    assert out.right >= 122 and out.wrong == 0 and out.unknown_wrong == 0  # BASELINE


def test_sweep_applies_each_threshold_on_the_corpus() -> None:
    texts = read_documents(CORPUS / "docs")
    gold = read_gold_jsonl(CORPUS / "gold.jsonl")
    nlp = build_pipeline()
    report = evaluate(nlp, gold, texts, sweep=(0.6, 0.8, 0.95))
    linked = [s.links[ALL].tp + s.links[ALL].fp for s in report.sweep]
    assert linked[0] > linked[2], linked  # a higher threshold links less ...
    assert linked == sorted(linked, reverse=True), linked  # ... never more
    assert report.sweep[1] is report.main  # the run at the pipeline's own threshold
    assert nlp.get_pipe("romanize_entities").threshold == 0.8
