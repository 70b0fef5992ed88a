"""The lead pages: the vendor's inbox, one lead with each side's actions, the proposal download,
invitations and 不合适 from a need, the institution's responses and the vendor's alert settings.

颐和苑 (alice) published a need; 康途 (bob) has a published profile paired with it as a new
lead. 另一家供应商 (victor), 海景养老院 (dora) and the organiser olga look on.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.leads import services
from marketplace.leads.refresh import leads_refresh_due
from marketplace.models import Capability, Lead, LeadAlertPreference, Need, Notification
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.marketplace.factories import CapabilityFactory, LeadFactory, NeedFactory

# The matching fixtures, for the pages that run the ranking on the real model.

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 proposal"


@pytest.fixture
def ranked(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The matching tests' catalogue, embedded with the real model (``embedded``)."""
    catalogue: dict[str, Any] = request.getfixturevalue("embedded")
    return catalogue


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


@pytest.fixture
def dora(db: None) -> User:
    haijing = OrganizationFactory.create(name="海景养老院", kind="demand", sub_type="elder_care")
    return UserFactory.create(email="dora@haijing.example.com", organization=haijing)


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _state(lead: Lead) -> dict[str, Any]:
    values: dict[str, Any] = dict(Lead.objects.filter(pk=lead.pk).values().get())
    values.pop("updated_at")
    return values


def _url(name: str, lead: Lead) -> str:
    return reverse(f"leads:{name}", args=[lead.pk])


