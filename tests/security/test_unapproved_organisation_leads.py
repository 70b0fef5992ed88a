"""A lead whose vendor or institution is no longer approved is frozen (issue 19, finding 2).

The organiser approved 康途 (bob), the matcher paired its profile with 颐和苑's need (alice), then
the organiser rejected 康途. Neither side sees the lead any more, on the web or over the API;
nobody can answer it; it opens no contact details; no reminder names the rejected vendor. The
rule lives in ``LeadQuerySet.live``, which every reader of leads goes through. Organisers still
see the lead.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.leads import services
from marketplace.leads.selectors import lead_contacts, need_leads
from marketplace.models import Capability, Lead, Need, Notification
from marketplace.reviews.services import organization_reject
from tests.conftest import ClientFor
from tests.marketplace.factories import CapabilityFactory, LeadFactory, NeedFactory

pytestmark = pytest.mark.usefixtures("lead_links")

LEADS = "/api/v1/leads/"


@pytest.fixture
def need(taxonomy: dict[str, Any], yihe: Organization) -> Need:
    now = timezone.now()
    return NeedFactory.create(
        organization=yihe,
        title="夜间巡视机器人",
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
        published_at=now,
        expires_at=now + timedelta(days=30),
    )


@pytest.fixture
def capability(taxonomy: dict[str, Any], kangtu: Organization) -> Capability:
    return CapabilityFactory.create(
        organization=kangtu, title="护理机器人 X1", robot_type=taxonomy["care_robot"]
    )


@pytest.fixture
def lead(need: Need, capability: Capability, alice: User, bob: User) -> Lead:
    return LeadFactory.create(need=need, capability=capability, score=0.82)


def _reject(organization: Organization, organiser: User) -> None:
    organization_reject(organization=organization, reviewer=organiser, note="资质不符")


def _web(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _state(lead: Lead) -> dict[str, Any]:
    values: dict[str, Any] = dict(Lead.objects.filter(pk=lead.pk).values().get())
    values.pop("updated_at")
    return values


def test_a_rejected_vendor_cannot_respond_over_the_api(
    lead: Lead, bob: User, olga: User, kangtu: Organization, client_for: ClientFor
) -> None:
    # given
    _reject(kangtu, olga)
    before = _state(lead)

    # when
    response = client_for(bob).post(
        f"{LEADS}{lead.pk}/respond/", {"message": "我们可以做"}, format="multipart"
    )

    # then: not found, nothing stored, the institution not told
    assert response.status_code == 404
    assert _state(lead) == before
    assert not Notification.objects.filter(kind=Notification.Kind.RESPONSE).exists()


def test_a_rejected_vendor_cannot_respond_on_the_web(
    lead: Lead, bob: User, olga: User, kangtu: Organization
) -> None:
    # given
    _reject(kangtu, olga)
    before = _state(lead)

    # when
    client = _web(bob)
    detail = client.get(reverse("leads:lead_detail", args=[lead.pk]))
    response = client.post(reverse("leads:lead_respond", args=[lead.pk]), {"message": "可以"})

    # then
    assert (detail.status_code, response.status_code) == (404, 404)
    assert _state(lead) == before
    assert not Notification.objects.exists()


def test_the_institution_neither_sees_nor_accepts_a_rejected_vendors_lead(
    lead: Lead, alice: User, olga: User, kangtu: Organization, client_for: ClientFor
) -> None:
    # given: the vendor answered before it was rejected
    Lead.objects.filter(pk=lead.pk).update(
        status=Lead.Status.INTERESTED, responded_at=timezone.now(), message="我们可以做"
    )
    _reject(kangtu, olga)
    before = _state(lead)
    api, web = client_for(alice), _web(alice)

    # when
    listed = api.get(LEADS).json()
    detail = api.get(f"{LEADS}{lead.pk}/")
    accepted = api.post(f"{LEADS}{lead.pk}/accept/", {}, format="json")
    accepted_on_the_web = web.post(reverse("leads:lead_accept", args=[lead.pk]), {"message": ""})
    responses_page = web.get(reverse("leads:lead_responses"), {"tab": "all"}).content.decode()
    web_detail = web.get(reverse("leads:lead_detail", args=[lead.pk]))

    # then
    assert listed["count"] == 0
    assert (detail.status_code, accepted.status_code) == (404, 404)
    assert (accepted_on_the_web.status_code, web_detail.status_code) == (404, 404)
    assert "康途机器人" not in responses_page
    assert _state(lead) == before


def test_a_rejected_institution_freezes_its_leads_for_the_vendor(
    lead: Lead, bob: User, olga: User, yihe: Organization, client_for: ClientFor
) -> None:
    # given
    _reject(yihe, olga)

    # when
    api = client_for(bob)
    listed = api.get(LEADS).json()
    responded = api.post(f"{LEADS}{lead.pk}/respond/", {"message": "可以"}, format="multipart")
    inbox = _web(bob).get(reverse("leads:lead_inbox"))

    # then
    assert listed["count"] == 0
    assert responded.status_code == 404
    assert inbox.context["rows"] == []


def test_a_pair_in_talks_shows_no_contacts_once_one_side_is_rejected(
    lead: Lead, alice: User, bob: User, olga: User, kangtu: Organization, yihe: Organization
) -> None:
    # given: both sides agreed, so each reads the other's contact details
    Lead.objects.filter(pk=lead.pk).update(
        status=Lead.Status.IN_TALKS, demand_decision=Lead.DemandDecision.ACCEPTED
    )
    assert lead_contacts(Lead.objects.get(pk=lead.pk), bob) == [(yihe, True)]

    # when
    _reject(kangtu, olga)

    # then: bob no longer reads 颐和苑's phone, on its page or over the API
    assert lead_contacts(Lead.objects.get(pk=lead.pk), bob) == [(yihe, False)]
    page = _web(bob).get(yihe.get_absolute_url()).content.decode()
    assert yihe.phone not in page
    assert Client().get(yihe.get_absolute_url()).status_code == 200


def test_the_services_refuse_a_frozen_pair_whoever_calls_them(
    lead: Lead, alice: User, bob: User, olga: User, kangtu: Organization
) -> None:
    # given
    Lead.objects.filter(pk=lead.pk).update(status=Lead.Status.INTERESTED)
    _reject(kangtu, olga)
    lead.refresh_from_db()

    # when / then
    for call in (
        lambda: services.lead_respond(lead, bob, message="可以"),
        lambda: services.lead_decline(lead, bob, reason=Lead.DeclineReason.BUDGET),
        lambda: services.lead_accept(lead, alice),
        lambda: services.lead_reject(lead, alice),
    ):
        with pytest.raises(services.ValidationError) as refused:
            call()
        assert refused.value.messages == ["该对接的一方机构未通过平台审核，暂不能继续对接。"]
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.INTERESTED


def test_organisers_still_see_the_frozen_lead_and_no_reminder_names_it(
    lead: Lead, alice: User, olga: User, kangtu: Organization, need: Need, client_for: ClientFor
) -> None:
    # given: an interested answer left unanswered long enough for a reminder
    Lead.objects.filter(pk=lead.pk).update(
        status=Lead.Status.INTERESTED, responded_at=timezone.now() - timedelta(days=30)
    )
    _reject(kangtu, olga)

    # when
    sent = services.lead_reminders_send()

    # then
    assert sent == 0
    assert not Notification.objects.filter(kind=Notification.Kind.REMINDER).exists()
    assert client_for(olga).get(f"{LEADS}{lead.pk}/").status_code == 200
    assert [found.pk for found in need_leads(need, olga)] == [lead.pk]
    assert need_leads(need, alice) == []
