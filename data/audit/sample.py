"""Draw the random audit sample for issue 13 (item 2: independent second reader).

Why: the audit must be reproducible -- anyone can re-run this script on the
same commits and get the same entries, so the sample cannot be hand-picked.
It compares each data branch's ``data/aliases.yaml`` at a fixed commit with
the table on ``main`` at the merge base and samples among the entity IDs the
branch *added* (entries it only edited are listed separately, not sampled).

Usage: python data/audit/sample.py REPO MAIN_COMMIT BRANCH_COMMIT [N] [SEED]
"""

from __future__ import annotations

import random
import subprocess
import sys
from typing import Any

import yaml

SEED = 20261202
N = 20


def load_entities(repo: str, commit: str) -> dict[str, dict[str, Any]]:
    """Return the table's entities at ``commit`` keyed by ID, in file order."""
    text = subprocess.run(
        ["git", "-C", repo, "show", f"{commit}:data/aliases.yaml"],
        check=True, capture_output=True, text=True,
    ).stdout
    data = yaml.safe_load(text)
    return {e["id"]: e for e in data["entities"]}


def main(argv: list[str]) -> None:
    """Print the sampled entries as YAML, preceded by the population sizes."""
    repo, main_commit, branch_commit = argv[1:4]
    n = int(argv[4]) if len(argv) > 4 else N
    seed = int(argv[5]) if len(argv) > 5 else SEED
    base = subprocess.run(
        ["git", "-C", repo, "merge-base", main_commit, branch_commit],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    before = load_entities(repo, base)
    after = load_entities(repo, branch_commit)
    added = [i for i in after if i not in before]
    edited = [i for i in after if i in before and after[i] != before[i]]
    rng = random.Random(seed)
    sample = sorted(rng.sample(added, min(n, len(added))), key=added.index)
    print(f"# base {base} branch {branch_commit} seed {seed}")
    print(f"# added {len(added)} edited {len(edited)}: {', '.join(edited)}")
    print(yaml.safe_dump([after[i] for i in sample], allow_unicode=True,
                         sort_keys=False, width=200))


if __name__ == "__main__":
    main(sys.argv)
