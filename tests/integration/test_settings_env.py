"""A bad environment value stops start-up with a message naming the variable.

Each case starts a fresh Python process, as a server or worker would, because settings are read
once per process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

SETTINGS_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "ELASTICSEARCH_URL",
    "MARKETPLACE_NEED_EXPIRY_DAYS",
    "MARKETPLACE_PAGE_SIZE",
    "CELERY_TASK_ALWAYS_EAGER",
)


def _start_django(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    environment = {
        name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="a-key-for-this-test-only",
    )
    environment.update(variables)
    environment = {name: value for name, value in environment.items() if value != "<unset>"}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://x"),
        ("CELERY_BROKER_URL", "ftp://x"),
        ("ELASTICSEARCH_URL", "ftp://x"),
        ("MARKETPLACE_NEED_EXPIRY_DAYS", "abc"),
        ("MARKETPLACE_NEED_EXPIRY_DAYS", "0"),
        ("CELERY_TASK_ALWAYS_EAGER", "sometimes"),
    ],
)
def test_bad_value_stops_start_up_naming_the_variable(
    tmp_path: Path, name: str, value: str
) -> None:
    result = _start_django(tmp_path, **{name: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Environment variable {name}={value!r} is not valid; allowed values:" in result.stderr


def test_missing_secret_key_stops_start_up_when_debug_is_off(tmp_path: Path) -> None:
    result = _start_django(tmp_path, DEBUG="0", SECRET_KEY="<unset>")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Environment variable SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "variables",
    [
        pytest.param({}, id="defaults"),
        pytest.param({"DEBUG": "1", "SECRET_KEY": "<unset>"}, id="debug-without-secret-key"),
        pytest.param(
            {
                "DEBUG": "off",
                "DATABASE_URL": "postgres://robomatch:robomatch@127.0.0.1:54329/robomatch",
                "CELERY_BROKER_URL": "redis://127.0.0.1:63790/0",
                "ELASTICSEARCH_URL": "http://127.0.0.1:9200",
                "MARKETPLACE_NEED_EXPIRY_DAYS": "30",
                "ALLOWED_HOSTS": "robomatch.example.cn, localhost",
            },
            id="every-service-set",
        ),
    ],
)
def test_good_environment_starts(tmp_path: Path, variables: dict[str, str]) -> None:
    result = _start_django(tmp_path, **variables)

    assert result.returncode == 0, result.stderr
    assert "ImproperlyConfigured" not in result.stderr


def _manage_bare(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``manage.py ARGS`` with no settings variables at all (a fresh checkout, a CI step)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path / "var")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_migration_check_runs_in_a_bare_environment(tmp_path: Path) -> None:
    result = _manage_bare(tmp_path, "makemigrations", "--check", "--dry-run")

    # It runs, and finds every model change in a migration
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_a_serving_command_still_needs_the_secret_key(tmp_path: Path) -> None:
    result = _manage_bare(tmp_path, "check")

    assert result.returncode != 0
    assert "Environment variable SECRET_KEY is not set" in result.stderr
