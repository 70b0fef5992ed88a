"""Reads behind the lead pages: a vendor's inbox by tab, an institution's responses, a need's
leads, and which side of a lead a user is on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from marketplace.leads.models import answered_q, contact_visible
from marketplace.models import Lead, LeadAlertPreference, Need

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

VENDOR = "vendor"
DEMAND = "demand"
ORGANIZER = "organizer"

# Sorts an answered lead without an answer time (none should lack one) after every other.
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Tab:
    key: str
    label: StrOrPromise
    count: int = 0


# The vendor's inbox: "active" is every lead still open, and the tabs after it split it by status
# (they add up to it); "closed" is declined or 不合适.
INBOX_TABS: tuple[tuple[str, StrOrPromise], ...] = (
    ("active", _("全部")),
    (Lead.Status.NEW, _("新线索")),
    (Lead.Status.VIEWED, _("已查看")),
    (Lead.Status.INTERESTED, _("有意向")),
    (Lead.Status.IN_TALKS, _("洽谈中")),
    ("closed", _("已结束")),
)

# The institution's responses: "pending" is an interested vendor the institution has not
# answered yet.
RESPONSE_TABS: tuple[tuple[str, StrOrPromise], ...] = (
    ("pending", _("待处理")),
    (Lead.Status.IN_TALKS, _("洽谈中")),
    ("closed", _("已结束")),
    ("all", _("全部回复")),
)


def _with_relations(leads: QuerySet[Lead]) -> QuerySet[Lead]:
    return leads.select_related(
        "need", "need__region", "capability", "capability__robot_type", "demand", "vendor"
    )


def _inbox_filters() -> dict[str, Q]:
    suppressed = Q(status=Lead.Status.DECLINED) | Q(
        demand_decision__in=Lead.SUPPRESSING_DEMAND_DECISIONS
    )
    return {
        "active": ~suppressed,
        Lead.Status.NEW: ~suppressed & Q(status=Lead.Status.NEW),
        Lead.Status.VIEWED: ~suppressed & Q(status=Lead.Status.VIEWED),
        Lead.Status.INTERESTED: ~suppressed & Q(status=Lead.Status.INTERESTED),
        Lead.Status.IN_TALKS: ~suppressed & Q(status=Lead.Status.IN_TALKS),
        "closed": suppressed,
    }


def _response_filters() -> dict[str, Q]:
    answered = answered_q()
    suppressed = Q(status=Lead.Status.DECLINED) | Q(
        demand_decision__in=Lead.SUPPRESSING_DEMAND_DECISIONS
    )
    return {
        "pending": Q(status=Lead.Status.INTERESTED, demand_decision=Lead.DemandDecision.NONE),
        Lead.Status.IN_TALKS: Q(status=Lead.Status.IN_TALKS),
        "closed": answered & suppressed,
        "all": answered,
    }


def _tabs(
    leads: QuerySet[Lead], tabs: tuple[tuple[str, StrOrPromise], ...], filters: dict[str, Q]
) -> list[Tab]:
    counts = leads.aggregate(**{key: Count("pk", filter=filters[key]) for key, _label in tabs})
    return [Tab(key, label, counts[key]) for key, label in tabs]


def inbox_tab(value: str | None) -> str:
    keys = [key for key, _label in INBOX_TABS]
    return value if value in keys else keys[0]


def response_tab(value: str | None) -> str:
    keys = [key for key, _label in RESPONSE_TABS]
    return value if value in keys else keys[0]


def lead_list_for_vendor(user: User | AnonymousUser, *, tab: str) -> QuerySet[Lead]:
    """The vendor organisation's leads across all its profiles, best match first."""
    leads = Lead.objects.for_vendor(user).filter(_inbox_filters()[inbox_tab(tab)])
    return _with_relations(leads).order_by("-score", "-pk")


def lead_tabs_for_vendor(user: User | AnonymousUser) -> list[Tab]:
    """The inbox tabs with how many leads each holds, in one query."""
    return _tabs(Lead.objects.for_vendor(user), INBOX_TABS, _inbox_filters())


def lead_responses_for_demand(user: User | AnonymousUser, *, tab: str) -> QuerySet[Lead]:
    """Vendors' answers on the institution's needs, latest first."""
    leads = Lead.objects.for_demand(user).filter(_response_filters()[response_tab(tab)])
    return _with_relations(leads).order_by("-responded_at", "-pk")


