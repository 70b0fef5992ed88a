"""Who may do what through the API: every endpoint × role × own/other object, in one table.

An object a user may not see answers 404 (its existence is not revealed); one they may see but not
change answers 403; an anonymous write answers 401. Every refused request leaves the database as
it was.

Roles: ``anonymous``; ``demand_own`` (alice, 颐和苑, which owns the needs below); ``demand_other``
(dan, 康宁护理院); ``vendor_own`` (bob, 康途, which owns the capability profiles below);
``vendor_other`` (victor); ``organiser`` (olga, 对接办, which runs the events below);
``organiser_other`` (oscar, 别的组织方); ``pending_org`` (nina, whose 新来养老院 is still waiting
for review). The lead pairs 颐和苑's published need with 康途's published profile; 康途 has said
it is interested and attached a proposal. Everyone has one unread notification.

Every organiser has the same powers over the marketplace; only an event belongs to one. So
``organiser_other`` expects what ``organiser`` does unless a case says otherwise.

Two events of 对接办 today, each with 颐和苑 and 康途 as participants, the pair on the shortlist
and one meeting: ``event`` with a draft schedule (and 第三供应商, a participant without
meetings), ``event_published`` with its schedule published. 康宁 and 另一家供应商 take part in
neither.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from accounts.models import Organization, User
from marketplace.events import scheduling as matching_events
from marketplace.events import services as event_services
from marketplace.models import (
    AuditEntry,
    Capability,
    Event,
    EventParticipant,
    EventTable,
    ImportJob,
    Lead,
    LeadAlertPreference,
    Meeting,
    Need,
    NeedRevision,
    Notification,
    ShortlistEntry,
)
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.conftest import PASSWORD, ClientFor
from tests.marketplace.factories import CapabilityFactory, NeedFactory

ROLES = (
    "anonymous",
    "demand_own",
    "demand_other",
    "vendor_own",
    "vendor_other",
    "organiser",
    "organiser_other",
    "pending_org",
)

Body = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]] | None


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # formatted with the world's ids, e.g. "/api/v1/needs/{need_draft}/"
    expected: dict[str, int]
    body: Body = None
    format: str = "json"
    extra: dict[str, Any] = field(default_factory=dict)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def roles(default: int, **overrides: int) -> dict[str, int]:
    """``organiser_other`` gets ``organiser``'s status unless it is given."""
    overrides.setdefault("organiser_other", overrides.get("organiser", default))
    return {role: overrides.get(role, default) for role in ROLES}


def _need_body(world: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "title": "康复训练机器人",
        "description": "为失能老人提供下肢康复训练。",
        "domain": "civil_affairs",
        "categories": ["rehab_training"],
        "region": "青岛市",
        **extra,
    }


def _capability_body(world: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "title": "护理机器人 X1",
        "description": "协助翻身、转移与夜间巡视。",
        "robot_type": "care_robot",
        "maturity": "pilot",
        "domains": ["civil_affairs"],
        "service_regions": ["全国"],
        **extra,
    }


def _import_file(world: dict[str, Any]) -> dict[str, Any]:
    document = {"organizations": [{"ref": "m-01", "name": "矩阵机构", "kind": "vendor"}]}
    content = json.dumps(document, ensure_ascii=False).encode()
    return {"file": SimpleUploadedFile("catalog.json", content, content_type="application/json")}


OWNER_WRITES_NEED = roles(403, anonymous=401, demand_own=200, organiser=200)
OWNER_WRITES_HIDDEN_NEED = roles(404, anonymous=401, demand_own=200, organiser=200)
OWNER_WRITES_CAPABILITY = roles(403, anonymous=401, vendor_own=200, organiser=200)
OWNER_WRITES_HIDDEN_CAPABILITY = roles(404, anonymous=401, vendor_own=200, organiser=200)
REVIEW_PENDING = roles(404, anonymous=401, organiser=200, pending_org=403)
ORGANISER_ONLY = roles(403, anonymous=401, organiser=200)
SIGNED_IN = roles(200, anonymous=401)
LEAD_SIDES = roles(404, anonymous=401, demand_own=200, vendor_own=200, organiser=200)
LEAD_VENDOR_ACTS = roles(404, anonymous=401, vendor_own=200, demand_own=403, organiser=403)
LEAD_INSTITUTION_ACTS = roles(404, anonymous=401, demand_own=200, vendor_own=403, organiser=403)
# Only the institution decides about its needs; organisers may see them but not decide.
NEED_INSTITUTION_ACTS = roles(403, anonymous=401, demand_own=200)
VENDORS_ONLY = roles(403, anonymous=401, vendor_own=200, vendor_other=200)


