"""Who may open which page: one table of pages × roles, expanded into one test per cell.

Roles, from the named test world:
- ``anonymous``: nobody logged in;
- ``demand_own``: alice of 颐和苑, which owns the needs in the table;
- ``demand_other``: dora of 海景养老院, another approved demand organisation;
- ``vendor``: bob of 康途机器人, which owns the capabilities in the table (victor's rival owns one);
- ``organizer``: olga of 对接办;
- ``pending``: nina of 新来养老院, a demand organisation still waiting for review.

Rules the table encodes: organiser tools answer 404 to others (the dashboard: 403); pages for
one kind of organisation answer 403 to the other kinds; objects one may not see or edit answer
404; pages that need a login send anonymous visitors to the login page. A forbidden POST changes
nothing.
"""

# The table below reads best as one row per line, aligned in columns, so long lines are allowed.
# ruff: noqa: E501

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.events.services import event_create, participant_register
from marketplace.models import (
    Capability,
    Event,
    EventParticipant,
    ImportJob,
    Lead,
    LeadAlertPreference,
    Meeting,
    Need,
    Notification,
    ShortlistEntry,
)
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.conftest import PASSWORD
from tests.marketplace.factories import CapabilityFactory, NeedFactory

ROLES = ("anonymous", "demand_own", "demand_other", "vendor", "organizer", "pending")
LOGIN_URL = "/accounts/login/"


@dataclass
class World:
    users: dict[str, User | None]
    yihe: Organization
    newcomer: Organization
    need_published: Need
    need_draft: Need
    need_pending: Need
    capability_published: Capability
    capability_draft: Capability
    capability_rival: Capability
    event: Event
    import_job: ImportJob
    taxonomy: dict[str, Any]
    # Events with participants, set up by _add_fairs: ``fair`` (today, schedule published) and
    # ``draft_fair`` (schedule a draft), each with 颐和苑 meeting 康途 at 09:00; 颐和苑 also
    # registered for ``event`` (no meetings) by alice.
    fair: Event | None = None
    fair_yihe: EventParticipant | None = None
    fair_meeting: Meeting | None = None
    draft_fair: Event | None = None
    draft_yihe: EventParticipant | None = None
    draft_kangtu: EventParticipant | None = None
    draft_meeting: Meeting | None = None
    event_yihe: EventParticipant | None = None
    haijing: Organization | None = None
    need_haijing: Need | None = None


@pytest.fixture
def world(
    taxonomy: dict[str, Any],
    alice: User,
    bob: User,
    victor: User,
    olga: User,
    nina: User,
    office: Organization,
) -> World:
    qingdao = taxonomy["regions"]["青岛市"]
    civil = taxonomy["civil"]
    haijing = OrganizationFactory.create(name="海景养老院", kind="demand", sub_type="elder_care")
    dora = UserFactory.create(
        email="dora@haijing.example.com", full_name="Dora", organization=haijing
    )
    expires = timezone.now() + timedelta(days=3)

    def need(organization: Organization, status: str, title: str) -> Need:
        return NeedFactory.create(
            organization=organization,
            status=status,
            title=title,
            domain=civil,
            region=qingdao,
            expires_at=expires if status == Need.Status.PUBLISHED else None,
        )

    def capability(organization: Organization, status: str, title: str) -> Capability:
        return CapabilityFactory.create(
            organization=organization,
            status=status,
            title=title,
            robot_type=taxonomy["care_robot"],
        )

    world = World(
        users={
            "anonymous": None,
            "demand_own": alice,
            "demand_other": dora,
            "vendor": bob,
            "organizer": olga,
            "pending": nina,
        },
        yihe=alice.organization,
        newcomer=nina.organization,
        need_published=need(alice.organization, Need.Status.PUBLISHED, "送餐机器人"),
        need_draft=need(alice.organization, Need.Status.DRAFT, "巡查机器人草稿"),
        need_pending=need(nina.organization, Need.Status.PENDING_REVIEW, "陪伴机器人"),
        capability_published=capability(bob.organization, Capability.Status.PUBLISHED, "配送"),
        capability_draft=capability(bob.organization, Capability.Status.DRAFT, "康复草稿"),
        capability_rival=capability(victor.organization, Capability.Status.PUBLISHED, "巡检"),
        event=Event.objects.create(
            organizer=office,
            name="青岛养老机器人供需对接会",
            date=timezone.localdate() + timedelta(days=30),
            venue="青岛国际会议中心",
        ),
        import_job=ImportJob.objects.create(
            file="imports/example.xlsx", original_name="example.xlsx", created_by=olga
        ),
        taxonomy=taxonomy,
    )
    world.haijing = haijing
    world.need_haijing = need(haijing, Need.Status.PUBLISHED, "夜间巡查机器人")
    _add_fairs(world, olga=olga, alice=alice, bob=bob)
    return world


