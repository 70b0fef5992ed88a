"""Lead services: each side's answer, the handshake that opens contact details, suppression
(with the real ranking), vendor alerts, reminders, notifications and the proposal check.

颐和苑 (alice) published a need; 康途 (bob) has a published profile the matcher paired with it,
a new lead. 另一家供应商 (victor), 海景养老院 (dora), and the organiser olga look on.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.leads import proposals, refresh, services
from marketplace.leads.models import contact_visible
from marketplace.matches.ranking import rank_capability, rank_need
from marketplace.models import Capability, Lead, LeadAlertPreference, Need, Notification
from marketplace.notifications.services import notify
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.marketplace.factories import CapabilityFactory, LeadFactory, NeedFactory

# The matching fixtures, so that suppression is checked against the ranking really running.

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 a short proposal"


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
    # alice and bob exist first, so notifications have someone to reach.
    return LeadFactory.create(need=need, capability=capability, score=0.82)


@pytest.fixture
def dora(db: None) -> User:
    haijing = OrganizationFactory.create(name="海景养老院", kind="demand", sub_type="elder_care")
    return UserFactory.create(email="dora@haijing.example.com", organization=haijing)


def _state(lead: Lead) -> dict[str, Any]:
    values: dict[str, Any] = dict(Lead.objects.filter(pk=lead.pk).values().get())
    values.pop("updated_at")
    return values


def _pdf(name: str = "方案.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _kinds(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


# --- Transitions ------------------------------------------------------------------------------


def test_opening_marks_a_new_lead_viewed_for_its_vendor_only(
    lead: Lead, alice: User, bob: User, olga: User
) -> None:
    services.lead_open(lead, alice)
    services.lead_open(lead, olga)
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.NEW

    opened = services.lead_open(lead, bob)

    assert opened.status == Lead.Status.VIEWED
    assert opened.viewed_at is not None


def test_vendor_interest_then_institution_acceptance_puts_the_pair_in_talks(
    lead: Lead, need: Need, alice: User, bob: User, private_root: Path
) -> None:
    # when the vendor responds with a proposal
    responded = services.lead_respond(lead, bob, message="  可提供两台试点设备。 ", proposal=_pdf())

    # then it is interested, the message trimmed, the institution told once
    assert responded.status == Lead.Status.INTERESTED
    assert responded.demand_decision == Lead.DemandDecision.NONE
    assert responded.message == "可提供两台试点设备。"
    assert responded.proposal.name.startswith("proposals/")
    assert responded.proposal.name.endswith(".pdf")
    assert (private_root / responded.proposal.name).read_bytes() == PDF
    assert responded.responded_at is not None
    assert _kinds(alice) == [Notification.Kind.RESPONSE]
    assert Need.objects.get(pk=need.pk).status == Need.Status.PUBLISHED

    # when the institution accepts
    accepted = services.lead_accept(lead, alice, message="请来现场看看。")

    # then both agreed: in talks, the need too, the vendor told
    assert (accepted.status, accepted.demand_decision) == (
        Lead.Status.IN_TALKS,
        Lead.DemandDecision.ACCEPTED,
    )
    assert accepted.agreed_at is not None
    assert accepted.demand_message == "请来现场看看。"
    assert Need.objects.get(pk=need.pk).status == Need.Status.IN_TALKS
    assert _kinds(bob) == [Notification.Kind.DECISION]


def test_an_invitation_answered_by_the_vendor_puts_the_pair_in_talks(
    lead: Lead, need: Need, capability: Capability, alice: User, bob: User
) -> None:
    invited = services.lead_invite(need, capability, alice, message="欢迎来院演示。")

    assert invited.pk == lead.pk
    assert (invited.status, invited.demand_decision) == (
        Lead.Status.NEW,
        Lead.DemandDecision.INVITED,
    )
    assert invited.invited_at is not None
    assert _kinds(bob) == [Notification.Kind.INVITATION]

    responded = services.lead_respond(lead, bob, message="下周可以。")

    assert responded.status == Lead.Status.IN_TALKS
    assert responded.agreed_at is not None


def test_inviting_an_interested_vendor_agrees_at_once(
    lead: Lead, need: Need, capability: Capability, alice: User, bob: User
) -> None:
    services.lead_respond(lead, bob, message="有意向。")

    invited = services.lead_invite(need, capability, alice)

    assert (invited.status, invited.demand_decision) == (
        Lead.Status.IN_TALKS,
        Lead.DemandDecision.ACCEPTED,
    )


def test_inviting_a_profile_without_a_lead_makes_one(
    need: Need, taxonomy: dict[str, Any], rival: Organization, alice: User, victor: User
) -> None:
    other = CapabilityFactory.create(organization=rival, robot_type=taxonomy["care_robot"])

    invited = services.lead_invite(need, other, alice)

    assert invited.source == Lead.Source.INVITATION
    assert (invited.demand_id, invited.vendor_id) == (need.organization_id, rival.pk)
    assert invited.demand_decision == Lead.DemandDecision.INVITED
    assert _kinds(victor) == [Notification.Kind.INVITATION]


def test_vendor_declines_with_a_reason(lead: Lead, alice: User, bob: User) -> None:
    declined = services.lead_decline(lead, bob, reason=Lead.DeclineReason.AT_CAPACITY)

    assert declined.status == Lead.Status.DECLINED
    assert (declined.decline_reason, declined.decline_note) == ("at_capacity", "")
    assert declined.is_suppressed
    assert _kinds(alice) == [Notification.Kind.RESPONSE]


def test_declining_for_another_reason_needs_a_note(lead: Lead, bob: User) -> None:
    before = _state(lead)

    with pytest.raises(ValidationError) as refused:
        services.lead_decline(lead, bob, reason=Lead.DeclineReason.OTHER, note="  ")

    assert refused.value.message_dict == {"decline_note": ["选择“其他”时请补充说明。"]}
    assert _state(lead) == before

    declined = services.lead_decline(lead, bob, reason=Lead.DeclineReason.OTHER, note=" 停产 ")

    assert (declined.decline_reason, declined.decline_note) == ("other", "停产")


def test_an_unknown_decline_reason_is_refused(lead: Lead, bob: User) -> None:
    before = _state(lead)

    with pytest.raises(ValidationError) as refused:
        services.lead_decline(lead, bob, reason="bored")

    assert refused.value.message_dict == {"decline_reason": ["请选择婉拒原因。"]}
    assert _state(lead) == before


def test_institution_rejects_a_response(lead: Lead, alice: User, bob: User) -> None:
    services.lead_respond(lead, bob, message="有意向。")

    rejected = services.lead_reject(lead, alice, message="已选定其他方案。")

    assert rejected.demand_decision == Lead.DemandDecision.DECLINED
    assert rejected.demand_message == "已选定其他方案。"
    assert rejected.is_suppressed
    assert Notification.Kind.DECISION in _kinds(bob)


def test_not_fit_covers_every_profile_of_the_vendor_for_that_need_only(
    lead: Lead,
    need: Need,
    capability: Capability,
    taxonomy: dict[str, Any],
    kangtu: Organization,
    yihe: Organization,
    alice: User,
) -> None:
    # given a second profile of the same vendor, never paired, and another need of alice's
    second = CapabilityFactory.create(organization=kangtu, robot_type=taxonomy["care_robot"])
    other_need = NeedFactory.create(organization=yihe, domain=taxonomy["civil"])
    elsewhere = LeadFactory.create(need=other_need, capability=capability)

    # when
    marked = services.lead_mark_not_fit(need, kangtu, alice)

    # then both of kangtu's profiles are out for this need, and only for this need
    assert {m.capability_id for m in marked} == {capability.pk, second.pk}
    assert set(Lead.objects.filter(need=need).values_list("capability_id", "demand_decision")) == {
        (capability.pk, "not_fit"),
        (second.pk, "not_fit"),
    }
    assert Lead.objects.get(pk=elsewhere.pk).demand_decision == Lead.DemandDecision.NONE
    assert set(Lead.objects.suppressed().values_list("pk", flat=True)) == {m.pk for m in marked}


def test_not_fit_names_a_vendor(need: Need, yihe: Organization, alice: User) -> None:
    with pytest.raises(ValidationError):
        services.lead_mark_not_fit(need, yihe, alice)
    assert not Lead.objects.exists()


# --- Refused transitions change nothing ------------------------------------------------------


def _respond(lead: Lead, people: dict[str, User]) -> Any:
    return services.lead_respond(lead, people["bob"], message="再试一次。")


def _decline(lead: Lead, people: dict[str, User]) -> Any:
    return services.lead_decline(lead, people["bob"], reason="budget")


def _invite(lead: Lead, people: dict[str, User]) -> Any:
    return services.lead_invite(lead.need, lead.capability, people["alice"])


def _accept(lead: Lead, people: dict[str, User]) -> Any:
    return services.lead_accept(lead, people["alice"])


def _reject(lead: Lead, people: dict[str, User]) -> Any:
    return services.lead_reject(lead, people["alice"])


@pytest.mark.parametrize(
    ("given", "action", "message"),
    [
        ({"status": "declined"}, _respond, "这条线索已是“已婉拒”，不能再表示意向。"),
        ({"status": "in_talks"}, _respond, "这条线索已是“洽谈中”，不能再表示意向。"),
        ({"demand_decision": "declined"}, _respond, "需求方已结束与贵方就此需求的对接。"),
        ({"demand_decision": "not_fit"}, _respond, "需求方已结束与贵方就此需求的对接。"),
        ({"status": "declined"}, _decline, "这条线索已婉拒。"),
        ({"status": "new"}, _accept, "只能接受供应商“有意向”的回复。"),
        ({"status": "in_talks"}, _accept, "只能接受供应商“有意向”的回复。"),
        (
            {"status": "interested", "demand_decision": "declined"},
            _accept,
            "只能接受供应商“有意向”的回复。",
        ),
        (
            {"status": "declined"},
            _invite,
            "该供应商已婉拒或已被标记为不合适，不会再次对接。",
        ),
        (
            {"demand_decision": "not_fit"},
            _invite,
            "该供应商已婉拒或已被标记为不合适，不会再次对接。",
        ),
        ({"status": "in_talks"}, _invite, "双方已在洽谈中。"),
        ({"demand_decision": "declined"}, _reject, "该对接已经结束。"),
        ({"status": "declined"}, _reject, "该对接已经结束。"),
    ],
)
def test_a_refused_transition_raises_and_changes_nothing(
    lead: Lead,
    alice: User,
    bob: User,
    given: dict[str, str],
    action: Any,
    message: str,
) -> None:
    # given
    Lead.objects.filter(pk=lead.pk).update(**given)
    lead.refresh_from_db()
    before = _state(lead)
    notifications = Notification.objects.count()

    # when
    with pytest.raises(ValidationError) as refused:
        action(lead, {"alice": alice, "bob": bob})

    # then
    assert refused.value.messages == [message]
    assert _state(lead) == before
    assert Notification.objects.count() == notifications


def test_a_blank_response_is_refused(lead: Lead, bob: User) -> None:
    before = _state(lead)

    with pytest.raises(ValidationError) as refused:
        services.lead_respond(lead, bob, message="   ")

    assert refused.value.message_dict == {"message": ["请写一句回复留言，说明贵方能提供什么。"]}
    assert _state(lead) == before


def test_inviting_needs_a_published_need_and_profile(
    need: Need, capability: Capability, alice: User
) -> None:
    Need.objects.filter(pk=need.pk).update(status=Need.Status.DRAFT)
    need.refresh_from_db()
    with pytest.raises(ValidationError):
        services.lead_invite(need, capability, alice)

    Need.objects.filter(pk=need.pk).update(status=Need.Status.PUBLISHED)
    Capability.objects.filter(pk=capability.pk).update(status=Capability.Status.DRAFT)
    need.refresh_from_db()
    with pytest.raises(ValidationError):
        services.lead_invite(need, capability, alice)

    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("who", "action"),
    [
        ("alice", _respond),
        ("victor", _respond),
        ("olga", _respond),
        ("alice", _decline),
        ("victor", _decline),
        ("bob", _accept),
        ("dora", _accept),
        ("olga", _accept),
        ("bob", _reject),
        ("dora", _reject),
        ("bob", _invite),
        ("dora", _invite),
        ("olga", _invite),
    ],
)
def test_the_wrong_side_is_refused(
    lead: Lead, who: str, action: Any, request: pytest.FixtureRequest
) -> None:
    # given: the action's own side replaced by someone else
    Lead.objects.filter(pk=lead.pk).update(status=Lead.Status.INTERESTED)
    lead.refresh_from_db()
    intruder = request.getfixturevalue(who)
    before = _state(lead)

    # when / then
    with pytest.raises(PermissionDenied):
        action(lead, {"alice": intruder, "bob": intruder})
    assert _state(lead) == before
    assert not Notification.objects.exists()


@pytest.mark.parametrize("who", ["bob", "dora", "olga"])
def test_only_the_institution_marks_a_vendor_not_fit(
    lead: Lead, need: Need, kangtu: Organization, who: str, request: pytest.FixtureRequest
) -> None:
    before = _state(lead)

    with pytest.raises(PermissionDenied):
        services.lead_mark_not_fit(need, kangtu, request.getfixturevalue(who))

    assert _state(lead) == before


# --- Contact details --------------------------------------------------------------------------


def test_contacts_open_to_both_sides_only_once_both_agree(
    lead: Lead,
    yihe: Organization,
    kangtu: Organization,
    alice: User,
    bob: User,
    victor: User,
    olga: User,
    dora: User,
) -> None:
    # before: each side's details are hidden from the other
    assert not contact_visible(yihe, bob)
    assert not contact_visible(kangtu, alice)

    # one side agreeing is not enough
    services.lead_respond(lead, bob, message="有意向。")
    assert not contact_visible(yihe, bob)
    assert not contact_visible(kangtu, alice)

    # both agreed
    services.lead_accept(lead, alice)
    assert contact_visible(yihe, bob)
    assert contact_visible(kangtu, alice)

    # never a third organisation, nor anonymous; organisers always
    for outsider in (victor, dora):
        assert not contact_visible(yihe, outsider)
        assert not contact_visible(kangtu, outsider)
    assert not contact_visible(yihe, AnonymousUser())
    assert not contact_visible(kangtu, AnonymousUser())
    assert contact_visible(yihe, olga) and contact_visible(kangtu, olga)

    # the institution withdrawing ends the talks: hidden again
    services.lead_reject(lead, alice)
    assert not contact_visible(yihe, bob)
    assert not contact_visible(kangtu, alice)


# --- Suppression, with the ranking running ----------------------------------------------------


@pytest.fixture
def ranked(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The matching tests' catalogue, embedded with the real model (``embedded``)."""
    catalogue: dict[str, Any] = request.getfixturevalue("embedded")
    return catalogue


