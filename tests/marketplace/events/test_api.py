"""Events through the API: the organiser's whole flow on the real matcher, then each rule on its
own: input checks, registration, refused moves, publication, outcomes and the files.

The catalogue is tests/matching's, embedded by the real model: 颐和苑 (alice) needs a rehab
exoskeleton with a certificate and a meal delivery robot; 康途 (bob) has the certified
exoskeleton; 另一家供应商 (victor) an uncertified exoskeleton and a delivery robot. 康宁护理院
(dan) brings a need that asks for a certificate nobody has. 对接办 (olga) organises. Who may
call which endpoint is tests/api/test_permission_matrix.py's.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Organization, User
from marketplace.events import scheduling as matching_events
from marketplace.events import services as event_services
from marketplace.models import (
    Certification,
    Event,
    EventParticipant,
    EventTable,
    Meeting,
    Need,
    Notification,
    ShortlistEntry,
)
from marketplace.needs.services import need_create
from tests.conftest import ClientFor
from tests.marketplace.factories import CapabilityFactory

# The matcher's catalogue and real model, for the flow that ranks for real.

EVENTS = "/api/v1/events/"


def _error_fields(response: Any) -> dict[str, list[str]]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == "invalid"
    fields: dict[str, list[str]] = body["error"]["fields"]
    return fields


def _tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def _held_today(event_pk: int) -> None:
    """The event's day has come (an event is not created or moved into the past)."""
    Event.objects.filter(pk=event_pk).update(date=timezone.localdate())


def _event_body(**extra: Any) -> dict[str, Any]:
    return {
        "name": "青岛养老机器人供需对接会",
        "date": timezone.localdate().isoformat(),
        "venue": "青岛国际会议中心",
        "district": "崂山区",
        "domains": ["civil_affairs"],
        "starts_at": "09:00",
        "ends_at": "10:40",
        "meeting_minutes": 20,
        "breaks": [["09:40", "10:00"]],
        "tables": [{"name": "1号桌"}, {"name": "洽谈室A", "capacity": 2}],
        "min_vendors_per_demand": 2,
        "vendor_meeting_cap": 3,
        **extra,
    }


def _event_state(event: Event) -> dict[str, Any]:
    return {
        "event": Event.objects.filter(pk=event.pk).values().get(),
        "tables": list(EventTable.objects.filter(event=event).values_list("name", "capacity")),
        "participants": sorted(
            EventParticipant.objects.filter(event=event).values_list("pk", "max_meetings")
        ),
        "shortlist": sorted(
            ShortlistEntry.objects.filter(event=event).values_list("demand", "vendor", "state")
        ),
        "meetings": sorted(
            Meeting.objects.filter(event=event).values_list(
                "pk", "slot", "table", "attendance", "outcome"
            )
        ),
    }


@pytest.fixture
def event(olga: User, taxonomy: dict[str, Any]) -> Event:
    """Tomorrow's: members register themselves only before an event starts."""
    return event_services.event_create(
        user=olga,
        fields={
            "name": "康复机器人对接会",
            "date": _tomorrow(),
            "starts_at": datetime.time(9, 0),
            "ends_at": datetime.time(10, 40),
            "meeting_minutes": 20,
            "min_vendors_per_demand": 1,
        },
        breaks=[["09:40", "10:00"]],
        tables=[("1号桌", 1), ("洽谈室A", 2)],
        domains=[taxonomy["civil"]],
    )


def _register(event: Event, user: User, **choices: Any) -> EventParticipant:
    assert user.organization is not None
    return event_services.participant_register(
        event, user=user, organization=user.organization, **choices
    )


def _published_need(user: User, taxonomy: dict[str, Any], title: str) -> Need:
    assert user.organization is not None
    return need_create(
        organization=user.organization,
        created_by=user,
        fields={
            "title": title,
            "description": "每天三餐把饭菜从一楼厨房送到各楼层房间。",
            "domain": taxonomy["civil"],
            "region": taxonomy["regions"]["青岛市"],
        },
        submit=True,
    )


