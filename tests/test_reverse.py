"""hangul_candidates: the way back from a romanized name to Hangul."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given

from _names import names, random_name
from romanize_entities.romanization import romanize
from romanize_entities.romanization.reverse import hangul_candidates


@pytest.mark.parametrize(
    ("latin", "hangul"),
    [
        ("Pak Hŏnyŏng", "박헌영"),
        ("Bak Heon-yeong", "박헌영"),
        ("Kim Ilsŏng", "김일성"),
        ("Gim Il-seong", "김일성"),
        ("Kim Il Sung", "김일성"),
        ("Ch'oe Yonggŏn", "최용건"),
        ("Choe Ryong Hae", "최룡해"),
        ("Lee Seung-man", "이승만"),
        ("Kim Ch'ŏr-wŏn", "김철원"),
        ("Kim Ch'angnyong", "김창룡"),
        ("Han Pongnam", "한복남"),
        ("Yi Man'gwang", "이만광"),
    ],
)
def test_known_names(latin: str, hangul: str) -> None:
    assert hangul in hangul_candidates(latin, limit=None)


def test_top_candidate_for_common_names() -> None:
    assert hangul_candidates("Pak Hŏnyŏng")[0] == "박헌영"
    assert "김대중" in hangul_candidates("Kim Taejung", limit=5)


def test_limit_and_hangul_input() -> None:
    assert len(hangul_candidates("Kim Il Sung", limit=3)) <= 3
    assert hangul_candidates("김일성") == ["김일성"]
    assert hangul_candidates("") == []


@given(names)
def test_round_trip_rr_and_mr(hangul: str) -> None:
    for system in ("rr", "mr"):
        latin = romanize(hangul, system, name=True)
        assert hangul in hangul_candidates(latin, limit=None), (system, latin)


def test_round_trip_bulk_is_fast() -> None:
    """500 names × 2 systems, fixed seed: all round-trip, in well under a few seconds."""
    rng = random.Random(5)
    start = time.perf_counter()
    for _ in range(500):
        hangul = random_name(rng)
        for system in ("rr", "mr"):
            latin = romanize(hangul, system, name=True)
            assert hangul in hangul_candidates(latin, limit=None), (system, latin)
    assert time.perf_counter() - start < 10