def _capabilities_for(need: Need) -> set[int]:
    return {match.capability_id for match in rank_need(need)}


def _needs_for(capability: Capability) -> set[int]:
    return {match.need_id for match in rank_capability(capability)}


def test_a_vendor_decline_removes_the_pair_from_both_rankings(
    ranked: dict[str, Any], bob: User
) -> None:
    # given the matcher suggests the pair both ways
    need, certified = ranked["need"], ranked["certified"]
    assert certified.pk in _capabilities_for(need)
    assert need.pk in _needs_for(certified)
    lead = LeadFactory.create(need=need, capability=certified)

    # when the vendor declines
    services.lead_decline(lead, bob, reason=Lead.DeclineReason.NOT_APPLICABLE)

    # then neither side is shown the pair again; the other profiles stay
    assert certified.pk not in _capabilities_for(need)
    assert need.pk not in _needs_for(certified)
    assert ranked["uncertified"].pk in _capabilities_for(need)
    assert certified.pk in {m.capability_id for m in rank_need(need, include_suppressed=True)}


def test_not_fit_removes_every_profile_of_the_vendor_from_both_rankings(
    ranked: dict[str, Any], alice: User, rival: Organization
) -> None:
    need = ranked["need"]
    victors = {ranked["uncertified"].pk, ranked["delivery"].pk}
    assert ranked["uncertified"].pk in _capabilities_for(need)

    services.lead_mark_not_fit(need, rival, alice)

    assert not victors & _capabilities_for(need)
    assert need.pk not in _needs_for(ranked["uncertified"])
    assert ranked["certified"].pk in _capabilities_for(need)
    # only for that need: victor's profiles still rank for alice's other need
    assert ranked["english"].pk in _needs_for(ranked["delivery"])


