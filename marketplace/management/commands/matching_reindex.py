import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from marketplace.matches.embeddings import embedding_status, embeddings_refresh


class Command(BaseCommand):
    help = (
        "Re-embed needs and capability profiles that are new, edited or from another model "
        "(--all: everything), in batches, with a progress bar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="re-embed every row")
        parser.add_argument("--batch-size", type=int, default=64)
        parser.add_argument("--status", action="store_true", help="only report what is stale")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["status"]:
            self.stdout.write(str(embedding_status()))
            return
        interactive = sys.stderr.isatty()

        def progress(kind: str, done: int, total: int) -> None:
            width = 30
            filled = width * done // total if total else width
            bar = "#" * filled + "-" * (width - filled)
            line = f"{kind:<10} [{bar}] {done}/{total}"
            if interactive:
                self.stderr.write("\r" + line, ending="\n" if done == total else "")
            elif done == total or done % (options["batch_size"] * 10) == 0:
                self.stderr.write(line)

        report = embeddings_refresh(
            everything=options["all"], batch_size=options["batch_size"], progress=progress
        )
        self.stdout.write(self.style.SUCCESS(f"Re-indexed: {report.as_dict()}"))
