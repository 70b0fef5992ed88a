from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from marketplace.leads.refresh import leads_refresh_due
from marketplace.matches.lists import match_lists_refresh_due


class Command(BaseCommand):
    help = (
        "Store the match lists that are missing or out of date, turn newly published needs and "
        "new or changed profiles into vendor leads, and alert vendors within their own "
        "threshold and daily limit (the Celery worker does this after each re-embedding)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=1000, help="at most this many needs, and as many profiles"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lists = match_lists_refresh_due(limit=options["limit"])
        self.stdout.write(f"match lists stored: {lists.needs} (changed profiles: {lists.profiles})")
        report = leads_refresh_due(limit=options["limit"])
        self.stdout.write(
            f"needs: {report.needs}, profiles: {report.profiles}, leads: {report.leads}, "
            f"vendor alerts: {report.alerts}"
        )