def test_an_institution_decline_removes_the_pair_from_both_rankings(
    ranked: dict[str, Any], alice: User, bob: User
) -> None:
    need, certified = ranked["need"], ranked["certified"]
    lead = LeadFactory.create(need=need, capability=certified)
    services.lead_respond(lead, bob, message="有意向。")

    services.lead_reject(lead, alice)

    assert certified.pk not in _capabilities_for(need)
    assert need.pk not in _needs_for(certified)


# --- Vendor alerts ----------------------------------------------------------------------------


def test_recording_suggestions_again_keeps_one_lead_per_pair_and_its_state(
    need: Need, capability: Capability, taxonomy: dict[str, Any], victor: User
) -> None:
    other = CapabilityFactory.create(
        organization=victor.organization, robot_type=capability.robot_type
    )
    # given bob's profile is already a lead he answered
    answered = LeadFactory.create(
        need=need, capability=capability, score=0.5, status=Lead.Status.INTERESTED
    )

    # when the matcher records both profiles, best first, then again with moved scores
    first = refresh.leads_record(need, [(other, 0.9, True), (capability, 0.8, True)])
    again = refresh.leads_record(need, [(capability, 0.85, True), (other, 0.7, False)])

    # then each pair is one lead, in the order given, with the latest score and eligibility
    assert [lead.capability_id for lead in first] == [other.pk, capability.pk]
    assert [lead.capability_id for lead in again] == [capability.pk, other.pk]
    assert Lead.objects.filter(need=need).count() == 2
    assert {lead.pk for lead in first} == {lead.pk for lead in again}
    stored = {lead.capability_id: lead for lead in Lead.objects.filter(need=need)}
    assert (stored[capability.pk].score, stored[capability.pk].eligible) == (0.85, True)
    assert (stored[other.pk].score, stored[other.pk].eligible) == (0.7, False)
    # and the answered pair kept its answer; the new one is a new lead of the matcher
    assert stored[capability.pk].pk == answered.pk
    assert stored[capability.pk].status == Lead.Status.INTERESTED
    assert stored[other.pk].status == Lead.Status.NEW
    assert stored[other.pk].vendor_id == victor.organization_id
    assert stored[other.pk].demand_id == need.organization_id
    assert refresh.leads_record(need, []) == []


