"""A small 供需对接会 for the event tests, built through the services.

- 青岛养老机器人供需对接会, run by 对接办 (olga), today (or the given date), 09:00–10:40 in
  20-minute meetings with a break 09:40–10:00: four slots; tables 1号桌 (one meeting at a
  time) and 洽谈室A (two);
- demand participants 颐和苑 (alice's) and 海景养老院 (dora's), each bringing a published need;
- vendor participants 康途机器人 (bob's) and 另一家供应商 (victor's), each showing a profile.

Pair values come from ``fake_pair_values`` (the matcher's scores are tested in tests/matching):
the tests say which organisations fit and how well.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.events import scheduling as matching_events
from marketplace.events import services as event_services
from marketplace.models import Capability, Event, EventParticipant, Need
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.marketplace.factories import CapabilityFactory, NeedFactory


@dataclass
class Fair:
    event: Event
    olga: User
    alice: User
    bob: User
    victor: User
    dora: User
    yihe: EventParticipant
    haijing: EventParticipant
    kangtu: EventParticipant
    rival: EventParticipant
    needs: dict[str, Need] = field(default_factory=dict)
    capabilities: dict[str, Capability] = field(default_factory=dict)

    def participant(self, organization: Organization) -> EventParticipant:
        return EventParticipant.objects.get(event=self.event, organization=organization)


def build_fair(
    *, olga: User, alice: User, bob: User, victor: User, date: datetime.date | None = None
) -> Fair:
    haijing = OrganizationFactory.create(name="海景养老院", kind="demand", sub_type="elder_care")
    dora = UserFactory.create(
        email="dora@haijing.example.com", full_name="Dora", organization=haijing
    )
    # Organisations register themselves only before an event starts, and no event is created
    # in the past: the fair is created and filled for tomorrow, then set to its date, as an
    # event that has taken place would be.
    held_on = date or timezone.localdate()
    event = event_services.event_create(
        user=olga,
        fields={
            "name": "青岛养老机器人供需对接会",
            "date": max(held_on, timezone.localdate() + datetime.timedelta(days=1)),
            "venue": "青岛国际会议中心",
            "district": "崂山区",
            "starts_at": datetime.time(9, 0),
            "ends_at": datetime.time(10, 40),
            "meeting_minutes": 20,
            "min_vendors_per_demand": 2,
            "vendor_meeting_cap": 3,
        },
        breaks=event_services.parse_breaks("09:40-10:00"),
        tables=event_services.parse_tables("1号桌\n洽谈室A, 2"),
    )
    needs = {
        "yihe": NeedFactory.create(organization=alice.organization, title="三餐送餐机器人"),
        "haijing": NeedFactory.create(organization=haijing, title="夜间巡查机器人"),
    }
    capabilities = {
        "kangtu": CapabilityFactory.create(organization=bob.organization, title="送餐机器人"),
        "rival": CapabilityFactory.create(organization=victor.organization, title="巡检机器人"),
    }

    def register(user: User, **choices: list[Need] | list[Capability]) -> EventParticipant:
        assert user.organization is not None
        return event_services.participant_register(
            event, user=user, organization=user.organization, **choices
        )

    participants = {
        "yihe": register(alice, needs=[needs["yihe"]]),
        "haijing": register(dora, needs=[needs["haijing"]]),
        "kangtu": register(bob, capabilities=[capabilities["kangtu"]]),
        "rival": register(victor, capabilities=[capabilities["rival"]]),
    }
    if event.date != held_on:
        Event.objects.filter(pk=event.pk).update(date=held_on)
        event.refresh_from_db()
    return Fair(
        event=event,
        olga=olga,
        alice=alice,
        bob=bob,
        victor=victor,
        dora=dora,
        yihe=participants["yihe"],
        haijing=participants["haijing"],
        kangtu=participants["kangtu"],
        rival=participants["rival"],
        needs=needs,
        capabilities=capabilities,
    )


PairScores = dict[tuple[EventParticipant, EventParticipant], float]


def fake_pair_values(
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[[PairScores], None]:
    """Replace the matcher's pair values with the given scores; call it with the table."""

    def install(scores: PairScores) -> None:
        def values(
            event: Event, context: object = None
        ) -> dict[tuple[int, int], matching_events.PairValue]:
            table = {}
            for (demand, vendor), value in scores.items():
                need = demand.needs.first()
                capability = vendor.capabilities.first()
                assert need is not None and capability is not None
                table[(demand.pk, vendor.pk)] = matching_events.PairValue(
                    value, need.pk, capability.pk
                )
            return table

        monkeypatch.setattr(matching_events, "event_pair_values", values)

    return install


def all_fit(fair: Fair) -> PairScores:
    """Every institution fits every vendor, 颐和 best with 康途 and 海景 best with 另一家."""
    return {
        (fair.yihe, fair.kangtu): 0.9,
        (fair.yihe, fair.rival): 0.6,
        (fair.haijing, fair.kangtu): 0.5,
        (fair.haijing, fair.rival): 0.8,
    }


def scheduled_fair(fair: Fair, monkeypatch: pytest.MonkeyPatch) -> Fair:
    """The fair with every pair fitting (``all_fit``), its shortlist and a draft schedule."""
    fake_pair_values(monkeypatch)(all_fit(fair))
    matching_events.event_shortlist_generate(fair.event, fair.olga)
    matching_events.event_schedule_generate(fair.event, fair.olga)
    return fair