def _messages(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _pdf(name: str = "方案.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- The inbox --------------------------------------------------------------------------------

INBOX = reverse("leads:lead_inbox")


def test_anonymous_visitors_are_sent_to_log_in_for_the_inbox() -> None:
    response = _client(None).get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("who", ["alice", "olga"])
def test_the_inbox_is_for_vendors(who: str, request: pytest.FixtureRequest) -> None:
    response = _client(request.getfixturevalue(who)).get(INBOX)
    assert response.status_code == 403
    assert "只有供应方机构" in response.content.decode()


def test_the_inbox_lists_the_vendors_own_leads(lead: Lead, bob: User, victor: User) -> None:
    page = _client(bob).get(INBOX)

    assert page.status_code == 200
    body = page.content.decode()
    assert [row.lead.pk for row in page.context["rows"]] == [lead.pk]
    assert "夜间巡视机器人" in body and "颐和苑养老中心" in body and "护理机器人 X1" in body
    assert "供应商：新线索" in body
    assert reverse("leads:lead_detail", args=[lead.pk]) in body
    # opening the list does not mark the lead viewed
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.NEW

    assert _client(victor).get(INBOX).context["rows"] == []


def test_the_inbox_tells_a_vendor_with_overdue_leads_why_it_ranks_lower(
    lead: Lead, bob: User, settings: Any
) -> None:
    # given: no overdue lead yet, then the lead reached bob 8 days ago and is unanswered
    settings.LEAD_RESPONSE_DAYS = 7
    assert "responsiveness-notice" not in _client(bob).get(INBOX).content.decode()
    Lead.objects.filter(pk=lead.pk).update(vendor_notified_at=timezone.now() - timedelta(days=8))

    # when
    body = _client(bob).get(INBOX).content.decode()

    # then
    assert "responsiveness-notice" in body
    assert "有 1 条线索超过 7 天未回复（已回复 0 条）" in body
    assert "排得略低" in body


def test_the_inbox_tabs_split_leads_by_state(
    need: Need, taxonomy: dict[str, Any], kangtu: Organization, yihe: Organization, bob: User
) -> None:
    # given one of bob's leads in each state
    def lead(**fields: Any) -> Lead:
        capability = CapabilityFactory.create(
            organization=kangtu, robot_type=taxonomy["care_robot"]
        )
        return LeadFactory.create(need=need, capability=capability, **fields)

    new = lead(status="new", score=0.9)
    viewed = lead(status="viewed", score=0.8)
    interested = lead(status="interested", score=0.7)
    talks = lead(status="in_talks", demand_decision="accepted", score=0.6)
    declined = lead(status="declined", decline_reason="budget", score=0.5)
    not_fit = lead(status="viewed", demand_decision="not_fit", score=0.4)

    def listed(tab: str) -> list[int]:
        return [row.lead.pk for row in _client(bob).get(INBOX, {"tab": tab}).context["rows"]]

    assert listed("active") == [new.pk, viewed.pk, interested.pk, talks.pk]
    assert listed("new") == [new.pk]
    assert listed("viewed") == [viewed.pk]
    assert listed("interested") == [interested.pk]
    assert listed("in_talks") == [talks.pk]
    assert listed("closed") == [declined.pk, not_fit.pk]
    assert listed("nonsense") == listed("active")
    tabs = _client(bob).get(INBOX).context["tabs"]
    assert [(tab.key, tab.count) for tab in tabs] == [
        ("active", 4),
        ("new", 1),
        ("viewed", 1),
        ("interested", 1),
        ("in_talks", 1),
        ("closed", 2),
    ]
    # and the tabs that split the open leads add up to 全部 (a viewed lead was in no tab)
    counts = {tab.key: tab.count for tab in tabs}
    assert counts["active"] == sum(
        counts[key] for key in ("new", "viewed", "interested", "in_talks")
    )


def test_the_inbox_paginates(
    need: Need, taxonomy: dict[str, Any], kangtu: Organization, bob: User, settings: Any
) -> None:
    settings.MARKETPLACE_PAGE_SIZE = 2
    for score in (0.9, 0.8, 0.7):
        capability = CapabilityFactory.create(
            organization=kangtu, robot_type=taxonomy["care_robot"]
        )
        LeadFactory.create(need=need, capability=capability, score=score)

    first = _client(bob).get(INBOX)
    second = _client(bob).get(INBOX, {"page": 2})

    assert [row.lead.score for row in first.context["rows"]] == [0.9, 0.8]
    assert [row.lead.score for row in second.context["rows"]] == [0.7]
    assert "第 1 / 2 页" in first.content.decode()


def test_the_workers_sweep_makes_a_profiles_leads_and_the_inbox_shows_their_reasons(
    ranked: dict[str, Any], bob: User
) -> None:
    # given the matcher has not stored any lead yet, and opening the inbox makes none
    assert not Lead.objects.exists()
    assert _client(bob).get(INBOX).context["rows"] == []
    assert not Lead.objects.exists()

    # when the worker's sweep runs after the profiles and needs were embedded
    report = leads_refresh_due()

    # then the need bob's certified exoskeleton fits is a lead, and the profile is done; the
    # English meal-delivery need, which it is eligible for but does not fit, is below the
    # leads' score floor
    assert report.profiles == Capability.objects.published().count()
    leads = Lead.objects.filter(capability=ranked["certified"])
    assert set(leads.values_list("need_id", "vendor_id", "status")) == {
        (ranked["need"].pk, bob.organization_id, Lead.Status.NEW),
    }
    assert not Capability.objects.due_for_leads().exists()
    # and his inbox shows them with the requirement-level reasons of each pair
    page = _client(bob).get(INBOX)
    assert page.status_code == 200
    lead = leads.get(need=ranked["need"])
    assert lead.score > 0
    row = next(row for row in page.context["rows"] if row.lead.pk == lead.pk)
    assert any(aspect.label == "必需资质" for _mark, aspect, _text in row.hard_aspects)
    assert row.soft_aspects
    body = page.content.decode()
    assert "<strong>必需资质</strong>" in body
    # victor's profiles are his leads, never shown to bob
    shown = {row.lead.pk for row in page.context["rows"]}
    assert not shown & set(
        Lead.objects.exclude(vendor_id=bob.organization_id).values_list("pk", flat=True)
    )


def test_a_changed_profile_is_matched_again_by_the_next_sweep(
    ranked: dict[str, Any], bob: User
) -> None:
    leads_refresh_due()
    profile = ranked["certified"]
    assert not Capability.objects.due_for_leads().exists()

    # when bob edits his profile
    profile.refresh_from_db()
    profile.description += "\n新增夜间巡视模式。"
    profile.save()

    # then it alone is due, and the next sweep matches it again
    assert list(Capability.objects.due_for_leads()) == [profile]
    assert leads_refresh_due().profiles == 1
    assert not Capability.objects.due_for_leads().exists()


# --- One lead ---------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_for_a_lead(lead: Lead) -> None:
    response = _client(None).get(_url("lead_detail", lead))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("who", ["victor", "dora", "nina"])
def test_other_organisations_cannot_see_a_lead(
    lead: Lead, who: str, request: pytest.FixtureRequest
) -> None:
    assert _client(request.getfixturevalue(who)).get(_url("lead_detail", lead)).status_code == 404


def test_the_vendor_opening_a_lead_marks_it_viewed_and_no_one_else_does(
    lead: Lead, alice: User, bob: User, olga: User
) -> None:
    assert _client(alice).get(_url("lead_detail", lead)).status_code == 200
    assert _client(olga).get(_url("lead_detail", lead)).status_code == 200
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.NEW

    page = _client(bob).get(_url("lead_detail", lead))

    assert page.status_code == 200
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.VIEWED
    body = page.content.decode()
    assert "夜间巡视机器人" in body and "护理机器人 X1" in body
    assert reverse("leads:lead_respond", args=[lead.pk]) in body
    assert reverse("leads:lead_decline", args=[lead.pk]) in body
    # the vendor is not offered the institution's actions
    assert reverse("leads:lead_accept", args=[lead.pk]) not in body


def test_contacts_are_shown_only_once_both_sides_agreed(
    lead: Lead, yihe: Organization, kangtu: Organization, alice: User, bob: User
) -> None:
    # before: neither side sees the other's details
    vendor_page = _client(bob).get(_url("lead_detail", lead)).content.decode()
    institution_page = _client(alice).get(_url("lead_detail", lead)).content.decode()
    assert yihe.email not in vendor_page
    assert kangtu.email not in institution_page
    assert "双方都同意洽谈后，联系方式将对双方开放。" in vendor_page
    assert "双方都同意洽谈后，联系方式将对双方开放。" in institution_page

    # when both agree
    services.lead_respond(lead, bob, message="有意向。")
    services.lead_accept(lead, alice)

    # then each sees the other's details
    vendor_page = _client(bob).get(_url("lead_detail", lead)).content.decode()
    institution_page = _client(alice).get(_url("lead_detail", lead)).content.decode()
    assert yihe.email in vendor_page and yihe.contact_person in vendor_page
    assert kangtu.email in institution_page
    assert f"tel:{kangtu.phone}" in institution_page


def test_the_vendor_responds_with_a_proposal(
    lead: Lead, alice: User, bob: User, private_root: Path
) -> None:
    response = _client(bob).post(
        _url("lead_respond", lead), {"message": " 可提供两台试点设备。 ", "proposal": _pdf()}
    )

    assert response.status_code == 302
    assert response["Location"] == _url("lead_detail", lead)
    stored = Lead.objects.get(pk=lead.pk)
    assert (stored.status, stored.message) == (Lead.Status.INTERESTED, "可提供两台试点设备。")
    assert stored.proposal.name.endswith(".pdf")
    assert (private_root / stored.proposal.name).read_bytes() == PDF
    assert Notification.objects.filter(user=alice, kind=Notification.Kind.RESPONSE).count() == 1


def test_responding_to_an_invitation_puts_the_pair_in_talks(
    lead: Lead, need: Need, capability: Capability, alice: User, bob: User
) -> None:
    services.lead_invite(need, capability, alice)

    response = _client(bob).post(_url("lead_respond", lead), {"message": "下周可以。"}, follow=True)

    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.IN_TALKS
    assert "双方已同意洽谈，联系方式现已互相可见。" in _messages(response)


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"message": "   "}, "message", "请写一句回复留言，说明贵方能提供什么。"),
        ({"message": "附件", "proposal": "exe"}, "proposal", "附件格式不支持"),
        ({"message": "附件", "proposal": "large"}, "proposal", "附件不能超过 10 MB。"),
    ],
)
def test_a_refused_response_says_why_and_stores_nothing(
    lead: Lead, bob: User, private_root: Path, data: dict[str, str], field: str, error: str
) -> None:
    # given
    post: dict[str, Any] = dict(data)
    if data.get("proposal") == "exe":
        post["proposal"] = SimpleUploadedFile("setup.exe", b"MZ")
    elif data.get("proposal") == "large":
        post["proposal"] = _pdf(content=b"x" * (11 * 1024 * 1024))
    _client(bob).get(_url("lead_detail", lead))
    before = _state(lead)

    # when
    response = _client(bob).post(_url("lead_respond", lead), post)

    # then
    assert response.status_code == 200
    assert response.context["respond_form"].errors[field][0].startswith(error)
    assert error in response.content.decode()
    assert _state(lead) == before
    assert not any(private_root.rglob("*"))
    assert not Notification.objects.exists()


