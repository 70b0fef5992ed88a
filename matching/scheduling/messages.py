"""One constructor per rule, so the organiser reads the same sentence wherever a rule is broken."""

from __future__ import annotations

from matching.scheduling.types import Labels, Rule, RuleViolation


def participant_busy(
    labels: Labels, ref: str, slot: int, *, other: str, demand: str, vendor: str
) -> RuleViolation:
    return RuleViolation(
        Rule.PARTICIPANT_BUSY,
        f"{labels.who(ref)} 在{labels.slot(slot)}已有会谈（与 {labels.who(other)}）",
        demand=demand,
        vendor=vendor,
        slot=slot,
    )


def table_full(
    labels: Labels, slot: int, table: int, capacity: int, *, demand: str, vendor: str
) -> RuleViolation:
    return RuleViolation(
        Rule.TABLE_FULL,
        f"{labels.table(table)}在{labels.slot(slot)}已满（最多同时 {capacity} 场会谈）",
        demand=demand,
        vendor=vendor,
        slot=slot,
        table=table,
    )


def slot_not_usable(labels: Labels, slot: int, *, demand: str, vendor: str) -> RuleViolation:
    return RuleViolation(
        Rule.SLOT_NOT_USABLE,
        f"{labels.slot(slot)}不能安排会谈（休息时段或不在活动日程内）",
        demand=demand,
        vendor=vendor,
        slot=slot,
    )


def participant_unavailable(
    labels: Labels, ref: str, slot: int, *, demand: str, vendor: str
) -> RuleViolation:
    return RuleViolation(
        Rule.PARTICIPANT_UNAVAILABLE,
        f"{labels.who(ref)} 在{labels.slot(slot)}无法参加",
        demand=demand,
        vendor=vendor,
        slot=slot,
    )


def unknown_table(labels: Labels, table: int, *, demand: str, vendor: str) -> RuleViolation:
    return RuleViolation(
        Rule.UNKNOWN_TABLE,
        f"{labels.table(table)}不在本次活动的桌位中",
        demand=demand,
        vendor=vendor,
        table=table,
    )


def unknown_meeting(labels: Labels, demand: str, vendor: str) -> RuleViolation:
    return RuleViolation(
        Rule.UNKNOWN_MEETING,
        f"{labels.who(demand)} 与 {labels.who(vendor)} 的会谈不在本次活动的名单中",
        demand=demand,
        vendor=vendor,
    )


def over_cap(labels: Labels, ref: str, count: int, cap: int, *, vendor: bool) -> RuleViolation:
    return RuleViolation(
        Rule.VENDOR_OVER_CAP if vendor else Rule.DEMAND_OVER_CAP,
        f"{labels.who(ref)} 安排了 {count} 场会谈，超过上限 {cap} 场",
        vendor=ref if vendor else None,
        demand=None if vendor else ref,
    )


def excluded_pair(labels: Labels, demand: str, vendor: str) -> RuleViolation:
    return RuleViolation(
        Rule.EXCLUDED_PAIR,
        f"{labels.who(demand)} 与 {labels.who(vendor)} 已被排除（不合适、已会谈过或已移除），"
        "不应安排会谈",
        demand=demand,
        vendor=vendor,
    )


def duplicate_pair(labels: Labels, demand: str, vendor: str, count: int) -> RuleViolation:
    return RuleViolation(
        Rule.DUPLICATE_PAIR,
        f"{labels.who(demand)} 与 {labels.who(vendor)} 的会谈重复安排了 {count} 次",
        demand=demand,
        vendor=vendor,
    )