@pytest.fixture
def scheduled(
    event: Event,
    taxonomy: dict[str, Any],
    olga: User,
    alice: User,
    bob: User,
    victor: User,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    """颐和苑 meets 康途 and 另一家供应商 at the event above, in a draft schedule (pair values
    fixed here: the flow test ranks for real)."""
    need = _published_need(alice, taxonomy, "送餐机器人")
    capabilities = {
        user.pk: CapabilityFactory.create(
            organization=user.organization, robot_type=taxonomy["care_robot"]
        )
        for user in (bob, victor)
    }
    yihe = _register(event, alice, needs=[need])
    kangtu = _register(event, bob, capabilities=[capabilities[bob.pk]])
    rival = _register(event, victor, capabilities=[capabilities[victor.pk]])
    values = {
        (yihe.pk, kangtu.pk): matching_events.PairValue(0.9, need.pk, capabilities[bob.pk].pk),
        (yihe.pk, rival.pk): matching_events.PairValue(0.7, need.pk, capabilities[victor.pk].pk),
    }
    monkeypatch.setattr(matching_events, "event_pair_values", lambda event, context=None: values)
    matching_events.event_shortlist_generate(event, olga)
    matching_events.event_schedule_generate(event, olga)
    _held_today(event.pk)
    event.refresh_from_db()
    return {"event": event, "yihe": yihe, "kangtu": kangtu, "rival": rival, "need": need}


# --- The whole flow, on the real matcher --------------------------------------------------------


@pytest.fixture
def ranked(request: pytest.FixtureRequest, taxonomy: dict[str, Any], dan: User) -> dict[str, Any]:
    """tests/matching's catalogue, and 康宁护理院's need for a certificate nobody holds."""
    world: dict[str, Any] = dict(request.getfixturevalue("embedded"))
    licence = Certification.objects.create(name="特种设备使用许可")
    assert dan.organization is not None
    world["unmatched"] = need_create(
        organization=dan.organization,
        created_by=dan,
        fields={
            "title": "楼宇巡检机器人",
            "description": "夜间在各楼层巡查，发现老人跌倒及时报警。",
            "domain": taxonomy["civil"],
            "region": taxonomy["regions"]["青岛市"],
        },
        required_certifications=[licence],
        submit=True,
    )
    return world


def test_the_organiser_runs_an_event_over_the_api(
    ranked: dict[str, Any],
    olga: User,
    alice: User,
    bob: User,
    victor: User,
    dan: User,
    yihe: Organization,
    kangning: Organization,
    client_for: ClientFor,
) -> None:
    organiser = client_for(olga)

    # when the organiser creates the event
    created = organiser.post(EVENTS, _event_body(date=_tomorrow().isoformat()), format="json")

    # then it is open for registration, with the slots the breaks leave
    assert created.status_code == 201, created.content
    event = created.json()
    url = f"{EVENTS}{event['id']}/"
    assert event["slots"] == [
        {"index": 0, "start": "09:00", "end": "09:20"},
        {"index": 1, "start": "09:20", "end": "09:40"},
        {"index": 2, "start": "10:00", "end": "10:20"},
        {"index": 3, "start": "10:20", "end": "10:40"},
    ]
    assert [(t["name"], t["capacity"]) for t in event["tables"]] == [("1号桌", 1), ("洽谈室A", 2)]
    assert event["breaks"] == [["09:40", "10:00"]]
    assert (event["registration_open"], event["schedule_status"]) == (True, "none")
    assert event["organizer"]["name"] == "对接办"
    assert event["domains"] == ["civil_affairs"]

    # when the members register their own organisations
    def register(user: User, body: dict[str, Any]) -> dict[str, Any]:
        response = client_for(user).post(f"{url}participants/", body, format="json")
        assert response.status_code == 201, response.content
        participant: dict[str, Any] = response.json()
        return participant

    demand = register(alice, {"needs": [ranked["need"].pk, ranked["english"].pk]})
    certified = register(bob, {"capabilities": [ranked["certified"].pk]})
    other = register(victor, {"capabilities": [ranked["uncertified"].pk, ranked["delivery"].pk]})
    assert (demand["role"], demand["on_behalf"], demand["organization"]["id"]) == (
        "demand",
        False,
        yihe.pk,
    )
    assert {need["id"] for need in demand["needs"]} == {ranked["need"].pk, ranked["english"].pk}

    # and the organiser closes registration: 康宁 can no longer register itself ...
    closed = organiser.post(f"{url}registration/", {"open": False}, format="json")
    assert closed.status_code == 200, closed.content
    assert closed.json()["registration_open"] is False
    refused = client_for(dan).post(
        f"{url}participants/", {"needs": [ranked["unmatched"].pk]}, format="json"
    )
    assert refused.status_code == 400
    assert _error_fields(refused) == {"non_field_errors": ["报名已截止，请联系组织方。"]}
    # ... so the organiser registers it on its behalf
    behalf = organiser.post(
        f"{url}participants/",
        {"organization": kangning.pk, "needs": [ranked["unmatched"].pk], "max_meetings": 4},
        format="json",
    )
    assert behalf.status_code == 201, behalf.content
    unmatched = behalf.json()
    assert (unmatched["on_behalf"], unmatched["max_meetings"]) == (True, 4)

    # then the organiser sees every participant, a member only its own organisation's
    listed = organiser.get(f"{url}participants/").json()
    assert listed["count"] == 4
    assert {p["id"] for p in listed["results"]} == {
        demand["id"],
        certified["id"],
        other["id"],
        unmatched["id"],
    }
    assert [p["id"] for p in client_for(alice).get(f"{url}participants/").json()["results"]] == [
        demand["id"]
    ]

    # when the organiser generates the shortlist
    generated = organiser.post(f"{url}shortlist/generate/")

    # then 颐和苑 gets both vendors, each with the need and profile behind the value; 康宁 none
    assert generated.status_code == 200, generated.content
    result = generated.json()
    pairs = {(p["demand"]["id"], p["vendor"]["id"]): p for p in result["pairs"]}
    assert set(pairs) == {(demand["id"], certified["id"]), (demand["id"], other["id"])}
    best = pairs[(demand["id"], certified["id"])]
    assert (best["best_need"]["id"], best["best_capability"]["id"]) == (
        ranked["need"].pk,
        ranked["certified"].pk,
    )
    assert best["demand"]["organization"]["name"] == "颐和苑养老中心"
    # the rehab need asks for a certificate 另一家 lacks: its value comes from the meal need
    assert pairs[(demand["id"], other["id"])]["best_need"]["id"] == ranked["english"].pk
    assert all(0 < p["value"] <= 1 and p["state"] == "proposed" for p in pairs.values())
    assert result["shortfalls"] == [
        {
            "demand": {"id": unmatched["id"], "organization": unmatched["organization"]},
            "got": 0,
            "wanted": 2,
            "eligible": 0,
            "reason": "not_enough_eligible_vendors",
            "message": "康宁护理院：只有 0 家可匹配的供应商，少于最低 2 家。",
        }
    ]

    # when the organiser pins 康宁 × 康途 by hand and removes 颐和苑 × 另一家, then regenerates
    def pair(demand_id: int, vendor_id: int, state: str) -> dict[str, Any]:
        response = organiser.post(
            f"{url}shortlist/pairs/",
            {"demand": demand_id, "vendor": vendor_id, "state": state},
            format="json",
        )
        assert response.status_code == 200, response.content
        entry: dict[str, Any] = response.json()
        return entry

    pinned = pair(unmatched["id"], certified["id"], "pinned")
    removed = pair(demand["id"], other["id"], "removed")
    assert (pinned["state"], pinned["manual"], removed["state"]) == ("pinned", True, "removed")
    regenerated = organiser.post(f"{url}shortlist/generate/").json()

    # then the pin stays and the removed pair stays out
    assert {(p["demand"]["id"], p["vendor"]["id"], p["state"]) for p in regenerated["pairs"]} == {
        (demand["id"], certified["id"], "proposed"),
        (unmatched["id"], certified["id"], "pinned"),
    }
    shortlist = organiser.get(f"{url}shortlist/").json()
    assert shortlist["count"] == 3
    assert [e["id"] for e in organiser.get(f"{url}shortlist/?state=removed").json()["results"]] == [
        removed["id"]
    ]

    # when the organiser generates the schedule
    scheduled = organiser.post(f"{url}schedule/generate/")

    # then both of 康途's meetings are placed, at different times
    assert scheduled.status_code == 200, scheduled.content
    draft = scheduled.json()
    assert (draft["unscheduled"], draft["solver_status"]) == ([], "optimal")
    meetings = {m["demand"]["id"]: m for m in draft["meetings"]}
    assert set(meetings) == {demand["id"], unmatched["id"]}
    first, second = meetings[demand["id"]], meetings[unmatched["id"]]
    assert first["slot"] != second["slot"]
    assert organiser.get(url).json()["schedule_status"] == "draft"
    # and nobody but the organiser sees a draft
    assert client_for(alice).get(f"{url}meetings/").json()["results"] == []

    # when the organiser moves 康宁's meeting to when 康途 meets 颐和苑, at another table
    other_table = next(t for t in event["tables"] if t["id"] != first["table"]["id"])
    before = Meeting.objects.filter(pk=second["id"]).values("slot", "table").get()
    refused = organiser.patch(
        f"{url}meetings/{second['id']}/",
        {"slot": first["slot"], "table": other_table["id"]},
        format="json",
    )

    # then it is refused, naming the rule, and nothing moves
    assert refused.status_code == 400
    slot_label = f"{first['start']}–{first['end']}"
    assert _error_fields(refused) == {
        "non_field_errors": [f"康途机器人 在{slot_label}已有会谈（与 颐和苑养老中心）"]
    }
    assert Meeting.objects.filter(pk=second["id"]).values("slot", "table").get() == before

    # when it moves the meeting to the last slot, in 洽谈室A
    room = next(t for t in event["tables"] if t["name"] == "洽谈室A")
    free_slot = next(s for s in (3, 2, 1, 0) if s not in (first["slot"], second["slot"]))
    moved = organiser.patch(
        f"{url}meetings/{second['id']}/", {"slot": free_slot, "table": room["id"]}, format="json"
    )

    # then the meeting is there
    assert moved.status_code == 200, moved.content
    assert (moved.json()["slot"], moved.json()["table"]["name"]) == (free_slot, "洽谈室A")
    assert moved.json()["start"] == event["slots"][free_slot]["start"]

    # when the organiser publishes the schedule
    published = organiser.post(f"{url}schedule/publish/")

    # then every participant's members hear how many meetings they have
    assert published.status_code == 200, published.content
    assert published.json()["schedule_status"] == "published"
    assert published.json()["schedule_published_at"] is not None
    titles = {
        user.email: list(
            Notification.objects.filter(user=user, kind=Notification.Kind.SCHEDULE).values_list(
                "title", flat=True
            )
        )
        for user in (alice, bob, victor, dan)
    }
    name = "青岛养老机器人供需对接会"
    assert titles == {
        alice.email: [f"{name} 会谈日程已发布：贵方共 1 场会谈"],
        bob.email: [f"{name} 会谈日程已发布：贵方共 2 场会谈"],
        victor.email: [f"{name} 会谈日程已发布：贵方共 0 场会谈"],
        dan.email: [f"{name} 会谈日程已发布：贵方共 1 场会谈"],
    }

    # and each participant sees its own meetings only
    def seen(user: User) -> list[int]:
        response = client_for(user).get(f"{url}meetings/")
        assert response.status_code == 200, response.content
        return [m["id"] for m in response.json()["results"]]

    assert seen(alice) == [first["id"]]
    assert sorted(seen(bob)) == sorted([first["id"], second["id"]])
    assert seen(dan) == [second["id"]]
    assert seen(victor) == []
    agenda = client_for(alice).get(f"{url}meetings/").json()["results"][0]
    assert (agenda["vendor"]["organization"]["name"], agenda["need"]["id"]) == (
        "康途机器人",
        ranked["need"].pk,
    )

    # when the day has come and 颐和苑 records a pilot without its details
    _held_today(event["id"])
    outcome_url = f"{url}meetings/{first['id']}/outcome/"
    incomplete = client_for(alice).post(
        outcome_url, {"attendance": "met", "outcome": "pilot"}, format="json"
    )

    # then it is refused, field by field
    assert incomplete.status_code == 400
    assert _error_fields(incomplete) == {
        "pilot_site": ["试点需要填写试点地点。"],
        "pilot_start": ["试点需要填写开始日期。"],
        "pilot_end": ["试点需要填写结束日期（养老机器人试点验证期通常不少于 6 个月）。"],
    }
    assert Meeting.objects.get(pk=first["id"]).outcome == Meeting.Outcome.NONE

    # when it records the pilot in full
    recorded = client_for(alice).post(
        outcome_url,
        {
            "attendance": "met",
            "outcome": "pilot",
            "pilot_site": " 颐和苑二楼康复室 ",
            "pilot_start": "2027-01-01",
            "pilot_end": "2027-06-30",
            "note": "先试用两台。",
        },
        format="json",
    )

    # then both sides and the organiser read it
    assert recorded.status_code == 200, recorded.content
    for user in (alice, bob, olga):
        meeting = client_for(user).get(f"{url}meetings/{first['id']}/").json()
        assert {
            key: meeting[key]
            for key in ("attendance", "outcome", "pilot_site", "pilot_start", "pilot_end", "note")
        } == {
            "attendance": "met",
            "outcome": "pilot",
            "pilot_site": "颐和苑二楼康复室",
            "pilot_start": "2027-01-01",
            "pilot_end": "2027-06-30",
            "note": "先试用两台。",
        }
    # and the other demand organisation cannot even see that meeting
    assert (
        client_for(dan)
        .post(outcome_url, {"attendance": "no_show", "outcome": "none"}, format="json")
        .status_code
        == 404
    )


# --- Creating and editing events ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "fields"),
    [
        (
            {"breaks": [["10:40", "10:20"]]},
            {"breaks": ["休息时段“10:40-10:20”的结束时间应晚于开始时间。"]},
        ),
        ({"breaks": [["10:20"]]}, {"breaks.0": ["该字段必须包含至少 2 个元素。"]}),
        (
            {"breaks": [["10:20", "10点40"]]},
            {"breaks.0.1": ["时间格式错误。请从这些格式中选择：hh:mm。"]},
        ),
        ({"tables": []}, {"tables": ["该字段必须包含至少 1 个元素。"]}),
        (
            {"tables": [{"name": "1号桌"}, {"name": "1号桌", "capacity": 2}]},
            {"tables": ["洽谈桌名称“1号桌”重复。"]},
        ),
        (
            {"tables": [{"name": "1号桌"}, {"name": "洽谈室A", "capacity": 0}]},
            {"tables.1.capacity": ["请确保该值大于或者等于 1。"]},
        ),
        ({"starts_at": "11:00", "ends_at": "10:00"}, {"ends_at": ["结束时间必须晚于开始时间。"]}),
        (
            {"starts_at": "09:00", "ends_at": "09:10"},
            {"ends_at": ["按当前时间和会谈时长排不出任何时段。"]},
        ),
        ({"domains": ["space"]}, {"domains": ["属性 code 为 space 的对象不存在。"]}),
    ],
    ids=[
        "break ends first",
        "break without an end",
        "break not a time",
        "no tables",
        "a table twice",
        "a room for nobody",
        "ends before it starts",
        "no room for a meeting",
        "unknown domain",
    ],
)
def test_an_event_is_checked_before_anything_is_stored(
    extra: dict[str, Any],
    fields: dict[str, list[str]],
    taxonomy: dict[str, Any],
    olga: User,
    client_for: ClientFor,
) -> None:
    # when
    response = client_for(olga).post(EVENTS, _event_body(**extra), format="json")

    # then
    assert response.status_code == 400
    assert _error_fields(response) == fields
    assert not Event.objects.exists()


