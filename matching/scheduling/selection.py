"""The event shortlist as a min-cost flow: source → demand org → vendor → sink.

Each pair is an arc of capacity 1 whose cost is minus its value (× ``VALUE_SCALE``); a demand's
arc from the source has a first tier of ``min_per_demand`` units carrying a bonus larger than the
value of any whole shortlist, so minimums are met first wherever the eligible pairs and caps
allow. A source → sink bypass makes every unit optional, so the flow takes only pairs that add
value. Pinned pairs are taken before the flow and use up their participants' caps.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping

from django.utils.translation import gettext
from ortools.graph.python import min_cost_flow

from matching.scheduling.types import (
    DemandShortfall,
    PairKey,
    ShortfallReason,
    Shortlist,
    ShortlistedPair,
    ShortlistInput,
    scaled,
)


def participant_cap(
    ref: str, caps: Mapping[str, int], default: int | None, slot_count: int | None
) -> int | None:
    """A participant's cap: its own, else the default, never above ``slot_count``."""
    cap = caps.get(ref, default)
    if slot_count is not None:
        cap = slot_count if cap is None else min(cap, slot_count)
    return None if cap is None else max(cap, 0)


def shortlist(spec: ShortlistInput) -> Shortlist:
    """The most valuable set of pairs within the caps, minimums first, pins always kept."""
    values: dict[PairKey, float] = {}
    for pair in spec.pairs:
        key = (pair.demand, pair.vendor)
        values[key] = max(values.get(key, pair.value), pair.value)
    pinned = sorted(spec.pinned)
    pinned_set = set(pinned)
    candidates = sorted(
        key
        for key, value in values.items()
        if key not in spec.excluded and key not in pinned_set and scaled(value) > 0
    )
    demands = sorted({d for d, _ in candidates} | {d for d, _ in pinned} | set(spec.demands))
    vendors = sorted({v for _, v in candidates})

    def demand_cap(ref: str) -> int | None:
        return participant_cap(ref, spec.demand_cap, spec.default_demand_cap, spec.slot_count)

    def vendor_cap(ref: str) -> int | None:
        return participant_cap(ref, spec.vendor_cap, spec.default_vendor_cap, spec.slot_count)

    pinned_by_demand = Counter(d for d, _ in pinned)
    pinned_by_vendor = Counter(v for _, v in pinned)
    notes = _pin_notes(spec, pinned, pinned_by_demand, pinned_by_vendor, demand_cap, vendor_cap)
    kept = [ShortlistedPair(d, v, values.get((d, v), 0.0), pinned=True) for d, v in pinned]

    per_demand: dict[str, int] = Counter(d for d, _ in candidates)
    per_vendor: dict[str, int] = Counter(v for _, v in candidates)
    demand_room = {d: _room(demand_cap(d), pinned_by_demand[d], per_demand[d]) for d in demands}
    vendor_room = {v: _room(vendor_cap(v), pinned_by_vendor[v], per_vendor[v]) for v in vendors}
    supply = min(sum(demand_room.values()), sum(vendor_room.values()), len(candidates))
    if spec.max_meetings is not None:
        supply = min(supply, max(spec.max_meetings - len(pinned), 0))

    chosen = _flow(candidates, values, demands, vendors, demand_room, vendor_room, supply, spec)
    kept += [ShortlistedPair(d, v, values[(d, v)]) for d, v in chosen]
    kept.sort(key=lambda p: (p.demand, p.vendor))

    got = Counter(p.demand for p in kept)
    eligible: dict[str, int] = defaultdict(int)
    for d, _ in candidates:
        eligible[d] += 1
    for d, _ in pinned:
        eligible[d] += 1
    shortfalls = [
        _shortfall(d, got[d], spec.min_per_demand, eligible[d], demand_cap(d))
        for d in demands
        if got[d] < spec.min_per_demand
    ]
    objective = sum(p.value for p in kept)
    return Shortlist(kept, objective, shortfalls, notes)


def _room(cap: int | None, used: int, pairs: int) -> int:
    return pairs if cap is None else max(0, min(cap - used, pairs))


