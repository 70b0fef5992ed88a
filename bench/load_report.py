"""bench/load.py's figures: percentiles of response times, their summaries, the printed table."""

from __future__ import annotations

import statistics
from typing import Any

# Errors and lost needs: exactly this many; the p95s: at most this many milliseconds.
TARGETS = {"errors": 0, "lost": 0, "pages_p95_ms": 300.0, "match_p95_ms": 150.0}
EXACT_TARGETS = {"errors", "lost"}


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(fraction * 1000) - 1]


def summarize(times: list[float], failures: int, seconds: float) -> dict[str, Any]:
    return {
        "requests": len(times),
        "failures": failures,
        "rps": round(len(times) / seconds, 2),
        "p50_ms": round(percentile(times, 0.50), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
        "max_ms": round(max(times, default=0.0), 1),
    }


def targets_met(summary: dict[str, Any]) -> dict[str, bool]:
    """Per key of TARGETS: whether the summary's figure meets it."""
    return {
        key: summary[key] == target if key in EXACT_TARGETS else summary[key] <= target
        for key, target in TARGETS.items()
    }


def _target(key: str, met: dict[str, bool]) -> str:
    """The text of one target and whether it is met: "target 0: met", "target ≤ 300: missed"."""
    relation = "" if key in EXACT_TARGETS else "≤ "
    return f"target {relation}{TARGETS[key]:g}: {'met' if met[key] else 'missed'}"


def table(summary: dict[str, Any]) -> str:
    header = f"{'endpoint':<28} {'requests':>8} {'fail':>5} {'req/s':>7}"
    header += f" {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    lines = [header, "-" * len(header)]
    rows = [*summary["endpoints"].items()]
    rows.append(("TOTAL", {**summary, "failures": summary["errors"], "max_ms": ""}))
    for name, row in rows:
        lines.append(
            f"{name:<28} {row['requests']:>8} {row['failures']:>5} {row['rps']:>7}"
            f" {row['p50_ms']:>8} {row['p95_ms']:>8} {row['p99_ms']:>8} {row['max_ms']:>8}"
        )
    met = summary["targets_met"]
    lines += [
        "",
        f"users {summary['users']}, {summary['seconds']}s, {summary['cpus']} CPUs, load average "
        f"{summary['loadavg_before'][0]} before / {summary['loadavg_after'][0]} after",
        f"errors {summary['errors']} ({_target('errors', met)}); "
        f"lost {summary['lost']} of {summary['posted_needs']} posted ({_target('lost', met)})",
        f"pages p95 {summary['pages_p95_ms']} ms ({_target('pages_p95_ms', met)}); "
        f"match reads p95 {summary['match_p95_ms']} ms ({_target('match_p95_ms', met)})",
    ]
    lines.append(
        f"logging in (not in the table): {summary['logged_in']} of {summary['users']} users "
        f"in {summary['ramp_s']}s; "
        + ", ".join(
            f"{name} p50 {row['p50_ms']} / p95 {row['p95_ms']} ms"
            for name, row in summary["ramp_endpoints"].items()
            if name.startswith("login ")
        )
    )
    cpu = summary["cpu_seconds"]
    lines.append(
        f"CPU seconds in the window ({summary['cpus'] * summary['elapsed_s']:.0f} available): "
        + ", ".join(f"{name} {seconds}" for name, seconds in cpu.items())
        + f"; web workers {summary['web_cpu_ms_per_request']} CPU ms per request"
    )
    for error in summary["error_messages"][:10]:
        lines.append(f"  {error['occurrences']}× {error['endpoint']}: {error['error']}")
    return "\n".join(lines)
