"""The one module that imports sentence_transformers."""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence

import numpy as np

from matching.encoders.base import DEFAULT_OPTIONS, EncoderOptions, Role, family_policy, model_label


class SentenceTransformerEncoder:
    """Any sentence-transformers model by name or local path, loaded offline.

    The prompt per role (need = ``query``, profile = ``document``) is the model family's
    (``FAMILY_POLICIES``): e5 models encode both sides with the ``query`` prompt (on the Chinese
    probe that ranked best for e5, whose symmetric tasks use ``query: `` on both sides);
    EmbeddingGemma uses its ``query`` and ``document`` prompts. ``prompt_names`` overrides
    that (role -> prompt name); a prompt the model does not have is left out.

    ``options.truncate_dim`` keeps the first dimensions of each vector (Matryoshka), and the
    vectors are L2-normalised again after the cut.

    ``options.quantize == "int8"`` swaps every ``nn.Linear`` for torch's dynamic int8 version
    (weights per output channel, activations per batch), in memory at load time: nothing is
    exported or written. ``options.max_seq_length`` cuts longer texts.
    """

    def __init__(
        self,
        model: str,
        *,
        prompt_names: Mapping[str, str] | None = None,
        device: str = "cpu",
        options: EncoderOptions = DEFAULT_OPTIONS,
    ):
        if options.backend != "torch":
            raise ValueError(f"this encoder runs torch, not {options.backend!r}: see backends.py")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # transformers 5 draws a "Loading weights" bar at every load: noise in server logs.
        transformers_logging.disable_progress_bar()

        self._model = SentenceTransformer(model, device=device, truncate_dim=options.truncate_dim)
        names = prompt_names if prompt_names is not None else family_policy(model).prompts
        available = self._model.prompts or {}
        self._prompt_names: dict[str, str | None] = {
            role: (names.get(role) if names.get(role) in available else None)
            for role in ("query", "document")
        }
        self._model.max_seq_length = min(options.max_seq_length, self._model.max_seq_length)
        if options.quantize == "int8":
            _quantize_int8(self._model)
        self.options = options
        self.name = model_label(model) + options.suffix
        self.dimension = int(self._model.get_embedding_dimension() or 0)

    def prompt_name(self, role: Role) -> str | None:
        return self._prompt_names[role]

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, role: Role = "query"
    ) -> np.ndarray:
        vectors = self._model.encode(
            list(texts),
            batch_size=batch_size,
            prompt_name=self._prompt_names[role],
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        vectors = np.asarray(vectors, dtype=np.float32)
        if self.options.truncate_dim is not None:  # cut to truncate_dim above; unit length again
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.maximum(norms, 1e-12)
        return vectors


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