PAST_DATE = "活动日期不能早于今天：不能把活动创建或改期到过去的日期。"


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def test_an_event_in_the_past_is_refused_naming_the_rule(
    taxonomy: dict[str, Any], olga: User, client_for: ClientFor
) -> None:
    response = client_for(olga).post(
        EVENTS, _event_body(date=_yesterday().isoformat()), format="json"
    )

    assert response.status_code == 400
    assert _error_fields(response) == {"date": [PAST_DATE]}
    assert not Event.objects.exists()


def test_an_event_is_not_moved_into_the_past(
    event: Event, olga: User, client_for: ClientFor
) -> None:
    before = _event_state(event)

    response = client_for(olga).patch(
        f"{EVENTS}{event.pk}/",
        {"date": _yesterday().isoformat(), "venue": "青岛国际博览中心"},
        format="json",
    )

    assert response.status_code == 400
    assert _error_fields(response) == {"date": [PAST_DATE]}
    assert _event_state(event) == before


def test_registration_over_the_api_closes_when_the_event_starts(
    event: Event, taxonomy: dict[str, Any], olga: User, alice: User, client_for: ClientFor
) -> None:
    # given the event started yesterday, its registration switch still on
    Event.objects.filter(pk=event.pk).update(date=_yesterday())
    need = _published_need(alice, taxonomy, "送餐机器人")
    before = _event_state(event)

    # when a member registers, and the organiser opens registration again
    registered = client_for(alice).post(
        f"{EVENTS}{event.pk}/participants/", {"needs": [need.pk]}, format="json"
    )
    reopened = client_for(olga).post(
        f"{EVENTS}{event.pk}/registration/", {"open": True}, format="json"
    )

    # then both are refused, naming the rule, and nothing changes
    assert registered.status_code == 400
    assert _error_fields(registered) == {
        "non_field_errors": [f"报名已截止：报名在活动开始时（{_yesterday():%Y-%m-%d} 09:00）截止。"]
    }
    assert reopened.status_code == 400
    assert _error_fields(reopened) == {
        "non_field_errors": ["活动已开始，不能重新开放报名：报名在活动开始时截止。"]
    }
    assert _event_state(event) == before


