"""Backup and restore: every row and file comes back as it was; a damaged archive writes nothing."""

from __future__ import annotations

import io
import json
import re
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from marketplace.backup import EXCLUDED_MODELS, database_row_counts
from marketplace.models import Capability, Lead, Need
from tests.marketplace.factories import LeadFactory

# Transactional: the restore flushes the database, which PostgreSQL refuses inside the test's own
# transaction (pending deferred-constraint triggers), and the backup opens its own snapshot.
pytestmark = pytest.mark.django_db(transaction=True)

PROPOSAL = b"%PDF-1.4 a proposal for the pilot \x00\xff"
SPEC_SHEET = b"%PDF-1.4 the spec sheet"


@pytest.fixture
def seeded(file_roots: dict[str, Path]) -> dict[str, Any]:
    """The demo seed, one lead with a proposal and one profile with a spec sheet."""
    call_command("marketplace_seed", stdout=io.StringIO())
    need = Need.objects.order_by("pk").first()
    capability = Capability.objects.exclude(leads__need=need).order_by("pk").first()
    lead = LeadFactory.create(need=need, capability=capability, message="可提供试点设备")
    lead.proposal.save("方案.pdf", ContentFile(PROPOSAL))
    capability.spec_sheet.save("规格书.pdf", ContentFile(SPEC_SHEET))
    return {"lead": lead, "capability": capability}


def _every_row() -> dict[str, list[dict[str, Any]]]:
    """values() of every model (by pk) and every many-to-many table (as sorted id pairs)."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label in EXCLUDED_MODELS or model._meta.proxy:
            continue
        if model._meta.auto_created:
            # A many-to-many link is its pair of ids; the link row's own id is not data (Django
            # serialises the links with their owner, and a restore numbers them anew).
            pairs = model._base_manager.values()
            rows[model._meta.label] = sorted(
                ({k: v for k, v in pair.items() if k != "id"} for pair in pairs),
                key=lambda pair: sorted(pair.items()),
            )
            continue
        rows[model._meta.label] = list(model._base_manager.order_by("pk").values())
    return rows


def _files(roots: dict[str, Path]) -> dict[str, bytes]:
    return {
        f"{prefix}/{path.relative_to(root).as_posix()}": path.read_bytes()
        for prefix, root in roots.items()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _wipe(roots: dict[str, Path]) -> None:
    """A fresh site: a flushed (migrated, empty) database and no uploaded files."""
    call_command("flush", interactive=False, verbosity=0)
    for root in roots.values():
        for path in sorted(root.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    assert sum(database_row_counts().values()) == 0


def _backup(path: Path) -> str:
    out = io.StringIO()
    call_command("marketplace_backup", "--output", str(path), stdout=out)
    return out.getvalue()


def test_a_backup_restored_into_a_fresh_site_gives_back_every_row_and_file(
    seeded: dict[str, Any], file_roots: dict[str, Path], tmp_path: Path
) -> None:
    # given a backup of the seeded site
    rows_before, files_before = _every_row(), _files(file_roots)
    archive = tmp_path / "site.tar.gz"
    _backup(archive)
    assert files_before[f"private/{seeded['lead'].proposal.name}"] == PROPOSAL
    assert files_before[f"media/{seeded['capability'].spec_sheet.name}"] == SPEC_SHEET

    # when it is restored into a fresh site
    _wipe(file_roots)
    out = io.StringIO()
    call_command("marketplace_restore", str(archive), stdout=out)

    # then every row of every model and every file is back, byte for byte
    assert _every_row() == rows_before
    assert _files(file_roots) == files_before
    assert "已恢复 restored" in out.getvalue()
    assert Lead.objects.get(pk=seeded["lead"].pk).proposal.read() == PROPOSAL


def test_the_manifest_counts_rows_and_hashes_every_member(
    seeded: dict[str, Any], tmp_path: Path
) -> None:
    archive = tmp_path / "site.tar.gz"
    _backup(archive)

    with tarfile.open(archive, "r:gz") as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))  # type: ignore[arg-type]

    assert manifest["version"] == 1
    assert manifest["created_at"]
    assert manifest["counts"]["marketplace.Need"] == Need.objects.count()
    assert manifest["counts"]["marketplace.Lead"] == Lead.objects.count() >= 1
    assert "contenttypes.ContentType" not in manifest["counts"]
    assert sorted(manifest["sha256"]) == sorted(set(names) - {"manifest.json"})
    assert f"private/{seeded['lead'].proposal.name}" in manifest["sha256"]


def _assert_nothing_written(roots: dict[str, Path]) -> None:
    assert sum(database_row_counts().values()) == 0
    assert _files(roots) == {}


def test_an_archive_with_one_flipped_byte_is_refused_and_nothing_is_written(
    seeded: dict[str, Any], file_roots: dict[str, Path], tmp_path: Path
) -> None:
    # given a backup, and a fresh site to restore it into
    archive = tmp_path / "site.tar.gz"
    _backup(archive)
    original = archive.read_bytes()
    _wipe(file_roots)
    # a byte in the gzip header, early and late in the data, and in the CRC trailer
    for position in (3, len(original) // 10, len(original) // 2, len(original) * 9 // 10, -6):
        damaged = bytearray(original)
        damaged[position] ^= 0xFF
        archive.write_bytes(bytes(damaged))

        # when / then
        with pytest.raises(CommandError, match=r"^备份文件已损坏"):
            call_command("marketplace_restore", str(archive), stdout=io.StringIO())
        _assert_nothing_written(file_roots)


def test_a_member_changed_behind_the_manifest_is_refused_and_nothing_is_written(
    seeded: dict[str, Any], file_roots: dict[str, Path], tmp_path: Path
) -> None:
    # given an archive re-packed with one byte of the proposal changed, the manifest unchanged
    archive = tmp_path / "site.tar.gz"
    _backup(archive)
    tampered = tmp_path / "tampered.tar.gz"
    proposal = f"private/{seeded['lead'].proposal.name}"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == proposal:
                content = content[:-1] + bytes([content[-1] ^ 1])
            target.addfile(member, io.BytesIO(content))
    _wipe(file_roots)

    # when / then
    with pytest.raises(CommandError, match=re.escape(f"校验失败（sha256 不符：{proposal}）")):
        call_command("marketplace_restore", str(tampered), stdout=io.StringIO())
    _assert_nothing_written(file_roots)


def test_restore_refuses_a_database_that_holds_data(
    seeded: dict[str, Any], file_roots: dict[str, Path], tmp_path: Path
) -> None:
    archive = tmp_path / "site.tar.gz"
    _backup(archive)
    rows_before = _every_row()

    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("marketplace_restore", str(archive), stdout=io.StringIO())

    assert _every_row() == rows_before
