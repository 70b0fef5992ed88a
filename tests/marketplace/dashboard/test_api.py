"""The organisers' figures."""

from __future__ import annotations

from typing import Any

from accounts.models import Organization, User
from marketplace.models import Need
from tests.conftest import ClientFor
from tests.marketplace.factories import NeedFactory


def test_statistics_count_organisations_needs_and_profiles(
    olga: User,
    yihe: Organization,
    newcomer: Organization,
    taxonomy: dict[str, Any],
    client_for: ClientFor,
) -> None:
    # given
    NeedFactory.create(
        organization=yihe, domain=taxonomy["civil"], region=taxonomy["regions"]["青岛市"]
    )
    NeedFactory.create(
        organization=yihe,
        domain=taxonomy["health"],
        region=taxonomy["regions"]["青岛市"],
        status=Need.Status.DRAFT,
    )

    # when
    response = client_for(olga).get("/api/v1/stats/")

    # then
    assert response.status_code == 200
    assert response.json() == {
        "organizations_by_kind": {"demand": 2, "vendor": 0, "organizer": 1},
        "organizations_pending_review": 1,
        "domains": 2,
        "needs": 2,
        "needs_published": 1,
        "needs_by_domain": {"civil_affairs": 1, "healthcare": 1},
        "needs_by_status": {
            "draft": 1,
            "pending_review": 0,
            "published": 1,
            "in_talks": 0,
            "fulfilled": 0,
            "closed": 0,
            "expired": 0,
        },
        "capabilities": 0,
        "capabilities_published": 0,
        "capabilities_by_robot_type": {},
        "events": 0,
        "upcoming_events": 0,
    }
