"""Place the shortlisted meetings in (slot, table) cells.

Fixed meetings go first, exactly where the organiser put them. The rest are placed by the
Kempe-chain construction (``construct.py``); when it places every meeting that is optimal (no
schedule holds more value) and CP-SAT is not needed. Otherwise CP-SAT, hinted with the
construction, maximises the value of the placed meetings within the time limit: one boolean
per (meeting, slot) both sides can attend, at most one slot per meeting, at most one meeting
per participant and slot, at most the free table capacity per slot. Tables are then handed out
per slot in id order (they differ only in capacity).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from matching.scheduling import messages
from matching.scheduling.construct import Vertex, construct
from matching.scheduling.types import (
    NO_LABELS,
    Labels,
    PairKey,
    RuleViolation,
    Schedule,
    ScheduledMeeting,
    ScheduleInput,
    ScheduleStatus,
    UnscheduledMeeting,
    scaled,
)

# Deterministic-time units granted per second of budget: below the ~0.7 a core does here.
DETERMINISTIC_PER_SECOND = 0.5


def schedule(spec: ScheduleInput) -> Schedule:
    """Every rule holds in the result; meetings that cannot be placed come back unscheduled."""
    values: dict[PairKey, float] = {}
    for demand, vendor, value in spec.meetings:
        if (demand, vendor) in values:
            raise ValueError(f"meeting {demand} – {vendor} is listed twice")
        values[(demand, vendor)] = value
    if unknown := sorted(set(spec.fixed) - set(values)):
        raise ValueError(f"fixed meetings not in the meetings: {unknown}")
    slots = sorted(set(spec.slots))
    tables = {table: cap for table, cap in sorted(spec.tables.items()) if cap > 0}

    placed: list[ScheduledMeeting] = []
    unscheduled: list[UnscheduledMeeting] = []
    # Fixed meetings that clash: the more valuable one stays, the other is reported.
    for key in sorted(spec.fixed, key=lambda k: (-values[k], k)):
        slot, table = spec.fixed[key]
        broken = move_violations(spec, placed, key, slot, table)
        if broken:
            unscheduled.append(UnscheduledMeeting(*key, values[key], broken[0].code.value))
        else:
            placed.append(ScheduledMeeting(*key, values[key], slot, table))

    blocked: dict[Vertex, set[int]] = defaultdict(set)
    for ref, away in spec.unavailable.items():
        blocked[("d", ref)].update(away)
        blocked[("v", ref)].update(away)
    room = dict.fromkeys(slots, sum(tables.values()))
    for meeting in placed:
        blocked[("d", meeting.demand)].add(meeting.slot)
        blocked[("v", meeting.vendor)].add(meeting.slot)
        room[meeting.slot] -= 1
    fixed_keys = set(spec.fixed)
    free = sorted((key for key in values if key not in fixed_keys), key=lambda k: (-values[k], k))

    slot_of = construct(free, slots, room, blocked)
    status, method = ScheduleStatus.OPTIMAL, "construct"
    if len(slot_of) < len(free):
        improved, status = _cp_sat(free, values, slots, room, blocked, slot_of, spec)
        method = "cp-sat"
        if _value(improved, values) >= _value(slot_of, values):
            slot_of = improved

    placed += _tables(slot_of, values, tables, placed)
    placed.sort(key=lambda m: (m.slot, m.table, m.demand, m.vendor))
    unscheduled += [
        UnscheduledMeeting(*key, values[key], "no_free_slot") for key in free if key not in slot_of
    ]
    unscheduled.sort(key=lambda m: (m.demand, m.vendor))
    objective = sum(m.value for m in placed)
    return Schedule(placed, unscheduled, objective, status, method)


def _value(slot_of: Mapping[PairKey, int], values: Mapping[PairKey, float]) -> int:
    return sum(scaled(values[key]) + 1 for key in slot_of)


def _cp_sat(
    free: list[PairKey],
    values: Mapping[PairKey, float],
    slots: list[int],
    room: Mapping[int, int],
    blocked: Mapping[Vertex, set[int]],
    hint: Mapping[PairKey, int],
    spec: ScheduleInput,
) -> tuple[dict[PairKey, int], ScheduleStatus]:
    """Improve on the construction within the time limit, in three single-threaded phases.

    1. maximise value by CP-SAT's default search (40% of the time): small events end here,
       proved optimal;
    2. if meetings are still out: look for a schedule placing every one by local search only
       (40%), which finds tight full schedules far sooner than the tree search;
    3. maximise again by local search from the best so far, for the time left.
    """
    deadline = time.monotonic() + spec.time_limit_s
    options = {
        key: [
            slot
            for slot in slots
            if room[slot] > 0
            and slot not in blocked.get(("d", key[0]), ())
            and slot not in blocked.get(("v", key[1]), ())
        ]
        for key in free
    }
    model = _Model(free, values, options, room, spec)
    best = dict(hint)
    found, result = model.solve(best, spec.time_limit_s * 0.4, maximise=True)
    if result == cp_model.OPTIMAL:
        return found, ScheduleStatus.OPTIMAL
    if _value(found, values) > _value(best, values):
        best = found
    if len(best) < len(free) and all(options.values()):
        seconds = min(spec.time_limit_s * 0.4, deadline - time.monotonic())
        found, result = model.solve(best, seconds, maximise=False, local_search=True)
        if result in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return found, ScheduleStatus.OPTIMAL  # every meeting placed: nothing is better
    if (seconds := deadline - time.monotonic()) > 0.05:
        found, result = model.solve(best, seconds, maximise=True, local_search=True)
        if result == cp_model.OPTIMAL:
            return found, ScheduleStatus.OPTIMAL
        if _value(found, values) > _value(best, values):
            best = found
    return best, ScheduleStatus.FEASIBLE


class _Model:
    """One boolean per (meeting, slot) both sides can attend; rebuilt per phase (it is cheap)."""

    def __init__(
        self,
        free: list[PairKey],
        values: Mapping[PairKey, float],
        options: Mapping[PairKey, list[int]],
        room: Mapping[int, int],
        spec: ScheduleInput,
    ) -> None:
        self.free, self.values, self.options, self.room, self.spec = (
            free,
            values,
            options,
            room,
            spec,
        )

    def solve(
        self,
        hint: Mapping[PairKey, int],
        seconds: float,
        *,
        maximise: bool,
        local_search: bool = False,
    ) -> tuple[dict[PairKey, int], cp_model.CpSolverStatus]:
        model = cp_model.CpModel()
        x: dict[tuple[PairKey, int], cp_model.IntVar] = {}
        by_participant: dict[tuple[Vertex, int], list[cp_model.IntVar]] = defaultdict(list)
        by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        objective = []
        for key in self.free:
            own = []
            for slot in self.options[key]:
                var = model.new_bool_var(f"x[{key[0]},{key[1]},{slot}]")
                model.add_hint(var, hint.get(key) == slot)
                x[(key, slot)] = var
                own.append(var)
                by_participant[(("d", key[0]), slot)].append(var)
                by_participant[(("v", key[1]), slot)].append(var)
                by_slot[slot].append(var)
                # +1: a meeting worth 0 (a pin the matcher never scored) is still worth placing.
                objective.append((scaled(self.values[key]) + 1) * var)
            if not maximise:
                model.add_exactly_one(own)
            elif len(own) > 1:
                model.add_at_most_one(own)
        for group in by_participant.values():
            if len(group) > 1:
                model.add_at_most_one(group)
        for slot, group in by_slot.items():
            if len(group) > self.room[slot]:
                model.add(sum(group) <= self.room[slot])
        if maximise:
            model.maximize(sum(objective))

        solver = cp_model.CpSolver()
        # One worker by default: the same input then gives the same schedule (two workers race,
        # and the winner's schedule differs from run to run).
        solver.parameters.num_workers = self.spec.workers
        solver.parameters.random_seed = self.spec.seed
        # The budget is CP-SAT's deterministic time (work done, about 0.7 units per second on
        # one core here), so a phase ends at the same point of the search on every run; the
        # wall-clock limit is only a backstop for a slow or loaded machine.
        solver.parameters.max_deterministic_time = max(seconds, 0.01) * DETERMINISTIC_PER_SECOND
        solver.parameters.max_time_in_seconds = max(seconds, 0.01)
        solver.parameters.use_ls_only = local_search
        result = solver.solve(model)
        if result not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return {}, result
        chosen = {key: slot for (key, slot), var in x.items() if solver.boolean_value(var)}
        return chosen, result


def _tables(
    slot_of: Mapping[PairKey, int],
    values: Mapping[PairKey, float],
    tables: Mapping[int, int],
    fixed: Sequence[ScheduledMeeting],
) -> list[ScheduledMeeting]:
    used: dict[tuple[int, int], int] = defaultdict(int)
    for meeting in fixed:
        used[(meeting.slot, meeting.table)] += 1
    out = []
    for key, slot in sorted(slot_of.items(), key=lambda item: (item[1], item[0])):
        table = next(t for t, cap in tables.items() if used[(slot, t)] < cap)
        used[(slot, table)] += 1
        out.append(ScheduledMeeting(*key, values[key], slot, table))
    return out


def move_violations(
    spec: ScheduleInput,
    others: Sequence[ScheduledMeeting],
    meeting: PairKey,
    slot: int,
    table: int,
    labels: Labels = NO_LABELS,
) -> list[RuleViolation]:
    """The rules broken by putting ``meeting`` at (slot, table) next to ``others``."""
    demand, vendor = meeting
    where = {"demand": demand, "vendor": vendor}
    broken = []
    if slot not in spec.slots:
        broken.append(messages.slot_not_usable(labels, slot, **where))
    capacity = spec.tables.get(table, 0)
    if capacity <= 0:
        broken.append(messages.unknown_table(labels, table, **where))
    for ref in (demand, vendor):
        if slot in spec.unavailable.get(ref, frozenset()):
            broken.append(messages.participant_unavailable(labels, ref, slot, **where))
    same_slot = [m for m in others if m.slot == slot and (m.demand, m.vendor) != meeting]
    for ref, side in ((demand, "demand"), (vendor, "vendor")):
        for other in same_slot:
            if getattr(other, side) == ref:
                partner = other.vendor if side == "demand" else other.demand
                broken.append(messages.participant_busy(labels, ref, slot, other=partner, **where))
                break
    at_table = sum(1 for m in same_slot if m.table == table)
    if capacity > 0 and at_table >= capacity:
        broken.append(messages.table_full(labels, slot, table, capacity, **where))
    return broken


def validate_move(
    spec: ScheduleInput,
    current: Schedule,
    meeting: PairKey,
    new_slot: int,
    new_table: int,
    *,
    labels: Labels = NO_LABELS,
) -> list[RuleViolation]:
    """Whether the organiser may move (or place) ``meeting`` at (new_slot, new_table).

    An empty list: allowed. Otherwise every rule the move breaks, with a message naming the
    rule and the participant, slot or table. The meeting must be one of the event's meetings
    (in ``spec.meetings`` or ``current``).
    """
    known = {(d, v) for d, v, _ in spec.meetings}
    known |= {(m.demand, m.vendor) for m in current.meetings}
    known |= {(m.demand, m.vendor) for m in current.unscheduled}
    if meeting not in known:
        return [messages.unknown_meeting(labels, *meeting)]
    return move_violations(spec, current.meetings, meeting, new_slot, new_table, labels)
