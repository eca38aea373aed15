"""Word boundaries inside unspaced Hangul compounds.

Sound changes apply inside a word but not across words, and Hangul names of
organizations are usually written without spaces (조선로동당). Hangul alone
cannot say where the words end, so boundaries come, in order of preference,
from spaces in the input (an alias table may write `조선 로동당`), then from this
small lexicon of words that recur in names of Korean parties, states and bodies.
Unspaced text that the lexicon does not split is treated as one word.

Every entry is a headword of the Standard Korean Language Dictionary
(표준국어대사전) or, for the North Korean spellings with initial ㄹ (로동), of the
DPRK's 조선말대사전.

One syllable left over after a lexicon word belongs to that word (사회 + 적 →
사회적 sahoejŏk, 조선 + 어 → 조선어 Chosŏnŏ): a one-syllable suffix (적 자 족 어
록 당 ...) continues the word far more often than a new word starts there, and
reading it as a word of its own wrongly stops liaison and voicing at the
boundary. One leftover syllable before the first lexicon word is a prefix of it
(애 + 국가 → 애국가). Two or more leftover syllables are a word of their own
(대한 + 항공기; 김책 + 공업 ...: often a name, see engine).

Word-level facts the phonology cannot see from the spelling:
- `NN_SUFFIXES`: Sino-Korean bound nouns in ㄹ after which ㄴ+ㄹ is read ㄴㄴ
  (Standard Pronunciation art. 20 proviso: 의견란 [의견난], 생산량, 결단력, 동원령,
  상견례, 횡단로, 이원론, 입원료, 구근류; RR notice 신문로 Sinmunno);
- `LATERAL_WORDS`: words ending in one of those syllables that are not the
  suffix and keep art. 20's ㄹㄹ (대관령 [대괄령] Daegwallyeong, RR notice: 령
  is 嶺 "mountain pass" there, not 令 "order");
- `ADMIN_UNITS`: the administrative units that RR writes after a hyphen with
  no sound change across it (RR notice art. 5: Inwang-ri, Samjuk-myeon), and
  `NOT_UNITS`, words whose ending only looks like one: the place name 왕십리
  (Wangsimni, an RR notice example of nasalization: its 리 is part of the name)
  and common Sino-Korean nouns in -리 (물난리 mullalli, 국무총리 ...), 도 and 군
  that are not units (한반도 Hanbando, 광복군 Gwangbokgun: 軍 "army"). Islands
  in 도 (강화도 Ganghwado) are not told apart from provinces: the RR spelling
  differs only by the hyphen there.
"""

from __future__ import annotations

WORDS: frozenset[str] = frozenset({
    "조선", "로동", "노동", "대한", "민국", "민주주의", "인민", "공화국", "중앙", "위원회",
    "남조선", "북조선", "사회", "혁명", "전쟁", "해방", "조국", "통일", "임시", "정부",
    "공산", "청년", "동맹", "최고", "회의", "통신", "신문", "군사", "정변", "항쟁",
    "국가", "안전", "보위", "공업", "종합", "대학", "국군", "민족", "독립", "운동", "연합",
    "공산주의", "사회주의",
})
NN_SUFFIXES: frozenset[str] = frozenset("란량력령례론료로류")
LATERAL_WORDS: frozenset[str] = frozenset({"대관령"})
ADMIN_UNITS: frozenset[str] = frozenset("도시군구읍면리동가")
NOT_UNITS: frozenset[str] = frozenset({
    "왕십리",
    # common nouns in -리 after a consonant, where the hyphen would change the letters
    "난리", "관리", "총리", "원리", "논리", "심리", "진리", "윤리", "합리", "섭리", "물리",
    "궁리", "승리", "공리", "경리", "정리", "처리", "수리", "지리", "요리",
    # 도 "peninsula", 군 "army" (軍, not 郡 "county"): 한반도, 광복군, 인민군 ...
    "반도", "국군", "광복군", "의용군", "인민군", "독립군", "혁명군", "해군", "공군", "육군",
    "미군", "의병군",
})
_MAX_WORD = max(len(w) for w in WORDS)


def split_compound(run: str) -> list[str]:
    """Split an unspaced Hangul run at lexicon-word boundaries (longest match first).

    One syllable left between lexicon words (or after the last) belongs to the word
    before it (사회적, 조선어); one syllable before the first is its prefix (애국가);
    two or more leftover syllables are a word of their own (대한 + 항공기).
    """
    pieces: list[str] = []
    pending = ""  # syllables not covered by a lexicon word
    last_lexical = False  # pieces[-1] is a lexicon word (with its suffix)

    def flush() -> None:
        nonlocal pending, last_lexical
        if len(pending) == 1 and last_lexical:
            pieces[-1] += pending  # 사회 + 적 → 사회적, 로동 + 당 → 로동당
        elif pending:
            pieces.append(pending)
            last_lexical = False
        pending = ""

    i = 0
    while i < len(run):
        for size in range(min(_MAX_WORD, len(run) - i), 1, -1):
            word = run[i : i + size]
            if word in WORDS:
                if len(pending) == 1 and not pieces:
                    word, pending = pending + word, ""  # a one-syllable prefix: 애국가
                flush()
                pieces.append(word)
                last_lexical = True
                i += size
                break
        else:
            pending += run[i]
            i += 1
    flush()
    return pieces


def is_leftover(piece: str) -> bool:
    """True when `piece` does not start with a lexicon word (split_compound's leftovers)."""
    return not any(piece[:size] in WORDS for size in range(2, min(_MAX_WORD, len(piece)) + 1))
