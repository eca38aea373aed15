"""Shared test configuration: Hypothesis profiles.

`HYPOTHESIS_PROFILE=ci` gives reproducible runs (derandomized, no deadline,
~200 examples per property); the default `dev` profile is quicker and random.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
