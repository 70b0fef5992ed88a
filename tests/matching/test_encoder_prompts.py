"""The prompt per role and the Matryoshka cut, per model family, on a fake SentenceTransformer.

e5 keeps ``query`` on both sides; EmbeddingGemma encodes needs with ``query`` and profiles with
``document`` and keeps 512 dimensions, re-normalised. The family is read from config.json.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from matching.encoders.base import EncoderOptions, family_policy, model_family
from matching.encoders.sentence_transformer import SentenceTransformerEncoder

E5_PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
GEMMA_PROMPTS = {"query": "task: search result | query: ", "document": "title: none | text: "}


class FakeST:
    """Records the prompt_name of each encode call; 768-d vectors cut to truncate_dim."""

    calls: list[str | None]

    def __init__(self, model: str, *, device: str, truncate_dim: int | None = None) -> None:
        config = json.loads((Path(model) / "config.json").read_text())
        self.prompts = config["fake_prompts"]
        self.max_seq_length = 512
        self.truncate_dim = truncate_dim
        self.calls = []

    def get_embedding_dimension(self) -> int:
        return self.truncate_dim or 768

    def encode(self, texts: list[str], *, prompt_name: str | None, **options: Any) -> np.ndarray:
        self.calls.append(prompt_name)
        full = np.ones((len(texts), 768), dtype=np.float32) / np.sqrt(768)  # unit length
        return full[:, : self.truncate_dim] if self.truncate_dim else full


@pytest.fixture(autouse=True)
def fake_sentence_transformers(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("sentence_transformers")
    module.SentenceTransformer = FakeST  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", module)


def model_folder(root: Path, name: str, model_type: str, prompts: dict[str, str]) -> str:
    folder = root / name
    folder.mkdir()
    (folder / "config.json").write_text(
        json.dumps({"model_type": model_type, "fake_prompts": prompts})
    )
    return str(folder)


def test_e5_encodes_needs_and_profiles_with_the_query_prompt(tmp_path: Path) -> None:
    model = model_folder(tmp_path, "multilingual-e5-small", "bert", E5_PROMPTS)
    assert model_family(model) == "default" and family_policy(model).truncate_dim is None
    encoder = SentenceTransformerEncoder(model, options=EncoderOptions(quantize="none"))
    encoder.encode(["need"], role="query")
    encoder.encode(["profile"], role="document")
    encoder.encode(["default role"])
    assert encoder._model.calls == ["query", "query", "query"]  # type: ignore[attr-defined]
    assert encoder.name == "multilingual-e5-small+max256"
    assert encoder.dimension == 768


def test_gemma_uses_query_and_document_prompts_and_512_dimensions(tmp_path: Path) -> None:
    model = model_folder(tmp_path, "embeddinggemma-300m", "gemma3_text", GEMMA_PROMPTS)
    policy = family_policy(model)
    assert model_family(model) == "gemma" and policy.truncate_dim == 512
    options = EncoderOptions(quantize="none", truncate_dim=policy.truncate_dim)
    encoder = SentenceTransformerEncoder(model, options=options)
    need = encoder.encode(["need"], role="query")
    profile = encoder.encode(["profile"], role="document")
    assert encoder._model.calls == ["query", "document"]  # type: ignore[attr-defined]
    assert need.shape == profile.shape == (1, 512) and encoder.dimension == 512
    np.testing.assert_allclose(np.linalg.norm(profile, axis=1), 1.0, rtol=1e-6)
    assert encoder.name == "embeddinggemma-300m+max256+d512"


def test_a_prompt_the_model_lacks_is_left_out(tmp_path: Path) -> None:
    model = model_folder(tmp_path, "embeddinggemma-300m", "gemma3_text", {"query": "q: "})
    encoder = SentenceTransformerEncoder(model, options=EncoderOptions(quantize="none"))
    encoder.encode(["profile"], role="document")
    assert encoder._model.calls == [None]  # type: ignore[attr-defined]


def test_the_stored_name_differs_by_model_and_dimension(tmp_path: Path, settings: Any) -> None:
    from matching.encoders import encoder_name, encoder_options

    settings.MATCHING_ENCODER_QUANTIZE, settings.MATCHING_MAX_SEQ_LENGTH = "int8", 256
    settings.MATCHING_TRUNCATE_DIM, settings.MATCHING_ENCODER_BACKEND = 0, "auto"
    settings.MATCHING_MODEL = model_folder(tmp_path, "embeddinggemma-300m", "gemma3_text", {})
    assert encoder_name() == "embeddinggemma-300m+onnx+int8+max256+d512"  # ONNX by default
    settings.MATCHING_TRUNCATE_DIM = 256
    assert encoder_options().truncate_dim == 256
    assert encoder_name() == "embeddinggemma-300m+onnx+int8+max256+d256"
    settings.MATCHING_ENCODER_BACKEND = "torch"
    assert encoder_name() == "embeddinggemma-300m+int8+max256+d256"
    settings.MATCHING_TRUNCATE_DIM, settings.MATCHING_ENCODER_BACKEND = 0, "auto"
    settings.MATCHING_MODEL = model_folder(tmp_path, "multilingual-e5-small", "bert", {})
    assert encoder_name() == "multilingual-e5-small+int8+max256"  # unchanged for e5
