from typing import Any

from django.core.management.base import BaseCommand

from marketplace.seeding import marketplace_seed


class Command(BaseCommand):
    help = "Load the taxonomy, the demo catalog and the demo logins from seeds/ (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = marketplace_seed()
        self.stdout.write(f"taxonomy: {report.taxonomy}")
        self.stdout.write(f"catalog: {report.catalog}")
        self.stdout.write(f"events: {report.events}")
        self.stdout.write(f"demo logins: {', '.join(report.users)}")
        self.stdout.write(self.style.SUCCESS("Seed data loaded."))
