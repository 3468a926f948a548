"""Test configuration: hypothesis profiles (``ci`` is used when CI is set).

``HYPOTHESIS_PROFILE=deep`` runs every property (the fuzz included) with 20x CI's examples, by hand.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/fuzzkit.py and friends

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=_SLOW, derandomize=True
)
settings.register_profile("dev", max_examples=150, deadline=None, suppress_health_check=_SLOW)
settings.register_profile("thorough", max_examples=2000, deadline=None, suppress_health_check=_SLOW)
settings.register_profile("deep", max_examples=4000, deadline=None, suppress_health_check=_SLOW)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_terminal_summary(terminalreporter: object) -> None:
    """Say how many hostile calls the fuzz made (the closing notes quote it)."""
    fuzzkit = sys.modules.get("fuzzkit")
    if fuzzkit is not None and fuzzkit.CALLS[0]:
        terminalreporter.write_line(  # type: ignore[attr-defined]
            f"fuzz: {fuzzkit.CALLS[0]} hostile calls ({settings().max_examples} examples per property)"
        )
