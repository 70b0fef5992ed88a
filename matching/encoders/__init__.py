"""Choose the encoder by a dotted-path setting and load it lazily, once per process."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from matching.encoders.base import Encoder

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _load(path: str, model: str) -> Encoder:
    factory = import_string(path)
    encoder: Encoder = factory(model)
    return encoder


def encoder_name() -> str:
    """The current model's name without loading it: the folder name for a path, else the name."""
    model = str(settings.MATCHING_MODEL)
    return Path(model).name if Path(model).exists() else model


def get_encoder() -> Encoder:
    with _lock:
        return _load(settings.MATCHING_ENCODER, str(settings.MATCHING_MODEL))


__all__ = ["Encoder", "encoder_name", "get_encoder"]
