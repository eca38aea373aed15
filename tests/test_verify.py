"""The verification tables: which written syllables read as which Hangul."""

from __future__ import annotations

import pytest

from romanize_entities.aliases.model import Entity
from romanize_entities.aliases.verify import ocr_repairs, verify_spelling
from romanize_entities.romanization.readings import hangul_of_syllable, reads_as

# (written, hangul, reads?) — systems, customary spellings, and near misses.
CASES = [
    ("Hon-yong", "헌영", True), ("Heon-yeong", "헌영", True), ("Hŏnyŏng", "헌영", True),
    ("Hun-young", "헌영", True),  # customary ㅓ → u, ㅕ → you
    ("Chung-hee", "정희", True), ("Myung-bak", "명박", True), ("Soo-ah", "수아", True),
    ("Shin", "신", True), ("Choi", "최", True), ("Dai-jung", "대중", True),
    ("Ch'ŏl", "철", True), ("Sŏg-wŏn", "석원", True), ("Il Sung", "일성", True),
    ("Yo-jong", "무정", False), ("Yong-jin", "용건", False), ("Yong-geon", "영진", False),
    ("Sol", "서울", False), ("Son", "수원", False),
    # MR's aspiration apostrophe tells ㅊ ㅋ ㅌ ㅍ from ㅈ ㄱ ㄷ ㅂ; without it both read
    ("Minch'un", "민춘", True), ("Minch’un", "민준", False), ("Min-chun", "민준", True),
    ("T'ae-jun", "태준", True), ("T'ae-jun", "대준", False), ("P'yŏng", "평", True),
    ("K'ang", "강", False), ("Han'guk", "한국", True),  # n' separates, it aspirates nothing
]


@pytest.mark.parametrize(("written", "hangul", "expected"), CASES)
def test_reads_as(written: str, hangul: str, expected: bool) -> None:
    assert reads_as(written, hangul) is expected


def test_every_syllable_reads_as_itself_in_every_system() -> None:
    from romanize_entities import romanize
    from romanize_entities.romanization.readings import _common_syllables

    for syl in _common_syllables()[::7]:
        for system in ("rr", "mr", "mr-ascii", "dprk"):
            assert reads_as(romanize(syl, system), syl), (syl, system)


def test_reverse_index_finds_the_syllables_of_a_reading() -> None:
    assert {"정", "종"} <= hangul_of_syllable("jong")
    assert "여" in hangul_of_syllable("yo") and "무" not in hangul_of_syllable("yo")


def test_ocr_repairs_fix_slips_not_syllables() -> None:
    assert "Kim Il Sung" in ocr_repairs("Kim I1 Sung")
    assert "Kim Il Sung" in ocr_repairs("Kirn Il Sung")
    assert "Kim Il Sung" not in ocr_repairs("Kim Li Sung")


def test_verify_person_in_both_word_orders() -> None:
    kim = Entity("kim-dae-jung", "PERSON", "Kim Dae-jung", hangul="김대중")
    assert verify_spelling("Kim Tae-jung", kim, [kim.name])
    assert verify_spelling("Dae-jung Kim", kim, [kim.name])
    assert not verify_spelling("Kim Dae-jin", kim, [kim.name])
    assert not verify_spelling("Kim", kim, [kim.name])  # a fragment never verifies


def test_russian_practice_readings_name_a_unit_but_never_verify_a_link() -> None:
    """Russian э makes "che" a reading of 재 and "te" of 대: good enough to see a name
    and cluster it, not to link. MR "Ch'oe Che-u" (최제우) must not verify as the
    politburo member Choe Jae-u (최재우); a Russian-practice spelling links only as a
    whole generated spelling (tests/test_transliteration.py)."""
    choe_jae_u = Entity("choe-jae-u", "PERSON", "Choe Jae-u", hangul="최재우")
    assert reads_as("Tsoi Che U", "최재우")  # the Russian readings exist ...
    for spelling in ("Ch'oe Che-u", "Choe Che-u", "Choi Che-woo"):
        assert not verify_spelling(spelling, choe_jae_u, ["Choe Jae-u"]), spelling
    for spelling in ("Choe Jae-u", "Ch'oe Chae-u", "Choi Jae-woo"):
        assert verify_spelling(spelling, choe_jae_u, ["Choe Jae-u"]), spelling
    assert not reads_as("Che", "재", russian=False) and reads_as("Che", "제", russian=False)
