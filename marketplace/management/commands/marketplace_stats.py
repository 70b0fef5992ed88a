import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from marketplace.dashboard.statistics import marketplace_statistics


class Command(BaseCommand):
    help = (
        "Print the marketplace's figures: organisations by kind, domains, needs, profiles, events."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        stats = marketplace_statistics()
        if options["json"]:
            self.stdout.write(json.dumps(stats, ensure_ascii=False, sort_keys=True))
            return
        for key, value in stats.items():
            self.stdout.write(f"{key}: {value}")