def test_a_response_the_service_refuses_is_shown_and_changes_nothing(lead: Lead, bob: User) -> None:
    Lead.objects.filter(pk=lead.pk).update(demand_decision=Lead.DemandDecision.DECLINED)
    before = _state(lead)

    client = _client(bob)

    response = client.post(_url("lead_respond", lead), {"message": "仍有意向"})

    assert response["Location"] == _url("lead_detail", lead)
    assert _state(lead) == before
    assert _messages(client.get(response["Location"])) == ["需求方已结束与贵方就此需求的对接。"]


def test_a_closed_need_is_not_answered(lead: Lead, need: Need, bob: User) -> None:
    Need.objects.filter(pk=need.pk).update(status=Need.Status.CLOSED)
    page = _client(bob).get(_url("lead_detail", lead))
    assert reverse("leads:lead_respond", args=[lead.pk]) not in page.content.decode()
    before = _state(lead)
    client = _client(bob)

    response = client.post(_url("lead_respond", lead), {"message": "仍有意向"})

    assert _state(lead) == before
    assert _messages(client.get(response["Location"])) == ["该需求已关闭或过期，不能再回复。"]


def test_the_vendor_declines_with_a_reason(lead: Lead, bob: User) -> None:
    response = _client(bob).post(_url("lead_decline", lead), {"decline_reason": "at_capacity"})

    assert response.status_code == 302
    stored = Lead.objects.get(pk=lead.pk)
    assert (stored.status, stored.decline_reason) == (Lead.Status.DECLINED, "at_capacity")


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        (
            {"decline_reason": "other", "decline_note": "  "},
            "decline_note",
            "选择“其他”时请补充说明。",
        ),
        ({"decline_reason": ""}, "decline_reason", "请选择婉拒原因。"),
        ({"decline_reason": "bored"}, "decline_reason", "请选择婉拒原因。"),
    ],
)
def test_a_refused_decline_says_why_and_changes_nothing(
    lead: Lead, bob: User, data: dict[str, str], field: str, error: str
) -> None:
    before = _state(lead)

    response = _client(bob).post(_url("lead_decline", lead), data)

    assert response.status_code == 200
    assert response.context["decline_form"].errors[field] == [error]
    assert _state(lead) == before


