"""Event optimisation at scale, on a synthetic event (no database, no model).

Builds an event of demand orgs and vendors with random sparse pair values (each org scored
against ``--candidates-per-org`` vendors), random vendor caps (2..8 meetings), a demand cap of
one meeting per slot, a few excluded and pinned pairs, usable slots around a lunch break, and
tables of capacity 1. ``seconds`` is the shortlist (min-cost flow) plus the schedule (edge
colouring, then CP-SAT if needed), timed together; ``greedy_objective`` is the one-pass greedy
baseline on the same event. The meetings are written to ``--out`` as JSON, read back, and every
rule is checked on that file by the independent checker: ``violations`` must be 0.

    python bench/schedule.py --orgs 200 --vendors 500 --slots 12 --tables 60 --out FILE [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching.scheduling import (  # noqa: E402
    Pair,
    ScheduleInput,
    ShortlistInput,
    greedy,
    schedule,
    shortlist,
    violations,
)


def _event(args: argparse.Namespace) -> tuple[ShortlistInput, list[int], dict[int, int], dict]:
    rng = random.Random(args.seed)
    demands = [f"d-{i:04d}" for i in range(args.orgs)]
    vendors = [f"v-{i:04d}" for i in range(args.vendors)]
    quality = {v: rng.random() for v in vendors}
    pairs = []
    for demand in demands:
        for vendor in rng.sample(vendors, min(args.candidates_per_org, len(vendors))):
            value = 0.4 * quality[vendor] + 0.6 * rng.betavariate(2, 3)
            pairs.append(Pair(demand, vendor, round(value, 4)))
    keys = [(p.demand, p.vendor) for p in pairs]
    excluded = frozenset(rng.sample(keys, int(len(keys) * args.excluded_share)))
    pinned = set(rng.sample([k for k in keys if k not in excluded], args.pinned))
    pinned |= {(rng.choice(demands), rng.choice(vendors)) for _ in range(2)}  # never scored
    # Slot numbers as the organiser sees them, with a lunch break in the middle.
    half = args.slots // 2
    slots = [s for s in range(1, args.slots + 2) if s != half + 1]
    tables = dict.fromkeys(range(1, args.tables + 1), 1)
    unavailable: dict[str, frozenset[int]] = {}
    for ref in demands + vendors:
        if rng.random() < args.unavailable_share:
            unavailable[ref] = frozenset(rng.sample(slots, rng.randint(1, 2)))
    # A participant cannot have more meetings than slots it can attend.
    vendor_cap = {
        v: min(rng.randint(2, 8), len(slots) - len(unavailable.get(v, ()))) for v in vendors
    }
    demand_cap = {d: len(slots) - len(unavailable.get(d, ())) for d in demands}
    spec = ShortlistInput(
        pairs=pairs,
        pinned=frozenset(pinned),
        excluded=excluded,
        demands=frozenset(demands),
        vendor_cap=vendor_cap,
        demand_cap=demand_cap,
        min_per_demand=args.min_per_demand,
        max_meetings=len(slots) * sum(tables.values()),
        slot_count=len(slots),
    )
    return spec, slots, tables, unavailable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument("--vendors", type=int, default=500)
    parser.add_argument("--slots", type=int, default=12)
    parser.add_argument("--tables", type=int, default=60)
    parser.add_argument("--candidates-per-org", type=int, default=40)
    parser.add_argument("--min-per-demand", type=int, default=3)
    parser.add_argument("--excluded-share", type=float, default=0.05)
    parser.add_argument("--pinned", type=int, default=10)
    parser.add_argument("--unavailable-share", type=float, default=0.0)
    parser.add_argument("--time-limit", type=float, default=3.0, help="CP-SAT, seconds")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    spec, slots, tables, unavailable = _event(args)
    load_before = os.getloadavg()

    t0 = time.perf_counter()
    chosen = shortlist(spec)
    t1 = time.perf_counter()
    meetings = [(p.demand, p.vendor, p.value) for p in chosen.pairs]
    plan = schedule(
        ScheduleInput(
            meetings=meetings,
            slots=slots,
            tables=tables,
            unavailable=unavailable,
            time_limit_s=args.time_limit,
        )
    )
    t2 = time.perf_counter()
    baseline = greedy(spec, slots=slots, tables=tables, unavailable=unavailable)
    t3 = time.perf_counter()

    rows = [
        {"demand": m.demand, "vendor": m.vendor, "slot": m.slot, "table": m.table}
        for m in plan.meetings
    ]
    lines = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    args.out.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    written = [SimpleNamespace(**row) for row in json.loads(args.out.read_text(encoding="utf-8"))]

    def check(placed: list) -> int:
        return len(
            violations(
                placed,
                slots=slots,
                tables=tables,
                vendor_cap=spec.vendor_cap,
                demand_cap=spec.demand_cap,
                excluded=spec.excluded - spec.pinned,
                unavailable=unavailable,
            )
        )

    def below_min(placed: list) -> int:
        counts: dict[str, int] = {}
        for m in placed:
            counts[m.demand] = counts.get(m.demand, 0) + 1
        return sum(1 for d in spec.demands if counts.get(d, 0) < spec.min_per_demand)

    result = {
        "orgs": args.orgs,
        "vendors": args.vendors,
        "pairs": len(spec.pairs),
        "slots": len(slots),
        "tables": len(tables),
        "capacity": spec.max_meetings,
        "seed": args.seed,
        "seconds": round(t2 - t0, 3),
        "shortlist_seconds": round(t1 - t0, 3),
        "schedule_seconds": round(t2 - t1, 3),
        "shortlisted": len(chosen.pairs),
        "meetings": len(plan.meetings),
        "unscheduled": len(plan.unscheduled),
        "objective": round(plan.objective, 4),
        # The shortlist's value ignores slots, so it bounds any schedule's value from above.
        "upper_bound": round(chosen.objective, 4),
        "greedy_objective": round(baseline.objective, 4),
        "greedy_meetings": len(baseline.meetings),
        "greedy_seconds": round(t3 - t2, 3),
        "violations": check(written),
        "greedy_violations": check(list(baseline.meetings)),
        "pinned_kept": sum(1 for p in chosen.pairs if p.pinned),
        "pinned": len(spec.pinned),
        "demands_below_min": below_min(written),
        "greedy_demands_below_min": below_min(list(baseline.meetings)),
        "shortfalls": len(chosen.shortfalls),
        "status": plan.status.value,
        "method": plan.method,
        "cpu_count": os.cpu_count(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }
    result["objective_vs_greedy"] = round(
        result["objective"] / max(result["greedy_objective"], 1e-9), 4
    )
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"{args.orgs} orgs × {args.vendors} vendors, {result['pairs']} pairs; "
        f"{len(slots)} slots × {len(tables)} tables = {spec.max_meetings} meetings at most"
    )
    print(f"{'measure':<26} {'optimised':>12} {'greedy':>12}")
    for name, ours, theirs in (
        ("meetings", result["meetings"], result["greedy_meetings"]),
        ("objective", result["objective"], result["greedy_objective"]),
        ("seconds", result["seconds"], result["greedy_seconds"]),
        ("violations", result["violations"], result["greedy_violations"]),
        ("demands below minimum", result["demands_below_min"], result["greedy_demands_below_min"]),
    ):
        print(f"{name:<26} {ours:>12} {theirs:>12}")
    print(
        f"shortlist {result['shortlist_seconds']} s, schedule {result['schedule_seconds']} s "
        f"({result['method']}, {result['status']}); unscheduled {result['unscheduled']}; "
        f"pins kept {result['pinned_kept']}/{result['pinned']}; load {result['loadavg_after']}"
    )
    print("targets: seconds <= 5 on 2 cores, violations 0, objective above greedy")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
