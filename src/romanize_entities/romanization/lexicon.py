"""Word boundaries inside unspaced Hangul compounds.

Sound changes apply inside a word but not across words, and Hangul names of
organizations are usually written without spaces (조선로동당). Hangul alone
cannot say where the words end, so boundaries come, in order of preference,
from spaces in the input (an alias table may write `조선 로동당`), then from this
small lexicon of words that recur in names of Korean parties, states and bodies.
Unspaced text that the lexicon does not split is treated as one word.

Every entry is a headword of the Standard Korean Language Dictionary
(표준국어대사전) or, for the North Korean spellings with initial ㄹ (로동), of the
DPRK's 조선말대사전; `SUFFIXES` are the bound nouns of place and organization
names (party, province, county, river, mountain, city ...) that attach to the word
before them without a space, so they are never a boundary of their own.
"""

from __future__ import annotations

WORDS: frozenset[str] = frozenset({
    "조선", "로동", "노동", "대한", "민국", "민주주의", "인민", "공화국", "중앙", "위원회",
    "남조선", "북조선", "사회", "혁명", "전쟁", "해방", "조국", "통일", "임시", "정부",
    "공산", "청년", "동맹", "최고", "회의", "통신", "신문", "군사", "정변", "항쟁",
})
SUFFIXES: frozenset[str] = frozenset(
    {"당", "도", "군", "강", "산", "시", "읍", "면", "리", "동", "구"}
)
_MAX_WORD = max(len(w) for w in WORDS)


def split_compound(run: str) -> list[str]:
    """Split an unspaced Hangul run at lexicon-word boundaries (longest match first)."""
    pieces: list[str] = []
    pending = ""  # syllables not covered by a lexicon word
    i = 0
    while i < len(run):
        for size in range(min(_MAX_WORD, len(run) - i), 1, -1):
            word = run[i : i + size]
            if word in WORDS:
                if pending:
                    pieces.append(pending)
                    pending = ""
                pieces.append(word)
                i += size
                break
        else:
            ch = run[i]
            if not pending and pieces and ch in SUFFIXES:
                pieces[-1] += ch  # 로동 + 당 → 로동당
            else:
                pending += ch
            i += 1
    if pending:
        pieces.append(pending)
    return pieces
