"""
How much work the property tests do, chosen with ``SEQURITY_TEST_PROFILE``: ``default`` (a quarter
of the examples the tests name, for quick local runs), ``ci`` (as many as they name; what CI runs)
or ``thorough`` (four times as many). Every profile has no deadline: timing is not asserted.
"""

from __future__ import annotations

import os

from hypothesis import settings

__all__ = ["PROFILE", "examples"]

#: Share of the named number of examples each profile runs.
SCALES = {"default": 0.25, "ci": 1.0, "thorough": 4.0}

PROFILE = os.environ.get("SEQURITY_TEST_PROFILE", "default")
if PROFILE not in SCALES:
    raise RuntimeError(f"SEQURITY_TEST_PROFILE must be one of {', '.join(SCALES)}, got {PROFILE!r}")

for _name, _scale in SCALES.items():
    # Hypothesis's own default is 100 examples per test; the profiles scale that too.
    settings.register_profile(_name, max_examples=max(10, round(100 * _scale)), deadline=None)
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """The number of examples a test that names `n` runs under the active profile."""
    return max(10, round(n * SCALES[PROFILE]))