def test_one_profile_recorded_against_several_needs_keeps_each_pair_once(
    need: Need, capability: Capability, taxonomy: dict[str, Any], dora: User
) -> None:
    other_need = NeedFactory.create(organization=dora.organization, domain=taxonomy["civil"])
    # given one of the two pairs exists already
    existing = LeadFactory.create(need=need, capability=capability, score=0.4)

    recorded = refresh.leads_record_pairs(
        [(other_need, capability, 0.7, True), (need, capability, 0.6, True)]
    )

    assert [(lead.need_id, lead.capability_id) for lead in recorded] == [
        (other_need.pk, capability.pk),
        (need.pk, capability.pk),
    ]
    assert recorded[1].pk == existing.pk
    assert Lead.objects.filter(capability=capability).count() == 2
    assert Lead.objects.get(pk=existing.pk).score == 0.6
    assert recorded[0].demand_id == dora.organization_id


def _leads(need_count: int, capability: Capability, taxonomy: dict[str, Any]) -> list[Lead]:
    """New leads of one profile on other institutions' needs, scored 0.90, 0.89, … best first."""
    for index in range(need_count):
        need = NeedFactory.create(
            organization=OrganizationFactory.create(), domain=taxonomy["civil"]
        )
        LeadFactory.create(need=need, capability=capability, score=0.9 - index / 100)
    return list(Lead.objects.select_related("need", "capability", "vendor", "demand"))


