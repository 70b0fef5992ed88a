"""The one module that imports sentence_transformers."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np


class SentenceTransformerEncoder:
    """Any sentence-transformers model by name or local path, loaded offline.

    Both needs and profiles are encoded with the ``query`` prompt: on the Chinese probe that ranked
    best for e5 models, whose symmetric tasks use ``query: `` on both sides.
    """

    def __init__(self, model: str, *, prompt_name: str | None = "query", device: str = "cpu"):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model, device=device)
        self._prompt_name = prompt_name if prompt_name in (self._model.prompts or {}) else None
        path = Path(model)
        self.name = path.name if path.exists() else model
        self.dimension = int(self._model.get_sentence_embedding_dimension() or 0)

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
