"""The shortlist: caps, minimums first, exclusions, pins, capacity, determinism."""

from __future__ import annotations

import random

from matching.scheduling import (
    Pair,
    ScheduleInput,
    ShortfallReason,
    ShortlistInput,
    greedy,
    schedule,
    shortlist,
)


def _keys(result: object) -> set[tuple[str, str]]:
    return {(p.demand, p.vendor) for p in result.pairs}  # type: ignore[attr-defined]


def _count(keys: set[tuple[str, str]], ref: str, side: int) -> int:
    return sum(1 for key in keys if key[side] == ref)


def _grid(demands: int, vendors: int, seed: int = 7) -> list[Pair]:
    rng = random.Random(seed)
    return [
        Pair(f"d{i}", f"v{j}", round(rng.uniform(0.05, 1.0), 3))
        for i in range(demands)
        for j in range(vendors)
    ]


def test_vendor_and_demand_caps_hold_with_defaults_and_overrides() -> None:
    spec = ShortlistInput(
        pairs=_grid(6, 4),
        vendor_cap={"v0": 1},
        default_vendor_cap=3,
        demand_cap={"d0": 4},
        default_demand_cap=2,
    )
    keys = _keys(shortlist(spec))
    assert _count(keys, "v0", 1) <= 1
    assert all(_count(keys, f"v{j}", 1) <= 3 for j in range(1, 4))
    assert _count(keys, "d0", 0) <= 4
    assert all(_count(keys, f"d{i}", 0) <= 2 for i in range(1, 6))
    # With caps this loose every vendor slot is worth filling: 1 + 3 + 3 + 3.
    assert len(keys) == 10


def test_slot_count_caps_everyone_at_one_meeting_per_slot() -> None:
    keys = _keys(shortlist(ShortlistInput(pairs=_grid(3, 8), slot_count=2)))
    assert all(_count(keys, f"d{i}", 0) <= 2 for i in range(3))
    assert len(keys) == 6


def test_each_pair_at_most_once_and_best_value_of_duplicates() -> None:
    pairs = [Pair("d", "v", 0.2), Pair("d", "v", 0.7), Pair("d", "w", 0.1)]
    result = shortlist(ShortlistInput(pairs=pairs))
    assert [(p.demand, p.vendor, p.value) for p in result.pairs] == [
        ("d", "v", 0.7),
        ("d", "w", 0.1),
    ]
    assert abs(result.objective - 0.8) < 1e-9


def test_minimum_per_demand_comes_before_value() -> None:
    # Four vendors meet once each. On value alone "rich" would take all four; with a minimum
    # of one, "poor" keeps its only eligible vendor.
    pairs = [Pair("rich", f"v{j}", 0.9) for j in range(4)] + [Pair("poor", "v0", 0.1)]
    without = shortlist(ShortlistInput(pairs=pairs, default_vendor_cap=1))
    assert _count(_keys(without), "poor", 0) == 0
    result = shortlist(ShortlistInput(pairs=pairs, default_vendor_cap=1, min_per_demand=1))
    keys = _keys(result)
    assert ("poor", "v0") in keys
    assert _count(keys, "rich", 0) == 3
    assert result.shortfalls == []


def test_minimum_means_distinct_vendors_for_every_demand_that_can_have_them() -> None:
    spec = ShortlistInput(
        pairs=_grid(10, 12, seed=3),
        default_vendor_cap=3,
        min_per_demand=3,
        max_meetings=30,
    )
    keys = _keys(shortlist(spec))
    assert len(keys) == 30
    assert all(_count(keys, f"d{i}", 0) >= 3 for i in range(10))


def test_shortfalls_say_why_a_demand_is_below_the_minimum() -> None:
    pairs = [
        Pair("few", "v1", 0.5),
        Pair("few", "v2", 0.5),  # excluded below: only one eligible vendor is left
        Pair("capped", "v3", 0.5),
        Pair("capped", "v4", 0.5),
        Pair("crowded", "v5", 0.4),
        Pair("crowded", "v6", 0.4),
        Pair("winner", "v5", 0.9),
        Pair("winner", "v6", 0.9),
    ]
    spec = ShortlistInput(
        pairs=pairs,
        excluded=frozenset({("few", "v2")}),
        demands=frozenset({"nobody-fits"}),
        demand_cap={"capped": 1},
        vendor_cap={"v5": 1, "v6": 1},
        min_per_demand=2,
    )
    result = shortlist(spec)
    by_demand = {s.demand: s for s in result.shortfalls}
    assert by_demand["few"].reason == ShortfallReason.NOT_ENOUGH_ELIGIBLE
    assert (by_demand["few"].got, by_demand["few"].eligible) == (1, 1)
    assert by_demand["nobody-fits"].reason == ShortfallReason.NOT_ENOUGH_ELIGIBLE
    assert by_demand["nobody-fits"].eligible == 0
    assert by_demand["capped"].reason == ShortfallReason.DEMAND_CAP
    # crowded and winner both want v5 and v6 (one meeting each): one of them falls short.
    short = {"crowded", "winner"} & set(by_demand)
    assert len(short) == 1
    assert by_demand[short.pop()].reason == ShortfallReason.CAPACITY
    assert all(s.message for s in result.shortfalls)


