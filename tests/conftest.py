"""Shared test configuration: the user cache in a temporary folder, Hypothesis profiles.

`HYPOTHESIS_PROFILE=ci` gives reproducible runs (derandomized, no deadline,
~200 examples per property); the default `dev` profile is quicker and random.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

CACHE_ENV = "ROMANIZE_ENTITIES_CACHE_DIR"


@pytest.fixture(scope="session", autouse=True)
def _user_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never write to the real user cache: every module, and every process the
    tests start (run workers, Spark executors, the CLI), uses a temporary folder.

    Session-scoped so that it is in place before any module-scoped fixture loads a table.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("user-cache")))
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
