"""Browser tests wait for their conditions with the shared timeout, never a fixed pause.

A ReDoc page that took more than 5 s to render on a busy machine failed a test that was right:
every wait now uses BROWSER_TIMEOUT_MS (tests/browser.py). This reads the browser tests' source
and refuses a short timeout of their own, a fixed sleep or a context made without it.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser import BROWSER_TIMEOUT_MS

TESTS = Path(__file__).resolve().parent
FORBIDDEN = {
    "a fixed pause": re.compile(r"\bwait_for_timeout\(|\btime\.sleep\(|\bsleep\("),
    "a timeout of its own": re.compile(r"\bset_default(_navigation)?_timeout\(|\btimeout="),
    "a context without the shared timeout": re.compile(r"\bbrowser\.new_context\("),
}


def _browser_test_files() -> list[Path]:
    return sorted(
        path
        for path in TESTS.rglob("*.py")
        if "playwright" in path.read_text(encoding="utf-8") and path.name != "browser.py"
    )


def test_browser_tests_wait_with_the_shared_timeout() -> None:
    files = _browser_test_files()
    assert {path.relative_to(TESTS).as_posix() for path in files} >= {
        "conftest.py",
        "e2e/test_workflow_journey.py",
        "security/test_policy_in_browser.py",
    }
    found = [
        f"{path.relative_to(TESTS)}:{number}: {what}: {line.strip()}"
        for path in files
        if path.name != Path(__file__).name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for what, pattern in FORBIDDEN.items()
        if pattern.search(line)
    ]
    assert found == []
    assert BROWSER_TIMEOUT_MS >= 30_000