def test_excluded_pairs_are_never_proposed_even_when_most_valuable() -> None:
    pairs = _grid(4, 4)
    excluded = frozenset((p.demand, p.vendor) for p in sorted(pairs, key=lambda p: -p.value)[:5])
    keys = _keys(shortlist(ShortlistInput(pairs=pairs, excluded=excluded, min_per_demand=4)))
    assert keys and not keys & excluded


def test_pairs_worth_nothing_are_not_proposed() -> None:
    keys = _keys(shortlist(ShortlistInput(pairs=[Pair("d", "v", 0.0), Pair("d", "w", 0.3)])))
    assert keys == {("d", "w")}


def test_pinned_pairs_are_kept_and_use_up_caps() -> None:
    pairs = [Pair("d0", "v", 0.1), Pair("d1", "v", 0.9), Pair("d2", "v", 0.8)]
    pinned = frozenset({("d0", "v"), ("d9", "v")})  # the second was never scored
    result = shortlist(ShortlistInput(pairs=pairs, pinned=pinned, vendor_cap={"v": 3}))
    by_key = {(p.demand, p.vendor): p for p in result.pairs}
    assert by_key[("d0", "v")].pinned and by_key[("d9", "v")].pinned
    assert by_key[("d9", "v")].value == 0.0
    assert ("d1", "v") in by_key and ("d2", "v") not in by_key  # one unit of cap was left
    assert not by_key[("d1", "v")].pinned


def test_pins_beat_exclusions_and_capacity_and_say_so() -> None:
    pairs = [Pair("d", "v", 0.5), Pair("e", "w", 0.9)]
    result = shortlist(
        ShortlistInput(
            pairs=pairs,
            pinned=frozenset({("d", "v")}),
            excluded=frozenset({("d", "v")}),
            vendor_cap={"v": 0},
            max_meetings=0,
        )
    )
    assert _keys(result) == {("d", "v")}
    assert len(result.notes) == 3


def test_regenerating_around_pins_keeps_them_and_every_limit() -> None:
    pairs = _grid(8, 6, seed=11)
    spec = ShortlistInput(pairs=pairs, default_vendor_cap=3, default_demand_cap=2, max_meetings=14)
    first = _keys(shortlist(spec))
    pins: set[tuple[str, str]] = set()
    for demand, vendor in sorted({(p.demand, p.vendor) for p in pairs} - first):
        if len(pins) < 3 and all(demand != d and vendor != v for d, v in pins):
            pins.add((demand, vendor))  # three pairs the first run left out, in three rows
    second = shortlist(
        ShortlistInput(
            pairs=pairs,
            pinned=frozenset(pins),
            default_vendor_cap=3,
            default_demand_cap=2,
            max_meetings=14,
        )
    )
    keys = _keys(second)
    assert pins <= keys
    assert {(p.demand, p.vendor) for p in second.pairs if p.pinned} == pins
    assert len(keys) <= 14
    assert all(_count(keys, f"v{j}", 1) <= 3 for j in range(6))
    assert all(_count(keys, f"d{i}", 0) <= 2 for i in range(8))


def test_max_meetings_bounds_the_total() -> None:
    result = shortlist(ShortlistInput(pairs=_grid(5, 5), max_meetings=7))
    assert len(result.pairs) == 7
    top7 = sorted((p.value for p in _grid(5, 5)), reverse=True)[:7]
    assert abs(result.objective - sum(top7)) < 1e-9  # no caps: simply the seven best


def test_same_input_in_any_order_gives_the_same_shortlist() -> None:
    pairs = _grid(12, 9, seed=5)
    # Ties on purpose: the flow could pick either of equal pairs.
    pairs += [Pair("t", "v0", 0.5), Pair("t", "v1", 0.5), Pair("t", "v2", 0.5)]
    spec = {"default_vendor_cap": 4, "default_demand_cap": 3, "min_per_demand": 2}
    first = shortlist(ShortlistInput(pairs=pairs, **spec))
    shuffled = list(pairs)
    random.Random(1).shuffle(shuffled)
    assert shortlist(ShortlistInput(pairs=shuffled, **spec)) == first
    assert shortlist(ShortlistInput(pairs=pairs, **spec)) == first


def test_optimal_shortlist_beats_greedy_where_greedy_is_provably_worse() -> None:
    # Everyone meets once. Greedy takes the best pair (d1, v1) 0.9 and is then stuck: v1 and d1
    # are used up, so d2 and v2 meet no one. The optimum pairs d1-v2 and d2-v1: 0.8 + 0.85.
    pairs = [Pair("d1", "v1", 0.9), Pair("d1", "v2", 0.8), Pair("d2", "v1", 0.85)]
    spec = ShortlistInput(pairs=pairs, default_vendor_cap=1, default_demand_cap=1)
    baseline = greedy(spec, slots=[1, 2], tables={1: 1})
    assert [(m.demand, m.vendor) for m in baseline.meetings] == [("d1", "v1")]
    assert abs(baseline.objective - 0.9) < 1e-9

    chosen = shortlist(spec)
    assert _keys(chosen) == {("d1", "v2"), ("d2", "v1")}
    plan = schedule(
        ScheduleInput(
            meetings=[(p.demand, p.vendor, p.value) for p in chosen.pairs],
            slots=[1, 2],
            tables={1: 1},
        )
    )
    assert not plan.unscheduled
    assert abs(plan.objective - 1.65) < 1e-9 and plan.objective > baseline.objective
