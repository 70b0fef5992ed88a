"""The ONNX Runtime encoder: the model build's exported graph, run without torch.

``matching_build_model`` exports the whole sentence-transformers pipeline (transformer, mean
pooling, the Dense layers, normalisation) of a model folder into ``<folder>/onnx/`` once, offline,
and checks the graph against the torch model (``matching/model_build/onnx_export.py``). This
module only reads those files: the tokenizer (``tokenizer.json``, through the ``tokenizers``
library), the prompts (``config_sentence_transformers.json``) and the graph; it never exports.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matching.encoders.base import DEFAULT_OPTIONS, EncoderOptions, Role, family_policy, model_label

# The graph file per ``EncoderOptions.quantize``, under <model folder>/onnx/.
ONNX_FILES = {"none": "model.onnx", "int8": "model_int8.onnx"}
ONNX_DIR = "onnx"
# At most this many texts per run (see the class).
BATCH_SIZE = 8


def onnx_file(model: str | Path, quantize: str) -> Path:
    return Path(model) / ONNX_DIR / ONNX_FILES[quantize]


class OnnxEncoder:
    """Encodes with ONNX Runtime on the CPU; the same interface and vectors (up to rounding) as
    ``SentenceTransformerEncoder`` with the same options. ``options.quantize`` picks the graph:
    ``int8`` the build's dynamically quantised one, ``none`` the float32 export.

    Threads: ``threads`` when given; else torch's setting when torch is loaded (the Celery pool
    process sets MATCHING_WORKER_TORCH_THREADS before it warms up, config/celery.py); else ONNX
    Runtime's default, one per core. Texts go in batches sorted by length, each padded to its
    longest: batches of 8 ran faster than 32 on 2 cores (less padding, tensors that stay in the
    cache)."""

    def __init__(
        self,
        model: str,
        *,
        prompt_names: Mapping[str, str] | None = None,
        options: EncoderOptions = DEFAULT_OPTIONS,
        threads: int = 0,
    ):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(model)
        path = onnx_file(folder, options.quantize)
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} is missing: EmbeddingGemma's build exports it (`manage.py"
                " matching_build_model`, make model); other models run on"
                " MATCHING_ENCODER_BACKEND=torch"
            )
        session_options = ort.SessionOptions()
        if not threads and "torch" in sys.modules:
            threads = int(sys.modules["torch"].get_num_threads())
        if threads:
            session_options.intra_op_num_threads = threads
        session_options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(path), sess_options=session_options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        config = _json(folder / "config_sentence_transformers.json")
        limit = int(_json(folder / "sentence_bert_config.json").get("max_seq_length") or 512)
        self._max_length = min(options.max_seq_length, limit)
        self._tokenizer.enable_truncation(max_length=self._max_length)
        self._pad_id = int(_json(folder / "config.json").get("pad_token_id") or 0)
        prompts: dict[str, str] = dict(config.get("prompts") or {})
        names = prompt_names if prompt_names is not None else family_policy(model).prompts
        self._prompts = {
            role: prompts.get(names.get(role, ""), "") for role in ("query", "document")
        }
        self._prompt_names = {
            role: (names.get(role) if names.get(role) in prompts else None)
            for role in ("query", "document")
        }
        self.options = options
        self.name = model_label(model) + options.suffix
        full = int(self._session.get_outputs()[0].shape[-1])
        self.dimension = min(full, options.truncate_dim or full)

    def prompt_name(self, role: Role) -> str | None:
        return self._prompt_names[role]

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, role: Role = "query"
    ) -> np.ndarray:
        batch_size = min(batch_size, BATCH_SIZE)
        prompt = self._prompts[role]
        texts = [prompt + text for text in texts]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # Longest first, as sentence-transformers does: each batch pads to its own longest text.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), batch_size):
            index = order[start : start + batch_size]
            encodings = self._tokenizer.encode_batch([texts[i] for i in index])
            width = max(len(e.ids) for e in encodings)
            ids = np.full((len(index), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(index), width), dtype=np.int64)
            for row, encoding in enumerate(encodings):
                ids[row, : len(encoding.ids)] = encoding.ids
                mask[row, : len(encoding.ids)] = 1
            (vectors,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
            vectors = np.asarray(vectors, dtype=np.float32)[:, : self.dimension]
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            out[index] = vectors / np.maximum(norms, 1e-12)
        return out


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
