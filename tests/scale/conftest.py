"""
Fixtures of the scale tests: one local Ray cluster for the whole session, with two CPUs (so two
worker processes), kept on loopback.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest

# Ray advertises the machine's network address even for a cluster on one machine; this keeps its
# servers and all of its traffic on 127.0.0.1. Ray reads it when it is first imported, and every
# process of the cluster (and each driver started by a test) inherits it.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")


@pytest.fixture(scope="session")
def ray_address() -> Iterator[str]:
    """A local Ray cluster with two CPUs for the session; this process is connected to it."""
    ray = pytest.importorskip("ray", reason="needs ray: pip install 'sequrity[ray]'")
    ray.init(num_cpus=2, logging_level=logging.WARNING)
    try:
        yield str(ray.get_runtime_context().gcs_address)
    finally:
        ray.shutdown()
