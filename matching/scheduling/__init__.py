"""Event optimisation, pure: pair values in, a shortlist and a meeting schedule out.

No Django in here. ``shortlist`` picks the pairs (min-cost flow), ``schedule`` places them in
(slot, table) cells (edge colouring, then CP-SAT when needed), ``validate_move`` vets an
organiser's manual edit, ``violations`` re-checks a finished schedule independently, and
``greedy`` is the baseline the benchmark compares with.
"""

from __future__ import annotations

from matching.scheduling.check import Placed, violations
from matching.scheduling.greedy import greedy
from matching.scheduling.selection import shortlist
from matching.scheduling.timetable import schedule, validate_move
from matching.scheduling.types import (
    NO_LABELS,
    DemandShortfall,
    Labels,
    Meeting,
    Pair,
    PairKey,
    Rule,
    RuleViolation,
    Schedule,
    ScheduledMeeting,
    ScheduleInput,
    ScheduleStatus,
    ShortfallReason,
    Shortlist,
    ShortlistedPair,
    ShortlistInput,
    UnscheduledMeeting,
)

__all__ = [
    "NO_LABELS",
    "DemandShortfall",
    "Labels",
    "Meeting",
    "Pair",
    "PairKey",
    "Placed",
    "Rule",
    "RuleViolation",
    "Schedule",
    "ScheduleInput",
    "ScheduleStatus",
    "ScheduledMeeting",
    "ShortfallReason",
    "Shortlist",
    "ShortlistInput",
    "ShortlistedPair",
    "UnscheduledMeeting",
    "greedy",
    "schedule",
    "shortlist",
    "validate_move",
    "violations",
]
