# `sequrity_api` is `sequrity` under another name (see __init__.py).
from sequrity import *  # noqa: F403
from sequrity import __all__ as __all__