def _flow(
    candidates: list[PairKey],
    values: Mapping[PairKey, float],
    demands: list[str],
    vendors: list[str],
    demand_room: Mapping[str, int],
    vendor_room: Mapping[str, int],
    supply: int,
    spec: ShortlistInput,
) -> list[PairKey]:
    if supply <= 0:
        return []
    source, sink = 0, 1
    node = {("d", d): 2 + i for i, d in enumerate(demands)}
    node |= {("v", v): 2 + len(demands) + i for i, v in enumerate(vendors)}
    # Larger than the value of any set of pairs, so one more minimum unit beats any values.
    bonus = (len(candidates) + 1) * scaled(1.0)
    pinned_by_demand = Counter(d for d, _ in spec.pinned)

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arc_with_capacity_and_unit_cost(source, sink, supply, 0)
    for d in demands:
        room = demand_room[d]
        first = min(room, max(spec.min_per_demand - pinned_by_demand[d], 0))
        if first:
            flow.add_arc_with_capacity_and_unit_cost(source, node[("d", d)], first, -bonus)
        if room - first:
            flow.add_arc_with_capacity_and_unit_cost(source, node[("d", d)], room - first, 0)
    pair_arcs = [
        flow.add_arc_with_capacity_and_unit_cost(
            node[("d", d)], node[("v", v)], 1, -scaled(values[(d, v)])
        )
        for d, v in candidates
    ]
    for v in vendors:
        if vendor_room[v]:
            flow.add_arc_with_capacity_and_unit_cost(node[("v", v)], sink, vendor_room[v], 0)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:  # the bypass makes every supply feasible
        raise RuntimeError(f"min-cost flow ended with status {status}")
    return [key for key, arc in zip(candidates, pair_arcs, strict=True) if flow.flow(arc)]


def _pin_notes(
    spec: ShortlistInput,
    pinned: list[PairKey],
    by_demand: Counter[str],
    by_vendor: Counter[str],
    demand_cap: Callable[[str], int | None],
    vendor_cap: Callable[[str], int | None],
) -> list[str]:
    notes = []
    for d, v in pinned:
        if (d, v) in spec.excluded:
            notes.append(
                gettext("%(demand)s 与 %(vendor)s 已置顶，虽在排除名单中仍保留")
                % {"demand": d, "vendor": v}
            )
    for counts, cap_of in ((by_demand, demand_cap), (by_vendor, vendor_cap)):
        for ref, count in sorted(counts.items()):
            cap = cap_of(ref)
            if cap is not None and count > cap:
                notes.append(
                    gettext("%(who)s 置顶会谈 %(count)s 场，超过上限 %(cap)s 场，仍全部保留")
                    % {"who": ref, "count": count, "cap": cap}
                )
    if spec.max_meetings is not None and len(pinned) > spec.max_meetings:
        notes.append(
            gettext("置顶会谈 %(count)s 场，超过活动容量 %(capacity)s 场，仍全部保留")
            % {"count": len(pinned), "capacity": spec.max_meetings}
        )
    return notes


def _shortfall(
    demand: str, got: int, wanted: int, eligible: int, cap: int | None
) -> DemandShortfall:
    if eligible < wanted:
        reason = ShortfallReason.NOT_ENOUGH_ELIGIBLE
        message = gettext(
            "%(demand)s 只有 %(eligible)s 家可匹配的供应商，少于最低 %(wanted)s 家"
        ) % {
            "demand": demand,
            "eligible": eligible,
            "wanted": wanted,
        }
    elif cap is not None and cap < wanted:
        reason = ShortfallReason.DEMAND_CAP
        message = gettext("%(demand)s 的会谈上限 %(cap)s 场低于最低 %(wanted)s 家") % {
            "demand": demand,
            "cap": cap,
            "wanted": wanted,
        }
    else:
        reason = ShortfallReason.CAPACITY
        message = gettext(
            "%(demand)s 的候选供应商会谈已排满或活动容量已满，只安排了 %(got)s 家"
        ) % {
            "demand": demand,
            "got": got,
        }
    return DemandShortfall(demand, got, wanted, eligible, reason, message)