def _alerts(user: User) -> int:
    return Notification.objects.filter(user=user, kind=Notification.Kind.NEW_LEAD).count()


def test_alerts_respect_the_vendors_threshold(
    capability: Capability, taxonomy: dict[str, Any], kangtu: Organization, bob: User
) -> None:
    LeadAlertPreference.objects.create(organization=kangtu, min_score=0.85, daily_limit=10)
    high, exact, low = _leads(3, capability, taxonomy)
    Lead.objects.filter(pk=exact.pk).update(score=0.85)
    Lead.objects.filter(pk=low.pk).update(score=0.84)
    leads = list(Lead.objects.select_related("need", "capability", "vendor", "demand"))

    sent = services.leads_alert_vendors(leads)

    assert sent == 2
    assert _alerts(bob) == 2
    alerted = Lead.objects.filter(vendor_notified_at__isnull=False)
    assert set(alerted.values_list("pk", flat=True)) == {high.pk, exact.pk}


def test_the_threshold_is_read_on_the_scale_the_vendor_sets_it(
    capability: Capability, taxonomy: dict[str, Any], kangtu: Organization, bob: User
) -> None:
    """A lead at 0.566 reads 57: a threshold of 57 (stored 0.57) lets it through; 0.564 reads 56."""
    LeadAlertPreference.objects.create(organization=kangtu, min_score=0.57, daily_limit=10)
    shown_57, shown_56 = _leads(2, capability, taxonomy)
    Lead.objects.filter(pk=shown_57.pk).update(score=0.566)
    Lead.objects.filter(pk=shown_56.pk).update(score=0.564)
    leads = list(Lead.objects.select_related("need", "capability", "vendor", "demand"))

    sent = services.leads_alert_vendors(leads)

    assert sent == 1
    alerted = Lead.objects.filter(vendor_notified_at__isnull=False)
    assert list(alerted.values_list("pk", flat=True)) == [shown_57.pk]