# Events: public; their organiser's tools refuse everyone else (403). Participants see their own
# participation, and their own meetings once the schedule is published; nobody else does (404).
EVENT_ORGANISER = roles(403, anonymous=401, organiser=200, organiser_other=403)
EVENT_SIDES = roles(
    404, anonymous=401, demand_own=200, vendor_own=200, organiser=200, organiser_other=404
)
EVENT_INSTITUTION = roles(404, anonymous=401, demand_own=200, organiser=200, organiser_other=404)
EVENT_ORGANISER_SEES = roles(404, anonymous=401, organiser=200, organiser_other=404)


def _event_body(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "矩阵对接会",
        "date": (timezone.localdate() + timedelta(days=100)).isoformat(),  # never in the past
        "breaks": [["10:00", "10:20"]],
        "tables": [{"name": "1号桌"}, {"name": "洽谈室A", "capacity": 2}],
    }


def _respond_body(world: dict[str, Any]) -> dict[str, Any]:
    proposal = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 matrix", content_type="application/pdf")
    return {"message": "我们可以提供两台试点设备。", "proposal": proposal}


CASES = [
    # Taxonomy, tokens
    Case("taxonomy", "get", "/api/v1/taxonomy/", everyone(200)),
    Case("token revoke", "delete", "/api/v1/auth/token/", roles(204, anonymous=401)),
    # Organisations
    Case("organization list", "get", "/api/v1/organizations/", everyone(200)),
    Case("approved organization", "get", "/api/v1/organizations/{yihe}/", everyone(200)),
    Case(
        "pending organization",
        "get",
        "/api/v1/organizations/{newcomer}/",
        roles(404, organiser=200, pending_org=200),
    ),
    Case("own organization", "get", "/api/v1/organizations/me/", roles(200, anonymous=401)),
    Case(
        "edit own organization",
        "patch",
        "/api/v1/organizations/me/",
        roles(200, anonymous=401),
        body={"introduction": "新的简介"},
    ),
    Case(
        "export own organization",
        "get",
        "/api/v1/organizations/me/export/",
        roles(200, anonymous=401),
    ),
    Case(
        "export organization",
        "get",
        "/api/v1/organizations/{yihe}/export/",
        roles(404, anonymous=401, demand_own=200, organiser=200),
    ),
    Case(
        "delete account with a wrong password",
        "delete",
        "/api/v1/account/",
        roles(400, anonymous=401),
        body={"password": "wrong-password"},
    ),
    # The last member of an organiser may not delete it (its events are everyone's history).
    Case(
        "delete account",
        "delete",
        "/api/v1/account/",
        roles(204, anonymous=401, organiser=400),
        body={"password": PASSWORD},
    ),
    Case(
        "approve pending organization",
        "post",
        "/api/v1/organizations/{newcomer}/approve/",
        REVIEW_PENDING,
    ),
    Case(
        "approve approved organization",
        "post",
        "/api/v1/organizations/{yihe}/approve/",
        roles(403, anonymous=401, organiser=200),
    ),
    Case(
        "reject pending organization",
        "post",
        "/api/v1/organizations/{newcomer}/reject/",
        REVIEW_PENDING,
        body={"note": "资料不全"},
    ),
    # Needs
    Case("need list", "get", "/api/v1/needs/", everyone(200)),
    Case("published need", "get", "/api/v1/needs/{need_published}/", everyone(200)),
    Case(
        "draft need",
        "get",
        "/api/v1/needs/{need_draft}/",
        roles(404, demand_own=200, organiser=200),
    ),
    Case(
        "create need for own organisation",
        "post",
        "/api/v1/needs/",
        roles(403, anonymous=401, demand_own=201, demand_other=201, organiser=400, pending_org=201),
        body=_need_body,
    ),
    Case(
        "create need naming 颐和苑",
        "post",
        "/api/v1/needs/",
        roles(403, anonymous=401, demand_own=201, demand_other=400, organiser=201, pending_org=400),
        body=lambda world: _need_body(world, organization=world["yihe"]),
    ),
    Case(
        "edit published need",
        "patch",
        "/api/v1/needs/{need_published}/",
        OWNER_WRITES_NEED,
        body={"title": "新标题"},
    ),
    Case(
        "edit draft need",
        "patch",
        "/api/v1/needs/{need_draft}/",
        OWNER_WRITES_HIDDEN_NEED,
        body={"title": "新标题"},
    ),
    Case(
        "submit draft need", "post", "/api/v1/needs/{need_draft}/submit/", OWNER_WRITES_HIDDEN_NEED
    ),
    Case(
        "renew published need", "post", "/api/v1/needs/{need_published}/renew/", OWNER_WRITES_NEED
    ),
    Case(
        "close published need",
        "post",
        "/api/v1/needs/{need_published}/status/",
        OWNER_WRITES_NEED,
        body={"status": "closed"},
    ),
    # Capabilities
    Case("capability list", "get", "/api/v1/capabilities/", everyone(200)),
    Case(
        "published capability",
        "get",
        "/api/v1/capabilities/{capability_published}/",
        everyone(200),
    ),
    Case(
        "draft capability",
        "get",
        "/api/v1/capabilities/{capability_draft}/",
        roles(404, vendor_own=200, organiser=200),
    ),
    Case(
        "create capability for own organisation",
        "post",
        "/api/v1/capabilities/",
        roles(403, anonymous=401, vendor_own=201, vendor_other=201, organiser=400),
        body=_capability_body,
    ),
    Case(
        "create capability naming 康途",
        "post",
        "/api/v1/capabilities/",
        roles(403, anonymous=401, vendor_own=201, vendor_other=400, organiser=201),
        body=lambda world: _capability_body(world, organization=world["kangtu"]),
    ),
    Case(
        "edit published capability",
        "patch",
        "/api/v1/capabilities/{capability_published}/",
        OWNER_WRITES_CAPABILITY,
        body={"title": "新名称"},
    ),
    Case(
        "edit draft capability",
        "patch",
        "/api/v1/capabilities/{capability_draft}/",
        OWNER_WRITES_HIDDEN_CAPABILITY,
        body={"title": "新名称"},
    ),
    Case(
        "archive published capability",
        "post",
        "/api/v1/capabilities/{capability_published}/status/",
        OWNER_WRITES_CAPABILITY,
        body={"status": "archived"},
    ),
    Case(
        "publish draft capability",
        "post",
        "/api/v1/capabilities/{capability_draft}/status/",
        OWNER_WRITES_HIDDEN_CAPABILITY,
        body={"status": "published"},
    ),
    # Imports and statistics
    Case(
        "upload import",
        "post",
        "/api/v1/imports/",
        roles(403, anonymous=401, organiser=202),
        body=_import_file,
        format="multipart",
    ),
    Case("import job", "get", "/api/v1/imports/{import_job}/", ORGANISER_ONLY),
    Case("statistics", "get", "/api/v1/stats/", ORGANISER_ONLY),
    Case("audit log", "get", "/api/v1/audit/", ORGANISER_ONLY),
    # Leads
    Case("lead list", "get", "/api/v1/leads/", SIGNED_IN),
    Case("lead", "get", "/api/v1/leads/{lead}/", LEAD_SIDES),
    Case(
        "respond to lead",
        "post",
        "/api/v1/leads/{lead}/respond/",
        LEAD_VENDOR_ACTS,
        body=_respond_body,
        format="multipart",
    ),
    Case(
        "decline lead",
        "post",
        "/api/v1/leads/{lead}/decline/",
        LEAD_VENDOR_ACTS,
        body={"reason": "at_capacity"},
    ),
    Case("accept lead", "post", "/api/v1/leads/{lead}/accept/", LEAD_INSTITUTION_ACTS),
    Case(
        "reject lead",
        "post",
        "/api/v1/leads/{lead}/reject/",
        LEAD_INSTITUTION_ACTS,
        body={"message": "已选定其他方案。"},
    ),
    Case("lead proposal", "get", "/api/v1/leads/{lead}/proposal/", LEAD_SIDES),
    Case(
        "invite to published need",
        "post",
        "/api/v1/needs/{need_published}/invite/",
        NEED_INSTITUTION_ACTS,
        body=lambda world: {"capability": world["capability_published"], "message": "欢迎洽谈"},
    ),
    Case(
        "invite to draft need",
        "post",
        "/api/v1/needs/{need_draft}/invite/",
        roles(404, anonymous=401, demand_own=400, organiser=403),
        body=lambda world: {"capability": world["capability_published"]},
    ),
    Case(
        "mark vendor not fit",
        "post",
        "/api/v1/needs/{need_published}/not-fit/",
        NEED_INSTITUTION_ACTS,
        body=lambda world: {"vendor": world["kangtu"]},
    ),
    Case("lead alerts", "get", "/api/v1/lead-alerts/", VENDORS_ONLY),
    Case(
        "change lead alerts",
        "put",
        "/api/v1/lead-alerts/",
        VENDORS_ONLY,
        body={"enabled": False, "min_score": 0.8, "daily_limit": 5},
    ),
    # Notifications
    Case("notification list", "get", "/api/v1/notifications/", SIGNED_IN),
    Case(
        "mark notifications read",
        "post",
        "/api/v1/notifications/read/",
        SIGNED_IN,
        body={"all": True},
    ),
    # Events
    Case("event list", "get", "/api/v1/events/", everyone(200)),
    Case("event", "get", "/api/v1/events/{event}/", everyone(200)),
    Case(
        "create event",
        "post",
        "/api/v1/events/",
        roles(403, anonymous=401, organiser=201),
        body=_event_body,
    ),
    Case(
        "edit event",
        "patch",
        "/api/v1/events/{event}/",
        EVENT_ORGANISER,
        body={"venue": "青岛国际博览中心", "ends_at": "12:30"},
    ),
    Case(
        "close registration",
        "post",
        "/api/v1/events/{event}/registration/",
        EVENT_ORGANISER,
        body={"open": False},
    ),
    Case("participant list", "get", "/api/v1/events/{event}/participants/", SIGNED_IN),
    Case(
        "register 颐和苑",
        "post",
        "/api/v1/events/{event_upcoming}/participants/",
        roles(403, anonymous=401, demand_own=200, organiser=200, organiser_other=403),
        body=lambda world: {"organization": world["yihe"], "needs": [world["need_published"]]},
    ),
    Case(
        "participant 颐和苑",
        "get",
        "/api/v1/events/{event}/participants/{participant_yihe}/",
        EVENT_INSTITUTION,
    ),
    Case(
        "remove 颐和苑, which has meetings",
        "delete",
        "/api/v1/events/{event}/participants/{participant_yihe}/",
        roles(404, anonymous=401, demand_own=400, organiser=400, organiser_other=404),
    ),
    Case(
        "remove a participant without meetings",
        "delete",
        "/api/v1/events/{event}/participants/{participant_third}/",
        roles(404, anonymous=401, organiser=204, organiser_other=404),
    ),
    Case(
        "draft calendar of 颐和苑",
        "get",
        "/api/v1/events/{event}/participants/{participant_yihe}/calendar.ics",
        EVENT_ORGANISER_SEES,
    ),
    Case(
        "published calendar of 颐和苑",
        "get",
        "/api/v1/events/{event_published}/participants/{published_yihe}/calendar.ics",
        EVENT_INSTITUTION,
    ),
    Case("shortlist", "get", "/api/v1/events/{event}/shortlist/", EVENT_ORGANISER),
    Case(
        "generate shortlist", "post", "/api/v1/events/{event}/shortlist/generate/", EVENT_ORGANISER
    ),
    Case(
        "pin a pair",
        "post",
        "/api/v1/events/{event}/shortlist/pairs/",
        EVENT_ORGANISER,
        body=lambda world: {
            "demand": world["participant_yihe"],
            "vendor": world["participant_kangtu"],
            "state": "pinned",
        },
    ),
    Case(
        "place an unscheduled pair",
        "post",
        "/api/v1/events/{event}/shortlist/pairs/{unscheduled}/place/",
        roles(403, anonymous=401, organiser=201, organiser_other=403),
        body=lambda world: {"slot": world["free_slot"], "table": world["meeting_table"]},
    ),
    Case("shortlist CSV", "get", "/api/v1/events/{event}/shortlist.csv", EVENT_ORGANISER),
    Case("generate schedule", "post", "/api/v1/events/{event}/schedule/generate/", EVENT_ORGANISER),
    Case("publish schedule", "post", "/api/v1/events/{event}/schedule/publish/", EVENT_ORGANISER),
    Case(
        "unpublish schedule",
        "post",
        "/api/v1/events/{event_published}/schedule/unpublish/",
        EVENT_ORGANISER,
    ),
    Case("schedule workbook", "get", "/api/v1/events/{event}/schedule.xlsx", EVENT_ORGANISER),
    Case("draft meetings", "get", "/api/v1/events/{event}/meetings/", SIGNED_IN),
    Case("published meetings", "get", "/api/v1/events/{event_published}/meetings/", SIGNED_IN),
    Case(
        "draft meeting", "get", "/api/v1/events/{event}/meetings/{meeting}/", EVENT_ORGANISER_SEES
    ),
    Case(
        "published meeting",
        "get",
        "/api/v1/events/{event_published}/meetings/{published_meeting}/",
        EVENT_SIDES,
    ),
    Case(
        "move draft meeting",
        "patch",
        "/api/v1/events/{event}/meetings/{meeting}/",
        EVENT_ORGANISER_SEES,
        body={"slot": 1},
    ),
    Case(
        "move published meeting",
        "patch",
        "/api/v1/events/{event_published}/meetings/{published_meeting}/",
        roles(
            404,
            anonymous=401,
            demand_own=403,
            vendor_own=403,
            organiser=200,
            organiser_other=404,
        ),
        body={"slot": 1},
    ),
    Case(
        "record draft meeting outcome",
        "post",
        "/api/v1/events/{event}/meetings/{meeting}/outcome/",
        EVENT_ORGANISER_SEES,
        body={"attendance": "met", "outcome": "follow_up"},
    ),
    Case(
        "record published meeting outcome",
        "post",
        "/api/v1/events/{event_published}/meetings/{published_meeting}/outcome/",
        EVENT_SIDES,
        body={"attendance": "met", "outcome": "follow_up", "note": "下周去现场。"},
    ),
]


