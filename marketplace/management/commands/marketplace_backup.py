from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketplace.backup import BackupError, marketplace_backup


class Command(BaseCommand):
    help = (
        "备份全部数据与上传文件到一个 .tar.gz。 "
        "Write every row, the media and private files and a manifest into one .tar.gz archive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="FILE.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = marketplace_backup(output=options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(report.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份 backed up: {rows} 行 rows, {report.files} 个文件 files -> {report.path}"
            )
        )
