"""
The ``sequrity_api`` import name of the seed documents (``from sequrity_api import
SequrityClient``): this module replaces itself with `sequrity`, and ``sequrity_api.X`` is the
module ``sequrity.X``, the same object under both names.
"""

from __future__ import annotations

import sys

import sequrity
from sequrity._alias import install_alias

install_alias(__name__, "sequrity")
sys.modules[__name__] = sequrity