def _fair(
    world: World, *, olga: User, bob: User, name: str, status: str, held_on: date
) -> tuple[Event, EventParticipant, EventParticipant, Meeting]:
    # Created and filled for tomorrow (bob registers himself before it starts), then set to
    # its date.
    tomorrow = timezone.localdate() + timedelta(days=1)
    event = event_create(
        user=olga,
        fields={"name": name, "date": tomorrow, "venue": "青岛国际会议中心"} | EVENT_TIMING,
        breaks=[],
        tables=[("1号桌", 1)],
    )
    # 颐和苑 registered by the organiser, so alice registering herself changes something.
    yihe = participant_register(
        event, user=olga, organization=world.yihe, needs=[world.need_published]
    )
    kangtu = participant_register(
        event, user=bob, organization=bob.organization, capabilities=[world.capability_published]
    )
    ShortlistEntry.objects.create(event=event, demand=yihe, vendor=kangtu, value=0.8)
    meeting = Meeting.objects.create(
        event=event, demand=yihe, vendor=kangtu, value=0.8, slot=0, table=event.tables.get()
    )
    Event.objects.filter(pk=event.pk).update(schedule_status=status, date=held_on)
    event.refresh_from_db()
    return event, yihe, kangtu, meeting


def _add_fairs(world: World, *, olga: User, alice: User, bob: User) -> None:
    """The published fair is today (its outcomes may be recorded); the draft one tomorrow (a
    member may still register for it)."""
    today = timezone.localdate()
    world.fair, world.fair_yihe, _kangtu, world.fair_meeting = _fair(
        world, olga=olga, bob=bob, name="已发布日程的对接会", status="published", held_on=today
    )
    world.draft_fair, world.draft_yihe, world.draft_kangtu, world.draft_meeting = _fair(
        world,
        olga=olga,
        bob=bob,
        name="日程草稿的对接会",
        status="draft",
        held_on=today + timedelta(days=1),
    )
    world.event_yihe = participant_register(
        world.event, user=alice, organization=world.yihe, needs=[world.need_published]
    )


# 09:00–10:00 in 20-minute meetings: three slots.
EVENT_TIMING = {"starts_at": time(9, 0), "ends_at": time(10, 0), "meeting_minutes": 20}


def _event_form_data(world: World) -> dict[str, Any]:
    return {
        "name": "矩阵测试：改名后的对接会",
        "date": timezone.localdate().isoformat(),
        "venue": "青岛国际会议中心",
        "starts_at": "09:00",
        "ends_at": "10:00",
        "meeting_minutes": "20",
        "breaks": "",
        "tables": "1号桌",
        "min_vendors_per_demand": "3",
        "vendor_meeting_cap": "6",
    }


def _need_form_data(world: World) -> dict[str, Any]:
    return {
        # Only the organiser's form has this field; the others ignore it.
        "organization": world.yihe.pk,
        "title": "矩阵测试：夜间巡查机器人",
        "description": "夜间巡查走廊，发现老人跌倒及时报警。",
        "domain": world.taxonomy["civil"].pk,
        "region": world.taxonomy["regions"]["青岛市"].pk,
        "site_has_elevator": "unknown",
        "action": "submit",
    }


