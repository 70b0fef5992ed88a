"""The ONNX Runtime encoder on a tiny hand-made graph and tokenizer (the real graph is the
model build's, exercised wherever the default model embeds): prompts per role, the order of the
texts kept across length-sorted batches, truncation, the Matryoshka cut and the stored name."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper
from tokenizers import Tokenizer, models, pre_tokenizers

from matching.encoders.backends import encoder_for
from matching.encoders.base import EncoderOptions
from matching.encoders.onnx_runtime import OnnxEncoder

WORDS = ["[PAD]", "[UNK]", "q:", "d:", "robot", "meal", "nursing", "home", "night", "patrol"]
DIM = 6


def tiny_model(folder: Path) -> Path:
    """A folder laid out as the gemma build leaves it: tokenizer.json, the ST configs and
    onnx/model_int8.onnx, whose graph mean-pools a fixed embedding table over the mask."""
    folder.mkdir()
    vocab = {word: i for i, word in enumerate(WORDS)}
    tokenizer = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer.save(str(folder / "tokenizer.json"))
    prompts = {"query": "q: ", "document": "d: "}
    (folder / "config_sentence_transformers.json").write_text(json.dumps({"prompts": prompts}))
    (folder / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 2048}))
    (folder / "config.json").write_text(
        json.dumps({"model_type": "gemma3_text", "pad_token_id": 0})
    )
    table = np.random.default_rng(7).normal(size=(len(WORDS), DIM)).astype(np.float32)
    table[0] = 0.0
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["table", "input_ids"], ["tokens"]),
            helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
            helper.make_node("Unsqueeze", ["maskf", "axis2"], ["mask3"]),
            helper.make_node("Mul", ["tokens", "mask3"], ["kept"]),
            helper.make_node("ReduceSum", ["kept", "axis1"], ["sum"], keepdims=0),
            helper.make_node("ReduceSum", ["mask3", "axis1"], ["count"], keepdims=0),
            helper.make_node("Div", ["sum", "count"], ["sentence_embedding"]),
        ],
        "tiny",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "s"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["b", "s"]),
        ],
        [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["b", DIM])],
        [
            helper.make_tensor("table", TensorProto.FLOAT, table.shape, table.ravel()),
            helper.make_tensor("axis1", TensorProto.INT64, [1], [1]),
            helper.make_tensor("axis2", TensorProto.INT64, [1], [2]),
        ],
    )
    (folder / "onnx").mkdir()
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(folder / "onnx" / "model_int8.onnx"))
    np.save(folder / "table.npy", table)
    return folder


def expected(folder: Path, text: str, *, dim: int = DIM, max_tokens: int = 99) -> np.ndarray:
    table = np.load(folder / "table.npy")
    ids = [WORDS.index(w) if w in WORDS else 1 for w in text.split()][:max_tokens]
    vector = table[ids].mean(axis=0)[:dim]
    return vector / np.linalg.norm(vector)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tiny_model(tmp_path / "embeddinggemma-300m")


def test_each_role_gets_its_prompt_and_rows_keep_the_order_of_the_texts(folder: Path) -> None:
    texts = ["robot", "nursing home night patrol robot meal", "meal robot", "night"]
    encoder = OnnxEncoder(str(folder), options=EncoderOptions(backend="onnx"))

    queries = encoder.encode(texts, role="query", batch_size=2)  # sorted by length, 2 batches
    documents = encoder.encode(texts, role="document")

    assert queries.shape == (4, DIM) and queries.dtype == np.float32
    for row, text in enumerate(texts):
        np.testing.assert_allclose(queries[row], expected(folder, "q: " + text), atol=1e-6)
        np.testing.assert_allclose(documents[row], expected(folder, "d: " + text), atol=1e-6)
    assert encoder.prompt_name("query") == "query"


def test_texts_are_cut_at_max_seq_length_and_vectors_at_the_truncated_dimension(
    folder: Path,
) -> None:
    options = EncoderOptions(backend="onnx", max_seq_length=3, truncate_dim=4)
    encoder = encoder_for(str(folder), options=options)  # the settings' factory picks ONNX

    vectors = encoder.encode(["nursing home night patrol"], role="document")

    assert isinstance(encoder, OnnxEncoder) and encoder.dimension == 4
    np.testing.assert_allclose(
        vectors[0], expected(folder, "d: nursing home", dim=4, max_tokens=3), atol=1e-6
    )
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0)
    assert encoder.name == "embeddinggemma-300m+onnx+int8+max3+d4"


def test_a_folder_without_the_built_graph_says_how_to_build_it(folder: Path) -> None:
    with pytest.raises(FileNotFoundError, match="matching_build_model"):
        OnnxEncoder(str(folder), options=EncoderOptions(backend="onnx", quantize="none"))
