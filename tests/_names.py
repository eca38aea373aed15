"""Shared generators of Sino-Korean-shaped personal names for property tests.

Syllables use plain/aspirated initials (no tense ㄲㄸㅃㅆㅉ), any vowel, and only
the codas that occur in Sino-Korean readings (none, ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ).
"""

from __future__ import annotations

import random

from hypothesis import strategies as st

from romanize_entities.hangul import compose

INITIALS = "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅓㅔㅕㅖㅗㅘㅚㅛㅜㅝㅟㅠㅡㅢㅣ"
CODAS = ("", "ㄱ", "ㄴ", "ㄹ", "ㅁ", "ㅂ", "ㅇ")
# Common one-syllable surnames (National Statistical Office ranking, top of the list).
SURNAMES = tuple(
    "김이박최정강조윤장임한오서신권황안송홍전고문양손배백허"
    "남심노하곽성차주우구민진지엄채원천방공현함변"
)

syllables = st.builds(
    compose, st.sampled_from(INITIALS), st.sampled_from(VOWELS), st.sampled_from(CODAS)
)
names = st.builds(
    lambda s, g: s + "".join(g),
    st.sampled_from(SURNAMES),
    st.lists(syllables, min_size=1, max_size=2),
)


def random_name(rng: random.Random, given_syllables: int = 2) -> str:
    given = "".join(
        compose(rng.choice(INITIALS), rng.choice(VOWELS), rng.choice(CODAS))
        for _ in range(given_syllables)
    )
    return rng.choice(SURNAMES) + given