def _event(
    olga: User,
    name: str,
    need: Need,
    capability: Capability,
    *,
    publish: bool,
    pair_values: dict[int, dict[tuple[int, int], matching_events.PairValue]],
) -> tuple[Event, EventParticipant, Meeting]:
    """An event of 对接办 today where 颐和苑 meets 康途, its schedule a draft or published."""
    event = event_services.event_create(
        user=olga,
        fields={"name": name, "date": timezone.localdate()},
        breaks=[],
        tables=[("1号桌", 1), ("2号桌", 1)],
    )
    yihe = event_services.participant_register(
        event, user=olga, organization=need.organization, needs=[need]
    )
    kangtu = event_services.participant_register(
        event, user=olga, organization=capability.organization, capabilities=[capability]
    )
    pair_values[event.pk] = {
        (yihe.pk, kangtu.pk): matching_events.PairValue(0.8, need.pk, capability.pk)
    }
    matching_events.event_shortlist_generate(event, olga)
    matching_events.event_schedule_generate(event, olga)
    if publish:
        matching_events.event_schedule_publish(event, olga)
    return event, yihe, Meeting.objects.get(event=event)


@pytest.fixture
def world(
    monkeypatch: pytest.MonkeyPatch,
    taxonomy: dict[str, Any],
    yihe: Organization,
    kangtu: Organization,
    newcomer: Organization,
    alice: User,
    dan: User,
    bob: User,
    victor: User,
    olga: User,
    nina: User,
) -> dict[str, Any]:
    qingdao = taxonomy["regions"]["青岛市"]
    now = timezone.now()
    need_draft = NeedFactory.create(
        organization=yihe, domain=taxonomy["civil"], region=qingdao, status=Need.Status.DRAFT
    )
    need_published = NeedFactory.create(
        organization=yihe,
        domain=taxonomy["civil"],
        region=qingdao,
        status=Need.Status.PUBLISHED,
        published_at=now,
        expires_at=now + timedelta(days=30),
    )
    capability_draft = CapabilityFactory.create(
        organization=kangtu, robot_type=taxonomy["care_robot"], status=Capability.Status.DRAFT
    )
    capability_published = CapabilityFactory.create(
        organization=kangtu, robot_type=taxonomy["care_robot"], status=Capability.Status.PUBLISHED
    )
    for capability in (capability_draft, capability_published):
        capability.domains.set([taxonomy["civil"]])
        capability.service_regions.set([qingdao])
    import_job = ImportJob.objects.create(
        original_name="catalog.json", file="imports/catalog.json", created_by=olga
    )
    lead = Lead.objects.create(
        need=need_published,
        capability=capability_published,
        demand=yihe,
        vendor=kangtu,
        score=0.8,
        status=Lead.Status.INTERESTED,
        message="我们有现成方案。",
        responded_at=now,
    )
    lead.proposal.save("方案.pdf", ContentFile(b"%PDF-1.4 world"))
    other_office = OrganizationFactory.create(
        name="别的组织方", kind="organizer", sub_type="city_office"
    )
    oscar = UserFactory.create(email="oscar@other.example.com", organization=other_office)
    # The matcher's scores are tested in tests/matching; here 颐和苑 and 康途 simply fit.
    pair_values: dict[int, dict[tuple[int, int], matching_events.PairValue]] = {}
    monkeypatch.setattr(
        matching_events,
        "event_pair_values",
        lambda event, context=None: pair_values.get(event.pk, {}),
    )
    event, participant_yihe, meeting = _event(
        olga,
        "矩阵对接会",
        need_published,
        capability_published,
        publish=False,
        pair_values=pair_values,
    )
    third = CapabilityFactory.create(
        organization__name="第三供应商", robot_type=taxonomy["care_robot"]
    )
    participant_third = event_services.participant_register(
        event, user=olga, organization=third.organization, capabilities=[third]
    )
    # A pinned pair the draft schedule left out, for the organiser to place by hand.
    unscheduled = ShortlistEntry.objects.create(
        event=event,
        demand=participant_yihe,
        vendor=participant_third,
        value=0.5,
        state=ShortlistEntry.State.PINNED,
    )
    event_published, published_yihe, published_meeting = _event(
        olga,
        "已发布的对接会",
        need_published,
        capability_published,
        publish=True,
        pair_values=pair_values,
    )
    # Members register themselves only before an event starts: tomorrow's, with 颐和苑
    # registered by the organiser.
    event_upcoming = event_services.event_create(
        user=olga,
        fields={"name": "明天的对接会", "date": timezone.localdate() + timedelta(days=1)},
        breaks=[],
        tables=[("1号桌", 1)],
    )
    event_services.participant_register(
        event_upcoming, user=olga, organization=yihe, needs=[need_published]
    )
    for user in (alice, dan, bob, victor, olga, oscar, nina):
        Notification.objects.create(
            user=user, kind=Notification.Kind.NEW_LEAD, key="matrix", title="矩阵通知"
        )
    return {
        "users": {
            "anonymous": None,
            "demand_own": alice,
            "demand_other": dan,
            "vendor_own": bob,
            "vendor_other": victor,
            "organiser": olga,
            "organiser_other": oscar,
            "pending_org": nina,
        },
        "yihe": yihe.pk,
        "kangtu": kangtu.pk,
        "newcomer": newcomer.pk,
        "need_draft": need_draft.pk,
        "need_published": need_published.pk,
        "capability_draft": capability_draft.pk,
        "capability_published": capability_published.pk,
        "import_job": import_job.pk,
        "lead": lead.pk,
        "event": event.pk,
        "participant_yihe": participant_yihe.pk,
        "participant_kangtu": meeting.vendor_id,
        "participant_third": participant_third.pk,
        "unscheduled": unscheduled.pk,
        "free_slot": next(slot.index for slot in event.slots if slot.index != meeting.slot),
        "meeting_table": meeting.table_id,
        "meeting": meeting.pk,
        "event_published": event_published.pk,
        "event_upcoming": event_upcoming.pk,
        "published_yihe": published_yihe.pk,
        "published_meeting": published_meeting.pk,
    }


