"""The ONNX graphs of the gemma folder, made once at build time and checked against torch.

The encoder's default backend for EmbeddingGemma is ONNX Runtime (matching/encoders/
onnx_runtime.py), which only reads what this module writes into ``<folder>/onnx/``:

* ``model.onnx`` (+ ``model.onnx.data``): the whole sentence-transformers pipeline (Gemma3
  transformer, mean pooling, both Dense layers, normalisation) exported by ``torch.onnx.export``
  (the dynamo exporter), inputs ``input_ids`` and ``attention_mask``, output the 768-d unit
  vector; then ONNX Runtime's transformer optimiser fuses each RMSNorm (Pow, ReduceMean, Add,
  Sqrt, Reciprocal, Mul, Mul: 145 of them) into one SimplifiedLayerNormalization. float32.
* ``model_int8.onnx`` (+ ``.data``): that graph with dynamic int8 weights (ONNX Runtime's
  ``quantize_dynamic``: MatMul per output channel, and the 262,144 x 768 embedding table, which
  brings the resident size from ~1.05 GB to ~0.66 GB).

Nothing is exported at run time. ``check_onnx`` encodes the cross-lingual check passages and
queries with each graph and with the torch model, and fails the build when a cosine falls under
its floor or the int8 graph ranks them wrongly; its figures go into PROVENANCE.json.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matching.encoders.base import EncoderOptions
from matching.encoders.onnx_runtime import ONNX_DIR, ONNX_FILES, OnnxEncoder
from matching.model_build.common import ModelBuildError, load_sentence_transformer
from matching.model_build.verify import RANK_PASSAGES, RANK_QUERIES, cross_lingual_rankings
from matching.model_build.verify import ranking_problems as _ranking_problems

# The lowest cosine to the torch float32 vector the build accepts, per graph. float32 differs
# by rounding only (~1 - 1e-7); int8 measured min 0.97, mean 0.985 on the seed passages.
COSINE_FLOOR = {"none": 0.9999, "int8": 0.95}


def export_onnx(folder: Path, say: Callable[[str], None]) -> dict[str, Any]:
    """Write ``folder/onnx/model.onnx`` and ``model_int8.onnx`` (see the module); return what
    was done, for PROVENANCE.json."""
    t0 = time.perf_counter()
    out = folder / ONNX_DIR
    out.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="robomatch-onnx-"))
    try:
        raw = work / "raw.onnx"
        _torch_export(folder, raw)
        say(f"exported the pipeline to ONNX in {time.perf_counter() - t0:.0f} s")
        fused = _fuse(raw, out / ONNX_FILES["none"])
        say(f"fused {fused} RMSNorms into SimplifiedLayerNormalization")
        _quantize(out / ONNX_FILES["none"], out / ONNX_FILES["int8"])
        say("quantised the graph's MatMul weights and embedding table to int8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "exporter": "torch.onnx.export(dynamo=True)",
        "fused_rms_norms": fused,
        "int8": "onnxruntime quantize_dynamic QInt8, MatMul per channel + Gather",
        "files": sorted(p.name for p in out.iterdir()),
        "seconds": round(time.perf_counter() - t0, 1),
    }


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Only errors from the exporter, its graph rewriter and ONNX Runtime's tools: their notes
    ("torchvision is not installed", a line per rewrite or per MatMul left in float) would
    fill the build's output with thousands of lines."""
    loggers = [logging.getLogger(name) for name in ("", "torch.onnx", "onnxscript", "onnx_ir")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _torch_export(folder: Path, path: Path) -> None:
    import torch

    model = load_sentence_transformer(folder)
    model.eval()

    class Pipeline(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            features = {"input_ids": input_ids, "attention_mask": attention_mask}
            return self.model(features)["sentence_embedding"]

    sample = model.tokenizer(
        ["title: none | text: 送餐机器人", "task: search result | query: delivery robot"],
        padding=True,
        return_tensors="pt",
    )
    batch = torch.export.Dim("batch", min=1, max=4096)
    seq = torch.export.Dim("seq", min=2, max=int(model.max_seq_length))
    with _quiet(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pipeline().eval(),
            (sample["input_ids"], sample["attention_mask"]),
            str(path),
            dynamo=True,
            external_data=True,
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_shapes=({0: batch, 1: seq}, {0: batch, 1: seq}),
            verbose=False,
        )


def _fuse(source: Path, target: Path) -> int:
    """ONNX Runtime's transformer optimiser with only its norm and GELU fusions (the attention
    fusions know BERT's and GPT's shapes, not Gemma3's); the count of fused norms."""
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model

    options = FusionOptions("bert")
    options.enable_attention = False
    options.enable_embed_layer_norm = False
    options.enable_rotary_embeddings = False
    with _quiet():
        optimized = optimize_model(
            str(source),
            model_type="bert",
            num_heads=0,
            hidden_size=0,
            opt_level=0,
            optimization_options=options,
        )
    graph = optimized.model.graph
    del graph.value_info[:]  # stale shapes from the exporter stop the quantiser's inference
    fused = sum(1 for node in graph.node if node.op_type == "SimplifiedLayerNormalization")
    if not fused:
        raise ModelBuildError("the ONNX optimiser fused no RMSNorm: the exported graph changed")
    optimized.save_model_to_file(
        str(target), use_external_data_format=True, all_tensors_to_one_file=True
    )
    return fused


def _quantize(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with _quiet():
        quantize_dynamic(
            str(source),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul", "Gather"],
            use_external_data_format=True,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )


class _Adapter:
    """An OnnxEncoder behind the part of SentenceTransformer.encode that verify.py calls."""

    def __init__(self, encoder: OnnxEncoder):
        self.encoder = encoder

    def encode(self, texts: Sequence[str], *, prompt_name: str, **_: Any) -> np.ndarray:
        return self.encoder.encode(texts, role="query" if prompt_name == "query" else "document")


def check_onnx(folder: Path) -> dict[str, Any]:
    """Each graph against the torch float32 model on the check texts (cosine floors), and the
    int8 graph's cross-lingual ranking; raises ModelBuildError on a failure."""
    model = load_sentence_transformer(folder)
    texts = {"document": list(RANK_PASSAGES.values()), "query": list(RANK_QUERIES.values())}
    reference = {
        role: model.encode(
            batch, prompt_name=role, normalize_embeddings=True, show_progress_bar=False
        )
        for role, batch in texts.items()
    }
    report: dict[str, Any] = {}
    problems = []
    for quantize, floor in COSINE_FLOOR.items():
        encoder = OnnxEncoder(str(folder), options=EncoderOptions(quantize=quantize))
        cosines = np.concatenate(
            [
                np.sum(encoder.encode(batch, role=role) * reference[role], axis=1)  # type: ignore[arg-type]
                for role, batch in texts.items()
            ]
        )
        report[ONNX_FILES[quantize]] = {"cosine_min": round(float(cosines.min()), 6)}
        if cosines.min() < floor:
            name = ONNX_FILES[quantize]
            problems.append(f"{name}: cosine to torch {cosines.min():.4f} < {floor}")
        if quantize == "int8":
            rankings = cross_lingual_rankings(
                _Adapter(encoder), query_prompt="query", document_prompt="document"
            )
            problems += _ranking_problems(rankings)
            report[ONNX_FILES[quantize]]["rankings"] = rankings
    if problems:
        raise ModelBuildError("ONNX verification failed: " + "; ".join(problems))
    return report
