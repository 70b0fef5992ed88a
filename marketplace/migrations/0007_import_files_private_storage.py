"""Import files move from the public media folder (served under MEDIA_URL) to private storage
(PRIVATE_MEDIA_ROOT), as proposals are: issue 19, finding 6. The stored names are unchanged
(``imports/<uuid>.<ext>``); only where the files live moves."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import marketplace.imports.models
import marketplace.leads.models


def _move(source_root: Path, target_root: Path, apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    ImportJob = apps.get_model("marketplace", "ImportJob")
    for name in ImportJob.objects.exclude(file="").values_list("file", flat=True):
        source, target = source_root / name, target_root / name
        if source.exists() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(source), str(target))


def to_private(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _move(Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT), apps, schema_editor)


def to_public(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _move(Path(settings.PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT), apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0006_match_lists"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importjob",
            name="file",
            field=models.FileField(
                storage=marketplace.leads.models.private_storage,
                upload_to=marketplace.imports.models.import_upload_path,
                verbose_name="文件",
            ),
        ),
        migrations.RunPython(to_private, to_public),
    ]