def _state(*fields: str) -> Callable[[Any], Callable[[World], Any]]:
    """A snapshot of some fields of one object, to compare before and after a POST."""

    def of(pick: Callable[[World], Any]) -> Callable[[World], Any]:
        def snapshot(world: World) -> Any:
            obj = pick(world)
            obj.refresh_from_db()
            return tuple(getattr(obj, name) for name in fields)

        return snapshot

    return of


@dataclass(frozen=True)
class Case:
    id: str
    url_name: str
    kwargs: Callable[[World], dict[str, Any]]
    method: str
    expected: tuple[int | None, ...]  # one status per role in ROLES; None: not checked here
    data: Callable[[World], dict[str, Any]] = field(default=lambda world: {})
    state: Callable[[World], Any] | None = None  # must not change when the POST is forbidden
    requires: str | None = None  # a module the allowed path imports lazily


def none(world: World) -> dict[str, Any]:
    return {}


def pk(pick: Callable[[World], Any]) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"pk": pick(world).pk}


def export(entity: str, fmt: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"entity": entity, "fmt": fmt}


PUBLISHED = pk(lambda w: w.need_published)
DRAFT = pk(lambda w: w.need_draft)
PENDING_NEED = pk(lambda w: w.need_pending)
CAPABILITY = pk(lambda w: w.capability_published)
CAPABILITY_DRAFT = pk(lambda w: w.capability_draft)
RIVAL_CAPABILITY = pk(lambda w: w.capability_rival)
YIHE = pk(lambda w: w.yihe)
NEWCOMER = pk(lambda w: w.newcomer)
EVENT = pk(lambda w: w.event)
JOB = pk(lambda w: w.import_job)
FAIR = pk(lambda w: w.fair)
DRAFT_FAIR = pk(lambda w: w.draft_fair)
AGENDA = lambda w: {"pk": w.fair.pk, "participant_pk": w.fair_yihe.pk}  # noqa: E731
DRAFT_AGENDA = lambda w: {"pk": w.draft_fair.pk, "participant_pk": w.draft_yihe.pk}  # noqa: E731
FAIR_MEETING = lambda w: {"pk": w.fair.pk, "meeting_pk": w.fair_meeting.pk}  # noqa: E731
DRAFT_MEETING = lambda w: {"pk": w.draft_fair.pk, "meeting_pk": w.draft_meeting.pk}  # noqa: E731
EVENT_YIHE = lambda w: {"pk": w.event.pk, "participant_pk": w.event_yihe.pk}  # noqa: E731
event_count = lambda world: Event.objects.count()  # noqa: E731
event_yihe_exists = lambda w: EventParticipant.objects.filter(pk=w.event_yihe.pk).exists()  # noqa: E731
draft_participants = lambda w: tuple(  # noqa: E731
    EventParticipant.objects.filter(event=w.draft_fair)
    .order_by("pk")
    .values_list("organization_id", "on_behalf")
)
draft_meetings = lambda w: tuple(  # noqa: E731
    Meeting.objects.filter(event=w.draft_fair).order_by("pk").values_list("pk", flat=True)
)
shortlist_count = lambda w: ShortlistEntry.objects.count()  # noqa: E731


def _unscheduled(world: World) -> dict[str, int]:
    """A pinned pair of the draft fair that its schedule left out (颐和苑 × 另一家供应商),
    made on first use."""
    vendor = world.capability_rival.organization
    participant = EventParticipant.objects.filter(event=world.draft_fair, organization=vendor)
    rival = participant.first() or participant_register(
        world.draft_fair,
        user=world.users["organizer"],
        organization=vendor,
        capabilities=[world.capability_rival],
    )
    entry, _created = ShortlistEntry.objects.get_or_create(
        event=world.draft_fair,
        demand=world.draft_yihe,
        vendor=rival,
        defaults={"value": 0.6, "state": ShortlistEntry.State.PINNED},
    )
    return {"pk": world.draft_fair.pk, "entry_pk": entry.pk}


