"""Choose the encoder by a dotted-path setting and load it lazily, once per process."""

from __future__ import annotations

import threading
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from matching.encoders.base import (
    DEFAULT_OPTIONS,
    Encoder,
    EncoderOptions,
    Role,
    family_policy,
    model_family,
    model_label,
)

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _load(path: str, model: str, options: EncoderOptions) -> Encoder:
    """MATCHING_ENCODER names a factory called as ``factory(model, options=options)``."""
    factory = import_string(path)
    encoder: Encoder = factory(model, options=options)
    return encoder


def encoder_options() -> EncoderOptions:
    """MATCHING_ENCODER_QUANTIZE, MATCHING_MAX_SEQ_LENGTH, MATCHING_TRUNCATE_DIM (0: the
    model family's default, 512 for EmbeddingGemma, else the full dimension) and
    MATCHING_ENCODER_BACKEND ("auto": the family's, onnx for EmbeddingGemma, else torch), as the
    encoder takes them."""
    policy = family_policy(str(settings.MATCHING_MODEL))
    backend = str(settings.MATCHING_ENCODER_BACKEND)
    return EncoderOptions(
        quantize=str(settings.MATCHING_ENCODER_QUANTIZE),
        max_seq_length=int(settings.MATCHING_MAX_SEQ_LENGTH),
        truncate_dim=int(settings.MATCHING_TRUNCATE_DIM) or policy.truncate_dim,
        backend=policy.backend if backend == "auto" else backend,
    )


def encoder_name() -> str:
    """The name stored with the vectors, without loading the model: the model's label and the
    options that shape the vectors, e.g. ``multilingual-e5-small+int8+max256`` or
    ``embeddinggemma-300m+onnx+int8+max256+d512`` (backend and truncated dimension included)."""
    return model_label(str(settings.MATCHING_MODEL)) + encoder_options().suffix


def get_encoder() -> Encoder:
    with _lock:
        return _load(settings.MATCHING_ENCODER, str(settings.MATCHING_MODEL), encoder_options())


__all__ = [
    "DEFAULT_OPTIONS",
    "Encoder",
    "EncoderOptions",
    "Role",
    "encoder_name",
    "encoder_options",
    "family_policy",
    "get_encoder",
    "model_family",
    "model_label",
]