def test_declining_for_another_reason_with_a_note(lead: Lead, bob: User) -> None:
    _client(bob).post(
        _url("lead_decline", lead), {"decline_reason": "other", "decline_note": "停产"}
    )

    stored = Lead.objects.get(pk=lead.pk)
    assert (stored.status, stored.decline_reason, stored.decline_note) == (
        Lead.Status.DECLINED,
        "other",
        "停产",
    )


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("lead_respond", {"message": "有意向"}),
        ("lead_decline", {"decline_reason": "budget"}),
    ],
)
@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("olga", 403), ("victor", 404)])
def test_only_the_vendor_answers(
    lead: Lead,
    action: str,
    data: dict[str, str],
    who: str,
    status: int,
    request: pytest.FixtureRequest,
) -> None:
    before = _state(lead)

    response = _client(request.getfixturevalue(who)).post(_url(action, lead), data)

    assert response.status_code == status
    assert _state(lead) == before


def test_the_institution_accepts_an_interested_vendor(lead: Lead, alice: User, bob: User) -> None:
    services.lead_respond(lead, bob, message="有意向。")

    response = _client(alice).post(_url("lead_accept", lead), {"message": "请来现场。"})

    assert response.status_code == 302
    stored = Lead.objects.get(pk=lead.pk)
    assert (stored.status, stored.demand_decision, stored.demand_message) == (
        Lead.Status.IN_TALKS,
        Lead.DemandDecision.ACCEPTED,
        "请来现场。",
    )