def _database_state() -> dict[str, Any]:
    return {
        "organizations": sorted(
            Organization.objects.values_list("pk", "review_status", "introduction", "updated_at")
        ),
        "needs": sorted(Need.objects.values_list("pk", "status", "title", "expires_at")),
        "revisions": NeedRevision.objects.count(),
        "capabilities": sorted(Capability.objects.values_list("pk", "status", "title")),
        "import_jobs": ImportJob.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
        "leads": sorted(
            Lead.objects.values_list(
                "pk", "status", "demand_decision", "message", "proposal", "decline_reason"
            )
        ),
        "lead_alerts": sorted(
            LeadAlertPreference.objects.values_list(
                "organization", "enabled", "min_score", "daily_limit"
            )
        ),
        "notifications": sorted(Notification.objects.values_list("pk", "read_at")),
        "events": sorted(
            Event.objects.values_list(
                "pk", "name", "venue", "ends_at", "registration_open", "schedule_status"
            )
        ),
        "tables": sorted(EventTable.objects.values_list("pk", "event", "name", "capacity")),
        "participants": sorted(
            EventParticipant.objects.values_list("pk", "event", "organization", "max_meetings")
        ),
        "shortlist": sorted(
            ShortlistEntry.objects.values_list("pk", "demand", "vendor", "state", "value")
        ),
        "meetings": sorted(
            Meeting.objects.values_list(
                "pk", "slot", "table", "attendance", "outcome", "outcome_note"
            )
        ),
    }