def _lead(world: World, status: str = Lead.Status.NEW) -> Lead:
    """颐和苑's published need × 康途's published profile, made on first use."""
    lead, _created = Lead.objects.get_or_create(
        need=world.need_published,
        capability=world.capability_published,
        defaults={
            "demand": world.yihe,
            "vendor": world.capability_published.organization,
            "score": 0.8,
            "status": status,
        },
    )
    return lead


def _alice_notification(world: World) -> Notification:
    notification, _created = Notification.objects.get_or_create(
        user=world.users["demand_own"],
        key="matrix",
        defaults={"kind": Notification.Kind.RESPONSE, "title": "矩阵测试", "url": "/needs/"},
    )
    return notification


LEAD = lambda w: {"pk": _lead(w).pk}  # noqa: E731
INTERESTED_LEAD = lambda w: {"pk": _lead(w, Lead.Status.INTERESTED).pk}  # noqa: E731
ALICE_NOTIFICATION = lambda w: {"pk": _alice_notification(w).pk}  # noqa: E731
lead_state = _state("status", "demand_decision", "message")(_lead)
pair_leads = lambda w: tuple(  # noqa: E731
    Lead.objects.filter(need=w.need_published).values_list("capability_id", "demand_decision")
)
need_count = lambda world: Need.objects.count()  # noqa: E731
capability_count = lambda world: Capability.objects.count()  # noqa: E731
job_count = lambda world: ImportJob.objects.count()  # noqa: E731
user_count = lambda world: User.objects.count()  # noqa: E731