def test_accepting_a_lead_nobody_answered_is_refused_and_changes_nothing(
    lead: Lead, alice: User
) -> None:
    before = _state(lead)

    response = _client(alice).post(_url("lead_accept", lead), follow=True)

    assert _messages(response) == ["只能接受供应商“有意向”的回复。"]
    assert _state(lead) == before


def test_the_institution_declines_a_vendor(lead: Lead, alice: User, bob: User) -> None:
    services.lead_respond(lead, bob, message="有意向。")

    response = _client(alice).post(_url("lead_reject", lead))

    assert response.status_code == 302
    assert Lead.objects.get(pk=lead.pk).demand_decision == Lead.DemandDecision.DECLINED


@pytest.mark.parametrize("action", ["lead_accept", "lead_reject"])
@pytest.mark.parametrize(("who", "status"), [("bob", 403), ("olga", 403), ("dora", 404)])
def test_only_the_institution_decides(
    lead: Lead, bob: User, action: str, who: str, status: int, request: pytest.FixtureRequest
) -> None:
    services.lead_respond(lead, bob, message="有意向。")
    before = _state(lead)

    response = _client(request.getfixturevalue(who)).post(_url(action, lead))

    assert response.status_code == status
    assert _state(lead) == before


# --- From the need: invite and 不合适 -----------------------------------------------------------


def test_the_institution_invites_a_profile_and_returns_where_it_was(
    need: Need, capability: Capability, alice: User, bob: User
) -> None:
    back = reverse("matches:need_matches", args=[need.pk])

    response = _client(alice).post(
        reverse("leads:need_invite", args=[need.pk]),
        {"capability": capability.pk, "message": "欢迎来院演示。", "next": back},
    )

    assert response.status_code == 302
    assert response["Location"] == back
    lead = Lead.objects.get(need=need, capability=capability)
    assert (lead.source, lead.demand_decision, lead.demand_message) == (
        Lead.Source.INVITATION,
        Lead.DemandDecision.INVITED,
        "欢迎来院演示。",
    )
    assert Notification.objects.filter(user=bob, kind=Notification.Kind.INVITATION).exists()


@pytest.mark.parametrize("target", ["https://evil.example.com/", "//evil.example.com/x"])
def test_an_outside_next_address_is_ignored(
    need: Need, capability: Capability, alice: User, target: str
) -> None:
    response = _client(alice).post(
        reverse("leads:need_invite", args=[need.pk]),
        {"capability": capability.pk, "next": target},
    )

    lead = Lead.objects.get(need=need, capability=capability)
    assert response["Location"] == reverse("leads:lead_detail", args=[lead.pk])


@pytest.mark.parametrize(("who", "status"), [("bob", 403), ("dora", 403), ("olga", 403)])
def test_only_the_institution_invites(
    need: Need, capability: Capability, who: str, status: int, request: pytest.FixtureRequest
) -> None:
    response = _client(request.getfixturevalue(who)).post(
        reverse("leads:need_invite", args=[need.pk]), {"capability": capability.pk}
    )

    assert response.status_code == status
    assert not Lead.objects.exists()
    assert not Notification.objects.exists()


def test_another_institutions_draft_need_is_not_found(
    taxonomy: dict[str, Any], capability: Capability, dora: User
) -> None:
    draft = NeedFactory.create(organization=dora.organization, status=Need.Status.DRAFT)
    other = UserFactory.create(organization=OrganizationFactory.create())

    response = _client(other).post(
        reverse("leads:need_invite", args=[draft.pk]), {"capability": capability.pk}
    )

    assert response.status_code == 404
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("capability_field", "error"),
    [("", "请选择要邀请的能力档案。"), ("999999", "该能力档案不存在或未发布，不能邀请。")],
)
def test_inviting_an_unknown_profile_says_why_and_makes_nothing(
    need: Need, alice: User, capability_field: str, error: str
) -> None:
    response = _client(alice).post(
        reverse("leads:need_invite", args=[need.pk]),
        {"capability": capability_field},
        follow=True,
    )

    assert _messages(response) == [error]
    assert not Lead.objects.exists()


