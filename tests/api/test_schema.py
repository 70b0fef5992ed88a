"""The committed OpenAPI schema (openapi.yaml) is the one the code generates, and it validates."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import translation

COMMITTED = Path(settings.BASE_DIR) / "openapi.yaml"
REGENERATE = (
    "DEBUG=1 .venv/bin/python manage.py spectacular --validate --fail-on-warn --file openapi.yaml"
)


def test_committed_schema_matches_the_code(tmp_path: Path) -> None:
    # given
    generated = tmp_path / "openapi.yaml"

    # when (--fail-on-warn turns any schema warning into an error)
    with translation.override(settings.LANGUAGE_CODE):
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))

    # then
    assert COMMITTED.exists(), f"openapi.yaml is missing; generate it with:\n  {REGENERATE}"
    assert generated.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8"), (
        f"openapi.yaml is out of date with the API code; regenerate and commit it:\n  {REGENERATE}"
    )