# fmt: off
CASES = [
    #    id                           url name                                   kwargs             method   anon  own   other vendor org  pending
    Case("home",                      "home",                                    none,              "GET",  (200,  200,  200,  200,  200,  200)),
    Case("signup",                    "accounts:signup",                         none,              "GET",  (200,  302,  302,  302,  302,  302)),
    Case("login",                     "accounts:login",                          none,              "GET",  (200,  302,  302,  302,  302,  302)),
    Case("password_reset",            "accounts:password_reset",                 none,              "GET",  (200,  200,  200,  200,  200,  200)),
    Case("organization_approved",     "organizations:organization_detail",            YIHE,              "GET",  (200,  200,  200,  200,  200,  200)),
    Case("organization_pending",      "organizations:organization_detail",            NEWCOMER,          "GET",  (404,  404,  404,  404,  200,  200)),
    Case("organization_edit",         "organizations:edit",                     none,              "GET",  (302,  200,  200,  200,  200,  200)),
    Case("organization_export",       "privacy:organization_export",            YIHE,              "GET",  (302,  200,  404,  404,  200,  404)),
    Case("organization_export_pending", "privacy:organization_export",          NEWCOMER,          "GET",  (302,  404,  404,  404,  200,  200)),
    Case("account_delete",            "privacy:account_delete",                 none,              "GET",  (302,  200,  200,  200,  200,  200)),
    Case("need_list",                 "needs:need_list",                   none,              "GET",  (200,  200,  200,  200,  200,  200)),
    Case("need_detail_published",     "needs:need_detail",                 PUBLISHED,         "GET",  (200,  200,  200,  200,  200,  200)),
    Case("need_detail_draft",         "needs:need_detail",                 DRAFT,             "GET",  (404,  200,  404,  404,  200,  404)),
    Case("need_detail_pending_org",   "needs:need_detail",                 PENDING_NEED,      "GET",  (404,  404,  404,  404,  200,  200)),
    Case("need_create",               "needs:need_create",                 none,              "GET",  (302,  200,  200,  403,  200,  200)),
    Case("need_edit",                 "needs:need_edit",                   PUBLISHED,         "GET",  (302,  200,  404,  404,  200,  404)),
    Case("my_needs",                  "needs:my_needs",                    none,              "GET",  (302,  200,  200,  403,  200,  200)),
    Case("capability_list",           "capabilities:capability_list",             none,              "GET",  (200,  200,  200,  200,  200,  200)),
    Case("capability_detail",         "capabilities:capability_detail",           CAPABILITY,        "GET",  (200,  200,  200,  200,  200,  200)),
    Case("capability_detail_draft",   "capabilities:capability_detail",           CAPABILITY_DRAFT,  "GET",  (404,  404,  404,  200,  200,  404)),
    Case("capability_create",         "capabilities:capability_create",           none,              "GET",  (302,  403,  403,  200,  200,  403)),
    Case("capability_edit_own",       "capabilities:capability_edit",             CAPABILITY,        "GET",  (302,  404,  404,  200,  200,  404)),
    Case("capability_edit_rival",     "capabilities:capability_edit",             RIVAL_CAPABILITY,  "GET",  (302,  404,  404,  404,  200,  404)),
    Case("my_capabilities",           "capabilities:my_capabilities",             none,              "GET",  (302,  403,  403,  200,  200,  403)),
    Case("review_queue",              "reviews:review_queue",                none,              "GET",  (302,  404,  404,  404,  200,  404)),
    Case("event_list",                "events:event_list",                  none,              "GET",  (200,  200,  200,  200,  200,  200)),
    Case("event_detail",              "events:event_detail",                EVENT,             "GET",  (200,  200,  200,  200,  200,  200)),
    Case("import_upload",             "imports:import_upload",               none,              "GET",  (302,  404,  404,  404,  200,  404)),
    Case("import_detail",             "imports:import_detail",               JOB,               "GET",  (302,  404,  404,  404,  200,  404), requires="marketplace.imports"),
    Case("import_status_json",        "imports:import_status_json",          JOB,               "GET",  (302,  404,  404,  404,  200,  404), requires="marketplace.imports"),
    Case("import_template",           "imports:import_template",             none,              "GET",  (302,  404,  404,  404,  200,  404), requires="marketplace.imports"),
    Case("export_needs_csv",          "dashboard:export",                      export("needs", "csv"),           "GET", (302, 200, 200, 404, 200, 200), requires="marketplace.dashboard.exports"),
    Case("export_capabilities_xlsx",  "dashboard:export",                      export("capabilities", "xlsx"),   "GET", (302, 404, 404, 200, 200, 404), requires="marketplace.dashboard.exports"),
    Case("export_organizations_csv",  "dashboard:export",                      export("organizations", "csv"),   "GET", (302, 404, 404, 404, 200, 404), requires="marketplace.dashboard.exports"),
    Case("export_unknown_entity",     "dashboard:export",                      export("users", "csv"),           "GET", (302, 404, 404, 404, 404, 404)),
    Case("export_unknown_format",     "dashboard:export",                      export("needs", "pdf"),           "GET", (302, 404, 404, 404, 404, 404)),
    Case("stats",                     "dashboard:stats",                       none,              "GET",  (302,  404,  404,  404,  200,  404), requires="marketplace.dashboard.statistics"),
    Case("audit_log",                 "audit:audit_log",                   none,              "GET",  (302,  404,  404,  404,  200,  404)),
    # The dashboard is the exception among organiser tools: it answers 403 with a sentence.
    Case("dashboard",                 "dashboard:dashboard",                   none,              "GET",  (302,  403,  403,  403,  200,  403)),
    # Events: organiser tools answer 404 to others (and to organisers of other events); agendas
    # are for the participant's members once published, and for the organiser; outcomes for
    # either side of a meeting and the organiser.
    Case("event_create",              "events:event_create",                none,              "GET",  (302,  404,  404,  404,  200,  404)),
    Case("my_events",                 "events:my_events",                   none,              "GET",  (302,  200,  200,  200,  200,  200)),
    Case("event_edit",                "events:event_edit",                  FAIR,              "GET",  (302,  404,  404,  404,  200,  404)),
    Case("event_manage",              "events:event_manage",                FAIR,              "GET",  (302,  404,  404,  404,  200,  404)),
    Case("event_participant_add",     "events:event_participant_add",       FAIR,              "GET",  (302,  404,  404,  404,  200,  404)),
    Case("event_agenda_published",    "events:event_agenda",                AGENDA,            "GET",  (302,  200,  404,  404,  200,  404)),
    Case("event_agenda_draft",        "events:event_agenda",                DRAFT_AGENDA,      "GET",  (302,  404,  404,  404,  200,  404)),
    Case("event_agenda_ics",          "events:event_agenda_ics",            AGENDA,            "GET",  (302,  200,  404,  404,  200,  404)),
    Case("event_agenda_ics_draft",    "events:event_agenda_ics",            DRAFT_AGENDA,      "GET",  (302,  404,  404,  404,  200,  404)),
    Case("event_agenda_pdf",          "events:event_agenda_pdf",            AGENDA,            "GET",  (302,  200,  404,  404,  200,  404)),
    Case("event_agenda_pdf_draft",    "events:event_agenda_pdf",            DRAFT_AGENDA,      "GET",  (302,  404,  404,  404,  200,  404)),
    Case("event_schedule_pdf",        "events:event_schedule_pdf",          FAIR,              "GET",  (302,  404,  404,  404,  200,  404)),
    Case("event_schedule_xlsx",       "events:event_schedule_xlsx",         FAIR,              "GET",  (302,  404,  404,  404,  200,  404)),
    Case("event_shortlist_csv",       "events:event_shortlist_csv",         FAIR,              "GET",  (302,  404,  404,  404,  200,  404)),
    Case("event_outcomes",            "events:event_outcomes",              FAIR,              "GET",  (302,  200,  404,  200,  200,  404)),
    Case("meeting_outcome",           "events:meeting_outcome",             FAIR_MEETING,      "GET",  (302,  200,  404,  200,  200,  404)),
    Case("event_shortlist",           "events:event_shortlist",                FAIR,              "GET",  (302,  404,  404,  404,  200,  404)),
    Case("event_schedule",            "events:event_schedule",                 FAIR,              "GET",  (302,  404,  404,  404,  200,  404)),
    # Leads: the inbox and alert settings are for vendors, the responses page for institutions
    # (403 with a sentence to the other kinds); a lead is seen by its two sides and organisers.
    Case("lead_inbox",                "leads:lead_inbox",                     none,              "GET",  (302,  403,  403,  200,  403,  403)),
    Case("lead_detail",               "leads:lead_detail",                 LEAD,              "GET",  (302,  200,  404,  200,  200,  404)),
    Case("lead_proposal_none",        "leads:lead_proposal",               LEAD,              "GET",  (302,  404,  404,  404,  404,  404)),
    Case("lead_responses",            "leads:lead_responses",              none,              "GET",  (302,  200,  200,  403,  403,  200)),
    Case("lead_alerts",               "leads:lead_alerts",                 none,              "GET",  (302,  403,  403,  200,  403,  403)),
    Case("notification_list",         "notifications:notification_list",           none,              "GET",  (302,  200,  200,  200,  200,  200)),
    # POST actions: a forbidden one must leave the database as it was.
    Case("need_create_post",          "needs:need_create",                 none,              "POST", (302,  302,  302,  403,  302,  302), data=_need_form_data, state=need_count),
    Case("need_edit_post",            "needs:need_edit",                   PUBLISHED,         "POST", (302,  302,  404,  404,  302,  404), data=_need_form_data, state=_state("title")(lambda w: w.need_published)),
    Case("need_submit_post",          "needs:need_submit",                 DRAFT,             "POST", (302,  302,  404,  404,  302,  404), state=_state("status")(lambda w: w.need_draft)),
    Case("need_renew_post",           "needs:need_renew",                  PUBLISHED,         "POST", (302,  302,  404,  404,  302,  404), state=_state("expires_at")(lambda w: w.need_published)),
    Case("need_status_post",          "needs:need_status",                 PUBLISHED,         "POST", (302,  302,  404,  404,  302,  404), data=lambda w: {"status": "closed"}, state=_state("status")(lambda w: w.need_published)),
    Case("capability_create_post",    "capabilities:capability_create",           none,              "POST", (302,  403,  403,  None, None, 403), data=lambda w: {"title": "x"}, state=capability_count),
    Case("capability_status_own",     "capabilities:capability_status",           CAPABILITY,        "POST", (302,  404,  404,  302,  302,  404), data=lambda w: {"status": "archived"}, state=_state("status")(lambda w: w.capability_published)),
    Case("capability_status_rival",   "capabilities:capability_status",           RIVAL_CAPABILITY,  "POST", (302,  404,  404,  404,  302,  404), data=lambda w: {"status": "archived"}, state=_state("status")(lambda w: w.capability_rival)),
    Case("review_approve_post",       "reviews:review_organization_approve", NEWCOMER,          "POST", (302,  404,  404,  404,  302,  404), state=_state("review_status")(lambda w: w.newcomer)),
    Case("review_reject_post",        "reviews:review_organization_reject",  NEWCOMER,          "POST", (302,  404,  404,  404,  302,  404), data=lambda w: {"note": "资料不全"}, state=_state("review_status")(lambda w: w.newcomer)),
    Case("review_need_publish_post",  "reviews:review_need_publish",         PENDING_NEED,      "POST", (302,  404,  404,  404,  302,  404), state=_state("status")(lambda w: w.need_pending)),
    Case("import_upload_post",        "imports:import_upload",               none,              "POST", (302,  404,  404,  404,  None, 404), state=job_count),
    Case("event_create_post",         "events:event_create",                none,              "POST", (302,  404,  404,  404,  302,  404), data=_event_form_data, state=event_count),
    Case("event_edit_post",           "events:event_edit",                  FAIR,              "POST", (302,  404,  404,  404,  302,  404), data=_event_form_data, state=_state("name")(lambda w: w.fair)),
    Case("event_registration_post",   "events:event_registration",          FAIR,              "POST", (302,  404,  404,  404,  302,  404), data=lambda w: {"open": "0"}, state=_state("registration_open")(lambda w: w.fair)),
    Case("event_participant_add_post", "events:event_participant_add",      DRAFT_FAIR,        "POST", (302,  404,  404,  404,  302,  404), data=lambda w: {"organization": w.haijing.pk, "needs": [w.need_haijing.pk]}, state=draft_participants),
    # Registering oneself: the form only fits a demand member of an approved organisation.
    Case("event_register_post",       "events:event_register",              DRAFT_FAIR,        "POST", (302,  302,  None, None, 403,  None), data=lambda w: {"needs": [w.need_published.pk]}, state=draft_participants),
    Case("event_participant_remove",  "events:event_participant_remove",    EVENT_YIHE,        "POST", (302,  302,  404,  404,  302,  404), state=event_yihe_exists),
    Case("meeting_outcome_post",      "events:meeting_outcome",             FAIR_MEETING,      "POST", (302,  302,  404,  302,  302,  404), data=lambda w: {"attendance": "met", "outcome": "follow_up"}, state=_state("attendance")(lambda w: w.fair_meeting)),
    # Generating the shortlist runs the matcher on the real model: the organiser's cell is in
    # tests/marketplace/events/test_views.py with the scores replaced.
    Case("event_shortlist_generate",  "events:event_shortlist_generate",       DRAFT_FAIR,        "POST", (302,  404,  404,  404,  None, 404), state=shortlist_count),
    Case("event_shortlist_pair",      "events:event_shortlist_pair",           DRAFT_FAIR,        "POST", (302,  404,  404,  404,  302,  404), data=lambda w: {"demand": w.draft_yihe.pk, "vendor": w.draft_kangtu.pk, "state": "pinned"}, state=_state("state")(lambda w: ShortlistEntry.objects.get(event=w.draft_fair))),
    Case("event_schedule_generate",   "events:event_schedule_generate",        DRAFT_FAIR,        "POST", (302,  404,  404,  404,  302,  404), state=draft_meetings),
    Case("event_meeting_place",       "events:event_meeting_place",            _unscheduled,      "POST", (302,  404,  404,  404,  302,  404), data=lambda w: {"slot": 1, "table": w.draft_meeting.table_id}, state=draft_meetings),
    Case("event_meeting_move",        "events:event_meeting_move",             DRAFT_MEETING,     "POST", (302,  404,  404,  404,  302,  404), data=lambda w: {"slot": 1, "table": w.draft_meeting.table_id}, state=_state("slot")(lambda w: w.draft_meeting)),
    Case("event_schedule_publish",    "events:event_schedule_publish",         DRAFT_FAIR,        "POST", (302,  404,  404,  404,  302,  404), state=_state("schedule_status")(lambda w: w.draft_fair)),
    Case("event_schedule_unpublish",  "events:event_schedule_unpublish",       FAIR,              "POST", (302,  404,  404,  404,  302,  404), state=_state("schedule_status")(lambda w: w.fair)),
    # Lead actions: one side each; organisers look but do not answer (403).
    Case("lead_respond_post",         "leads:lead_respond",                LEAD,              "POST", (302,  403,  404,  302,  403,  404), data=lambda w: {"message": "矩阵测试：有意向"}, state=lead_state),
    Case("lead_decline_post",         "leads:lead_decline",                LEAD,              "POST", (302,  403,  404,  302,  403,  404), data=lambda w: {"decline_reason": "budget"}, state=lead_state),
    Case("lead_accept_post",          "leads:lead_accept",                 INTERESTED_LEAD,   "POST", (302,  302,  404,  403,  403,  404), state=_state("demand_decision")(_lead)),
    Case("lead_reject_post",          "leads:lead_reject",                 LEAD,              "POST", (302,  302,  404,  403,  403,  404), state=_state("demand_decision")(_lead)),
    Case("need_invite_post",          "leads:need_invite",                 PUBLISHED,         "POST", (302,  302,  403,  403,  403,  403), data=lambda w: {"capability": w.capability_published.pk}, state=pair_leads),
    Case("need_not_fit_post",         "leads:need_not_fit",                PUBLISHED,         "POST", (302,  302,  403,  403,  403,  403), data=lambda w: {"vendor": w.capability_published.organization_id}, state=pair_leads),
    Case("lead_alerts_post",          "leads:lead_alerts",                 none,              "POST", (302,  403,  403,  302,  403,  403), data=lambda w: {"min_score": "90", "daily_limit": "3"}, state=lambda w: tuple(LeadAlertPreference.objects.values_list("min_score", "daily_limit"))),
    Case("notification_open_post",    "notifications:notification_open",           ALICE_NOTIFICATION, "POST", (302, 302,  404,  404,  404,  404), state=_state("read_at")(_alice_notification)),
    # The organiser's last member may not delete it: tests/marketplace/privacy/test_services.py.
    Case("account_delete_post",       "privacy:account_delete",                 none,              "POST", (302,  302,  302,  302,  None, 302), data=lambda w: {"password": PASSWORD}, state=user_count),
    Case("logout_post",               "accounts:logout",                         none,              "POST", (302,  302,  302,  302,  302,  302)),
]
# fmt: on

