"""Frozen inputs and outputs of the event optimiser. Participants are plain string refs.

Nothing in this package imports Django: the services read the ORM, build these, and save the
results back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _

# (demand ref, vendor ref)
PairKey = tuple[str, str]
# (demand ref, vendor ref, value)
Meeting = tuple[str, str, float]

# Pair values are 0..1; the solvers work on integers.
VALUE_SCALE = 10_000


def scaled(value: float) -> int:
    """A pair value as the solvers' integer weight."""
    return round(value * VALUE_SCALE)


@dataclass(frozen=True, slots=True)
class Pair:
    """The matcher's best need-to-profile score between one demand org and one vendor (0..1)."""

    demand: str
    vendor: str
    value: float


@dataclass(frozen=True, slots=True)
class ShortlistInput:
    """What the shortlist optimiser chooses from, and the limits it keeps.

    - ``pinned`` pairs are always kept, whether or not they are in ``pairs`` (an unknown one has
      value 0); they use up their participants' caps and ``max_meetings`` first. A pinned pair
      is kept even if it is also in ``excluded``: the organiser's pin is the later decision.
    - ``excluded`` pairs are never proposed (not a fit, met before, removed by the organiser).
    - caps are per participant; a participant missing from the mapping gets the default, and a
      default of ``None`` means no cap. ``slot_count``, when given, caps everyone at the number
      of slots too (a participant meets at most once per slot).
    - a pair worth 0 (or less) is no match: never proposed unless pinned.
    - each demand org gets at least ``min_per_demand`` distinct vendors where the eligible pairs
      and caps allow; this takes priority over the sum of values.
    - ``max_meetings`` is the room's capacity (slots × total table capacity); ``None``: no limit.
    """

    pairs: Sequence[Pair]
    pinned: frozenset[PairKey] = frozenset()
    # Demand orgs at the event with no pair at all still get a shortfall diagnostic if listed.
    demands: frozenset[str] = frozenset()
    excluded: frozenset[PairKey] = frozenset()
    vendor_cap: Mapping[str, int] = field(default_factory=dict)
    default_vendor_cap: int | None = None
    demand_cap: Mapping[str, int] = field(default_factory=dict)
    default_demand_cap: int | None = None
    min_per_demand: int = 0
    max_meetings: int | None = None
    slot_count: int | None = None


@dataclass(frozen=True, slots=True)
class ShortlistedPair:
    demand: str
    vendor: str
    value: float
    pinned: bool = False


class ShortfallReason(StrEnum):
    # Fewer eligible (not excluded) vendors than the minimum: nothing the optimiser can do.
    NOT_ENOUGH_ELIGIBLE = "not_enough_eligible_vendors"
    # The demand org's own cap is below the minimum.
    DEMAND_CAP = "demand_cap_below_minimum"
    # Enough eligible vendors, but their caps or the room's capacity are taken.
    CAPACITY = "capacity_taken"


@dataclass(frozen=True, slots=True)
class DemandShortfall:
    """A demand org that got fewer vendors than ``min_per_demand``, and why."""

    demand: str
    got: int
    wanted: int
    eligible: int
    reason: ShortfallReason
    message: str


@dataclass(frozen=True, slots=True)
class Shortlist:
    pairs: list[ShortlistedPair]
    objective: float
    shortfalls: list[DemandShortfall] = field(default_factory=list)
    # Pins that go beyond a cap or the room's capacity (kept anyway), as readable notes.
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ScheduleInput:
    """Meetings to place in (slot, table) cells.

    ``slots`` are the usable slot indices (breaks are simply absent); ``tables`` maps a table id
    to how many meetings it hosts at once (usually 1); ``unavailable`` lists the slots a
    participant cannot attend (keyed by ref alone, so refs should differ between demand orgs
    and vendors, as participant ids do); ``fixed`` meetings were placed by the organiser and
    stay exactly where they are (each must be one of ``meetings``). A fixed meeting that breaks
    a rule (a break, an unavailable or busy participant, a full table) comes back unscheduled
    with the rule's code as its reason; of two fixed meetings that clash, the less valuable one
    does.
    ``time_limit_s`` bounds the CP-SAT stage, which runs only when the construction leaves
    meetings out.
    """

    meetings: Sequence[Meeting]
    slots: Sequence[int]
    tables: Mapping[int, int]
    unavailable: Mapping[str, frozenset[int]] = field(default_factory=dict)
    fixed: Mapping[PairKey, tuple[int, int]] = field(default_factory=dict)
    time_limit_s: float = 3.0
    seed: int = 0
    # CP-SAT threads. With more than one the search is a race: faster on some hard events, but
    # the same input may then give a different (equally valid) schedule.
    workers: int = 1


@dataclass(frozen=True, slots=True)
class ScheduledMeeting:
    demand: str
    vendor: str
    value: float
    slot: int
    table: int


@dataclass(frozen=True, slots=True)
class UnscheduledMeeting:
    demand: str
    vendor: str
    value: float
    # A RuleViolation code for a fixed meeting that breaks a rule, else "no_free_slot".
    reason: str


class ScheduleStatus(StrEnum):
    OPTIMAL = "optimal"  # every meeting placed, or CP-SAT proved nothing better exists
    FEASIBLE = "feasible"  # the time limit ended the search; every rule holds all the same


@dataclass(frozen=True, slots=True)
class Schedule:
    meetings: list[ScheduledMeeting]
    unscheduled: list[UnscheduledMeeting]
    objective: float
    status: ScheduleStatus
    # How the result was reached: "construct" (every meeting placed without search), "cp-sat".
    method: str = "construct"


class Rule(StrEnum):
    PARTICIPANT_BUSY = "participant_busy"
    TABLE_FULL = "table_full"
    SLOT_NOT_USABLE = "slot_not_usable"
    PARTICIPANT_UNAVAILABLE = "participant_unavailable"
    UNKNOWN_TABLE = "unknown_table"
    UNKNOWN_MEETING = "unknown_meeting"
    VENDOR_OVER_CAP = "vendor_over_cap"
    DEMAND_OVER_CAP = "demand_over_cap"
    EXCLUDED_PAIR = "excluded_pair"
    DUPLICATE_PAIR = "duplicate_pair"


@dataclass(frozen=True, slots=True)
class RuleViolation:
    """One broken rule, with a message for the organiser naming who, when and where."""

    code: Rule
    message: str
    demand: str | None = None
    vendor: str | None = None
    slot: int | None = None
    table: int | None = None


@dataclass(frozen=True, slots=True)
class Labels:
    """Display names for messages; a ref or slot without one is shown as is."""

    names: Mapping[str, str] = field(default_factory=dict)
    slot_names: Mapping[int, str] = field(default_factory=dict)

    def who(self, ref: str) -> str:
        return self.names.get(ref, ref)

    def slot(self, slot: int) -> str:
        return self.slot_names.get(slot) or _("第 %(slot)s 时段") % {"slot": slot}

    def table(self, table: int) -> str:
        return _("%(table)s 号桌") % {"table": table}


NO_LABELS = Labels()
