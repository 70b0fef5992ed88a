"""The small interface the rest of the matcher uses to get vectors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

QUANTIZE_CHOICES = ("int8", "none")
# "torch": sentence-transformers on torch; "onnx": ONNX Runtime on the graphs the model build
# exported into <model folder>/onnx/ (matching/encoders/onnx_runtime.py).
BACKEND_CHOICES = ("torch", "onnx")
# Which side of a match a text is: needs are encoded as queries, profiles as documents.
Role = Literal["query", "document"]


@dataclass(frozen=True, slots=True)
class EncoderOptions:
    """How the encoder runs the model. Each option can change the vectors, so each is part of
    the model name stored with them (``suffix``): changing one makes every stored vector
    outdated, and the next refresh re-embeds them all."""

    # "int8": dynamic int8 weights and activations in every Linear layer; "none": float32.
    quantize: str = "int8"
    # Tokens read per text (longer texts are cut); the model's own limit applies when lower.
    max_seq_length: int = 256
    # Matryoshka: keep the first ``truncate_dim`` dimensions, then re-normalise (None: all).
    truncate_dim: int | None = None
    # Which runtime computes the vectors; ONNX Runtime's differ from torch's by rounding (and by
    # its own int8 scheme), so the backend is part of the name too.
    backend: str = "torch"

    def __post_init__(self) -> None:
        if self.backend not in BACKEND_CHOICES:
            raise ValueError(f"backend must be one of {BACKEND_CHOICES}, not {self.backend!r}")
        if self.quantize not in QUANTIZE_CHOICES:
            raise ValueError(f"quantize must be one of {QUANTIZE_CHOICES}, not {self.quantize!r}")
        if self.max_seq_length < 1:
            raise ValueError(f"max_seq_length must be positive, not {self.max_seq_length}")
        if self.truncate_dim is not None and self.truncate_dim < 1:
            raise ValueError(f"truncate_dim must be positive, not {self.truncate_dim}")

    @property
    def suffix(self) -> str:
        quantize = "" if self.quantize == "none" else f"+{self.quantize}"
        dim = "" if self.truncate_dim is None else f"+d{self.truncate_dim}"
        backend = "" if self.backend == "torch" else f"+{self.backend}"
        return f"{backend}{quantize}+max{self.max_seq_length}{dim}"


# The project's default: about 1.5x the float32 throughput on 2 cores, with the same ranking
# quality on the dev set (see bench/encode_throughput.py and bench/quality.py).
DEFAULT_OPTIONS = EncoderOptions()


def model_label(model: str) -> str:
    """The folder name for a path, else the model's name."""
    return Path(model).name if Path(model).exists() else model


@dataclass(frozen=True, slots=True)
class FamilyPolicy:
    """How a model family is used: the sentence-transformers prompt name for each role, the
    Matryoshka dimension to keep by default (None: the model's full dimension) and the backend
    it runs on by default."""

    prompts: dict[str, str]
    truncate_dim: int | None = None
    backend: str = "torch"


FAMILY_POLICIES: dict[str, FamilyPolicy] = {
    # e5: ``query: `` on both sides; it ranked best on the Chinese probe (symmetric tasks).
    "default": FamilyPolicy(prompts={"query": "query", "document": "query"}),
    # EmbeddingGemma: its asymmetric retrieval prompts ("task: search result | query: " and
    # "title: none | text: "), and 512 of its 768 dimensions (trained as Matryoshka). ONNX
    # Runtime on the build's fused int8 graph: about 3x torch's int8 on 2 cores, same ranking
    # quality (bench/README.md).
    "gemma": FamilyPolicy(
        prompts={"query": "query", "document": "document"}, truncate_dim=512, backend="onnx"
    ),
}


def model_family(model: str) -> str:
    """``gemma`` for EmbeddingGemma (its config.json's model_type, or the name when there is no
    local folder), else ``default``. Read without loading the model."""
    model_type = ""
    config = Path(model) / "config.json"
    if config.is_file():
        try:
            model_type = str(json.loads(config.read_text(encoding="utf-8")).get("model_type", ""))
        except (OSError, ValueError):
            model_type = ""
    name = model_type or model_label(model)
    return "gemma" if "gemma" in name.lower() else "default"


def family_policy(model: str) -> FamilyPolicy:
    return FAMILY_POLICIES[model_family(model)]


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text. ``role`` says which
    side of a match the texts are: needs are ``query``, capability profiles ``document``."""

    name: str
    dimension: int

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, role: Role = "query"
    ) -> np.ndarray: ...