def test_an_edit_changes_only_what_is_sent_and_keeps_the_tables(
    event: Event, olga: User, client_for: ClientFor
) -> None:
    # when
    response = client_for(olga).patch(
        f"{EVENTS}{event.pk}/", {"venue": "青岛国际博览中心", "ends_at": "11:00"}, format="json"
    )

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["venue"], body["name"], body["ends_at"]) == (
        "青岛国际博览中心",
        "康复机器人对接会",
        "11:00",
    )
    assert [s["start"] for s in body["slots"]] == ["09:00", "09:20", "10:00", "10:20", "10:40"]
    assert [(t["name"], t["capacity"]) for t in body["tables"]] == [("1号桌", 1), ("洽谈室A", 2)]
    assert body["breaks"] == [["09:40", "10:00"]]
    assert body["domains"] == ["civil_affairs"]


def test_the_timing_of_a_published_schedule_cannot_change(
    scheduled: dict[str, Any], olga: User, client_for: ClientFor
) -> None:
    # given
    event = scheduled["event"]
    matching_events.event_schedule_publish(event, olga)
    before = _event_state(event)

    # when
    response = client_for(olga).patch(
        f"{EVENTS}{event.pk}/", {"meeting_minutes": 15}, format="json"
    )

    # then
    assert response.status_code == 400
    assert _error_fields(response) == {
        "non_field_errors": ["日程已发布，不能再改时间安排。请先撤回日程。"]
    }
    assert _event_state(event) == before


