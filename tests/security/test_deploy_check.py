"""``manage.py check --deploy`` is clean with the production settings and a production
environment, run as the server would start: in its own process."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

TEST_ONLY_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
}


def _check_deploy(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess[str]:
    # The test run's own switches (tests/conftest.py allows async-unsafe calls) stay behind.
    environment = {
        name: value for name, value in os.environ.items() if name not in TEST_ONLY_VARIABLES
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.com",
        DEBUG="false",
        VAR_DIR=str(tmp_path / "var"),
    )
    environment.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_check(tmp_path: Path) -> None:
    # when
    result = _check_deploy(tmp_path)

    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_a_proxy_that_redirects_to_https_itself_may_switch_the_redirect_off(
    tmp_path: Path,
) -> None:
    # when
    result = _check_deploy(tmp_path, SECURE_SSL_REDIRECT="false", TRUST_X_FORWARDED_PROTO="false")

    # then: only the redirect warning is silenced, nothing else is reported
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."


def test_the_check_fails_on_a_weak_secret_key(tmp_path: Path) -> None:
    # when
    result = _check_deploy(tmp_path, SECRET_KEY="short")

    # then: the check is live, not vacuously clean
    assert result.returncode == 1
    assert "security.W009" in result.stderr
