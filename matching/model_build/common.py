"""What every model build shares: errors, hashing, PROVENANCE.json, locking and publishing.

A build writes into a temporary folder beside its target, under a per-target lock, and renames
the finished folder into place; a folder that this package did not build is never replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Written into every PROVENANCE.json; _publish only replaces folders that carry it.
BUILDER = "matching.model_build"
PROVENANCE_FILE = "PROVENANCE.json"


@dataclass
class BuildReport:
    """What a build call did, for either model; each model's report adds its summary."""

    target: Path
    built: bool  # False when an up-to-date build was already there
    seconds: float  # time taken by this call
    provenance: dict[str, Any] = field(default_factory=dict)
    size_bytes: int = 0

    @property
    def verification(self) -> dict[str, Any] | None:
        return self.provenance.get("verification")


class ModelBuildError(RuntimeError):
    """The model could not be built, or failed verification."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    _write_json(tmp, data)
    os.replace(tmp, path)


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _offline_env() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def load_sentence_transformer(folder: Path, **kwargs: Any) -> Any:
    _offline_env()
    from sentence_transformers import SentenceTransformer

    kwargs.setdefault("device", "cpu")
    return SentenceTransformer(str(folder), local_files_only=True, **kwargs)


def read_provenance(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / PROVENANCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def file_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """Size and sha256 of every file in folder except PROVENANCE.json."""
    return {
        path.relative_to(folder).as_posix(): {
            "bytes": path.stat().st_size,
            "sha256": sha256_file(path),
        }
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != PROVENANCE_FILE
    }


def _remove_orphans(target: Path) -> None:
    """Delete half-built or swapped-out folders that a killed build left (we hold the lock)."""
    for pattern in (f".{target.name}.build-*", f".{target.name}.old-*"):
        for path in target.parent.glob(pattern):
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    """Serialise builds of one target across processes (a no-op where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    lock_path = target.parent / f".{target.name}.lock"
    with open(lock_path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _publish(tmp: Path, target: Path) -> None:
    """Move the finished build in place; an older build is swapped out, then deleted."""
    old = None
    if target.exists() or target.is_symlink():
        prov = read_provenance(target)
        is_ours = prov is not None and prov.get("builder") == BUILDER
        if not is_ours and target.is_dir() and any(target.iterdir()):
            raise ModelBuildError(
                f"{target} exists and was not made by {BUILDER}; not replacing it"
            )
        old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
        os.rename(target, old)
    os.rename(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def default_models_dir() -> Path:
    """``$VAR_DIR/models`` (``VAR_DIR`` defaults to the repository's var/)."""
    var = os.environ.get("VAR_DIR") or str(Path(__file__).resolve().parents[2] / "var")
    return Path(var) / "models"


def manifest_sizes_match(folder: Path, prov: dict[str, Any]) -> bool:
    """Every file PROVENANCE.json lists is there with its recorded size (sizes only: hashing
    hundreds of MB on every call would not be "immediately"; sha256 is there for audits)."""
    files = prov.get("files") or {}
    return bool(files) and all(
        (folder / name).is_file() and (folder / name).stat().st_size == entry.get("bytes")
        for name, entry in files.items()
    )


def finish_permissions(folder: Path) -> None:
    """mkdtemp and save_file create owner-only modes; a model folder is world-readable."""
    for path in folder.rglob("*"):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    os.chmod(folder, 0o755)


# --------------------------------------------------------------------------- verified stamp


def verified_stamp_path(target: Path) -> Path:
    """Beside the model folder (like its lock), so the folder's own manifest never lists it."""
    return target.parent / f".{target.name}.verified.json"


def _file_stats(folder: Path, names: list[str]) -> dict[str, dict[str, int]] | None:
    stats = {}
    for name in names:
        try:
            stat = (folder / name).stat()
        except OSError:
            return None
        stats[name] = {"bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    return stats


def _provenance_digest(prov: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(prov, sort_keys=True).encode()).hexdigest()


def verified_stamp_matches(target: Path, prov: dict[str, Any]) -> bool:
    """The folder is as it was when its verification was last confirmed: the stamp names this
    PROVENANCE.json (with its verification) and every file it lists has the size and
    modification time it had then. Only stat() calls: no file is read."""
    if not prov.get("verification"):
        return False
    try:
        stamp = json.loads(verified_stamp_path(target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(stamp, dict) or stamp.get("provenance") != _provenance_digest(prov):
        return False
    names = sorted(prov.get("files") or {})
    return bool(names) and stamp.get("files") == _file_stats(target, names)


def changed_files(target: Path, prov: dict[str, Any]) -> list[str]:
    """Files whose size or sha256 differs from PROVENANCE.json's manifest (reads every file)."""
    files: dict[str, dict[str, Any]] = prov.get("files") or {}
    changed = []
    for name, entry in sorted(files.items()):
        path = target / name
        if (
            not path.is_file()
            or path.stat().st_size != entry.get("bytes")
            or sha256_file(path) != entry.get("sha256")
        ):
            changed.append(name)
    return changed


def write_verified_stamp(target: Path, prov: dict[str, Any]) -> None:
    """Record that the folder, as it is now, holds the verified files of ``prov``."""
    stats = _file_stats(target, sorted(prov.get("files") or {}))
    if stats is None:
        return
    stamp = {
        "provenance": _provenance_digest(prov),
        "files": stats,
        "note": "the sha256 manifest and verification in PROVENANCE.json hold for these files",
    }
    _write_json_atomic(verified_stamp_path(target), stamp)