@pytest.mark.usefixtures("lead_links")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_permission_matrix(
    case: Case, role: str, world: dict[str, Any], client_for: ClientFor
) -> None:
    # given
    client = client_for(world["users"][role])
    path = case.path.format(**world)
    body = case.body(world) if callable(case.body) else case.body
    before = _database_state()

    # when
    response = getattr(client, case.method)(path, body, format=case.format)

    # then
    assert response.status_code == case.expected[role], response.content.decode()
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}
        assert _database_state() == before


# --- Every object endpoint, probed by outsiders ---------------------------------------------------
#
# Generated from the API schema: every path with an object id, requested with every method by
# someone of another organisation (or nobody). Each path maps to the world's objects it is probed
# with; a new object endpoint without an entry fails ``test_every_object_endpoint_is_probed``.
# ``public``: who may read it by design ("everyone", "signed_in": a list filtered to the reader's
# own rows); everything else, and every write, is refused (401/403/404/405), never 2xx or 500.

OUTSIDERS = ("anonymous", "demand_other", "vendor_other")
PROBE_METHODS = ("get", "post", "put", "patch", "delete")
REFUSED = {401, 403, 404, 405}


@dataclass(frozen=True)
class Probe:
    ids: dict[str, str]  # path parameter -> key of the world's ids
    public: str | None = None  # None, "everyone" or "signed_in": who reads it with GET
    # Methods open to outsiders by design, for their own organisation (registering for an
    # event): the empty body sent here is answered 400, and nothing changes.
    own_writes: tuple[str, ...] = ()