def test_a_table_with_meetings_cannot_be_dropped(
    scheduled: dict[str, Any], olga: User, client_for: ClientFor
) -> None:
    # given
    event = scheduled["event"]
    used = Meeting.objects.filter(event=event).first()
    assert used is not None
    kept = [t for t in event.tables.all() if t.pk != used.table_id]
    before = _event_state(event)

    # when
    response = client_for(olga).patch(
        f"{EVENTS}{event.pk}/",
        {"tables": [{"name": t.name, "capacity": t.capacity} for t in kept]},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert _error_fields(response) == {
        "tables": [f"洽谈桌“{used.table.name}”已排有会谈，不能删除。"]
    }
    assert _event_state(event) == before


def test_events_are_listed_for_everyone_and_filtered_by_date_and_domain(
    event: Event, taxonomy: dict[str, Any], olga: User, client_for: ClientFor
) -> None:
    # given the event held today, and one next month focused on healthcare
    _held_today(event.pk)
    later = event_services.event_create(
        user=olga,
        fields={"name": "医疗康养对接会", "date": timezone.localdate() + datetime.timedelta(30)},
        breaks=[],
        tables=[("1号桌", 1)],
        domains=[taxonomy["health"]],
    )
    today = timezone.localdate()

    def ids(query: str = "") -> list[int]:
        response = client_for(None).get(f"{EVENTS}{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    # then (latest first)
    assert ids() == [later.pk, event.pk]
    assert ids(f"?date_from={today + datetime.timedelta(1)}") == [later.pk]
    assert ids(f"?date_to={today}") == [event.pk]
    assert ids(f"?date_from={today}&date_to={today}") == [event.pk]
    assert ids("?domain=healthcare") == [later.pk]
    assert ids("?domain=civil_affairs") == [event.pk]
    bad = client_for(None).get(f"{EVENTS}?date_from=tomorrow")
    assert bad.status_code == 400
    assert list(_error_fields(bad)) == ["date_from"]


# --- Registration -------------------------------------------------------------------------------


def test_a_member_registers_changes_and_withdraws_its_organisation(
    event: Event, taxonomy: dict[str, Any], alice: User, client_for: ClientFor
) -> None:
    # given
    first = _published_need(alice, taxonomy, "送餐机器人")
    second = _published_need(alice, taxonomy, "巡检机器人")
    url = f"{EVENTS}{event.pk}/participants/"

    # when it registers, then changes what it brings
    created = client_for(alice).post(url, {"needs": [first.pk]}, format="json")
    changed = client_for(alice).post(
        url, {"needs": [first.pk, second.pk], "max_meetings": 3}, format="json"
    )

    # then one participant, changed
    assert (created.status_code, changed.status_code) == (201, 200)
    assert changed.json()["id"] == created.json()["id"]
    assert sorted(n["id"] for n in changed.json()["needs"]) == sorted([first.pk, second.pk])
    assert changed.json()["max_meetings"] == 3

    # when it withdraws
    withdrawn = client_for(alice).delete(f"{url}{created.json()['id']}/")

    # then
    assert withdrawn.status_code == 204
    assert not EventParticipant.objects.exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"needs": ["请至少选择一条带来的需求。"]}),
        (
            lambda need: {"needs": [need.pk], "max_meetings": 0},
            {"max_meetings": ["请确保该值大于或者等于 1。"]},
        ),
        (lambda need: {"needs": [need.pk + 1000]}, None),
    ],
    ids=["nothing brought", "no meetings", "a need one cannot see"],
)
def test_a_registration_is_checked(
    body: Any,
    fields: dict[str, list[str]] | None,
    event: Event,
    taxonomy: dict[str, Any],
    alice: User,
    client_for: ClientFor,
) -> None:
    # given
    need = _published_need(alice, taxonomy, "送餐机器人")
    data = body(need) if callable(body) else body

    # when
    response = client_for(alice).post(f"{EVENTS}{event.pk}/participants/", data, format="json")

    # then
    assert response.status_code == 400
    errors = _error_fields(response)
    if fields is None:
        assert list(errors) == ["needs"]
    else:
        assert errors == fields
    assert not EventParticipant.objects.exists()