CELLS = [
    pytest.param(case, role_index, id=f"{case.id}-{ROLES[role_index]}")
    for case in CASES
    for role_index in range(len(ROLES))
    if case.expected[role_index] is not None
]


def _is_forbidden(role: str, status: int) -> bool:
    return status in (403, 404) or (role == "anonymous" and status == 302)


@pytest.mark.parametrize(("case", "role_index"), CELLS)
def test_permission_matrix(case: Case, role_index: int, world: World) -> None:
    # given
    role = ROLES[role_index]
    expected = case.expected[role_index]
    assert expected is not None
    if (
        case.requires
        and not _is_forbidden(role, expected)
        and importlib.util.find_spec(case.requires) is None
    ):
        pytest.skip(f"{case.requires} is not written yet")
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    before = case.state(world) if case.state else None

    # when
    response = client.post(url, case.data(world)) if case.method == "POST" else client.get(url)

    # then
    assert response.status_code == expected, (role, url, response.status_code)
    if (
        role == "anonymous"
        and expected == 302
        and case.url_name
        not in (
            "home",
            "accounts:logout",
        )
    ):
        assert response["Location"].startswith(f"{LOGIN_URL}?next="), response["Location"]
    if case.state is not None:
        after = case.state(world)
        if _is_forbidden(role, expected):
            assert after == before, f"forbidden {case.method} by {role} changed {before} → {after}"
        else:
            assert after != before, f"allowed {case.method} by {role} changed nothing"
