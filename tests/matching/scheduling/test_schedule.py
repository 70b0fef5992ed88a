"""The schedule: every rule holds, fixed meetings stay put, as much value as can be placed."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence

import pytest

from matching.scheduling import Schedule, ScheduleInput, ScheduleStatus, schedule, violations


def _valid(plan: Schedule, spec: ScheduleInput) -> None:
    assert (
        violations(
            plan.meetings, slots=spec.slots, tables=spec.tables, unavailable=spec.unavailable
        )
        == []
    )
    placed = {(m.demand, m.vendor) for m in plan.meetings}
    missing = {(m.demand, m.vendor) for m in plan.unscheduled}
    assert placed | missing == {(d, v) for d, v, _ in spec.meetings}
    assert not placed & missing
    assert abs(plan.objective - sum(m.value for m in plan.meetings)) < 1e-9


def test_no_participant_is_in_two_meetings_at_once() -> None:
    # One demand org meets four vendors, one vendor meets four demand orgs: plenty of tables.
    meetings = [("d", f"v{i}", 0.5) for i in range(4)] + [(f"e{i}", "w", 0.5) for i in range(4)]
    spec = ScheduleInput(meetings=meetings, slots=[1, 2, 3, 4], tables={1: 1, 2: 1, 3: 1})
    plan = schedule(spec)
    _valid(plan, spec)
    assert not plan.unscheduled
    assert len({m.slot for m in plan.meetings if m.demand == "d"}) == 4
    assert len({m.slot for m in plan.meetings if m.vendor == "w"}) == 4


def test_tables_hold_at_most_their_capacity() -> None:
    meetings = [(f"d{i}", f"v{i}", 0.1 * (i + 1)) for i in range(7)]
    spec = ScheduleInput(meetings=meetings, slots=[1, 2, 3], tables={5: 2})
    plan = schedule(spec)
    _valid(plan, spec)
    assert len(plan.meetings) == 6
    assert all(m.table == 5 for m in plan.meetings)
    assert [sum(1 for m in plan.meetings if m.slot == s) for s in (1, 2, 3)] == [2, 2, 2]
    # The one left out is the least valuable.
    assert [(m.demand, m.reason) for m in plan.unscheduled] == [("d0", "no_free_slot")]


def test_tables_without_capacity_are_never_used() -> None:
    spec = ScheduleInput(meetings=[("d", "v", 0.5)], slots=[1], tables={1: 0, 2: 1})
    plan = schedule(spec)
    assert [(m.slot, m.table) for m in plan.meetings] == [(1, 2)]


def test_breaks_and_other_unusable_slots_stay_empty() -> None:
    meetings = [(f"d{i}", f"v{i % 2}", 0.5) for i in range(6)]
    spec = ScheduleInput(meetings=meetings, slots=[1, 2, 4], tables={1: 1, 2: 1})
    plan = schedule(spec)
    _valid(plan, spec)
    assert {m.slot for m in plan.meetings} <= {1, 2, 4}
    assert len(plan.meetings) == 6


def test_unavailable_slots_are_respected() -> None:
    meetings = [("d", "v", 0.9), ("d", "w", 0.8), ("e", "v", 0.7)]
    spec = ScheduleInput(
        meetings=meetings,
        slots=[1, 2, 3],
        tables={1: 1, 2: 1},
        unavailable={"d": frozenset({1, 2}), "v": frozenset({3})},
    )
    plan = schedule(spec)
    _valid(plan, spec)
    slot = {(m.demand, m.vendor): m.slot for m in plan.meetings}
    assert slot[("d", "w")] == 3
    assert slot[("e", "v")] in {1, 2}
    # d can only come at 3 and v never at 3: they cannot meet.
    assert [(m.demand, m.vendor) for m in plan.unscheduled] == [("d", "v")]


def test_fixed_meetings_stay_exactly_where_the_organiser_put_them() -> None:
    meetings = [("d", "v", 0.1), ("d", "w", 0.9), ("e", "v", 0.9), ("f", "x", 0.9)]
    fixed = {("d", "v"): (1, 2)}
    spec = ScheduleInput(meetings=meetings, slots=[1, 2], tables={1: 1, 2: 1}, fixed=fixed)
    plan = schedule(spec)
    _valid(plan, spec)
    cell = {(m.demand, m.vendor): (m.slot, m.table) for m in plan.meetings}
    assert cell[("d", "v")] == (1, 2)
    assert cell[("d", "w")][0] == 2 and cell[("e", "v")][0] == 2  # d and v are busy at 1
    assert cell[("f", "x")] == (1, 1)  # the table left free at 1


def test_fixed_meetings_that_break_a_rule_are_reported_not_placed() -> None:
    meetings = [("a", "x", 0.9), ("b", "y", 0.5), ("c", "z", 0.5), ("a", "q", 0.5)]
    fixed = {  # when fixed meetings clash, the most valuable one stays
        ("a", "x"): (1, 1),
        ("b", "y"): (1, 1),  # the same table at the same time
        ("c", "z"): (3, 1),  # slot 3 is a break
        ("a", "q"): (1, 2),  # a is already at table 1
    }
    spec = ScheduleInput(meetings=meetings, slots=[1, 2], tables={1: 1, 2: 1}, fixed=fixed)
    plan = schedule(spec)
    _valid(plan, spec)
    assert [(m.demand, m.vendor, m.slot, m.table) for m in plan.meetings] == [("a", "x", 1, 1)]
    assert {(m.demand, m.reason) for m in plan.unscheduled} == {
        ("b", "table_full"),
        ("c", "slot_not_usable"),
        ("a", "participant_busy"),
    }


def test_fixed_meetings_must_be_meetings_and_meetings_listed_once() -> None:
    with pytest.raises(ValueError, match="fixed"):
        schedule(ScheduleInput([("d", "v", 0.5)], [1], {1: 1}, fixed={("d", "w"): (1, 1)}))
    with pytest.raises(ValueError, match="twice"):
        schedule(ScheduleInput([("d", "v", 0.5), ("d", "v", 0.6)], [1], {1: 1}))


def _regular_event(seed: int, demands: int, vendors: int, slots: int, tables: int) -> ScheduleInput:
    """Random meetings with nobody in more than ``slots`` and no more than the room holds."""
    rng = random.Random(seed)
    load: dict[str, int] = {}
    meetings: list[tuple[str, str, float]] = []
    pairs = [(f"d{i}", f"v{j}") for i in range(demands) for j in range(vendors)]
    rng.shuffle(pairs)
    for d, v in pairs:
        if len(meetings) == slots * tables:
            break
        if load.get(d, 0) < slots and load.get(v, 0) < slots:
            load[d] = load.get(d, 0) + 1
            load[v] = load.get(v, 0) + 1
            meetings.append((d, v, round(rng.random(), 3)))
    return ScheduleInput(meetings, list(range(1, slots + 1)), dict.fromkeys(range(tables), 1))


@pytest.mark.parametrize("seed", range(5))
def test_every_meeting_is_placed_when_degrees_and_totals_allow(seed: int) -> None:
    # König: nobody in more meetings than slots, and the room is big enough overall, so a
    # schedule placing every meeting exists; here the room is exactly full.
    spec = _regular_event(seed, demands=12, vendors=20, slots=6, tables=10)
    assert len(spec.meetings) == 60
    plan = schedule(spec)
    _valid(plan, spec)
    assert plan.unscheduled == []
    assert plan.status == ScheduleStatus.OPTIMAL


def _brute_force(spec: ScheduleInput) -> float:
    """The best value of any valid slot assignment (tables only bound the count per slot)."""
    room = sum(spec.tables.values())
    best = 0.0
    for choice in itertools.product([None, *spec.slots], repeat=len(spec.meetings)):
        used: set[tuple[str, int]] = set()
        count: dict[int, int] = {}
        ok = True
        for (d, v, _), slot in zip(spec.meetings, choice, strict=True):
            if slot is None:
                continue
            if slot in spec.unavailable.get(d, ()) or slot in spec.unavailable.get(v, ()):
                ok = False
            if ("d" + d, slot) in used or ("v" + v, slot) in used:
                ok = False
            used |= {("d" + d, slot), ("v" + v, slot)}
            count[slot] = count.get(slot, 0) + 1
            ok = ok and count[slot] <= room
            if not ok:
                break
        if ok:
            best = max(best, sum(m[2] for m, s in zip(spec.meetings, choice, strict=True) if s))
    return best


@pytest.mark.parametrize("seed", range(12))
def test_the_value_placed_is_the_best_possible_on_small_events(seed: int) -> None:
    rng = random.Random(seed)
    refs_d, refs_v = ["a", "b", "c"], ["x", "y", "z"]
    pairs = rng.sample([(d, v) for d in refs_d for v in refs_v], 6)
    meetings = [(d, v, round(rng.uniform(0.1, 1), 2)) for d, v in pairs]
    unavailable: Mapping[str, frozenset[int]] = {
        ref: frozenset(rng.sample([1, 2, 3], rng.randint(0, 2)))
        for ref in refs_d + refs_v
        if rng.random() < 0.4
    }
    slots: Sequence[int] = [1, 2, 3][: rng.randint(2, 3)]
    spec = ScheduleInput(meetings, slots, {1: 1}, unavailable=unavailable, time_limit_s=5)
    plan = schedule(spec)
    _valid(plan, spec)
    assert plan.status == ScheduleStatus.OPTIMAL
    assert abs(plan.objective - _brute_force(spec)) < 1e-9


def test_cp_sat_takes_over_when_not_everything_fits_and_keeps_the_most_valuable() -> None:
    # One cell only: the more valuable meeting gets it.
    spec = ScheduleInput([("a", "x", 0.3), ("b", "y", 0.8)], slots=[1], tables={1: 1})
    plan = schedule(spec)
    assert [(m.demand, m.vendor) for m in plan.meetings] == [("b", "y")]
    assert plan.method == "cp-sat" and plan.status == ScheduleStatus.OPTIMAL


def test_same_input_in_any_order_gives_the_same_schedule() -> None:
    spec = _regular_event(3, demands=10, vendors=14, slots=5, tables=8)
    first = schedule(spec)
    shuffled = list(spec.meetings)
    random.Random(2).shuffle(shuffled)
    again = ScheduleInput(
        shuffled, list(reversed(spec.slots)), dict(reversed(list(spec.tables.items())))
    )
    assert schedule(again) == first
    # And with CP-SAT in play (meetings that cannot all fit).
    tight = ScheduleInput(spec.meetings, spec.slots[:3], spec.tables, time_limit_s=2)
    assert schedule(tight) == schedule(tight)
