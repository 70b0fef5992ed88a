"""`make audit` (.ci/audit.py) runs the real pip-audit on the installed packages and fails on a
known vulnerability; a package it could not look up is reported as not audited, never as clean.

No vulnerability database is reachable from these machines, so these tests serve a stand-in of
the OSV query API on loopback and point pip-audit at it (``--osv-url``); pip-audit, its parsing
of OSV records and the script's report are the real ones.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit.py"
DJANGO_VERSION = importlib.metadata.version("Django")


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ci_audit", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


audit = load_script()

Answer = Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]


def osv_record(package: str, vuln_id: str, fixed: str) -> dict[str, Any]:
    return {
        "id": vuln_id,
        "summary": "stand-in advisory",
        "affected": [
            {
                "package": {"name": package, "ecosystem": "PyPI"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ],
            }
        ],
    }


@pytest.fixture
def osv_api() -> Iterator[Callable[[Answer], str]]:
    """Serve the OSV query API on a free loopback port; ``answer`` decides each reply."""
    servers: list[ThreadingHTTPServer] = []
    queries: list[dict[str, Any]] = []

    def start(answer: Answer) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                queries.append(query)
                status, body = answer(query)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}/v1/query"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
    assert queries, "pip-audit never asked the stand-in service"


def run_audit(url: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--vulnerability-service",
            "osv",
            "--osv-url",
            url,
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **env},
    )


def test_a_known_vulnerability_in_an_installed_package_fails_the_audit(osv_api, tmp_path):
    def answer(query: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if query["package"]["name"] == "django":
            assert query["version"] == DJANGO_VERSION
            return 200, {"vulns": [osv_record("django", "TEST-2026-1", "99.0")]}
        return 200, {}

    result = run_audit(osv_api(answer), tmp_path)

    assert result.returncode == audit.EXIT_VULNERABLE, result.stdout + result.stderr
    assert f"VULNERABLE django {DJANGO_VERSION}: TEST-2026-1 (99.0)" in result.stdout


def test_a_clean_answer_for_every_package_passes_and_says_how_many_were_audited(osv_api, tmp_path):
    result = run_audit(osv_api(lambda query: (200, {})), tmp_path, AUDIT_REQUIRED="1")

    assert result.returncode == audit.EXIT_CLEAN, result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    audited = int(first.split()[1])
    assert audited > 50  # the whole installed set, Django, torch and the test tools among them
    assert first.endswith(", 0 not audited")
    assert "no known vulnerabilities in the installed set" in result.stdout


def test_an_unreachable_service_is_reported_as_not_audited_and_fails_only_when_required(
    osv_api, tmp_path
):
    url = osv_api(lambda query: (503, {"error": "unavailable"}))

    relaxed = run_audit(url, tmp_path)
    required = run_audit(url, tmp_path, AUDIT_REQUIRED="1")

    assert relaxed.returncode == audit.EXIT_CLEAN
    assert "NOT AUDITED" in relaxed.stdout
    assert "no known vulnerabilities" not in relaxed.stdout
    assert required.returncode == audit.EXIT_INCOMPLETE
    assert "NOT AUDITED" in required.stdout


def test_packages_the_service_does_not_know_are_not_counted_as_clean():
    """The shape of pip-audit's report on these machines: PyPI answers 404 for every release."""
    stdout = json.dumps(
        {
            "dependencies": [
                {"name": "django", "skip_reason": "Dependency not found on PyPI: django (5.2.19)"},
                {"name": "robomatch", "skip_reason": "distribution marked as editable"},
                {"name": "redis", "skip_reason": "Dependency not found on PyPI: redis (8.1.0)"},
            ],
            "fixes": [],
        }
    )

    report = audit.read_report(stdout, "")

    assert report.audited == []
    assert sorted(report.skipped) == ["django", "redis"]  # the project itself is not a dependency
    assert not report.complete
    assert audit.exit_code(report, required=False) == audit.EXIT_CLEAN
    assert audit.exit_code(report, required=True) == audit.EXIT_INCOMPLETE
    assert any(line.startswith("NOT AUDITED") for line in audit.describe(report))


def test_a_partly_audited_set_names_each_package_left_out():
    stdout = json.dumps(
        {
            "dependencies": [
                {"name": "django", "version": "5.2.19", "vulns": []},
                {"name": "torch", "skip_reason": "Dependency not found on PyPI: torch (2.13.0)"},
            ]
        }
    )

    report = audit.read_report(stdout, "")
    lines = audit.describe(report)

    assert lines[0] == "pip-audit: 1 packages audited, 1 not audited"
    assert "  not audited: Dependency not found on PyPI: torch (2.13.0)" in lines
    assert audit.exit_code(report, required=True) == audit.EXIT_INCOMPLETE
