"""Test-only encoder for the worker-killed test: instant, deterministic vectors, able to stall.

``tests/integration/test_worker_killed.py`` is about the delivery guarantee of the re-index task
(a worker killed in the middle of it, a new worker finishing it), not about the model, so its
workers encode with this instead of the real model: 2,000 profiles take a moment rather than half
a minute on two cores, and the test can stop the first worker at a known point.

Each text becomes the L2-normalised SHA-256 of its bytes, as ``DIMENSION`` float32 values. When
``HASH_ENCODER_STALL_AFTER_CALLS`` is set to N, the N+1st call to ``encode`` in the process never
returns: the worker is then in the middle of the task, with the first N batches committed, until
the test kills it.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Sequence

import numpy as np

from matching.encoders.base import EncoderOptions, Role

NAME = "test-sha256-hash"
DIMENSION = 32
STALL_AFTER_CALLS = "HASH_ENCODER_STALL_AFTER_CALLS"


class HashEncoder:
    """Built by ``matching.encoders.get_encoder`` as ``HashEncoder(model, options=options)``."""

    name = NAME
    dimension = DIMENSION

    def __init__(self, model: str, *, options: EncoderOptions) -> None:
        stall_after = os.environ.get(STALL_AFTER_CALLS, "")
        self._stall_after = int(stall_after) if stall_after else None
        self._calls = 0
        self._lock = threading.Lock()

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, role: Role = "query"
    ) -> np.ndarray:
        with self._lock:
            self._calls += 1
            calls = self._calls
        if self._stall_after is not None and calls > self._stall_after:
            while True:  # until the test kills the process
                time.sleep(60)
        digests = [hashlib.sha256(text.encode()).digest() for text in texts]
        vectors = np.frombuffer(b"".join(digests), dtype=np.uint8).astype(np.float32)
        vectors = vectors.reshape(len(texts), DIMENSION) - 127.5
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