def test_alerts_stop_at_the_daily_limit_and_resume_the_next_day(
    capability: Capability, taxonomy: dict[str, Any], kangtu: Organization, bob: User
) -> None:
    LeadAlertPreference.objects.create(organization=kangtu, min_score=0.0, daily_limit=2)
    leads = _leads(3, capability, taxonomy)
    morning = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)

    assert services.leads_alert_vendors(leads, now=morning) == 2
    fresh = list(Lead.objects.select_related("need", "capability", "vendor", "demand"))
    assert services.leads_alert_vendors(fresh, now=morning + timedelta(hours=3)) == 0
    assert services.leads_alert_vendors(fresh, now=morning + timedelta(days=1)) == 1
    assert _alerts(bob) == 3


def test_the_daily_limit_resets_at_local_midnight_not_utc(
    capability: Capability, taxonomy: dict[str, Any], kangtu: Organization, bob: User
) -> None:
    # given: the cap spent at 23:30 in Qingdao (15:30 UTC)
    LeadAlertPreference.objects.create(organization=kangtu, min_score=0.0, daily_limit=2)
    leads = _leads(3, capability, taxonomy)
    late = timezone.make_aware(datetime(2026, 12, 2, 23, 30), ZoneInfo("Asia/Shanghai"))
    assert services.leads_alert_vendors(leads, now=late) == 2
    fresh = list(Lead.objects.select_related("need", "capability", "vendor", "demand"))

    # when: an hour later it is a new day in Qingdao, though the same day in UTC
    sent = services.leads_alert_vendors(fresh, now=late + timedelta(hours=1))

    # then
    assert sent == 1
    assert _alerts(bob) == 3


def test_no_alerts_when_the_vendor_turned_them_off(
    capability: Capability, taxonomy: dict[str, Any], kangtu: Organization, bob: User
) -> None:
    LeadAlertPreference.objects.create(organization=kangtu, enabled=False)

    assert services.leads_alert_vendors(_leads(2, capability, taxonomy)) == 0
    assert _alerts(bob) == 0
    assert not Lead.objects.filter(vendor_notified_at__isnull=False).exists()


