"""Choose the encoder by a dotted-path setting and load it lazily, once per process."""

from __future__ import annotations

import threading
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from matching.encoders.base import DEFAULT_OPTIONS, Encoder, EncoderOptions, model_label

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _load(path: str, model: str, options: EncoderOptions) -> Encoder:
    """MATCHING_ENCODER names a factory called as ``factory(model, options=options)``."""
    factory = import_string(path)
    encoder: Encoder = factory(model, options=options)
    return encoder


def encoder_options() -> EncoderOptions:
    """MATCHING_ENCODER_QUANTIZE and MATCHING_MAX_SEQ_LENGTH, as the encoder takes them."""
    return EncoderOptions(
        quantize=str(settings.MATCHING_ENCODER_QUANTIZE),
        max_seq_length=int(settings.MATCHING_MAX_SEQ_LENGTH),
    )


def encoder_name() -> str:
    """The name stored with the vectors, without loading the model: the model's label and the
    options that shape the vectors, e.g. ``multilingual-e5-small+int8+max256``."""
    return model_label(str(settings.MATCHING_MODEL)) + encoder_options().suffix


def get_encoder() -> Encoder:
    with _lock:
        return _load(settings.MATCHING_ENCODER, str(settings.MATCHING_MODEL), encoder_options())


__all__ = [
    "DEFAULT_OPTIONS",
    "Encoder",
    "EncoderOptions",
    "encoder_name",
    "encoder_options",
    "get_encoder",
    "model_label",
]
