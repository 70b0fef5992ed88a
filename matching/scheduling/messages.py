"""One constructor per rule, so the organiser reads the same sentence wherever a rule is broken,
in the active language (the rules are checked while the organiser's request is served)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from matching.scheduling.types import Labels, Rule, RuleViolation


def participant_busy(
    labels: Labels, ref: str, slot: int, *, other: str, demand: str, vendor: str
) -> RuleViolation:
    return RuleViolation(
        Rule.PARTICIPANT_BUSY,
        _("%(who)s 在%(slot)s已有会谈（与 %(other)s）")
        % {"who": labels.who(ref), "slot": labels.slot(slot), "other": labels.who(other)},
        demand=demand,
        vendor=vendor,
        slot=slot,
    )


def table_full(
    labels: Labels, slot: int, table: int, capacity: int, *, demand: str, vendor: str
) -> RuleViolation:
    return RuleViolation(
        Rule.TABLE_FULL,
        _("%(table)s在%(slot)s已满（最多同时 %(capacity)s 场会谈）")
        % {"table": labels.table(table), "slot": labels.slot(slot), "capacity": capacity},
        demand=demand,
        vendor=vendor,
        slot=slot,
        table=table,
    )


def slot_not_usable(labels: Labels, slot: int, *, demand: str, vendor: str) -> RuleViolation:
    return RuleViolation(
        Rule.SLOT_NOT_USABLE,
        _("%(slot)s不能安排会谈（休息时段或不在活动日程内）") % {"slot": labels.slot(slot)},
        demand=demand,
        vendor=vendor,
        slot=slot,
    )


def participant_unavailable(
    labels: Labels, ref: str, slot: int, *, demand: str, vendor: str
) -> RuleViolation:
    return RuleViolation(
        Rule.PARTICIPANT_UNAVAILABLE,
        _("%(who)s 在%(slot)s无法参加") % {"who": labels.who(ref), "slot": labels.slot(slot)},
        demand=demand,
        vendor=vendor,
        slot=slot,
    )


def unknown_table(labels: Labels, table: int, *, demand: str, vendor: str) -> RuleViolation:
    return RuleViolation(
        Rule.UNKNOWN_TABLE,
        _("%(table)s不在本次活动的桌位中") % {"table": labels.table(table)},
        demand=demand,
        vendor=vendor,
        table=table,
    )


def unknown_meeting(labels: Labels, demand: str, vendor: str) -> RuleViolation:
    return RuleViolation(
        Rule.UNKNOWN_MEETING,
        _("%(demand)s 与 %(vendor)s 的会谈不在本次活动的名单中")
        % {"demand": labels.who(demand), "vendor": labels.who(vendor)},
        demand=demand,
        vendor=vendor,
    )


def over_cap(labels: Labels, ref: str, count: int, cap: int, *, vendor: bool) -> RuleViolation:
    return RuleViolation(
        Rule.VENDOR_OVER_CAP if vendor else Rule.DEMAND_OVER_CAP,
        _("%(who)s 安排了 %(count)s 场会谈，超过上限 %(cap)s 场")
        % {"who": labels.who(ref), "count": count, "cap": cap},
        vendor=ref if vendor else None,
        demand=None if vendor else ref,
    )


def excluded_pair(labels: Labels, demand: str, vendor: str) -> RuleViolation:
    return RuleViolation(
        Rule.EXCLUDED_PAIR,
        _("%(demand)s 与 %(vendor)s 已被排除（不合适、已会谈过或已移除），不应安排会谈")
        % {"demand": labels.who(demand), "vendor": labels.who(vendor)},
        demand=demand,
        vendor=vendor,
    )


def duplicate_pair(labels: Labels, demand: str, vendor: str, count: int) -> RuleViolation:
    return RuleViolation(
        Rule.DUPLICATE_PAIR,
        _("%(demand)s 与 %(vendor)s 的会谈重复安排了 %(count)s 次")
        % {"demand": labels.who(demand), "vendor": labels.who(vendor), "count": count},
        demand=demand,
        vendor=vendor,
    )
