"""A published 供需对接会 with a lead and a pending organisation: something behind every route
of the security probe (issue 19), so each request reaches the code that reads its body."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import Organization, User
from marketplace.events import scheduling as matching_events
from marketplace.models import Lead, Meeting, ShortlistEntry
from tests.accounts.factories import OrganizationFactory
from tests.marketplace.event_world import Fair, build_fair, fake_pair_values
from tests.marketplace.factories import LeadFactory


@dataclass
class ProbeWorld:
    fair: Fair
    lead: Lead
    pending: Organization

    def path_values(self, resource: str) -> dict[str, int]:
        """Ids for a path's parameters, by the resource its path starts with."""
        fair = self.fair
        meeting = Meeting.objects.filter(event=fair.event).order_by("pk").first()
        entry = ShortlistEntry.objects.filter(event=fair.event).order_by("pk").first()
        assert meeting is not None and entry is not None
        ids = {
            "needs": fair.needs["yihe"].pk,
            "capabilities": fair.capabilities["kangtu"].pk,
            "events": fair.event.pk,
            "leads": self.lead.pk,
            "organizations": self.pending.pk,
        }
        values = {
            "meeting_id": meeting.pk,
            "entry_id": entry.pk,
            "participant_id": fair.yihe.pk,
        }
        if resource in ids:
            values["id"] = ids[resource]
        return values


@pytest.fixture
def published_fair(
    olga: User, alice: User, bob: User, victor: User, monkeypatch: pytest.MonkeyPatch
) -> Fair:
    fair = build_fair(olga=olga, alice=alice, bob=bob, victor=victor)
    scores = {(fair.yihe, fair.kangtu): 0.9, (fair.haijing, fair.rival): 0.8}
    fake_pair_values(monkeypatch)(scores)
    matching_events.event_shortlist_generate(fair.event, fair.olga)
    matching_events.event_schedule_generate(fair.event, fair.olga)
    matching_events.event_schedule_publish(fair.event, fair.olga)
    return fair


@pytest.fixture
def probe_world(published_fair: Fair) -> ProbeWorld:
    lead = LeadFactory.create(
        need=published_fair.needs["yihe"], capability=published_fair.capabilities["kangtu"]
    )
    pending = OrganizationFactory.create(
        name="待审核养老院",
        kind="demand",
        sub_type="elder_care",
        review_status=Organization.ReviewStatus.PENDING,
    )
    return ProbeWorld(fair=published_fair, lead=lead, pending=pending)