OBJECT_PROBES: dict[str, tuple[Probe, ...]] = {
    "/api/v1/capabilities/{id}/": (
        Probe({"id": "capability_draft"}),
        Probe({"id": "capability_published"}, public="everyone"),
    ),
    "/api/v1/capabilities/{id}/leads/": (Probe({"id": "capability_published"}),),
    "/api/v1/capabilities/{id}/status/": (Probe({"id": "capability_published"}),),
    "/api/v1/events/{id}/": (Probe({"id": "event"}, public="everyone"),),
    "/api/v1/events/{id}/meetings/": (
        Probe({"id": "event"}, public="signed_in"),
        Probe({"id": "event_published"}, public="signed_in"),
    ),
    "/api/v1/events/{id}/meetings/{meeting_id}/": (
        Probe({"id": "event", "meeting_id": "meeting"}),
        Probe({"id": "event_published", "meeting_id": "published_meeting"}),
    ),
    "/api/v1/events/{id}/meetings/{meeting_id}/outcome/": (
        Probe({"id": "event_published", "meeting_id": "published_meeting"}),
    ),
    "/api/v1/events/{id}/participants/": (
        Probe({"id": "event"}, public="signed_in", own_writes=("post",)),
    ),
    "/api/v1/events/{id}/participants/{participant_id}/": (
        Probe({"id": "event", "participant_id": "participant_yihe"}),
    ),
    "/api/v1/events/{id}/participants/{participant_id}/calendar.ics": (
        Probe({"id": "event_published", "participant_id": "published_yihe"}),
    ),
    "/api/v1/events/{id}/registration/": (Probe({"id": "event"}),),
    "/api/v1/events/{id}/schedule.xlsx": (Probe({"id": "event"}),),
    "/api/v1/events/{id}/schedule/generate/": (Probe({"id": "event"}),),
    "/api/v1/events/{id}/schedule/publish/": (Probe({"id": "event"}),),
    "/api/v1/events/{id}/schedule/unpublish/": (Probe({"id": "event_published"}),),
    "/api/v1/events/{id}/shortlist/": (Probe({"id": "event"}),),
    "/api/v1/events/{id}/shortlist.csv": (Probe({"id": "event"}),),
    "/api/v1/events/{id}/shortlist/generate/": (Probe({"id": "event"}),),
    "/api/v1/events/{id}/shortlist/pairs/": (Probe({"id": "event"}),),
    "/api/v1/events/{id}/shortlist/pairs/{entry_id}/place/": (
        Probe({"id": "event", "entry_id": "unscheduled"}),
    ),
    "/api/v1/imports/{id}/": (Probe({"id": "import_job"}),),
    "/api/v1/leads/{id}/": (Probe({"id": "lead"}),),
    "/api/v1/leads/{id}/accept/": (Probe({"id": "lead"}),),
    "/api/v1/leads/{id}/decline/": (Probe({"id": "lead"}),),
    "/api/v1/leads/{id}/proposal/": (Probe({"id": "lead"}),),
    "/api/v1/leads/{id}/reject/": (Probe({"id": "lead"}),),
    "/api/v1/leads/{id}/respond/": (Probe({"id": "lead"}),),
    "/api/v1/needs/{id}/": (
        Probe({"id": "need_draft"}),
        Probe({"id": "need_published"}, public="everyone"),
    ),
    "/api/v1/needs/{id}/invite/": (Probe({"id": "need_published"}),),
    "/api/v1/needs/{id}/matches/": (Probe({"id": "need_published"}),),
    "/api/v1/needs/{id}/not-fit/": (Probe({"id": "need_published"}),),
    "/api/v1/needs/{id}/renew/": (Probe({"id": "need_published"}),),
    "/api/v1/needs/{id}/status/": (Probe({"id": "need_published"}),),
    "/api/v1/needs/{id}/submit/": (Probe({"id": "need_draft"}),),
    "/api/v1/organizations/{id}/": (
        Probe({"id": "yihe"}, public="everyone"),
        Probe({"id": "newcomer"}),
    ),
    "/api/v1/organizations/{id}/approve/": (Probe({"id": "newcomer"}),),
    "/api/v1/organizations/{id}/export/": (Probe({"id": "yihe"}),),
    "/api/v1/organizations/{id}/reject/": (Probe({"id": "newcomer"}),),
}


