"""The independent checker finds each kind of broken rule in hand-made bad schedules."""

from __future__ import annotations

from typing import NamedTuple

from matching.scheduling import Rule, ScheduledMeeting, violations


class Row(NamedTuple):  # the checker takes anything with these attributes
    demand: str
    vendor: str
    slot: int
    table: int


SLOTS = [1, 2, 4]
TABLES = {1: 1, 2: 2}


def _codes(rows: list[Row], **limits: object) -> list[Rule]:
    return [v.code for v in violations(rows, slots=SLOTS, tables=TABLES, **limits)]  # type: ignore[arg-type]


GOOD = [Row("a", "x", 1, 1), Row("b", "y", 1, 2), Row("c", "z", 1, 2), Row("a", "y", 2, 1)]


def test_a_valid_schedule_has_no_violations() -> None:
    assert _codes(GOOD, vendor_cap={"y": 2}, demand_cap={"a": 2}, excluded={("a", "z")}) == []
    as_meetings = [ScheduledMeeting(r.demand, r.vendor, 0.5, r.slot, r.table) for r in GOOD]
    assert violations(as_meetings, slots=SLOTS, tables=TABLES) == []


def test_double_booking_of_either_side() -> None:
    assert _codes([Row("a", "x", 1, 1), Row("a", "y", 1, 2)]) == [Rule.PARTICIPANT_BUSY]
    found = violations([Row("a", "x", 2, 1), Row("b", "x", 2, 2)], slots=SLOTS, tables=TABLES)
    assert [v.code for v in found] == [Rule.PARTICIPANT_BUSY]
    assert found[0].message == "x 在第 2 时段已有会谈（与 a）"


def test_table_over_capacity() -> None:
    rows = [Row("a", "x", 1, 1), Row("b", "y", 1, 1)]
    assert _codes(rows) == [Rule.TABLE_FULL]
    rows = [Row("a", "x", 1, 2), Row("b", "y", 1, 2), Row("c", "z", 1, 2)]
    found = violations(rows, slots=SLOTS, tables=TABLES)
    assert [(v.code, v.slot, v.table) for v in found] == [(Rule.TABLE_FULL, 1, 2)]


def test_break_unknown_slot_and_unknown_table() -> None:
    assert _codes([Row("a", "x", 3, 1)]) == [Rule.SLOT_NOT_USABLE]
    assert _codes([Row("a", "x", 1, 9)]) == [Rule.UNKNOWN_TABLE]
    found = violations([Row("a", "x", 1, 3)], slots=SLOTS, tables={**TABLES, 3: 0})
    assert [v.code for v in found] == [Rule.UNKNOWN_TABLE]


def test_unavailable_participants() -> None:
    found = _codes([Row("a", "x", 1, 1)], unavailable={"x": {1}, "a": {2}})
    assert found == [Rule.PARTICIPANT_UNAVAILABLE]


def test_caps_with_overrides_and_defaults() -> None:
    assert _codes(GOOD, vendor_cap={"y": 1}) == [Rule.VENDOR_OVER_CAP]
    assert _codes(GOOD, demand_cap={"a": 1}) == [Rule.DEMAND_OVER_CAP]
    assert _codes(GOOD, default_demand_cap=1) == [Rule.DEMAND_OVER_CAP]
    assert _codes(GOOD, default_vendor_cap=1, vendor_cap={"y": 5}) == []
    found = violations(GOOD, slots=SLOTS, tables=TABLES, vendor_cap={"y": 1})
    assert found[0].message == "y 安排了 2 场会谈，超过上限 1 场" and found[0].vendor == "y"


def test_excluded_pairs() -> None:
    assert _codes(GOOD, excluded={("b", "y")}) == [Rule.EXCLUDED_PAIR]


def test_the_same_pair_twice() -> None:
    rows = [Row("a", "x", 1, 1), Row("a", "x", 2, 1)]
    assert _codes(rows) == [Rule.DUPLICATE_PAIR]
    # Twice in the same slot: a duplicate, and each side double-booked.
    rows = [Row("a", "x", 1, 1), Row("a", "x", 1, 2)]
    assert sorted(_codes(rows)) == sorted(
        [Rule.DUPLICATE_PAIR, Rule.PARTICIPANT_BUSY, Rule.PARTICIPANT_BUSY]
    )


def test_many_problems_at_once_are_all_reported() -> None:
    rows = [Row("a", "x", 3, 9), Row("a", "x", 3, 9)]
    codes = _codes(rows, excluded={("a", "x")}, unavailable={"a": {3}}, default_vendor_cap=1)
    assert set(codes) == {
        Rule.SLOT_NOT_USABLE,
        Rule.UNKNOWN_TABLE,
        Rule.PARTICIPANT_UNAVAILABLE,
        Rule.EXCLUDED_PAIR,
        Rule.DUPLICATE_PAIR,
        Rule.PARTICIPANT_BUSY,
        Rule.VENDOR_OVER_CAP,
    }