def test_a_lead_is_alerted_once(
    capability: Capability, taxonomy: dict[str, Any], kangtu: Organization, bob: User
) -> None:
    LeadAlertPreference.objects.create(organization=kangtu, min_score=0.0, daily_limit=10)
    leads = _leads(1, capability, taxonomy)

    assert services.leads_alert_vendors(leads) == 1
    # the same in-memory rows again (a retried task), then fresh ones
    assert services.leads_alert_vendors(leads) == 0
    fresh = list(Lead.objects.select_related("need", "capability", "vendor", "demand"))
    assert services.leads_alert_vendors(fresh, now=timezone.now() + timedelta(days=2)) == 0
    assert _alerts(bob) == 1


def test_answered_suppressed_or_ineligible_leads_are_not_alerted(
    capability: Capability, taxonomy: dict[str, Any], kangtu: Organization, bob: User
) -> None:
    LeadAlertPreference.objects.create(organization=kangtu, min_score=0.0, daily_limit=10)
    first, second, third = _leads(3, capability, taxonomy)
    Lead.objects.filter(pk=first.pk).update(status=Lead.Status.INTERESTED)
    Lead.objects.filter(pk=second.pk).update(demand_decision=Lead.DemandDecision.NOT_FIT)
    Lead.objects.filter(pk=third.pk).update(eligible=False)
    fresh = list(Lead.objects.select_related("need", "capability", "vendor", "demand"))

    assert services.leads_alert_vendors(fresh) == 0
    assert _alerts(bob) == 0


def test_alert_settings_are_validated(kangtu: Organization, bob: User, victor: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.lead_alert_update(kangtu, bob, enabled=True, min_score=1.5, daily_limit=0)
    assert set(refused.value.message_dict) == {"min_score", "daily_limit"}

    with pytest.raises(PermissionDenied):
        services.lead_alert_update(kangtu, victor, enabled=False, min_score=0.5, daily_limit=5)

    saved = services.lead_alert_update(kangtu, bob, enabled=False, min_score=0.7, daily_limit=5)
    assert (saved.enabled, saved.min_score, saved.daily_limit) == (False, 0.7, 5)


# --- Reminders --------------------------------------------------------------------------------


def _reminders(user: User) -> int:
    return Notification.objects.filter(user=user, kind=Notification.Kind.REMINDER).count()


def test_an_unanswered_invitation_is_reminded_once_after_the_delay(
    lead: Lead, need: Need, capability: Capability, alice: User, bob: User
) -> None:
    services.lead_invite(need, capability, alice)
    delay = timedelta(hours=settings.LEAD_REMINDER_AFTER_HOURS)
    invited_at = Lead.objects.get(pk=lead.pk).invited_at
    assert invited_at is not None

    assert services.lead_reminders_send(now=invited_at + delay - timedelta(minutes=1)) == 0
    assert services.lead_reminders_send(now=invited_at + delay + timedelta(minutes=1)) == 1
    assert services.lead_reminders_send(now=invited_at + delay * 2) == 0
    assert _reminders(bob) == 1
    assert _reminders(alice) == 0


def test_an_unanswered_response_is_reminded_to_the_institution_once(
    lead: Lead, alice: User, bob: User
) -> None:
    services.lead_respond(lead, bob, message="有意向。")
    delay = timedelta(hours=settings.LEAD_REMINDER_AFTER_HOURS)
    responded_at = Lead.objects.get(pk=lead.pk).responded_at
    assert responded_at is not None

    assert services.lead_reminders_send(now=responded_at + delay - timedelta(minutes=1)) == 0
    assert services.lead_reminders_send(now=responded_at + delay + timedelta(minutes=1)) == 1
    assert services.lead_reminders_send(now=responded_at + delay * 3) == 0
    assert _reminders(alice) == 1
    assert _reminders(bob) == 0


def test_an_answered_invitation_is_not_reminded(
    lead: Lead, need: Need, capability: Capability, alice: User, bob: User
) -> None:
    services.lead_invite(need, capability, alice)
    services.lead_decline(lead, bob, reason=Lead.DeclineReason.TIMING)

    later = timezone.now() + timedelta(hours=settings.LEAD_REMINDER_AFTER_HOURS + 1)
    assert services.lead_reminders_send(now=later) == 0
    assert _reminders(bob) == 0


# --- Notifications ----------------------------------------------------------------------------


def test_notify_makes_one_notification_per_user_and_key(alice: User, bob: User) -> None:
    first = notify([alice, bob], kind="new_lead", key="lead:1:new", title="新线索", url="/leads/1/")
    again = notify([alice, bob], kind="new_lead", key="lead:1:new", title="改过的标题")

    assert len(first) == 2
    assert again == []
    assert list(Notification.objects.filter(key="lead:1:new").values_list("title", flat=True)) == [
        "新线索",
        "新线索",
    ]


# --- The proposal check -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "size", "error"),
    [
        ("setup.exe", 100, "附件格式不支持"),
        ("方案.PDF.exe", 100, "附件格式不支持"),
        ("方案.pdf", 11 * 1024 * 1024, "附件不能超过 10 MB。"),
    ],
)
def test_proposal_check_refuses_other_types_and_large_files(
    name: str, size: int, error: str
) -> None:
    upload = SimpleUploadedFile(name, b"x" * size)

    with pytest.raises(ValidationError) as refused:
        proposals.proposal_check(upload)

    assert list(refused.value.message_dict) == ["proposal"]
    assert refused.value.message_dict["proposal"][0].startswith(error)


