"""Leads through the API: the handshake that opens contact details, suppression, refused
transitions, the proposal file, notifications and the vendor's alert settings.

颐和苑 (alice) published a need; 康途 (bob) has a published profile; the matcher paired them as a
new lead. 另一家供应商 (victor) and 康宁护理院 (dan) are the other organisations; olga organises.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.leads.proposals import PROPOSAL_MAX_BYTES
from marketplace.models import Capability, Lead, LeadAlertPreference, Need, Notification
from tests.conftest import ClientFor
from tests.marketplace.factories import CapabilityFactory, NeedFactory

pytestmark = pytest.mark.usefixtures("lead_links")

LEADS = "/api/v1/leads/"
ALERTS = "/api/v1/lead-alerts/"
NOTIFICATIONS = "/api/v1/notifications/"
PDF = b"%PDF-1.4 proposal for the pilot"


@pytest.fixture
def need(taxonomy: dict[str, Any], yihe: Organization) -> Need:
    now = timezone.now()
    return NeedFactory.create(
        organization=yihe,
        title="夜间巡视机器人",
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
        status=Need.Status.PUBLISHED,
        published_at=now,
        expires_at=now + timedelta(days=30),
    )


def _capability(organization: Organization, taxonomy: dict[str, Any], **fields: Any) -> Capability:
    capability = CapabilityFactory.create(
        organization=organization, robot_type=taxonomy["care_robot"], **fields
    )
    capability.domains.set([taxonomy["civil"]])
    capability.service_regions.set([taxonomy["regions"]["全国"]])
    return capability


@pytest.fixture
def capability(taxonomy: dict[str, Any], kangtu: Organization) -> Capability:
    return _capability(kangtu, taxonomy, title="护理机器人 X1")


def _lead(need: Need, capability: Capability, **fields: Any) -> Lead:
    fields.setdefault("score", 0.8)
    return Lead.objects.create(
        need=need,
        capability=capability,
        demand_id=need.organization_id,
        vendor_id=capability.organization_id,
        **fields,
    )


@pytest.fixture
def lead(need: Need, capability: Capability) -> Lead:
    return _lead(need, capability, score=0.82)


def _pdf(name: str = "方案.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _state(lead: Lead) -> dict[str, Any]:
    values: dict[str, Any] = dict(Lead.objects.filter(pk=lead.pk).values().get())
    values.pop("updated_at")
    return values


def _contact(organization: Organization) -> dict[str, Any]:
    return {
        "organization": organization.pk,
        "contact_person": organization.contact_person,
        "phone": organization.phone,
        "email": organization.email,
    }


def _error_fields(response: Any) -> dict[str, list[str]]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == "invalid"
    fields: dict[str, list[str]] = body["error"]["fields"]
    return fields


# --- The handshake ------------------------------------------------------------------------------


def test_vendor_responds_institution_accepts_and_only_then_contacts_appear(
    lead: Lead,
    alice: User,
    bob: User,
    yihe: Organization,
    kangtu: Organization,
    client_for: ClientFor,
) -> None:
    # given
    vendor, institution = client_for(bob), client_for(alice)
    detail = f"{LEADS}{lead.pk}/"

    # when the vendor opens the new lead
    opened = vendor.get(detail)

    # then it is viewed, and neither side sees the other's contact details yet
    assert opened.status_code == 200
    assert opened.json()["status"] == "viewed"
    assert opened.json()["viewed_at"] is not None
    assert opened.json()["contact"] is None
    assert institution.get(detail).json()["contact"] is None

    # when the vendor says it is interested, with a proposal
    responded = vendor.post(
        f"{detail}respond/",
        {"message": "  我们可提供两台试点设备。 ", "proposal": _pdf()},
        format="multipart",
    )

    # then the institution hears of it; contacts stay hidden until it accepts
    assert responded.status_code == 200, responded.content
    body = responded.json()
    assert body["status"] == "interested"
    assert body["message"] == "我们可提供两台试点设备。"
    assert body["proposal"] == f"http://testserver/api/v1/leads/{lead.pk}/proposal/"
    assert body["contact"] is None
    assert Notification.objects.filter(user=alice, kind=Notification.Kind.RESPONSE).count() == 1
    listed = institution.get(LEADS).json()["results"]
    assert [(item["id"], item["status"], item["contact"]) for item in listed] == [
        (lead.pk, "interested", None)
    ]

    # when the institution accepts
    accepted = institution.post(f"{detail}accept/", {"message": "请来现场看看。"}, format="json")

    # then the pair is in talks and each side sees the other's contact details
    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert (body["status"], body["demand_decision"]) == ("in_talks", "accepted")
    assert body["agreed_at"] is not None
    assert body["demand_message"] == "请来现场看看。"
    assert body["contact"] == _contact(kangtu)
    assert vendor.get(detail).json()["contact"] == _contact(yihe)
    assert Need.objects.get(pk=lead.need_id).status == Need.Status.IN_TALKS
    assert Notification.objects.filter(user=bob, kind=Notification.Kind.DECISION).count() == 1


def test_a_response_to_an_invitation_puts_the_pair_in_talks_at_once(
    lead: Lead,
    need: Need,
    capability: Capability,
    alice: User,
    bob: User,
    yihe: Organization,
    client_for: ClientFor,
) -> None:
    # when the institution invites the profile
    invited = client_for(alice).post(
        f"/api/v1/needs/{need.pk}/invite/",
        {"capability": capability.pk, "message": "欢迎来院演示。"},
        format="json",
    )

    # then the vendor is told, but contacts stay hidden until it answers
    assert invited.status_code == 200, invited.content
    assert invited.json()["id"] == lead.pk
    assert invited.json()["demand_decision"] == "invited"
    assert invited.json()["contact"] is None
    assert Notification.objects.filter(user=bob, kind=Notification.Kind.INVITATION).count() == 1

    # when the vendor answers
    responded = client_for(bob).post(
        f"{LEADS}{lead.pk}/respond/", {"message": "好的，下周可以。"}, format="multipart"
    )

    # then they are in talks
    assert responded.status_code == 200, responded.content
    assert responded.json()["status"] == "in_talks"
    assert responded.json()["contact"] == _contact(yihe)


# --- Suppression --------------------------------------------------------------------------------


def test_a_vendor_decline_ends_the_pair_for_both_sides(
    lead: Lead, need: Need, capability: Capability, alice: User, bob: User, client_for: ClientFor
) -> None:
    # when
    declined = client_for(bob).post(
        f"{LEADS}{lead.pk}/decline/", {"reason": "out_of_region", "note": "暂不覆盖"}, format="json"
    )

    # then
    assert declined.status_code == 200, declined.content
    body = declined.json()
    assert (body["status"], body["decline_reason"], body["decline_note"]) == (
        "declined",
        "out_of_region",
        "暂不覆盖",
    )
    assert list(Lead.objects.suppressed()) == [lead]
    assert Notification.objects.filter(user=alice, kind=Notification.Kind.RESPONSE).exists()

    # and the institution cannot invite the pair back, nor the vendor change its mind
    before = _state(lead)
    invited = client_for(alice).post(
        f"/api/v1/needs/{need.pk}/invite/", {"capability": capability.pk}, format="json"
    )
    assert invited.status_code == 400
    assert _error_fields(invited) == {
        "non_field_errors": ["该供应商已婉拒或已被标记为不合适，不会再次对接。"]
    }
    responded = client_for(bob).post(
        f"{LEADS}{lead.pk}/respond/", {"message": "改主意了"}, format="multipart"
    )
    assert responded.status_code == 400
    assert _error_fields(responded) == {
        "non_field_errors": ["这条线索已是“已婉拒”，不能再表示意向。"]
    }
    assert _state(lead) == before


def test_not_fit_ends_every_profile_of_the_vendor_for_that_need(
    lead: Lead,
    need: Need,
    taxonomy: dict[str, Any],
    kangtu: Organization,
    alice: User,
    bob: User,
    client_for: ClientFor,
) -> None:
    # given a second profile of the same vendor, not yet paired with the need
    second = _capability(kangtu, taxonomy, title="护理机器人 X2")

    # when
    response = client_for(alice).post(
        f"/api/v1/needs/{need.pk}/not-fit/", {"vendor": kangtu.pk}, format="json"
    )

    # then
    assert response.status_code == 200, response.content
    assert sorted(
        (item["capability"]["id"], item["demand_decision"]) for item in response.json()
    ) == [
        (lead.capability_id, "not_fit"),
        (second.pk, "not_fit"),
    ]
    assert Lead.objects.suppressed().count() == 2
    responded = client_for(bob).post(
        f"{LEADS}{lead.pk}/respond/", {"message": "我们还想试试"}, format="multipart"
    )
    assert responded.status_code == 400
    assert _error_fields(responded) == {"non_field_errors": ["需求方已结束与贵方就此需求的对接。"]}


def test_not_fit_names_a_vendor(
    need: Need, yihe: Organization, kangning: Organization, alice: User, client_for: ClientFor
) -> None:
    # when
    response = client_for(alice).post(
        f"/api/v1/needs/{need.pk}/not-fit/", {"vendor": kangning.pk}, format="json"
    )

    # then
    assert response.status_code == 400
    assert _error_fields(response) == {"non_field_errors": ["只能把供应商标记为不合适。"]}
    assert not Lead.objects.exists()


# --- Refused transitions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "actor", "action", "body", "message"),
    [
        ({}, "alice", "accept", {}, "只能接受供应商“有意向”的回复。"),
        ({"status": Lead.Status.VIEWED}, "alice", "accept", {}, "只能接受供应商“有意向”的回复。"),
        (
            {"status": Lead.Status.DECLINED, "decline_reason": "budget"},
            "bob",
            "decline",
            {"reason": "timing"},
            "这条线索已婉拒。",
        ),
        (
            {"status": Lead.Status.IN_TALKS},
            "bob",
            "respond",
            {"message": "再说一次"},
            "这条线索已是“洽谈中”，不能再表示意向。",
        ),
        (
            {"status": Lead.Status.INTERESTED, "demand_decision": "declined"},
            "alice",
            "reject",
            {},
            "该对接已经结束。",
        ),
        (
            {"status": Lead.Status.INTERESTED, "demand_decision": "not_fit"},
            "alice",
            "accept",
            {},
            "只能接受供应商“有意向”的回复。",
        ),
    ],
    ids=[
        "accept a new lead",
        "accept a viewed lead",
        "decline twice",
        "respond while in talks",
        "reject twice",
        "accept after not fit",
    ],
)
def test_a_refused_transition_is_400_in_chinese_and_changes_nothing(
    fields: dict[str, Any],
    actor: str,
    action: str,
    body: dict[str, Any],
    message: str,
    need: Need,
    capability: Capability,
    alice: User,
    bob: User,
    client_for: ClientFor,
) -> None:
    # given
    lead = _lead(need, capability, **fields)
    before = _state(lead)
    notifications = Notification.objects.count()

    # when
    response = client_for({"alice": alice, "bob": bob}[actor]).post(
        f"{LEADS}{lead.pk}/{action}/",
        body,
        format="multipart" if action == "respond" else "json",
    )

    # then
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "无效的输入。"
    assert _error_fields(response) == {"non_field_errors": [message]}
    assert _state(lead) == before
    assert Notification.objects.count() == notifications


def test_inviting_a_profile_one_may_not_see_names_the_field(
    need: Need, taxonomy: dict[str, Any], rival: Organization, alice: User, client_for: ClientFor
) -> None:
    # given a draft profile of another vendor
    draft = _capability(rival, taxonomy, status=Capability.Status.DRAFT)

    # when
    response = client_for(alice).post(
        f"/api/v1/needs/{need.pk}/invite/", {"capability": draft.pk}, format="json"
    )

    # then
    assert response.status_code == 400
    assert list(_error_fields(response)) == ["capability"]
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"reason": ["该字段是必填项。"]}),
        ({"reason": "bored"}, {"reason": ["“bored” 不是合法选项。"]}),
        ({"reason": "other", "note": "  "}, {"note": ["选择“其他”时请补充说明。"]}),
    ],
    ids=["no reason", "unknown reason", "other without a note"],
)
def test_decline_input_is_checked(
    body: dict[str, Any],
    fields: dict[str, list[str]],
    lead: Lead,
    bob: User,
    client_for: ClientFor,
) -> None:
    # given
    before = _state(lead)

    # when
    response = client_for(bob).post(f"{LEADS}{lead.pk}/decline/", body, format="json")

    # then
    assert response.status_code == 400
    assert _error_fields(response) == fields
    assert _state(lead) == before


# --- The proposal -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            lambda: {"message": "   "},
            {"message": ["请写一句回复留言，说明贵方能提供什么。"]},
        ),
        (
            lambda: {"message": "见附件", "proposal": _pdf("setup.exe", b"MZ")},
            {
                "proposal": [
                    "附件格式不支持，请上传 PDF、DOC、DOCX、PPT、PPTX、XLS、XLSX、PNG、JPG 文件。"
                ]
            },
        ),
        (
            lambda: {
                "message": "见附件",
                "proposal": _pdf(content=b"0" * (PROPOSAL_MAX_BYTES + 1)),
            },
            {"proposal": ["附件不能超过 10 MB。"]},
        ),
    ],
    ids=["blank message", "wrong file type", "too large"],
)
def test_a_response_is_checked_before_anything_is_stored(
    body: Callable[[], dict[str, Any]],
    fields: dict[str, list[str]],
    lead: Lead,
    bob: User,
    media_root: Path,
    private_root: Path,
    client_for: ClientFor,
) -> None:
    # given
    before = _state(lead)

    # when
    response = client_for(bob).post(f"{LEADS}{lead.pk}/respond/", body(), format="multipart")

    # then
    assert response.status_code == 400
    assert _error_fields(response) == fields
    assert _state(lead) == before
    assert not (media_root / "proposals").exists()
    assert not list(private_root.rglob("*"))  # proposals are private files
    assert not Notification.objects.exists()


def test_the_proposal_is_downloaded_by_both_sides_and_organisers_only(
    lead: Lead,
    alice: User,
    bob: User,
    olga: User,
    dan: User,
    victor: User,
    client_for: ClientFor,
) -> None:
    # given
    responded = client_for(bob).post(
        f"{LEADS}{lead.pk}/respond/",
        {"message": "见附件", "proposal": _pdf()},
        format="multipart",
    )
    url = responded.json()["proposal"]

    # then the two sides and organisers get the file, as an attachment
    for user in (alice, bob, olga):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="proposal-{lead.pk}.pdf"'
    # and nobody else learns that it exists
    for user in (dan, victor):
        assert client_for(user).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 401
    # and the stored file has a generated name, not the client's
    assert Lead.objects.get(pk=lead.pk).proposal.name.startswith("proposals/")
    assert "方案" not in Lead.objects.get(pk=lead.pk).proposal.name


def test_a_lead_without_a_proposal_has_none_to_download(
    lead: Lead, alice: User, client_for: ClientFor
) -> None:
    # when
    detail = client_for(alice).get(f"{LEADS}{lead.pk}/")
    download = client_for(alice).get(f"{LEADS}{lead.pk}/proposal/")

    # then
    assert detail.json()["proposal"] is None
    assert download.status_code == 404
    assert download.json()["error"]["code"] == "not_found"


# --- Lists --------------------------------------------------------------------------------------


def test_each_side_lists_its_own_leads_and_filters_them(
    lead: Lead,
    need: Need,
    taxonomy: dict[str, Any],
    yihe: Organization,
    kangtu: Organization,
    rival: Organization,
    kangning: Organization,
    alice: User,
    bob: User,
    victor: User,
    olga: User,
    client_for: ClientFor,
) -> None:
    # given a lead for another vendor on the same need, and one of bob's on another institution's
    rivals = _lead(need, _capability(rival, taxonomy), score=0.7, status=Lead.Status.INTERESTED)
    other_need = NeedFactory.create(
        organization=kangning, domain=taxonomy["civil"], region=taxonomy["regions"]["青岛市"]
    )
    elsewhere = _lead(other_need, lead.capability, score=0.9)

    def ids(user: User, query: str = "") -> list[int]:
        response = client_for(user).get(f"{LEADS}{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    # then (best match first)
    assert ids(bob) == [elsewhere.pk, lead.pk]
    assert ids(victor) == [rivals.pk]
    assert ids(alice) == [lead.pk, rivals.pk]
    assert ids(olga) == [elsewhere.pk, lead.pk, rivals.pk]
    assert ids(alice, "?status=interested") == [rivals.pk]
    assert ids(alice, "?demand_decision=none") == [lead.pk, rivals.pk]
    assert ids(olga, f"?need={other_need.pk}") == [elsewhere.pk]
    assert ids(olga, f"?capability={lead.capability_id}") == [elsewhere.pk, lead.pk]
    assert ids(victor, f"?need={other_need.pk}") == []

    # and each item names both sides and both subjects
    item = client_for(alice).get(f"{LEADS}?capability={lead.capability_id}").json()["results"][0]
    assert item["need"] == {"id": need.pk, "title": "夜间巡视机器人"}
    assert item["capability"] == {"id": lead.capability_id, "title": "护理机器人 X1"}
    assert item["demand"] == {"id": yihe.pk, "name": "颐和苑养老中心", "kind": "demand"}
    assert item["vendor"] == {"id": kangtu.pk, "name": "康途机器人", "kind": "vendor"}
    assert (item["score"], item["eligible"], item["source"]) == (0.82, True, "matcher")
    assert item["decline_reason"] is None


def test_an_unknown_filter_value_is_400(alice: User, client_for: ClientFor) -> None:
    # when
    response = client_for(alice).get(f"{LEADS}?status=maybe")

    # then
    assert response.status_code == 400
    assert list(_error_fields(response)) == ["status"]


def test_organisers_see_the_vendor_contact_and_do_not_mark_leads_viewed(
    lead: Lead, olga: User, kangtu: Organization, client_for: ClientFor
) -> None:
    # when
    response = client_for(olga).get(f"{LEADS}{lead.pk}/")

    # then
    assert response.json()["status"] == "new"
    assert response.json()["contact"] == _contact(kangtu)


def test_a_page_of_leads_shows_contacts_of_pairs_in_talks_only_in_a_fixed_number_of_queries(
    need: Need,
    taxonomy: dict[str, Any],
    yihe: Organization,
    kangning: Organization,
    kangtu: Organization,
    bob: User,
    client_for: ClientFor,
    django_assert_max_num_queries: Any,
) -> None:
    # given bob's profile is paired with two institutions' needs, one pair in talks
    profile = _capability(kangtu, taxonomy, title="护理机器人 X1")
    other_need = NeedFactory.create(
        organization=kangning,
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
        status=Need.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    talking = _lead(
        need,
        profile,
        status=Lead.Status.IN_TALKS,
        demand_decision=Lead.DemandDecision.ACCEPTED,
        score=0.9,
    )
    quiet = _lead(other_need, profile, score=0.7)
    client = client_for(bob)

    # when he lists his leads
    with django_assert_max_num_queries(6):
        listed = client.get(LEADS).json()["results"]

    # then only the pair in talks shows the institution's contact details
    assert {item["id"]: item["contact"] for item in listed} == {
        talking.pk: _contact(yihe),
        quiet.pk: None,
    }
    # and more leads on the page cost no more queries
    for number in range(8):
        extra_need = NeedFactory.create(
            organization=kangning,
            title=f"需求 {number}",
            domain=taxonomy["civil"],
            region=taxonomy["regions"]["青岛市"],
            status=Need.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        _lead(extra_need, profile, score=0.5)
    with django_assert_max_num_queries(6):
        assert len(client.get(LEADS).json()["results"]) == 10


# --- Notifications ------------------------------------------------------------------------------


def _notify(user: User, key: str, *, read: bool = False) -> Notification:
    return Notification.objects.create(
        user=user,
        kind=Notification.Kind.NEW_LEAD,
        key=key,
        title=f"新线索 {key}",
        url="/leads/1/",
        read_at=timezone.now() if read else None,
    )


def test_notifications_list_only_ones_own_and_filter_unread(
    alice: User, bob: User, client_for: ClientFor
) -> None:
    # given
    old = _notify(alice, "a", read=True)
    new = _notify(alice, "b")
    _notify(bob, "c")

    def ids(query: str = "") -> list[int]:
        response = client_for(alice).get(f"{NOTIFICATIONS}{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    # then
    assert ids() == [new.pk, old.pk]
    assert ids("?unread=true") == [new.pk]
    assert ids("?unread=false") == [old.pk]
    item = client_for(alice).get(NOTIFICATIONS).json()["results"][0]
    assert {key: item[key] for key in ("kind", "title", "url", "read_at")} == {
        "kind": "new_lead",
        "title": "新线索 b",
        "url": "/leads/1/",
        "read_at": None,
    }


def test_marking_notifications_read_touches_only_ones_own(
    alice: User, bob: User, client_for: ClientFor
) -> None:
    # given
    first, second, third = _notify(alice, "1"), _notify(alice, "2"), _notify(alice, "3")
    bobs = _notify(bob, "4")

    # when some are named (and someone else's id too)
    response = client_for(alice).post(
        f"{NOTIFICATIONS}read/", {"ids": [first.pk, bobs.pk]}, format="json"
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json() == {"marked": 1, "unread": 2}
    assert Notification.objects.get(pk=bobs.pk).read_at is None

    # when all are
    response = client_for(alice).post(f"{NOTIFICATIONS}read/", {"all": True}, format="json")

    # then
    assert response.json() == {"marked": 2, "unread": 0}
    assert not Notification.objects.filter(pk__in=[second.pk, third.pk], read_at=None).exists()


@pytest.mark.parametrize(
    "body", [{}, {"all": False}, {"all": True, "ids": [1]}, {"ids": []}], ids=str
)
def test_marking_read_takes_ids_or_all(
    body: dict[str, Any], alice: User, client_for: ClientFor
) -> None:
    # given
    notification = _notify(alice, "1")

    # when
    response = client_for(alice).post(f"{NOTIFICATIONS}read/", body, format="json")

    # then
    assert response.status_code == 400
    assert list(_error_fields(response)) == ["ids"]
    assert Notification.objects.get(pk=notification.pk).read_at is None


# --- Alert settings -----------------------------------------------------------------------------


def test_alert_settings_default_without_writing_and_are_changed_by_the_vendor(
    bob: User, kangtu: Organization, client_for: ClientFor
) -> None:
    # when
    shown = client_for(bob).get(ALERTS)

    # then
    assert shown.status_code == 200
    assert shown.json() == {"enabled": True, "min_score": 0.6, "daily_limit": 10}
    assert not LeadAlertPreference.objects.exists()

    # when
    changed = client_for(bob).put(
        ALERTS, {"enabled": False, "min_score": 0.75, "daily_limit": 3}, format="json"
    )

    # then
    assert changed.status_code == 200, changed.content
    assert changed.json() == {"enabled": False, "min_score": 0.75, "daily_limit": 3}
    preference = LeadAlertPreference.objects.get(organization=kangtu)
    assert (preference.enabled, preference.min_score, preference.daily_limit) == (False, 0.75, 3)
    assert client_for(bob).get(ALERTS).json() == changed.json()


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"enabled": True, "min_score": 1.5, "daily_limit": 5}, ["min_score"]),
        ({"enabled": True, "min_score": -0.1, "daily_limit": 5}, ["min_score"]),
        ({"enabled": True, "min_score": 0.5, "daily_limit": 0}, ["daily_limit"]),
        ({"enabled": True, "min_score": 0.5, "daily_limit": 201}, ["daily_limit"]),
        ({"min_score": 0.5}, ["enabled", "daily_limit"]),
    ],
    ids=["score above 1", "negative score", "no alerts a day", "too many a day", "missing"],
)
def test_alert_settings_are_checked(
    body: dict[str, Any],
    fields: list[str],
    bob: User,
    kangtu: Organization,
    client_for: ClientFor,
) -> None:
    # given
    LeadAlertPreference.objects.create(organization=kangtu, min_score=0.7, daily_limit=4)

    # when
    response = client_for(bob).put(ALERTS, body, format="json")

    # then
    assert response.status_code == 400
    errors = _error_fields(response)
    assert sorted(errors) == sorted(fields)
    assert all(message.isascii() is False for messages in errors.values() for message in messages)
    preference = LeadAlertPreference.objects.get()
    assert (preference.enabled, preference.min_score, preference.daily_limit) == (True, 0.7, 4)
