"""The organiser's manual edits: each kind of bad move is refused with the rule named."""

from __future__ import annotations

from django.utils import translation

from matching.scheduling import (
    Labels,
    Rule,
    Schedule,
    ScheduledMeeting,
    ScheduleInput,
    ScheduleStatus,
    UnscheduledMeeting,
    validate_move,
)

SPEC = ScheduleInput(
    meetings=[("颐和苑", "康途", 0.9), ("颐和苑", "优必选", 0.8), ("海慈", "康途", 0.7)],
    slots=[1, 2, 4],  # 3 is the lunch break
    tables={1: 1, 2: 2},
    unavailable={"海慈": frozenset({4})},
)
CURRENT = Schedule(
    meetings=[
        ScheduledMeeting("颐和苑", "康途", 0.9, 1, 1),
        ScheduledMeeting("颐和苑", "优必选", 0.8, 2, 1),
    ],
    unscheduled=[UnscheduledMeeting("海慈", "康途", 0.7, "no_free_slot")],
    objective=1.7,
    status=ScheduleStatus.OPTIMAL,
)


def _codes(meeting: tuple[str, str], slot: int, table: int) -> list[Rule]:
    return [v.code for v in validate_move(SPEC, CURRENT, meeting, slot, table)]


def test_a_move_that_breaks_no_rule_is_allowed() -> None:
    assert validate_move(SPEC, CURRENT, ("颐和苑", "康途"), 4, 2) == []
    assert validate_move(SPEC, CURRENT, ("海慈", "康途"), 2, 2) == []  # placing an unscheduled one
    assert validate_move(SPEC, CURRENT, ("颐和苑", "康途"), 1, 1) == []  # where it already is


def test_a_participant_busy_in_that_slot_is_named() -> None:
    [violation] = validate_move(SPEC, CURRENT, ("颐和苑", "康途"), 2, 2)
    assert violation.code == Rule.PARTICIPANT_BUSY
    assert violation.message.startswith("颐和苑 在第 2 时段已有会谈")
    assert "优必选" in violation.message
    assert (violation.demand, violation.vendor, violation.slot) == ("颐和苑", "康途", 2)


def test_both_sides_busy_gives_one_violation_each() -> None:
    codes = _codes(("海慈", "康途"), 1, 2)
    assert codes == [Rule.PARTICIPANT_BUSY]  # 康途 is busy at 1; 海慈 is free
    spec = ScheduleInput([*SPEC.meetings, ("海慈", "优必选", 0.5)], SPEC.slots, SPEC.tables)
    current = Schedule(
        [*CURRENT.meetings, ScheduledMeeting("海慈", "康途", 0.7, 2, 2)], [], 2.4, CURRENT.status
    )
    found = validate_move(spec, current, ("海慈", "优必选"), 2, 2)
    assert sorted(v.code for v in found) == [
        Rule.PARTICIPANT_BUSY,
        Rule.PARTICIPANT_BUSY,
    ]  # 海慈 and 优必选; table 2 holds two, so it still has room


def test_a_full_table_is_refused() -> None:
    [violation] = validate_move(SPEC, CURRENT, ("海慈", "康途"), 2, 1)
    assert violation.code == Rule.TABLE_FULL
    assert violation.message == "1 号桌在第 2 时段已满（最多同时 1 场会谈）"
    assert (violation.slot, violation.table) == (2, 1)


def test_a_break_or_unknown_slot_is_refused() -> None:
    [violation] = validate_move(SPEC, CURRENT, ("颐和苑", "康途"), 3, 1)
    assert violation.code == Rule.SLOT_NOT_USABLE
    assert "第 3 时段" in violation.message and "休息" in violation.message
    assert _codes(("颐和苑", "康途"), 99, 1) == [Rule.SLOT_NOT_USABLE]


def test_an_unavailable_participant_is_refused() -> None:
    [violation] = validate_move(SPEC, CURRENT, ("海慈", "康途"), 4, 1)
    assert violation.code == Rule.PARTICIPANT_UNAVAILABLE
    assert violation.message == "海慈 在第 4 时段无法参加"


def test_an_unknown_table_or_meeting_is_refused() -> None:
    assert _codes(("颐和苑", "康途"), 4, 9) == [Rule.UNKNOWN_TABLE]
    assert _codes(("海慈", "优必选"), 4, 1) == [Rule.UNKNOWN_MEETING]


def test_every_broken_rule_is_listed() -> None:
    codes = _codes(("海慈", "康途"), 3, 7)
    assert set(codes) == {Rule.SLOT_NOT_USABLE, Rule.UNKNOWN_TABLE}


def test_labels_show_the_names_the_organiser_knows() -> None:
    labels = Labels(
        names={"康途": "康途机器人", "颐和苑": "颐和苑养老院"}, slot_names={1: "上午第一场"}
    )
    [violation] = validate_move(SPEC, CURRENT, ("海慈", "康途"), 1, 2, labels=labels)
    assert violation.message == "康途机器人 在上午第一场已有会谈（与 颐和苑养老院）"


def test_the_rules_are_named_in_the_active_language() -> None:
    with translation.override("en"):
        [full] = validate_move(SPEC, CURRENT, ("海慈", "康途"), 2, 1)
        [busy] = validate_move(SPEC, CURRENT, ("颐和苑", "康途"), 2, 2)

    assert full.message == "table 1 is full at slot 2 (holds 1 at a time)"
    assert busy.message == "颐和苑 already has a meeting at slot 2 (with 优必选)"
