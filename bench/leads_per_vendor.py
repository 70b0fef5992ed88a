"""Leads per vendor on the demo seed: how many leads each vendor's inbox holds after the
matcher's first pass, with their lowest and median scores.

Builds a throwaway SQLite database, runs what `make run` runs (migrate, marketplace_seed,
matching_reindex, matching_leads) and counts. Prints a table, or one JSON object with --json.

    python bench/leads_per_vendor.py [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from throwaway import throwaway_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    throwaway_django("leads")
    from django.core.management import call_command

    for command in ("migrate", "marketplace_seed", "matching_reindex", "matching_leads"):
        call_command(command, verbosity=0)

    from accounts.models import Organization
    from marketplace.models import Lead

    rows = []
    vendor_ids = set(Lead.objects.values_list("vendor_id", flat=True))
    for vendor in Organization.objects.filter(pk__in=vendor_ids):
        scores = sorted(Lead.objects.filter(vendor=vendor).values_list("score", flat=True))
        pairs = Lead.objects.filter(vendor=vendor).values_list("need_id").distinct().count()
        rows.append(
            {
                "vendor": vendor.name,
                "leads": len(scores),
                "needs": pairs,
                "min_score": round(scores[0], 3),
                "median_score": round(statistics.median(scores), 3),
            }
        )
    rows.sort(key=lambda row: -int(row["leads"]))  # type: ignore[call-overload]
    counts = [int(row["leads"]) for row in rows]  # type: ignore[call-overload]
    summary = {
        "vendors": len(rows),
        "leads": sum(counts),
        "max_per_vendor": max(counts, default=0),
        "median_per_vendor": statistics.median(counts) if counts else 0,
        "rows": rows,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return
    print(f"{'vendor':<24} {'leads':>6} {'needs':>6} {'min':>6} {'median':>7}")
    for row in rows:
        print(
            f"{str(row['vendor'])[:24]:<24} {row['leads']:>6} {row['needs']:>6} "
            f"{row['min_score']:>6} {row['median_score']:>7}"
        )
    print(
        f"\n{summary['vendors']} vendors, {summary['leads']} leads; per vendor max "
        f"{summary['max_per_vendor']}, median {summary['median_per_vendor']}"
    )


if __name__ == "__main__":
    main()
