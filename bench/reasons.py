"""How the requirement reader's verdicts agree with the labelled (need clause, profile sentence,
verdict) cases of tests/matching/ranking/reason_cases.json: a confusion table, and the count of
negations or limits shown as met (must be 0). Pure text work: no database, no model.

    python bench/reasons.py [--json] [--cases PATH]

The thresholds of matching/ranking/clauses.py were set while writing these cases, so agreement
here is not evidence of how the reader does on needs it has not seen; the "never met" count is
the property the tests hold it to.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching.ranking.clauses import evidence_clauses, judge_clause  # noqa: E402

LABELS = ("met", "partly", "unknown", "contradicted")
SHOWN = {"partial": "partly"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--cases", type=Path, default=ROOT / "tests/matching/ranking/reason_cases.json"
    )
    args = parser.parse_args()
    cases = json.loads(args.cases.read_text(encoding="utf-8"))["cases"]
    confusion: Counter[tuple[str, str]] = Counter()
    negations_shown_met = 0
    for case in cases:
        status, _ = judge_clause(case["clause"], evidence_clauses(case["sentence"], ""))
        shown = SHOWN.get(str(status), str(status))
        confusion[(case["verdict"], shown)] += 1
        if case["kind"] in ("negation", "limit") and shown == "met":
            negations_shown_met += 1
    agreed = sum(n for (label, shown), n in confusion.items() if label == shown)
    result = {
        "cases": len(cases),
        "negations_or_limits": sum(case["kind"] in ("negation", "limit") for case in cases),
        "agreement": round(agreed / len(cases), 3),
        "negations_or_limits_shown_met": negations_shown_met,
        "confusion": {f"{label}->{shown}": n for (label, shown), n in sorted(confusion.items())},
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"{'labelled / shown':<18}" + "".join(f"{shown:>14}" for shown in LABELS))
    for label in LABELS:
        print(f"{label:<18}" + "".join(f"{confusion[(label, s)]:>14}" for s in LABELS))
    print(
        f"\n{result['cases']} cases ({result['negations_or_limits']} negations or limits), "
        f"agreement {result['agreement']:.3f}, negations or limits shown as met: "
        f"{negations_shown_met}"
    )


if __name__ == "__main__":
    main()
