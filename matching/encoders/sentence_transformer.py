"""The one module that imports sentence_transformers."""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence

import numpy as np

from matching.encoders.base import DEFAULT_OPTIONS, EncoderOptions, model_label


class SentenceTransformerEncoder:
    """Any sentence-transformers model by name or local path, loaded offline.

    Both needs and profiles are encoded with the ``query`` prompt: on the Chinese probe that ranked
    best for e5 models, whose symmetric tasks use ``query: `` on both sides.

    ``options.quantize == "int8"`` swaps every ``nn.Linear`` for torch's dynamic int8 version
    (weights per output channel, activations per batch), in memory at load time: nothing is
    exported or written. ``options.max_seq_length`` cuts longer texts.
    """

    def __init__(
        self,
        model: str,
        *,
        prompt_name: str | None = "query",
        device: str = "cpu",
        options: EncoderOptions = DEFAULT_OPTIONS,
    ):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # transformers 5 draws a "Loading weights" bar at every load: noise in server logs.
        transformers_logging.disable_progress_bar()

        self._model = SentenceTransformer(model, device=device)
        self._prompt_name = prompt_name if prompt_name in (self._model.prompts or {}) else None
        self._model.max_seq_length = min(options.max_seq_length, self._model.max_seq_length)
        if options.quantize == "int8":
            _quantize_int8(self._model)
        self.options = options
        self.name = model_label(model) + options.suffix
        self.dimension = int(self._model.get_embedding_dimension() or 0)

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        vectors = self._model.encode(
            list(texts),
            batch_size=batch_size,
            prompt_name=self._prompt_name,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def _quantize_int8(model: object) -> None:
    """Dynamic int8 in every Linear layer of the transformer, per output channel (per tensor
    loses more: cosine to float32 down to ~0.97 instead of ~0.98)."""
    import torch

    with warnings.catch_warnings():
        # torch.ao.quantization still works in the pinned torch 2.13 but announces its move to
        # torchao; a torch upgrade must re-check this path (tests/matching cover it).
        warnings.filterwarnings("ignore", message=".*torch.ao.quantization is deprecated.*")
        warnings.filterwarnings("ignore", message=".*quantized tensor creation functions.*")
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

        quantize_dynamic(
            model[0].auto_model,  # type: ignore[index]
            {torch.nn.Linear: per_channel_dynamic_qconfig},
            inplace=True,
        )