def test_inviting_a_declined_vendor_is_refused(
    lead: Lead, need: Need, alice: User, bob: User
) -> None:
    services.lead_decline(lead, bob, reason="budget")
    before = _state(lead)

    response = _client(alice).post(
        reverse("leads:need_invite", args=[need.pk]),
        {"capability": lead.capability_id},
        follow=True,
    )

    assert _messages(response) == ["该供应商已婉拒或已被标记为不合适，不会再次对接。"]
    assert _state(lead) == before


def test_the_institution_marks_a_vendor_not_fit(
    lead: Lead, need: Need, taxonomy: dict[str, Any], kangtu: Organization, alice: User
) -> None:
    second = CapabilityFactory.create(organization=kangtu, robot_type=taxonomy["care_robot"])

    response = _client(alice).post(
        reverse("leads:need_not_fit", args=[need.pk]), {"vendor": kangtu.pk}, follow=True
    )

    assert set(Lead.objects.filter(need=need).values_list("capability_id", "demand_decision")) == {
        (lead.capability_id, "not_fit"),
        (second.pk, "not_fit"),
    }
    assert _messages(response) == ["已将“康途机器人”标记为不合适，不会再为此需求推荐它。"]


@pytest.mark.parametrize("who", ["bob", "dora", "olga"])
def test_only_the_institution_marks_not_fit(
    lead: Lead, need: Need, kangtu: Organization, who: str, request: pytest.FixtureRequest
) -> None:
    before = _state(lead)

    response = _client(request.getfixturevalue(who)).post(
        reverse("leads:need_not_fit", args=[need.pk]), {"vendor": kangtu.pk}
    )

    assert response.status_code == 403
    assert _state(lead) == before


def test_not_fit_for_an_institution_is_refused(
    lead: Lead, need: Need, yihe: Organization, alice: User
) -> None:
    before = _state(lead)

    response = _client(alice).post(
        reverse("leads:need_not_fit", args=[need.pk]), {"vendor": yihe.pk}, follow=True
    )

    assert _messages(response) == ["只能把供应商标记为不合适。"]
    assert _state(lead) == before


# --- The proposal download --------------------------------------------------------------------


@pytest.fixture
def proposed(lead: Lead, bob: User) -> Lead:
    return services.lead_respond(lead, bob, message="方案见附件。", proposal=_pdf())


@pytest.mark.parametrize("who", ["alice", "bob", "olga"])
def test_the_proposal_is_served_to_both_sides_and_organisers(
    proposed: Lead, who: str, request: pytest.FixtureRequest
) -> None:
    response = _client(request.getfixturevalue(who)).get(_url("lead_proposal", proposed))

    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert b"".join(cast(Iterator[bytes], response.streaming_content)) == PDF
    assert response["Content-Disposition"] == (f'attachment; filename="proposal-{proposed.pk}.pdf"')


@pytest.mark.parametrize("who", ["victor", "dora"])
def test_the_proposal_is_not_found_for_anyone_else(
    proposed: Lead, who: str, request: pytest.FixtureRequest
) -> None:
    response = _client(request.getfixturevalue(who)).get(_url("lead_proposal", proposed))
    assert response.status_code == 404


def test_the_proposal_needs_a_login_and_the_page_never_links_the_media_file(
    proposed: Lead, alice: User
) -> None:
    response = _client(None).get(_url("lead_proposal", proposed))
    assert response.status_code == 302

    page = _client(alice).get(_url("lead_detail", proposed)).content.decode()
    assert _url("lead_proposal", proposed) in page
    assert proposed.proposal.name not in page


def test_a_lead_without_a_proposal_has_nothing_to_download(lead: Lead, alice: User) -> None:
    assert _client(alice).get(_url("lead_proposal", lead)).status_code == 404


