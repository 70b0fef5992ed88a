from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketplace.imports.loading import catalog_import
from marketplace.imports.parsing import ImportFileError, parse_import_file
from marketplace.imports.rows import ImportValidationError
from marketplace.seeding import taxonomy_ensure


class Command(BaseCommand):
    help = (
        "Import organisations, needs and capability profiles from JSON, CSV or XLSX. "
        "All rows or none: any bad row is reported with its row and field, and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if taxonomy_ensure():
            self.stdout.write("The database had no taxonomy: loaded seeds/taxonomy.json first.")
        try:
            payload = parse_import_file(content=path.read_bytes(), filename=path.name)
            result = catalog_import(payload=payload)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        except ImportValidationError as error:
            for row_error in error.errors:
                self.stderr.write(str(row_error))
            raise CommandError(
                f"{len(error.errors)} error(s) in {path.name}; nothing was imported."
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {path.name}: {result.as_dict()}"))
