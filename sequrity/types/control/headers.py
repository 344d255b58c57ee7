"""
The configuration-header types under the import path of the getting-started guide
(``from sequrity.types.control.headers import FeaturesHeader, SecurityPolicyHeader``).
They are the very classes of `sequrity.control.types.headers`, not copies.
"""

from __future__ import annotations

from ...control.types.headers import *  # noqa: F403
from ...control.types.headers import __all__ as __all__