# --- The need's matches page --------------------------------------------------------------------


def test_the_matches_page_shows_each_vendors_lead_state_and_the_institutions_actions(
    ranked: dict[str, Any], alice: User, bob: User, victor: User, olga: User
) -> None:
    # given bob answered the matcher's lead, and victor's profile was invited and declined
    need = ranked["need"]
    lead = LeadFactory.create(need=need, capability=ranked["certified"])
    services.lead_respond(lead, bob, message="可提供两台康复外骨骼试用。")
    invited = services.lead_invite(need, ranked["uncertified"], alice)
    services.lead_decline(invited, victor, reason=Lead.DeclineReason.OTHER, note="暂无注册证")
    url = reverse("matches:need_matches", args=[need.pk])

    # when
    page = _client(alice).get(url)

    # then the ranked row of bob's profile carries its lead and the accept action
    assert page.status_code == 200
    rows = {row.other.pk: row for row in page.context["rows"]}
    assert rows[ranked["certified"].pk].lead == lead
    assert rows[ranked["certified"].pk].actions.accept
    # victor's declined profile is no longer ranked, but is among the responses
    assert ranked["uncertified"].pk not in rows
    responses = [row[0].pk for row in page.context["response_rows"]]
    assert set(responses) == {lead.pk, invited.pk}
    body = page.content.decode()
    assert "可提供两台康复外骨骼试用。" in body
    assert "暂无注册证" in body
    assert reverse("leads:lead_accept", args=[lead.pk]) in body
    assert reverse("leads:need_invite", args=[need.pk]) in body

    # organisers see the same states but no actions
    organiser_page = _client(olga).get(url)
    assert organiser_page.status_code == 200
    assert "可提供两台康复外骨骼试用。" in organiser_page.content.decode()
    assert reverse("leads:need_invite", args=[need.pk]) not in organiser_page.content.decode()
    assert reverse("leads:lead_accept", args=[lead.pk]) not in organiser_page.content.decode()


def test_the_matches_page_lists_every_answer_latest_first_a_page_at_a_time(
    ranked: dict[str, Any], alice: User, bob: User, kangtu: Organization, settings: Any
) -> None:
    # given three answers on the need and one lead still unanswered, two per page
    settings.MARKETPLACE_PAGE_SIZE = 2
    need = ranked["need"]
    answered = []
    for number in range(3):
        lead = LeadFactory.create(
            need=need, capability=CapabilityFactory.create(organization=kangtu)
        )
        services.lead_respond(lead, bob, message=f"第 {number} 个回复")
        answered.append(lead.pk)
    LeadFactory.create(need=need, capability=CapabilityFactory.create(organization=kangtu))
    url = reverse("matches:need_matches", args=[need.pk])

    # when
    first = _client(alice).get(url)
    second = _client(alice).get(url, {"page": 2})

    # then
    shown = [row[0].pk for page in (first, second) for row in page.context["response_rows"]]
    assert shown == list(reversed(answered))
    assert first.context["responses"].paginator.num_pages == 2
    assert "第 2 个回复" in first.content.decode()
    assert "第 0 个回复" in second.content.decode()


# --- The institution's responses ------------------------------------------------------------------

RESPONSES = reverse("leads:lead_responses")


def test_the_institution_sees_responses_across_its_needs(
    lead: Lead,
    need: Need,
    taxonomy: dict[str, Any],
    rival: Organization,
    alice: User,
    bob: User,
    dora: User,
) -> None:
    # given one answered lead and one not yet answered
    services.lead_respond(lead, bob, message="有意向。")
    silent = CapabilityFactory.create(organization=rival, robot_type=taxonomy["care_robot"])
    LeadFactory.create(need=need, capability=silent)

    page = _client(alice).get(RESPONSES)

    assert page.status_code == 200
    assert [lead_.pk for lead_, _actions in page.context["rows"]] == [lead.pk]
    assert reverse("leads:lead_accept", args=[lead.pk]) in page.content.decode()
    assert _client(alice).get(RESPONSES, {"tab": "in_talks"}).context["rows"] == []
    assert _client(dora).get(RESPONSES).context["rows"] == []


