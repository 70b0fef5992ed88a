from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketplace.backup import BackupError, marketplace_restore


class Command(BaseCommand):
    help = (
        "从 marketplace_backup 的备份恢复到空的、已迁移的数据库。 "
        "Restore a marketplace_backup archive into a fresh, migrated, empty database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="FILE.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = marketplace_restore(archive=options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"已恢复 restored: {sum(counts.values())} 行 rows"))