def _object_paths() -> set[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {path for path in schema["paths"] if "{" in path}


def test_every_object_endpoint_is_probed() -> None:
    assert set(OBJECT_PROBES) == _object_paths()


PROBES = [
    pytest.param(path, probe, role, id=f"{path} {'/'.join(probe.ids.values())} {role}")
    for path, probes in OBJECT_PROBES.items()
    for probe in probes
    for role in OUTSIDERS
]


@pytest.mark.usefixtures("lead_links")
@pytest.mark.parametrize(("path", "probe", "role"), PROBES)
def test_an_outsider_cannot_reach_another_organisations_object(
    path: str, probe: Probe, role: str, world: dict[str, Any], client_for: ClientFor
) -> None:
    # given: contact details no outsider may read
    private = []
    for pk in (world["yihe"], world["kangtu"], world["newcomer"]):
        phone = f"0532-9{pk:07d}"
        Organization.objects.filter(pk=pk).update(phone=phone, contact_person=f"联系人{pk}号")
        organization = Organization.objects.get(pk=pk)
        private += [organization.email, phone, organization.contact_person]
    client = client_for(world["users"][role])
    url = path.format(**{name: world[key] for name, key in probe.ids.items()})
    readable = probe.public == "everyone" or (probe.public == "signed_in" and role != "anonymous")
    before = _database_state()

    for method in PROBE_METHODS:
        # when
        response = getattr(client, method)(url, {}, format="json")

        # then
        status = response.status_code
        if method == "get" and readable:
            assert status == 200, (method, response.content[:300])
        elif method in probe.own_writes and role != "anonymous":
            assert status == 400, (method, status, response.content[:300])
        else:
            assert status in REFUSED, (method, status, response.content[:300])
        if method == "get":
            body = response.content.decode(errors="replace")
            assert [value for value in private if value in body] == []
        assert _database_state() == before, method