@pytest.mark.parametrize("who", ["bob", "olga"])
def test_the_responses_page_is_for_institutions(who: str, request: pytest.FixtureRequest) -> None:
    assert _client(request.getfixturevalue(who)).get(RESPONSES).status_code == 403


# --- Alert settings -----------------------------------------------------------------------------

ALERTS = reverse("leads:lead_alerts")


def test_alert_settings_show_the_defaults_without_writing(bob: User) -> None:
    page = _client(bob).get(ALERTS)

    assert page.status_code == 200
    assert page.context["form"].initial == {"enabled": True, "min_score": 60, "daily_limit": 10}
    assert not LeadAlertPreference.objects.exists()


def test_the_vendor_changes_its_alert_settings_on_the_0_to_100_scale(
    bob: User, kangtu: Organization
) -> None:
    response = _client(bob).post(ALERTS, {"min_score": "75", "daily_limit": "5"})

    assert response.status_code == 302
    preference = LeadAlertPreference.objects.get(organization=kangtu)
    assert (preference.enabled, preference.min_score, preference.daily_limit) == (False, 0.75, 5)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"enabled": "on", "min_score": "101", "daily_limit": "10"},
            {"min_score": ["提醒门槛不能大于 100。"]},
        ),
        (
            {"enabled": "on", "min_score": "-1", "daily_limit": "10"},
            {"min_score": ["提醒门槛不能小于 0。"]},
        ),
        (
            {"enabled": "on", "min_score": "高", "daily_limit": "10"},
            {"min_score": ["提醒门槛须是 0 到 100 之间的整数，例如 60。"]},
        ),
        (
            {"enabled": "on", "min_score": "0.6", "daily_limit": "10"},
            {"min_score": ["提醒门槛须是 0 到 100 之间的整数，例如 60。"]},
        ),
        (
            {"enabled": "on", "min_score": "50", "daily_limit": "0"},
            {"daily_limit": ["每日提醒上限至少为 1。"]},
        ),
        (
            {"enabled": "on", "min_score": "50", "daily_limit": "201"},
            {"daily_limit": ["每日提醒上限不能超过 200。"]},
        ),
        (
            {"enabled": "on", "min_score": "", "daily_limit": ""},
            {"min_score": ["请填写提醒门槛。"], "daily_limit": ["请填写每日提醒上限。"]},
        ),
    ],
)
def test_bad_alert_settings_say_what_is_wrong_and_save_nothing(
    bob: User, kangtu: Organization, data: dict[str, str], errors: dict[str, list[str]]
) -> None:
    LeadAlertPreference.objects.create(organization=kangtu, min_score=0.6, daily_limit=10)

    response = _client(bob).post(ALERTS, data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    preference = LeadAlertPreference.objects.get(organization=kangtu)
    assert (preference.enabled, preference.min_score, preference.daily_limit) == (True, 0.6, 10)


@pytest.mark.parametrize("who", ["alice", "olga"])
def test_alert_settings_are_for_vendors(who: str, request: pytest.FixtureRequest) -> None:
    client = _client(request.getfixturevalue(who))
    assert client.get(ALERTS).status_code == 403
    assert client.post(ALERTS, {"min_score": "50", "daily_limit": "3"}).status_code == 403
    assert not LeadAlertPreference.objects.exists()


# --- Links --------------------------------------------------------------------------------------


def test_vendors_and_institutions_find_their_pages_in_the_nav(alice: User, bob: User) -> None:
    vendor_home = _client(bob).get(reverse("capabilities:my_capabilities")).content.decode()
    institution_home = _client(alice).get(reverse("needs:my_needs")).content.decode()

    assert f'href="{INBOX}"' in vendor_home
    assert f'href="{RESPONSES}"' not in vendor_home
    assert f'href="{RESPONSES}"' in institution_home
    assert f'href="{INBOX}"' not in institution_home
    notifications = reverse("notifications:notification_list")
    assert (
        f'href="{notifications}"' in vendor_home and f'href="{notifications}"' in institution_home
    )