def test_organisers_name_the_organisation_they_register(
    event: Event, olga: User, client_for: ClientFor
) -> None:
    # when
    response = client_for(olga).post(f"{EVENTS}{event.pk}/participants/", {}, format="json")

    # then
    assert response.status_code == 400
    assert _error_fields(response) == {"organization": ["组织方代为报名时，请指定参会机构。"]}


def test_a_participant_with_meetings_is_not_removed(
    scheduled: dict[str, Any], olga: User, client_for: ClientFor
) -> None:
    # given
    event, yihe = scheduled["event"], scheduled["yihe"]
    before = _event_state(event)

    # when
    response = client_for(olga).delete(f"{EVENTS}{event.pk}/participants/{yihe.pk}/")

    # then
    assert response.status_code == 400
    assert _error_fields(response) == {
        "non_field_errors": ["该机构已排有会谈，请先在日程中移除其会谈。"]
    }
    assert _event_state(event) == before


# --- Shortlist and schedule rules ---------------------------------------------------------------


def test_a_move_to_a_table_of_another_event_names_the_table(
    scheduled: dict[str, Any], olga: User, client_for: ClientFor
) -> None:
    # given
    event = scheduled["event"]
    elsewhere = event_services.event_create(
        user=olga, fields={"name": "另一场", "date": event.date}, breaks=[], tables=[("9号桌", 1)]
    )
    meeting = Meeting.objects.filter(event=event).first()
    assert meeting is not None
    before = _event_state(event)

    # when
    response = client_for(olga).patch(
        f"{EVENTS}{event.pk}/meetings/{meeting.pk}/",
        {"table": elsewhere.tables.get().pk},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert list(_error_fields(response)) == ["table"]
    assert _event_state(event) == before


def test_a_move_into_a_break_or_onto_a_full_table_names_every_rule(
    scheduled: dict[str, Any], olga: User, client_for: ClientFor
) -> None:
    # given both of 颐和苑's meetings, at one table of capacity 1 in the same slot
    event = scheduled["event"]
    one, two = Meeting.objects.filter(event=event).order_by("pk")
    table = EventTable.objects.get(event=event, name="1号桌")
    before = _event_state(event)

    # when one of them is moved next to the other, and into a slot that does not exist
    clash = client_for(olga).patch(
        f"{EVENTS}{event.pk}/meetings/{two.pk}/",
        {"slot": one.slot, "table": table.pk},
        format="json",
    )
    nowhere = client_for(olga).patch(
        f"{EVENTS}{event.pk}/meetings/{two.pk}/", {"slot": 9}, format="json"
    )

    # then each names what it breaks, and nothing moves
    assert clash.status_code == nowhere.status_code == 400
    messages = _error_fields(clash)["non_field_errors"]
    assert any(message.startswith("颐和苑养老中心 在") for message in messages)
    assert _error_fields(nowhere) == {
        "non_field_errors": ["第 9 时段不能安排会谈（休息时段或不在活动日程内）"]
    }
    assert _event_state(event) == before


def test_a_pair_the_schedule_left_out_is_placed_by_hand(
    scheduled: dict[str, Any], olga: User, client_for: ClientFor
) -> None:
    # given 颐和苑 × 另一家 left out of the draft, its slot taken by 颐和苑's other meeting
    event = scheduled["event"]
    left_out = Meeting.objects.get(event=event, vendor=scheduled["rival"])
    left_out.delete()
    other = Meeting.objects.get(event=event, vendor=scheduled["kangtu"])
    entry = ShortlistEntry.objects.get(event=event, vendor=scheduled["rival"])
    url = f"{EVENTS}{event.pk}/shortlist/pairs/{entry.pk}/place/"
    free = next(slot.index for slot in event.slots if slot.index != other.slot)
    room = EventTable.objects.get(event=event, name="1号桌")
    before = _event_state(event)

    # when
    clash = client_for(olga).post(url, {"slot": other.slot, "table": room.pk}, format="json")
    missing = client_for(olga).post(url, {"table": room.pk}, format="json")
    after_refusals = _event_state(event)
    placed = client_for(olga).post(url, {"slot": free, "table": room.pk}, format="json")
    again = client_for(olga).post(url, {"slot": free, "table": room.pk}, format="json")

    # then
    assert clash.status_code == missing.status_code == 400
    assert any(m.startswith("颐和苑养老中心 在") for m in _error_fields(clash)["non_field_errors"])
    assert list(_error_fields(missing)) == ["slot"]
    assert after_refusals == before
    assert placed.status_code == 201
    body = placed.json()
    assert (body["slot"], body["table"]["id"]) == (free, room.pk)
    assert (body["demand"]["id"], body["vendor"]["id"]) == (
        scheduled["yihe"].pk,
        scheduled["rival"].pk,
    )
    assert again.status_code == 400
    assert _error_fields(again)["non_field_errors"] == [
        "该配对已在日程中，请直接调整它的时段或洽谈桌。"
    ]


def test_a_published_schedule_is_not_regenerated_and_unpublishing_hides_it_again(
    scheduled: dict[str, Any], olga: User, alice: User, client_for: ClientFor
) -> None:
    # given
    event = scheduled["event"]
    url = f"{EVENTS}{event.pk}/"
    assert client_for(olga).post(f"{url}schedule/publish/").status_code == 200
    assert len(client_for(alice).get(f"{url}meetings/").json()["results"]) == 2
    before = _event_state(event)

    # when
    again = client_for(olga).post(f"{url}schedule/publish/")
    regenerated = client_for(olga).post(f"{url}schedule/generate/")
    shortlisted = client_for(olga).post(f"{url}shortlist/generate/")

    # then
    assert _error_fields(again) == {"non_field_errors": ["只有草稿日程可以发布。"]}
    assert _error_fields(regenerated) == {
        "non_field_errors": ["日程已发布，不能再改名单。请先撤回日程。"]
    }
    assert _error_fields(shortlisted) == _error_fields(regenerated)
    assert _event_state(event) == before

    # when
    withdrawn = client_for(olga).post(f"{url}schedule/unpublish/")

    # then
    assert withdrawn.status_code == 200
    assert withdrawn.json()["schedule_status"] == "draft"
    assert client_for(alice).get(f"{url}meetings/").json()["results"] == []


def test_a_schedule_needs_a_shortlist(event: Event, olga: User, client_for: ClientFor) -> None:
    # when
    response = client_for(olga).post(f"{EVENTS}{event.pk}/schedule/generate/")

    # then
    assert response.status_code == 400
    assert _error_fields(response) == {"non_field_errors": ["推荐名单为空，请先生成名单。"]}


def test_a_pair_names_participants_of_the_event(
    scheduled: dict[str, Any], olga: User, client_for: ClientFor
) -> None:
    # given
    event = scheduled["event"]
    before = _event_state(event)

    # when the two sides are swapped, and when an id is from nowhere
    swapped = client_for(olga).post(
        f"{EVENTS}{event.pk}/shortlist/pairs/",
        {"demand": scheduled["kangtu"].pk, "vendor": scheduled["yihe"].pk, "state": "pinned"},
        format="json",
    )
    unknown = client_for(olga).post(
        f"{EVENTS}{event.pk}/shortlist/pairs/",
        {"demand": scheduled["yihe"].pk, "vendor": 99999, "state": "pinned"},
        format="json",
    )

    # then
    assert _error_fields(swapped) == {
        "non_field_errors": ["对接需在一家需求方和一家供应方之间进行。"]
    }
    assert list(_error_fields(unknown)) == ["vendor"]
    assert _event_state(event) == before


# --- Outcomes -----------------------------------------------------------------------------------


def test_outcomes_wait_for_the_event_day(
    scheduled: dict[str, Any], olga: User, client_for: ClientFor
) -> None:
    # given
    event = scheduled["event"]
    Event.objects.filter(pk=event.pk).update(date=timezone.localdate() + datetime.timedelta(1))
    meeting = Meeting.objects.filter(event=event).first()
    assert meeting is not None
    before = _event_state(event)

    # when
    response = client_for(olga).post(
        f"{EVENTS}{event.pk}/meetings/{meeting.pk}/outcome/",
        {"attendance": "met", "outcome": "follow_up"},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert _error_fields(response) == {"non_field_errors": ["活动尚未举行，不能记录会谈结果。"]}
    assert _event_state(event) == before


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"attendance": "no_show", "outcome": "follow_up"},
            {"outcome": ["未会谈的记录不能填写对接结果。"]},
        ),
        (
            {
                "attendance": "met",
                "outcome": "pilot",
                "pilot_site": "颐和苑",
                "pilot_start": "2027-06-01",
                "pilot_end": "2027-01-01",
            },
            {"pilot_end": ["试点结束日期不能早于开始日期。"]},
        ),
        ({"attendance": "maybe", "outcome": "none"}, {"attendance": ["“maybe” 不是合法选项。"]}),
    ],
    ids=["no-show with an outcome", "pilot ends first", "unknown attendance"],
)
def test_an_outcome_is_checked(
    body: dict[str, Any],
    fields: dict[str, list[str]],
    scheduled: dict[str, Any],
    olga: User,
    client_for: ClientFor,
) -> None:
    # given
    event = scheduled["event"]
    meeting = Meeting.objects.filter(event=event).first()
    assert meeting is not None
    before = _event_state(event)

    # when
    response = client_for(olga).post(
        f"{EVENTS}{event.pk}/meetings/{meeting.pk}/outcome/", body, format="json"
    )

    # then
    assert response.status_code == 400
    assert _error_fields(response) == fields
    assert _event_state(event) == before


