"""Audit the installed packages for known vulnerabilities with pip-audit; `make audit` runs it.

Fails (exit 1) when any installed package has a known vulnerability. A package the service could
not look up is *not audited*, never counted as clean: the report names how many were audited and
how many were not, and says plainly when none could be (these build machines reach PyPI's
package downloads but neither its per-release JSON API nor api.osv.dev). Set
``AUDIT_REQUIRED=1`` where the service is reachable, to make an incomplete audit fail too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field

EXIT_CLEAN = 0
EXIT_VULNERABLE = 1
EXIT_INCOMPLETE = 2


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    vuln_id: str
    fix_versions: tuple[str, ...]


@dataclass
class AuditReport:
    audited: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # package -> pip-audit's reason
    findings: list[Finding] = field(default_factory=list)
    failure: str = ""  # pip-audit itself failed (no JSON): its last line of error output

    @property
    def complete(self) -> bool:
        return not self.failure and not self.skipped and bool(self.audited)


def read_report(stdout: str, stderr: str) -> AuditReport:
    """Sort pip-audit's ``--format json`` output into audited, skipped and vulnerable packages."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        return AuditReport(failure=lines[-1] if lines else "pip-audit printed no report")
    report = AuditReport()
    for dependency in data.get("dependencies", []):
        name = dependency["name"]
        reason = dependency.get("skip_reason")
        if reason and "editable" in reason:
            continue  # this project itself (`pip install -e .`), not a dependency
        if reason:
            report.skipped[name] = reason
            continue
        report.audited.append(name)
        for vuln in dependency.get("vulns", []):
            report.findings.append(
                Finding(
                    name, dependency["version"], vuln["id"], tuple(vuln.get("fix_versions", []))
                )
            )
    return report


def exit_code(report: AuditReport, *, required: bool) -> int:
    if report.findings:
        return EXIT_VULNERABLE
    if required and not report.complete:
        return EXIT_INCOMPLETE
    return EXIT_CLEAN


def describe(report: AuditReport) -> list[str]:
    lines = [
        f"pip-audit: {len(report.audited)} packages audited, {len(report.skipped)} not audited"
    ]
    for finding in report.findings:
        fixed = ", ".join(finding.fix_versions) or "no fixed release"
        lines.append(
            f"  VULNERABLE {finding.package} {finding.version}: {finding.vuln_id} ({fixed})"
        )
    if report.failure:
        lines.append(f"NOT AUDITED: pip-audit could not run its audit: {report.failure}")
    elif not report.audited:
        reason = next(iter(report.skipped.values()), "no package was listed")
        lines.append(
            "NOT AUDITED: no installed package could be looked up, so this run says nothing"
            " about known vulnerabilities (the vulnerability service is unreachable;"
            f" first reason: {reason})"
        )
    elif report.skipped:
        lines.extend(f"  not audited: {reason}" for reason in report.skipped.values())
    elif not report.findings:
        lines.append("no known vulnerabilities in the installed set")
    return lines


def main(extra_args: list[str]) -> int:
    """Run pip-audit on this interpreter's packages; ``extra_args`` go to pip-audit as they are."""
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "--format",
            "json",
            "--skip-editable",
            "--progress-spinner",
            "off",
            "--timeout",
            "20",
            *extra_args,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    report = read_report(completed.stdout, completed.stderr)
    print("\n".join(describe(report)))
    return exit_code(report, required=os.environ.get("AUDIT_REQUIRED") == "1")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