def test_proposal_check_accepts_a_pdf_up_to_10_mb() -> None:
    content = b"%PDF-1.4\n" + b"x" * (10 * 1024 * 1024 - 9)
    proposals.proposal_check(SimpleUploadedFile("方案.pdf", content))
    proposals.proposal_check(None)


def test_a_refused_proposal_stores_nothing(lead: Lead, bob: User, private_root: Path) -> None:
    before = _state(lead)

    with pytest.raises(ValidationError):
        services.lead_respond(
            lead, bob, message="附件", proposal=SimpleUploadedFile("virus.exe", b"MZ")
        )

    assert _state(lead) == before
    assert not any(private_root.rglob("*"))


def test_no_new_lead_below_the_floor_or_for_an_ineligible_pair(
    need: Need, capability: Capability, taxonomy: dict[str, Any], victor: User, settings: Any
) -> None:
    settings.LEAD_SCORE_FLOOR = 0.4
    other = CapabilityFactory.create(
        organization=victor.organization, robot_type=capability.robot_type
    )

    recorded = refresh.leads_record(need, [(capability, 0.39, True), (other, 0.9, False)])

    assert recorded == []
    assert not Lead.objects.filter(need=need).exists()


def test_a_lead_below_the_floor_already_made_keeps_its_state_and_takes_the_new_score(
    need: Need, capability: Capability, taxonomy: dict[str, Any], settings: Any
) -> None:
    settings.LEAD_SCORE_FLOOR = 0.4
    answered = LeadFactory.create(
        need=need, capability=capability, score=0.6, status=Lead.Status.INTERESTED
    )

    recorded = refresh.leads_record(need, [(capability, 0.3, True)])

    assert [lead.pk for lead in recorded] == [answered.pk]
    assert Lead.objects.get(pk=answered.pk).score == 0.3
    assert Lead.objects.get(pk=answered.pk).status == Lead.Status.INTERESTED


def test_one_lead_per_need_and_vendor_carrying_its_best_fitting_profile(
    need: Need, capability: Capability, taxonomy: dict[str, Any], settings: Any
) -> None:
    settings.LEAD_SCORE_FLOOR = 0.4
    second = CapabilityFactory.create(
        organization=capability.organization, robot_type=capability.robot_type
    )
    third = CapabilityFactory.create(
        organization=capability.organization, robot_type=capability.robot_type
    )

    recorded = refresh.leads_record(need, [(capability, 0.7, True), (second, 0.8, True)])
    # a later pass finds a third profile of the same vendor: the vendor has its lead already
    again = refresh.leads_record(need, [(third, 0.95, True)])

    assert [lead.capability_id for lead in recorded] == [second.pk]
    assert again == []
    leads = Lead.objects.filter(need=need, vendor=capability.organization)
    assert list(leads.values_list("capability_id", flat=True)) == [second.pk]
