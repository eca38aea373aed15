"""Open world with names nobody wrote down: random Korean names the table lacks.

    python benchmarks/bench_open_world.py [--names 1500] [--seed 11]

Draws random names (a surname + two syllables of KS X 1001), keeps those whose
Hangul no table entity has, writes each in RR, MR, MR without marks, DPRK
style and RR with customary surnames (`romanize(..., name=True)`) in a plain
sentence, and counts every link: each one is an unknown person merged into
someone or something else. Beside
`bench_leave_one_out.py` (real people withheld), this measures people of any
name shape, including rare surnames.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter

import spacy

from romanize_entities import romanize
from romanize_entities.romanization.readings import _common_syllables
from romanize_entities.romanization.surnames import COMMON_SURNAMES

SYSTEMS = ("rr", "mr", "mr-ascii", "dprk")
#: RR with the customary surname spellings (Lee, Park, Choi) that South Korean press uses.
COMMON = "rr+common"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    nlp = spacy.blank("en")
    nlp.add_pipe("romanize_entities")
    table = nlp.get_pipe("romanize_entities").table  # type: ignore[attr-defined]
    known = {e.hangul.replace(" ", "") for e in table if e.hangul}
    rng = random.Random(args.seed)
    syllables = _common_syllables()
    surnames = sorted(s for s in COMMON_SURNAMES if len(s) == 1)
    links: Counter[str] = Counter()
    examples: list[str] = []
    spellings = 0
    started = time.perf_counter()
    for _ in range(args.names):
        hangul = rng.choice(surnames) + rng.choice(syllables) + rng.choice(syllables)
        if hangul in known:
            continue
        for system in (*SYSTEMS, COMMON):
            spelling = (romanize(hangul, "rr", name=True, surnames="common") if system == COMMON
                        else romanize(hangul, system, name=True))
            spellings += 1
            for ent in nlp(f"Yesterday {spelling} met the delegation.").ents:
                if ent.kb_id_:
                    links[system] += 1
                    if len(examples) < 20:
                        examples.append(f"{hangul} {spelling!r}: {ent.text!r} -> {ent.kb_id_}")
    seconds = time.perf_counter() - started
    total = sum(links.values())
    print(f"{spellings} spellings of unknown names, {seconds:.1f} s")
    print(f"linked to an entity: {total} ({total / max(spellings, 1):.2%}); by system "
          f"{dict(links)}")
    for line in examples:
        print("  ", line)


if __name__ == "__main__":
    main()
