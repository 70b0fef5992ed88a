"""The baseline: shortlist and schedule in one greedy pass, for comparison.

Pinned pairs first, then (when ``min_per_demand`` is set) a pass taking pairs only for demand
orgs still below the minimum, then every other pair; each pass by value, highest first. A pair
is taken if the caps allow and some slot has both sides free and a table with room; it goes in
the earliest such slot, at the lowest such table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from matching.scheduling.selection import participant_cap
from matching.scheduling.types import (
    PairKey,
    Schedule,
    ScheduledMeeting,
    ScheduleStatus,
    ShortlistInput,
    UnscheduledMeeting,
    scaled,
)


def greedy(
    spec: ShortlistInput,
    *,
    slots: Sequence[int],
    tables: Mapping[int, int],
    unavailable: Mapping[str, frozenset[int]] | None = None,
) -> Schedule:
    values: dict[PairKey, float] = {}
    for pair in spec.pairs:
        key = (pair.demand, pair.vendor)
        values[key] = max(values.get(key, pair.value), pair.value)
    for key in spec.pinned:
        values.setdefault(key, 0.0)
    ordered = sorted(values, key=lambda k: (k not in spec.pinned, -values[k], k))
    eligible = [
        k for k in ordered if k in spec.pinned or (k not in spec.excluded and scaled(values[k]) > 0)
    ]
    usable = sorted(set(slots))
    rooms = sorted((t, c) for t, c in tables.items() if c > 0)
    away = unavailable or {}
    limit = spec.max_meetings

    busy: set[tuple[str, str, int]] = set()
    used: Counter[tuple[int, int]] = Counter()
    count: Counter[tuple[str, str]] = Counter()
    placed: list[ScheduledMeeting] = []
    taken: set[PairKey] = set()

    def try_place(demand: str, vendor: str) -> bool:
        for slot in usable:
            if ("d", demand, slot) in busy or ("v", vendor, slot) in busy:
                continue
            if slot in away.get(demand, ()) or slot in away.get(vendor, ()):
                continue
            for table, capacity in rooms:
                if used[(slot, table)] < capacity:
                    used[(slot, table)] += 1
                    busy.update({("d", demand, slot), ("v", vendor, slot)})
                    value = values[(demand, vendor)]
                    placed.append(ScheduledMeeting(demand, vendor, value, slot, table))
                    return True
        return False

    def within_caps(demand: str, vendor: str) -> bool:
        caps = (
            (("d", demand), spec.demand_cap, spec.default_demand_cap),
            (("v", vendor), spec.vendor_cap, spec.default_vendor_cap),
        )
        for side, mapping, default in caps:
            cap = participant_cap(side[1], mapping, default, spec.slot_count)
            if cap is not None and count[side] >= cap:
                return False
        return True

    passes = ["pinned", "minimum", "rest"] if spec.min_per_demand > 0 else ["pinned", "rest"]
    for stage in passes:
        for key in eligible:
            demand, vendor = key
            if key in taken or (stage != "pinned" and limit is not None and len(placed) >= limit):
                continue
            if (stage == "pinned") != (key in spec.pinned):
                continue
            if stage == "minimum" and count[("d", demand)] >= spec.min_per_demand:
                continue
            if stage != "pinned" and not within_caps(demand, vendor):
                continue
            if try_place(demand, vendor):
                taken.add(key)
                count[("d", demand)] += 1
                count[("v", vendor)] += 1

    unscheduled = [
        UnscheduledMeeting(d, v, values[(d, v)], "no_free_slot")
        for d, v in sorted(spec.pinned)
        if (d, v) not in taken
    ]
    placed.sort(key=lambda m: (m.slot, m.table, m.demand, m.vendor))
    objective = sum(m.value for m in placed)
    return Schedule(placed, unscheduled, objective, ScheduleStatus.FEASIBLE, "greedy")
