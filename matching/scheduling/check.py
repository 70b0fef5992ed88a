"""Re-check a finished schedule against every rule, from scratch.

Deliberately shares nothing with the solvers but the messages: it counts what it is given and
compares with the limits. Use it on whatever is about to be saved or published.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Protocol

from matching.scheduling import messages
from matching.scheduling.types import NO_LABELS, Labels, PairKey, RuleViolation


class Placed(Protocol):
    """Anything with these four attributes: a ScheduledMeeting, a model row, a named tuple."""

    @property
    def demand(self) -> str: ...
    @property
    def vendor(self) -> str: ...
    @property
    def slot(self) -> int: ...
    @property
    def table(self) -> int: ...


def violations(
    meetings: Iterable[Placed],
    *,
    slots: Iterable[int],
    tables: Mapping[int, int],
    vendor_cap: Mapping[str, int] | None = None,
    demand_cap: Mapping[str, int] | None = None,
    default_vendor_cap: int | None = None,
    default_demand_cap: int | None = None,
    excluded: Iterable[PairKey] = (),
    unavailable: Mapping[str, Iterable[int]] | None = None,
    labels: Labels = NO_LABELS,
) -> list[RuleViolation]:
    """Every broken rule: double booking, table capacity, unusable slots, unknown tables,
    unavailability, caps, excluded pairs, the same pair twice. Empty: the schedule is valid.

    A participant missing from a cap mapping gets the default; a default of ``None``: no cap.
    Pass as ``excluded`` only the pairs that must not meet (a pinned pair the organiser kept
    despite an exclusion should not be in it).
    """
    rows = [(m.demand, m.vendor, m.slot, m.table) for m in meetings]
    usable = set(slots)
    banned = set(excluded)
    away = {ref: set(s) for ref, s in (unavailable or {}).items()}
    found: list[RuleViolation] = []

    for demand, vendor, slot, table in rows:
        where = {"demand": demand, "vendor": vendor}
        if slot not in usable:
            found.append(messages.slot_not_usable(labels, slot, **where))
        if tables.get(table, 0) <= 0:
            found.append(messages.unknown_table(labels, table, **where))
        for ref in (demand, vendor):
            if slot in away.get(ref, ()):
                found.append(messages.participant_unavailable(labels, ref, slot, **where))
        if (demand, vendor) in banned:
            found.append(messages.excluded_pair(labels, demand, vendor))

    for (demand, vendor), count in sorted(Counter((r[0], r[1]) for r in rows).items()):
        if count > 1:
            found.append(messages.duplicate_pair(labels, demand, vendor, count))

    for is_vendor in (False, True):
        first_in_slot: dict[tuple[str, int], str] = {}
        for demand, vendor, slot, _ in sorted(rows):
            ref, partner = (vendor, demand) if is_vendor else (demand, vendor)
            if (ref, slot) in first_in_slot:
                other = first_in_slot[(ref, slot)]
                found.append(
                    messages.participant_busy(
                        labels, ref, slot, other=other, demand=demand, vendor=vendor
                    )
                )
            else:
                first_in_slot[(ref, slot)] = partner

    per_cell = Counter((r[2], r[3]) for r in rows)
    for (slot, table), count in sorted(per_cell.items()):
        capacity = tables.get(table, 0)
        if capacity > 0 and count > capacity:
            at = [r for r in rows if r[2] == slot and r[3] == table]
            demand, vendor = sorted(at)[-1][:2]
            found.append(
                messages.table_full(labels, slot, table, capacity, demand=demand, vendor=vendor)
            )

    for is_vendor, caps, default in (
        (False, demand_cap or {}, default_demand_cap),
        (True, vendor_cap or {}, default_vendor_cap),
    ):
        per_ref = Counter(vendor if is_vendor else demand for demand, vendor, _, _ in rows)
        for ref, count in sorted(per_ref.items()):
            cap = caps.get(ref, default)
            if cap is not None and count > cap:
                found.append(messages.over_cap(labels, ref, count, cap, vendor=is_vendor))
    return found
