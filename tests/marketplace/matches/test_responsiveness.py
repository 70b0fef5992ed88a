"""Responsiveness in ranking: a vendor's overdue leads lower its rank a little, and it is told why.

The counting rules run on the real database; the ranking on the real model's vectors.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from marketplace.leads.services import lead_decline, lead_respond
from marketplace.matches.features import vendor_responsiveness
from marketplace.matches.ranking import rank_capability, rank_need
from marketplace.models import Lead, Need
from matching.ranking.explanations import reason_lines
from matching.ranking.types import RankedMatch
from tests.marketplace.factories import CapabilityFactory, LeadFactory, NeedFactory

pytestmark = pytest.mark.django_db


def _lead_to(vendor: User, *, reached_days_ago: float | None, **fields: Any) -> Lead:
    """A lead on another institution's published need, for one of the vendor's profiles."""
    capability = CapabilityFactory.create(organization=vendor.organization)
    reached = (
        None if reached_days_ago is None else timezone.now() - timedelta(days=reached_days_ago)
    )
    lead: Lead = LeadFactory.create(capability=capability, vendor_notified_at=reached, **fields)
    return lead


def _responsiveness(match: RankedMatch) -> float:
    return next(c.value for c in match.breakdown.components if c.name == "responsiveness")


def test_only_leads_the_vendor_knew_of_for_longer_than_the_response_time_are_overdue(
    bob: User, settings: Any
) -> None:
    # given
    settings.LEAD_RESPONSE_DAYS = 7
    _lead_to(bob, reached_days_ago=10)  # overdue
    _lead_to(bob, reached_days_ago=10, viewed_at=timezone.now() - timedelta(days=9))  # overdue
    _lead_to(bob, reached_days_ago=3)  # still within the time
    _lead_to(bob, reached_days_ago=None)  # never reached the vendor
    _lead_to(bob, reached_days_ago=None, invited_at=timezone.now() - timedelta(days=8))  # overdue
    closed = NeedFactory.create(status=Need.Status.CLOSED)
    _lead_to(bob, reached_days_ago=10, need=closed)  # the need closed: nothing owed
    _lead_to(bob, reached_days_ago=10, demand_decision=Lead.DemandDecision.NOT_FIT)  # ended
    answered = _lead_to(bob, reached_days_ago=10)
    lead_respond(answered, bob, message="可以安排试用。")
    declined = _lead_to(bob, reached_days_ago=20)
    lead_decline(declined, bob, reason=Lead.DeclineReason.AT_CAPACITY)

    # when
    assert bob.organization_id is not None
    record = vendor_responsiveness([bob.organization_id])

    # then: (answered, overdue)
    assert record == {bob.organization_id: (2, 3)}


def test_a_vendor_with_no_leads_has_no_record(bob: User) -> None:
    assert bob.organization_id is not None
    assert vendor_responsiveness([bob.organization_id]) == {}


def test_overdue_leads_lower_the_vendors_rank_for_a_need_and_answering_restores_it(
    embedded: dict[str, Any], bob: User
) -> None:
    # given: bob's certified exoskeleton, first for the rehab need with a clean record
    need = embedded["need"]
    before = next(m for m in rank_need(need) if m.capability_id == embedded["certified"].pk)
    overdue = [_lead_to(bob, reached_days_ago=14) for _ in range(3)]

    # when
    late = next(m for m in rank_need(need) if m.capability_id == embedded["certified"].pk)

    # then: a lower score, and the reason says so
    assert _responsiveness(before) == 1.0
    assert _responsiveness(late) == pytest.approx(2 / 5)
    assert late.score < before.score
    assert any(
        "3 条线索超期未回复" in line and "排名因此略有下降" in line
        for line in reason_lines(late.aspects)
    )

    # when: bob answers every one of them
    for lead in overdue:
        lead_respond(lead, bob, message="欢迎来展厅试用。")
    answered = next(m for m in rank_need(need) if m.capability_id == embedded["certified"].pk)

    # then
    assert _responsiveness(answered) == 1.0
    assert answered.score == before.score
    assert any("已回复 3 条线索" in line for line in reason_lines(answered.aspects))


def test_the_vendor_sees_the_same_reason_on_its_own_leads(
    embedded: dict[str, Any], bob: User
) -> None:
    # given
    _lead_to(bob, reached_days_ago=30)

    # when
    leads = rank_capability(embedded["certified"])

    # then
    match = next(m for m in leads if m.need_id == embedded["need"].pk)
    reason = next(a for a in match.aspects if a.key == "responsiveness")
    assert "1 条线索超期未回复" in reason.evidence
