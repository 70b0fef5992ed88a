"""The small interface the rest of the matcher uses to get vectors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

QUANTIZE_CHOICES = ("int8", "none")


@dataclass(frozen=True, slots=True)
class EncoderOptions:
    """How the encoder runs the model. Each option can change the vectors, so each is part of
    the model name stored with them (``suffix``): changing one makes every stored vector
    outdated, and the next refresh re-embeds them all."""

    # "int8": dynamic int8 weights and activations in every Linear layer; "none": float32.
    quantize: str = "int8"
    # Tokens read per text (longer texts are cut); the model's own limit applies when lower.
    max_seq_length: int = 256

    def __post_init__(self) -> None:
        if self.quantize not in QUANTIZE_CHOICES:
            raise ValueError(f"quantize must be one of {QUANTIZE_CHOICES}, not {self.quantize!r}")
        if self.max_seq_length < 1:
            raise ValueError(f"max_seq_length must be positive, not {self.max_seq_length}")

    @property
    def suffix(self) -> str:
        quantize = "" if self.quantize == "none" else f"+{self.quantize}"
        return f"{quantize}+max{self.max_seq_length}"


# The project's default: about 1.5x the float32 throughput on 2 cores, with the same ranking
# quality on the dev set (see bench/encode_throughput.py and bench/quality.py).
DEFAULT_OPTIONS = EncoderOptions()


def model_label(model: str) -> str:
    """The folder name for a path, else the model's name."""
    return Path(model).name if Path(model).exists() else model


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray: ...
