"""Score the packaged pipeline on the development corpus (tests/data/corpus): per type.

    python benchmarks/score_corpus.py [--threshold 0.8] [--letter] [--aliases F]... [--json OUT]

Prints what `romanize-entities evaluate` prints — spans and links P/R/F1 per label,
right / wrong / missed per type, must-stay-unlinked mentions that were linked, the
surname-only / short-form / nested subsets, a threshold sweep and every wrong link —
for the 20 documents of the corpus, and with --letter also for the 1956 seed letter
(tests/data/seed_letter.txt and its gold). Run it before and after every linking change
and quote the figures.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from romanize_entities.evaluate import (
    build_pipeline,
    check_gold,
    evaluate,
    read_documents,
    read_gold_jsonl,
    render_text,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"
LETTER = ROOT / "tests" / "data" / "seed_letter.txt"
LETTER_GOLD = ROOT / "tests" / "data" / "seed_letter_gold.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--aliases", "-a", action="append", default=[],
                        help="extra alias file merged over the packaged table")
    parser.add_argument("--letter", action="store_true", help="also score the seed letter")
    parser.add_argument("--json", type=Path, default=None, help="write the corpus report here")
    args = parser.parse_args()

    nlp = build_pipeline(args.aliases, threshold=args.threshold)
    texts = read_documents(CORPUS / "docs")
    gold = read_gold_jsonl(CORPUS / "gold.jsonl")
    check_gold(gold, texts, str(CORPUS / "gold.jsonl"))
    report = evaluate(nlp, gold, texts)
    print("== development corpus (tests/data/corpus) ==")
    print(render_text(report))
    if args.json:
        args.json.write_text(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    if args.letter:
        letter_texts = read_documents(LETTER)
        letter_gold = read_gold_jsonl(LETTER_GOLD, default_doc=LETTER.name)
        check_gold(letter_gold, letter_texts, str(LETTER_GOLD))
        print("== seed letter (tests/data/seed_letter.txt) ==")
        print(render_text(evaluate(nlp, letter_gold, letter_texts, sweep=None)))


if __name__ == "__main__":
    main()