# --- Files --------------------------------------------------------------------------------------


def test_the_organiser_downloads_the_schedule_and_the_shortlist(
    scheduled: dict[str, Any], olga: User, client_for: ClientFor
) -> None:
    # given
    event = scheduled["event"]

    # when
    workbook = client_for(olga).get(f"{EVENTS}{event.pk}/schedule.xlsx")
    shortlist = client_for(olga).get(f"{EVENTS}{event.pk}/shortlist.csv")

    # then
    assert workbook.status_code == 200
    assert workbook["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert workbook["Content-Disposition"] == (
        f'attachment; filename="robomatch-event-{event.pk}-schedule.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    names = {row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"颐和苑养老中心"}
    assert sheet.max_row == 3  # a header and two meetings
    assert shortlist.status_code == 200
    assert shortlist["Content-Type"] == "text/csv; charset=utf-8"
    assert shortlist.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(shortlist.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert {row[0] for row in rows[1:]} == {"颐和苑养老中心"}


def test_a_participant_downloads_its_calendar_once_the_schedule_is_published(
    scheduled: dict[str, Any], olga: User, alice: User, bob: User, client_for: ClientFor
) -> None:
    # given
    event, yihe = scheduled["event"], scheduled["yihe"]
    url = f"{EVENTS}{event.pk}/participants/{yihe.pk}/calendar.ics"

    # then the draft's calendar is the organiser's only
    assert client_for(alice).get(url).status_code == 404
    assert client_for(olga).get(url).status_code == 200

    # when
    matching_events.event_schedule_publish(event, olga)
    response = client_for(alice).get(url)

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = response.content.decode()
    assert calendar.count("BEGIN:VEVENT") == 2
    assert "康途机器人" in calendar
    # and another participant's calendar stays its own
    assert client_for(bob).get(url).status_code == 404