def lead_response_tabs_for_demand(user: User | AnonymousUser) -> list[Tab]:
    return _tabs(Lead.objects.for_demand(user), RESPONSE_TABS, _response_filters())


# What a need's match page shows of a lead (marketplace/_lead_state.html, _lead_badges.html and
# the actions); any other field is still there, one query away.
_NEED_PAGE_LEAD_FIELDS = (
    "need_id",
    "capability_id",
    "vendor_id",
    "demand_id",
    "status",
    "demand_decision",
    "responded_at",
    "message",
    "proposal",
    "decline_reason",
    "decline_note",
)


def need_leads(need: Need, user: User | AnonymousUser) -> list[Lead]:
    """Every lead of a need that ``user`` may see, with its profile's title and its vendor's
    name: one query for a need's page, which shows each ranked vendor's lead and, below, the
    answered ones. Only the columns the page reads: the two related rows whole were half the
    cost of that query."""
    leads = list(
        Lead.objects.visible_to(user)
        .filter(need=need)
        .select_related("capability", "vendor")
        .only(*_NEED_PAGE_LEAD_FIELDS, "capability__title", "vendor__name")
    )
    for lead in leads:
        lead.need = need
    return leads


def need_responses(leads: Iterable[Lead]) -> list[Lead]:
    """The answered ones of a need's leads, invited or suggested, latest answer first."""
    answered = [lead for lead in leads if lead.is_answered]
    return sorted(answered, key=lambda lead: (lead.responded_at or _NEVER, lead.pk), reverse=True)


def lead_side(lead: Lead, user: User | AnonymousUser) -> str | None:
    """Which side of the lead the user acts for: the vendor, the institution, an organiser
    (who may look but not answer), or none."""
    if not user.is_authenticated:
        return None
    if user.is_vendor and user.organization_id == lead.vendor_id:
        return VENDOR
    if user.is_demand and user.organization_id == lead.demand_id:
        return DEMAND
    if user.is_organizer:
        return ORGANIZER
    return None


def need_decided_by(need: Need, user: User | AnonymousUser) -> bool:
    """Only the institution that posted a need invites, accepts or declines vendors for it."""
    return bool(
        user.is_authenticated and user.is_demand and user.organization_id == need.organization_id
    )


def lead_contacts(lead: Lead, user: User | AnonymousUser) -> list[tuple[Organization, bool]]:
    """The other side's organisation (both, for organisers), each with whether its contact
    details may be shown to the user: only once both sides agreed to talk."""
    side = lead_side(lead, user)
    if side == VENDOR:
        others = [lead.demand]
    elif side == DEMAND:
        others = [lead.vendor]
    else:
        others = [lead.demand, lead.vendor]
    return [(other, contact_visible(other, user)) for other in others]


@dataclass(frozen=True)
class LeadActions:
    """The buttons offered to one side of a lead; the services have the final word."""

    respond: bool = False
    decline: bool = False
    invite: bool = False
    accept: bool = False
    reject: bool = False
    not_fit: bool = False

    @property
    def any(self) -> bool:
        return any(
            (self.respond, self.decline, self.invite, self.accept, self.reject, self.not_fit)
        )


def lead_actions(lead: Lead | None, side: str | None) -> LeadActions:
    """What ``side`` may do next with a lead; ``None`` is a ranked vendor not yet a lead."""
    if side == VENDOR and lead is not None:
        is_open = not lead.is_suppressed
        return LeadActions(
            respond=is_open
            and lead.status not in (Lead.Status.DECLINED, Lead.Status.IN_TALKS)
            and lead.need.status in Need.PUBLIC_STATUSES,
            decline=is_open,
        )
    if side == DEMAND:
        if lead is None:
            return LeadActions(invite=True, not_fit=True)
        is_open = not lead.is_suppressed
        return LeadActions(
            invite=is_open
            and lead.status in (Lead.Status.NEW, Lead.Status.VIEWED)
            and lead.demand_decision == Lead.DemandDecision.NONE,
            accept=is_open and lead.status == Lead.Status.INTERESTED,
            reject=is_open,
            not_fit=lead.demand_decision != Lead.DemandDecision.NOT_FIT,
        )
    return LeadActions()


def lead_alert_preference_read(organization: Organization) -> LeadAlertPreference:
    """The vendor's alert settings; an organisation without a row has the defaults. Reading
    never writes."""
    return LeadAlertPreference.objects.filter(
        organization=organization
    ).first() or LeadAlertPreference(organization=organization)
