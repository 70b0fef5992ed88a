"""Back up the whole site into one archive, and restore it into a fresh database.

The archive (``.tar.gz``) holds ``data.json`` (every row of every model, Django's JSON
serialisation with natural foreign keys, so content types and users resolve in the target),
the files under ``MEDIA_ROOT`` (``media/...``) and ``PRIVATE_MEDIA_ROOT`` (``private/...``,
vendors' proposals), and ``manifest.json``: format version, creation time, rows per model and the
sha256 of every other member.

The rows are read in one transaction (REPEATABLE READ on PostgreSQL, one read transaction on
SQLite), so they are consistent with each other. A restore checks every hash and the target's
emptiness before it writes anything, then loads all rows and files in one transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

ARCHIVE_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
# Rebuilt by ``migrate`` in every database, with ids of its own; rows refer to them by natural key.
EXCLUDED_MODELS = frozenset({"contenttypes.ContentType", "auth.Permission"})
CHUNK = 1024 * 1024


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes and times to milliseconds; a backup keeps microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, Chinese first."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    counts: dict[str, int]
    files: int


def file_roots() -> dict[str, Path]:
    """Archive prefix -> folder, read when called so that settings overrides apply."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "private": Path(settings.PRIVATE_MEDIA_ROOT),
    }


def backup_models() -> list[type[Model]]:
    """Every concrete model with a table of its own, in an order that loads (dependencies first)."""
    app_list = []
    for app_config in apps.get_app_configs():
        models = [
            model
            for model in app_config.get_models()
            if model._meta.managed
            and not model._meta.proxy
            and model._meta.label not in EXCLUDED_MODELS
        ]
        if models:
            app_list.append((app_config, models))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


def database_row_counts(models: list[type[Model]] | None = None) -> dict[str, int]:
    """Rows per model, of ``models`` or of every model a backup holds."""
    if models is None:
        models = backup_models()
    return {model._meta.label: model._base_manager.count() for model in models}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _rows(models: list[type[Model]]) -> Iterator[Model]:
    for model in models:
        yield from model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)


def _dump(path: Path) -> dict[str, int]:
    """Write every row to ``path``; return rows per model, all read from one snapshot."""
    models = backup_models()
    starts_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and starts_transaction:
            # Must be the transaction's first statement; then every query sees one snapshot.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        counts = database_row_counts(models)
        with path.open("w", encoding="utf-8") as stream:
            serializers.serialize(
                "json",
                _rows(models),
                stream=stream,
                cls=ExactJSONEncoder,
                use_natural_foreign_keys=True,
            )
    return counts


def _files() -> Iterator[tuple[str, Path]]:
    for prefix, root in file_roots().items():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield f"{prefix}/{path.relative_to(root).as_posix()}", path


def marketplace_backup(*, output: Path) -> BackupReport:
    """Write the archive to ``output`` (through a temporary file, so a failure leaves none)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent) as work:
        data = Path(work) / DATA
        counts = _dump(data)
        members: dict[str, Path] = {DATA: data, **dict(_files())}
        manifest = {
            "version": ARCHIVE_VERSION,
            "created_at": timezone.now().isoformat(),
            "counts": counts,
            "sha256": {name: _sha256(path) for name, path in members.items()},
        }
        manifest_path = Path(work) / MANIFEST
        manifest_path.write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8"
        )
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest_path, arcname=MANIFEST)
            for name, path in members.items():
                archive.add(path, arcname=name)
        os.replace(partial, output)
    return BackupReport(path=output, counts=counts, files=len(members) - 1)


# --- Restore --------------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and (name in (MANIFEST, DATA) or path.parts[0] in file_roots())
        and len(path.parts) >= (1 if name in (MANIFEST, DATA) else 2)
    )


def _copy(source: IO[bytes], target: Path) -> str:
    digest = hashlib.sha256()
    with target.open("wb") as handle:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            handle.write(chunk)
    return digest.hexdigest()


def _unpack(archive_path: Path, work: Path) -> dict[str, Any]:
    """Extract into ``work`` and check the manifest and every hash; raise on any damage."""
    hashes: dict[str, str] = {}
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for member in archive:
                if not member.isfile() or not _safe_name(member.name):
                    raise BackupError(
                        f"备份文件已损坏或含有不允许的条目：{member.name!r}，未写入任何数据。"
                        f" The archive is damaged or holds a member that is not allowed:"
                        f" {member.name!r}; nothing was written."
                    )
                source = archive.extractfile(member)
                assert source is not None  # a regular file always has content
                target = work / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                hashes[member.name] = _copy(source, target)
            # tarfile stops at the end-of-archive blocks; reading on to the end of the gzip
            # stream makes gzip check its CRC, so damage after the last member is caught too.
            if archive.fileobj is not None:
                while archive.fileobj.read(CHUNK):
                    pass
        manifest: dict[str, Any] = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as error:
        raise BackupError(
            f"备份文件已损坏或无法读取（{error}），未写入任何数据。"
            f" The archive is damaged or unreadable; nothing was written."
        ) from error
    if manifest.get("version") != ARCHIVE_VERSION:
        raise BackupError(
            f"不支持的备份格式版本：{manifest.get('version')!r}。"
            f" Unsupported archive version (this code reads {ARCHIVE_VERSION})."
        )
    expected = manifest.get("sha256", {})
    names = set(hashes) - {MANIFEST}
    if names != set(expected) or DATA not in names:
        raise BackupError(
            "备份文件已损坏或不完整（成员与清单不符），未写入任何数据。"
            " The archive is damaged or incomplete (its members do not match its manifest);"
            " nothing was written."
        )
    damaged = sorted(name for name in names if hashes[name] != expected[name])
    if damaged:
        raise BackupError(
            f"备份文件已损坏：校验失败（sha256 不符：{', '.join(damaged)}），未写入任何数据。"
            f" The archive is damaged: checksum mismatch; nothing was written."
        )
    return manifest


def marketplace_restore(*, archive: Path) -> dict[str, int]:
    """Restore an archive into an empty, migrated database and its file folders.

    Checks everything first and writes nothing if the archive is damaged or the database holds
    data; the rows and the files are then written in one transaction (a failure rolls back).
    """
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        manifest = _unpack(Path(archive), work)
        with transaction.atomic():
            existing = {label: n for label, n in database_row_counts().items() if n}
            if existing:
                raise BackupError(
                    f"目标数据库不是空的（已有数据：{', '.join(sorted(existing))}），"
                    "请恢复到新建并已迁移的空数据库。"
                    " The target database is not empty; restore into a fresh, migrated one."
                )
            call_command("loaddata", str(work / DATA), verbosity=0)
            restored = database_row_counts()
            expected = {label: int(n) for label, n in manifest["counts"].items()}
            if {label: restored.get(label, 0) for label in expected} != expected:
                raise BackupError(
                    "恢复后的行数与清单不符，已回滚。"
                    " The restored row counts differ from the manifest; rolled back."
                )
            roots = file_roots()
            for name in sorted(manifest["sha256"]):
                if name == DATA:
                    continue
                prefix, relative = name.split("/", 1)
                target = roots[prefix] / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(work / name, target)
    return restored
