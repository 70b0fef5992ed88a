"""The event pages end to end through the test client: the organiser's event form, participants,
shortlist, schedule and exports; a participant's registration, agenda, calendar and outcomes.

Who may open what is the permission matrix's job (tests/web/test_permission_matrix.py); these
tests check what each page does. The matcher's scores come from ``fake_pair_values``.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import icalendar
import pytest
from django.conf import settings
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Organization, User
from marketplace.events import scheduling as matching_events
from marketplace.models import (
    Event,
    EventParticipant,
    EventTable,
    Meeting,
    Notification,
    ShortlistEntry,
)
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.marketplace.event_world import (
    Fair,
    PairScores,
    all_fit,
    build_fair,
    fake_pair_values,
)
from tests.marketplace.factories import CapabilityFactory, DomainFactory, NeedFactory

pytestmark = pytest.mark.django_db


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _text(response: Any) -> str:
    return response.content.decode()


def _section(html: str, element_id: str) -> str:
    """The markup from the element with this id to the next section."""
    start = html.index(f'id="{element_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


def _messages(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def fair(olga: User, alice: User, bob: User, victor: User) -> Fair:
    return build_fair(olga=olga, alice=alice, bob=bob, victor=victor)


@pytest.fixture
def upcoming(olga: User, alice: User, bob: User, victor: User) -> Fair:
    """The fair, tomorrow: members may still register and withdraw themselves."""
    return build_fair(
        olga=olga,
        alice=alice,
        bob=bob,
        victor=victor,
        date=timezone.localdate() + datetime.timedelta(days=1),
    )


@pytest.fixture
def scores(monkeypatch: pytest.MonkeyPatch) -> Callable[[PairScores], None]:
    return fake_pair_values(monkeypatch)


@pytest.fixture
def scheduled(fair: Fair, scores: Callable[[PairScores], None]) -> Fair:
    scores(all_fit(fair))
    matching_events.event_shortlist_generate(fair.event, fair.olga)
    matching_events.event_schedule_generate(fair.event, fair.olga)
    return fair


@pytest.fixture
def published(scheduled: Fair) -> Fair:
    matching_events.event_schedule_publish(scheduled.event, scheduled.olga)
    scheduled.event.refresh_from_db()
    return scheduled


def _url(name: str, fair: Fair, *extra: int) -> str:
    return reverse(name, args=[fair.event.pk, *extra])


# --- Another organiser ---------------------------------------------------------------------------

ORGANISER_PAGES = [
    "events:event_edit",
    "events:event_manage",
    "events:event_participant_add",
    "events:event_schedule_xlsx",
    "events:event_shortlist_csv",
    "events:event_shortlist",
    "events:event_schedule",
]


@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_an_organiser_of_another_office_finds_no_such_page(published: Fair, name: str) -> None:
    office = OrganizationFactory.create(
        name="西海岸对接办", kind="organizer", sub_type="city_office"
    )
    stranger = UserFactory.create(organization=office)

    assert _client(stranger).get(_url(name, published)).status_code == 404
    agenda = _url("events:event_agenda", published, published.yihe.pk)
    assert _client(stranger).get(agenda).status_code == 404


# --- Creating and editing an event -------------------------------------------------------------


def _event_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "具身智能机器人+养老 供需对接会",
        "date": (timezone.localdate() + datetime.timedelta(days=100)).isoformat(),
        "venue": "青岛国际会议中心",
        "district": "崂山区",
        "description": "面向养老机构的机器人对接。",
        "starts_at": "09:00",
        "ends_at": "11:00",
        "meeting_minutes": "20",
        "breaks": "10:20-10:40",
        "tables": "1号桌\n2号桌\n洽谈室A, 3",
        "min_vendors_per_demand": "3",
        "vendor_meeting_cap": "6",
    }
    data.update(overrides)
    return data


def test_an_organiser_creates_an_event_and_sees_its_slots(olga: User) -> None:
    domain = DomainFactory.create(code="civil_affairs", name_zh="民政")

    response = _client(olga).post(
        reverse("events:event_create"), _event_data(domains=[domain.pk]), follow=True
    )

    event = Event.objects.get()
    assert response.redirect_chain == [(reverse("events:event_edit", args=[event.pk]), 302)]
    assert event.organizer == olga.organization
    assert event.breaks == [["10:20", "10:40"]]
    assert [(t.name, t.capacity) for t in event.tables.all()] == [
        ("1号桌", 1),
        ("2号桌", 1),
        ("洽谈室A", 3),
    ]
    assert list(event.domains.all()) == [domain]
    html = _text(response)
    for label in ("09:00–09:20", "10:00–10:20", "10:40–11:00"):
        assert label in html
    assert "10:20–10:40" not in html  # the break
    assert 'value="10:20-10:40"' in html
    assert "洽谈室A, 3" in html


def test_bad_breaks_and_tables_are_shown_next_to_their_fields_and_nothing_is_saved(
    olga: User,
) -> None:
    response = _client(olga).post(
        reverse("events:event_create"),
        _event_data(breaks="十点半休息", tables="1号桌\n洽谈室A, 三"),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["breaks"] == ["休息时段“十点半休息”格式不对，应写成 10:20-10:40。"]
    assert form.errors["tables"] == ["第 2 行：容量应为整数。"]
    assert "第 2 行：容量应为整数。" in _text(response)
    assert not Event.objects.exists()


def test_an_end_before_the_start_is_refused(olga: User) -> None:
    response = _client(olga).post(
        reverse("events:event_create"), _event_data(starts_at="11:00", ends_at="09:00")
    )

    assert response.context["form"].errors["ends_at"] == ["结束时间必须晚于开始时间。"]
    assert not Event.objects.exists()


def test_the_organiser_edits_the_tables_of_an_event(fair: Fair) -> None:
    data = _event_data(
        name=fair.event.name, date=fair.event.date.isoformat(), tables="1号桌\n2号桌"
    )

    response = _client(fair.olga).post(_url("events:event_edit", fair), data)

    assert response.status_code == 302
    assert list(fair.event.tables.values_list("name", flat=True)) == ["1号桌", "2号桌"]


def test_editing_the_name_of_a_published_event_keeps_it_published(published: Fair) -> None:
    event = published.event
    data = _event_data(
        name="更名后的对接会",
        date=event.date.isoformat(),
        starts_at="09:00",
        ends_at="10:40",
        breaks="09:40-10:00",
        tables="1号桌\n洽谈室A, 2",
        min_vendors_per_demand="2",
        vendor_meeting_cap="3",
    )

    response = _client(published.olga).post(_url("events:event_edit", published), data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.name, event.schedule_status) == ("更名后的对接会", "published")


def test_a_published_schedule_keeps_its_timing(published: Fair) -> None:
    event = published.event
    data = _event_data(
        name=event.name,
        date=event.date.isoformat(),
        starts_at="09:00",
        ends_at="10:40",
        meeting_minutes="30",
        breaks="09:40-10:00",
        tables="1号桌\n洽谈室A, 2",
    )

    response = _client(published.olga).post(_url("events:event_edit", published), data)

    assert response.status_code == 200
    assert "日程已发布，不能再改时间安排。请先撤回日程。" in _text(response)
    event.refresh_from_db()
    assert event.meeting_minutes == 20


PAST_DATE = "活动日期不能早于今天：不能把活动创建或改期到过去的日期。"


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def test_an_event_dated_in_the_past_is_refused_next_to_the_date(olga: User) -> None:
    response = _client(olga).post(
        reverse("events:event_create"), _event_data(date=_yesterday().isoformat())
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"date": [PAST_DATE]}
    assert PAST_DATE in _text(response)
    assert not Event.objects.exists()


def test_an_event_moved_into_the_past_is_refused_and_keeps_its_date(fair: Fair) -> None:
    data = _event_data(
        name="改期的对接会",
        date=_yesterday().isoformat(),
        starts_at="09:00",
        ends_at="10:40",
        breaks="09:40-10:00",
        tables="1号桌\n洽谈室A, 2",
    )

    response = _client(fair.olga).post(_url("events:event_edit", fair), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"date": [PAST_DATE]}
    fair.event.refresh_from_db()
    assert (fair.event.name, fair.event.date) == ("青岛养老机器人供需对接会", timezone.localdate())


# --- Participants --------------------------------------------------------------------------------


def test_the_manage_page_lists_participants_by_role_with_what_they_bring(fair: Fair) -> None:
    extra = OrganizationFactory.create(name="福寿养老院", kind="demand")
    need = NeedFactory.create(organization=extra, title="助浴机器人")
    from marketplace.events.services import participant_register

    participant_register(fair.event, user=fair.olga, organization=extra, needs=[need])

    response = _client(fair.olga).get(_url("events:event_manage", fair))

    html = _text(response)
    html = html[html.index("<tbody>") : html.index("</tbody>")]
    demand_at, vendor_at = html.index("需求方</th>"), html.index("供应方</th>")
    for name in ("颐和苑养老中心", "海景养老院", "福寿养老院"):
        assert demand_at < html.index(name) < vendor_at
    for name in ("康途机器人", "另一家供应商"):
        assert html.index(name) > vendor_at
    assert "助浴机器人" in html and "三餐送餐机器人" in html and "送餐机器人" in html
    assert html.count("组织方代报") == 1


def test_the_organiser_registers_an_organisation_on_its_behalf_in_two_steps(fair: Fair) -> None:
    extra = OrganizationFactory.create(name="福寿养老院", kind="demand")
    need = NeedFactory.create(organization=extra, title="助浴机器人")
    NeedFactory.create(organization=extra, title="草稿需求", status="draft")
    url = _url("events:event_participant_add", fair)
    client = _client(fair.olga)

    step_two = client.get(url, {"organization": extra.pk})
    html = _text(step_two)
    assert "助浴机器人" in html
    assert "草稿需求" not in html

    refused = client.post(url, {"organization": extra.pk})
    assert refused.context["form"].errors["needs"] == ["请至少选择一条带来的需求。"]
    assert not EventParticipant.objects.filter(organization=extra).exists()

    response = client.post(url, {"organization": extra.pk, "needs": [need.pk], "max_meetings": 2})
    assert response.status_code == 302
    participant = EventParticipant.objects.get(event=fair.event, organization=extra)
    assert (participant.on_behalf, participant.max_meetings) == (True, 2)
    assert list(participant.needs.all()) == [need]


def test_closing_registration_shows_it_closed_and_refuses_a_self_registration(
    upcoming: Fair,
) -> None:
    newcomer = OrganizationFactory.create(name="福寿养老院", kind="demand")
    member = UserFactory.create(organization=newcomer)
    need = NeedFactory.create(organization=newcomer)

    _client(upcoming.olga).post(_url("events:event_registration", upcoming), {"open": "0"})
    upcoming.event.refresh_from_db()
    assert upcoming.event.registration_open is False

    page = _client(member).get(_url("events:event_detail", upcoming))
    assert "报名已截止。" in _text(page)
    response = _client(member).post(_url("events:event_register", upcoming), {"needs": [need.pk]})
    assert "报名已截止，请联系组织方。" in _text(response)
    assert not EventParticipant.objects.filter(organization=newcomer).exists()


def test_a_vendor_sees_no_registration_form_for_a_started_event_and_a_post_is_refused(
    olga: User, alice: User, bob: User, victor: User
) -> None:
    # given an event that started yesterday (its registration switch still on) and a vendor
    # with a published profile that has not registered
    past = build_fair(olga=olga, alice=alice, bob=bob, victor=victor, date=_yesterday())
    newcomer = OrganizationFactory.create(name="海尔机器人", kind="vendor")
    member = UserFactory.create(organization=newcomer)
    capability = CapabilityFactory.create(organization=newcomer, title="陪护机器人")
    rule = f"报名已截止：报名在活动开始时（{_yesterday():%Y-%m-%d} 09:00）截止。"
    register_url = _url("events:event_register", past)

    # when the vendor opens the event
    page = _text(_client(member).get(_url("events:event_detail", past)))

    # then there is no registration form, and the rule is said
    assert register_url not in page
    assert rule in page

    # when it posts a registration all the same
    response = _client(member).post(register_url, {"capabilities": [capability.pk]})

    # then it is refused, naming the rule, and nothing is stored
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [rule]
    assert not EventParticipant.objects.filter(organization=newcomer).exists()


def test_the_organiser_cannot_reopen_registration_once_the_event_started(
    olga: User, alice: User, bob: User, victor: User
) -> None:
    past = build_fair(olga=olga, alice=alice, bob=bob, victor=victor, date=_yesterday())
    Event.objects.filter(pk=past.event.pk).update(registration_open=False)

    response = _client(olga).post(
        _url("events:event_registration", past), {"open": "1"}, follow=True
    )

    assert _messages(response) == ["活动已开始，不能重新开放报名：报名在活动开始时截止。"]
    assert Event.objects.get(pk=past.event.pk).registration_open is False
    assert "重新开放报名</button>" not in _text(response)


def test_a_member_registers_from_the_event_page_and_withdraws(upcoming: Fair) -> None:
    newcomer = OrganizationFactory.create(name="福寿养老院", kind="demand")
    member = UserFactory.create(organization=newcomer)
    need = NeedFactory.create(organization=newcomer, title="助浴机器人")
    client = _client(member)

    page = client.get(_url("events:event_detail", upcoming))
    assert "助浴机器人" in _text(page)

    client.post(_url("events:event_register", upcoming), {"needs": [need.pk]})
    participant = EventParticipant.objects.get(event=upcoming.event, organization=newcomer)
    assert (participant.on_behalf, participant.registered_by) == (False, member)
    assert "已报名" in _text(client.get(_url("events:event_detail", upcoming)))

    client.post(_url("events:event_participant_remove", upcoming, participant.pk))
    assert not EventParticipant.objects.filter(pk=participant.pk).exists()


def test_a_member_cannot_bring_another_organisations_need(fair: Fair) -> None:
    response = _client(fair.alice).post(
        _url("events:event_register", fair), {"needs": [fair.needs["haijing"].pk]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["needs"]
    assert list(fair.yihe.needs.all()) == [fair.needs["yihe"]]


def test_the_organiser_registers_nobody_for_itself(fair: Fair) -> None:
    response = _client(fair.olga).post(_url("events:event_register", fair), {})
    assert response.status_code == 403


# --- Shortlist -----------------------------------------------------------------------------------


def test_generating_the_shortlist_shows_it_grouped_with_scores_and_shortfalls(
    fair: Fair, scores: Callable[[PairScores], None]
) -> None:
    # given: 海景 fits only 另一家 and the event wants two vendors per institution
    scores(
        {
            (fair.yihe, fair.kangtu): 0.9,
            (fair.yihe, fair.rival): 0.6,
            (fair.haijing, fair.rival): 0.8,
        }
    )

    # when
    response = _client(fair.olga).post(_url("events:event_shortlist_generate", fair), follow=True)

    # then
    assert "已生成推荐名单：3 对（其中锁定 0 对）。" in _messages(response)
    assert "海景养老院：只有 1 家可匹配的供应商，少于最低 2 家。" in _messages(response)
    html = _text(response)
    group = _section(html, f"demand-{fair.yihe.pk}")
    assert group.index("康途机器人") < group.index("另一家供应商")  # best first
    assert re.search(r'class="score"[^>]*>\s*90\s*<', group)
    assert "三餐送餐机器人 → 送餐机器人" in group
    assert "海景养老院：1 家供应商，少于最低 2 家。" in html


def test_pin_unpin_remove_and_add_a_pair(fair: Fair, scores: Callable[[PairScores], None]) -> None:
    scores(all_fit(fair))
    client = _client(fair.olga)
    client.post(_url("events:event_shortlist_generate", fair))
    url = _url("events:event_shortlist_pair", fair)

    def state(demand: EventParticipant, vendor: EventParticipant) -> tuple[str, bool]:
        entry = ShortlistEntry.objects.get(event=fair.event, demand=demand, vendor=vendor)
        return entry.state, entry.manual

    client.post(url, {"demand": fair.yihe.pk, "vendor": fair.kangtu.pk, "state": "pinned"})
    assert state(fair.yihe, fair.kangtu) == ("pinned", False)
    client.post(url, {"demand": fair.yihe.pk, "vendor": fair.kangtu.pk, "state": "proposed"})
    assert state(fair.yihe, fair.kangtu) == ("proposed", False)
    client.post(url, {"demand": fair.yihe.pk, "vendor": fair.rival.pk, "state": "removed"})
    assert state(fair.yihe, fair.rival) == ("removed", False)

    # a pair the matcher did not propose, added by hand
    ShortlistEntry.objects.filter(demand=fair.haijing, vendor=fair.kangtu).delete()
    response = client.post(
        url, {"demand": fair.haijing.pk, "vendor": fair.kangtu.pk, "state": "pinned"}, follow=True
    )
    assert state(fair.haijing, fair.kangtu) == ("pinned", True)
    html = _text(response)
    assert "已锁定：海景养老院 × 康途机器人。" in html
    assert "手动</span>" in html
    assert "已移除 1 家" in html


def test_a_pair_must_be_a_demand_and_a_vendor_of_this_event(fair: Fair) -> None:
    response = _client(fair.olga).post(
        _url("events:event_shortlist_pair", fair),
        {"demand": fair.kangtu.pk, "vendor": fair.yihe.pk, "state": "pinned"},
        follow=True,
    )

    assert "请选择本活动的一家需求方和一家供应方。" in _messages(response)
    assert not ShortlistEntry.objects.exists()


def test_the_shortlist_warns_that_regenerating_discards_the_draft_schedule(
    scheduled: Fair,
) -> None:
    html = _text(_client(scheduled.olga).get(_url("events:event_shortlist", scheduled)))
    assert "已有日程草稿：重新生成推荐名单会丢弃它" in html
    assert 'data-confirm="重新生成推荐名单会丢弃当前的日程草稿，确定吗？"' in html


# --- Schedule ----------------------------------------------------------------------------------


def test_the_schedule_page_shows_the_grid_and_a_per_slot_list_with_move_forms(
    scheduled: Fair,
) -> None:
    html = _text(_client(scheduled.olga).get(_url("events:event_schedule", scheduled)))

    grid = html[html.index('class="schedule-grid"') : html.index('class="schedule-list"')]
    assert '<th scope="col">1号桌</th>' in grid
    assert "洽谈室A <small>×2</small>" in grid
    assert grid.count('class="grid-meeting"') == 4
    listing = html[html.index('class="schedule-list"') :]
    assert listing.count('name="slot"') == 4
    for meeting in Meeting.objects.filter(event=scheduled.event):  # each form starts where it is
        for field, current in (("slot", meeting.slot), ("table", meeting.table_id)):
            select = listing[listing.index(f'id="move-{field}-{meeting.pk}"') :]
            select = select[: select.index("</select>")]
            assert re.findall(r'value="(\d+)" selected', select) == [str(current)]
    assert listing.count('<h3 class="slot-heading">') == len(
        set(Meeting.objects.filter(event=scheduled.event).values_list("slot", flat=True))
    )
    css = (Path(settings.BASE_DIR) / "static/css/events.css").read_text()
    assert "@media (max-width: 768px) {\n  .schedule-grid-section { display: none; }" in css


def test_a_refused_move_says_which_rule_and_changes_nothing(scheduled: Fair) -> None:
    # given: the meeting of 颐和苑 that is not at 09:00, moved onto 颐和苑's 09:00 meeting
    first, second = Meeting.objects.filter(event=scheduled.event, demand=scheduled.yihe).order_by(
        "slot"
    )
    before = (second.slot, second.table_id)

    response = _client(scheduled.olga).post(
        _url("events:event_meeting_move", scheduled, second.pk),
        {"slot": first.slot, "table": second.table_id},
        follow=True,
    )

    slot = scheduled.event.slots[first.slot].label
    partner = first.vendor.organization.name
    (message,) = _messages(response)
    assert message.startswith("不能这样调整：")
    assert f"颐和苑养老中心 在{slot}已有会谈（与 {partner}）" in message
    second.refresh_from_db()
    assert (second.slot, second.table_id) == before


def test_a_good_move_is_saved(scheduled: Fair) -> None:
    meetings = list(Meeting.objects.filter(event=scheduled.event))
    used = {m.slot for m in meetings}
    free = next(s.index for s in scheduled.event.slots if s.index not in used)
    meeting = meetings[0]
    room = EventTable.objects.get(event=scheduled.event, name="洽谈室A")

    response = _client(scheduled.olga).post(
        _url("events:event_meeting_move", scheduled, meeting.pk),
        {"slot": free, "table": room.pk, "page": "1"},
    )

    assert response["Location"].endswith(f"?page=1#meeting-{meeting.pk}")
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table_id) == (free, room.pk)


def _card(html: str, element_id: str, end: str = "</article>") -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index(end, start)]


def test_the_result_of_a_move_is_shown_in_the_meetings_card_not_at_the_top(
    scheduled: Fair,
) -> None:
    # given a move that is refused, then one that is saved
    first, second = Meeting.objects.filter(event=scheduled.event, demand=scheduled.yihe).order_by(
        "slot"
    )
    used = set(Meeting.objects.filter(event=scheduled.event).values_list("slot", flat=True))
    free = next(s.index for s in scheduled.event.slots if s.index not in used)
    client = _client(scheduled.olga)
    url = _url("events:event_meeting_move", scheduled, second.pk)

    refused = _text(client.post(url, {"slot": first.slot, "table": second.table_id}, follow=True))
    saved = _text(client.post(url, {"slot": free, "table": second.table_id}, follow=True))

    # then each message is in the card of the meeting, once, and the list at the top is empty
    assert "不能这样调整：" in _card(refused, f"meeting-{second.pk}")
    assert refused.count("不能这样调整：") == 1
    assert '<p class="message message-success" role="status">会谈已调整。</p>' in _card(
        saved, f"meeting-{second.pk}"
    )
    assert saved.count("会谈已调整。") == 1


def _leave_out(fair: Fair) -> ShortlistEntry:
    """Take 颐和苑 × 另一家 out of the schedule, as when the tables run short."""
    Meeting.objects.filter(event=fair.event, demand=fair.yihe, vendor=fair.rival).delete()
    return ShortlistEntry.objects.get(event=fair.event, demand=fair.yihe, vendor=fair.rival)


def test_a_left_out_pair_is_placed_by_hand_from_the_schedule_page(scheduled: Fair) -> None:
    # given
    entry = _leave_out(scheduled)
    client = _client(scheduled.olga)
    page = _section(_text(client.get(_url("events:event_schedule", scheduled))), "unscheduled")
    either = Q(demand=scheduled.yihe) | Q(vendor=scheduled.rival)
    busy = set(Meeting.objects.filter(either, event=scheduled.event).values_list("slot", flat=True))
    free = next(s.index for s in scheduled.event.slots if s.index not in busy)
    room = EventTable.objects.get(event=scheduled.event, name="洽谈室A")

    # when
    response = client.post(
        _url("events:event_meeting_place", scheduled, entry.pk),
        {"slot": free, "table": room.pk},
        follow=True,
    )

    # then
    assert "颐和苑养老中心 × 另一家供应商" in page
    assert _url("events:event_meeting_place", scheduled, entry.pk) in page
    assert "会谈已排入日程。" in _messages(response)
    meeting = Meeting.objects.get(
        event=scheduled.event, demand=scheduled.yihe, vendor=scheduled.rival
    )
    assert (meeting.slot, meeting.table_id) == (free, room.pk)
    assert 'id="unscheduled"' not in _text(response)


def test_placing_a_pair_where_it_clashes_says_why_and_places_nothing(scheduled: Fair) -> None:
    entry = _leave_out(scheduled)
    clash = Meeting.objects.filter(event=scheduled.event, demand=scheduled.yihe).first()
    assert clash is not None

    response = _client(scheduled.olga).post(
        _url("events:event_meeting_place", scheduled, entry.pk),
        {"slot": clash.slot, "table": clash.table_id},
        follow=True,
    )

    (message,) = _messages(response)
    assert message.startswith("不能这样调整：")
    assert "颐和苑养老中心 在" in message
    assert response.redirect_chain[-1][0].endswith(f"#entry-{entry.pk}")
    assert message in _card(_text(response), f"entry-{entry.pk}", end="</li>")
    assert not Meeting.objects.filter(
        event=scheduled.event, demand=scheduled.yihe, vendor=scheduled.rival
    ).exists()


def test_publishing_and_withdrawing_the_schedule(scheduled: Fair) -> None:
    client = _client(scheduled.olga)

    response = client.post(_url("events:event_schedule_publish", scheduled), follow=True)

    assert "日程已发布，已通知所有参会机构。" in _messages(response)
    assert Notification.objects.filter(user=scheduled.alice).count() == 1
    assert "撤回" in _text(response)

    client.post(_url("events:event_schedule_unpublish", scheduled))
    scheduled.event.refresh_from_db()
    assert scheduled.event.schedule_status == Event.ScheduleStatus.DRAFT
    assert (
        _client(scheduled.alice)
        .get(_url("events:event_agenda", scheduled, scheduled.yihe.pk))
        .status_code
        == 404
    )


# --- Agenda and my events ------------------------------------------------------------------------


def test_a_participant_reads_its_agenda_in_time_order(published: Fair) -> None:
    response = _client(published.alice).get(
        _url("events:event_agenda", published, published.yihe.pk)
    )

    html = _text(response)
    meetings = list(
        Meeting.objects.filter(event=published.event, demand=published.yihe).order_by("slot")
    )
    positions = [html.index(f"<strong>{m.vendor.organization.name}</strong>") for m in meetings]
    assert positions == sorted(positions)
    for meeting in meetings:
        assert published.event.slots[meeting.slot].label in html
    assert "三餐送餐机器人" in html
    assert "css/events.css" in html
    css = (Path(settings.BASE_DIR) / "static/css/events.css").read_text()
    assert "@media print" in css and ".site-header" in css


def test_another_participant_cannot_read_someone_elses_agenda(published: Fair) -> None:
    url = _url("events:event_agenda", published, published.yihe.pk)
    assert _client(published.dora).get(url).status_code == 404
    assert _client(published.alice).get(url).status_code == 200


def test_a_draft_agenda_is_for_the_organiser_only(scheduled: Fair) -> None:
    url = _url("events:event_agenda", scheduled, scheduled.yihe.pk)

    assert _client(scheduled.alice).get(url).status_code == 404
    response = _client(scheduled.olga).get(url)
    assert "日程尚未发布：这是草稿" in _text(response)


def test_my_events_links_a_participant_to_its_agenda_once_published(scheduled: Fair) -> None:
    client = _client(scheduled.alice)
    agenda = _url("events:event_agenda", scheduled, scheduled.yihe.pk)

    before = _text(client.get(reverse("events:my_events")))
    assert scheduled.event.name in before and agenda not in before

    matching_events.event_schedule_publish(scheduled.event, scheduled.olga)
    after = _text(client.get(reverse("events:my_events")))
    assert agenda in after


# --- Exports -----------------------------------------------------------------------------------


def test_the_schedule_workbook_has_every_meeting_by_time_and_by_table(published: Fair) -> None:
    response = _client(published.olga).get(_url("events:event_schedule_xlsx", published))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "robomatch-event-" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按时间", "按洽谈桌"]
    by_time = list(book["按时间"].iter_rows(values_only=True))
    assert by_time[0] == (
        "时段",
        "开始",
        "结束",
        "洽谈桌",
        "需求方",
        "供应方",
        "需求",
        "能力档案",
        "匹配分",
    )
    assert len(by_time) == 1 + 4
    assert [row[0] for row in by_time[1:]] == sorted(row[0] for row in by_time[1:])
    yihe_kangtu = next(r for r in by_time if r[4] == "颐和苑养老中心" and r[5] == "康途机器人")
    assert yihe_kangtu[6:] == ("三餐送餐机器人", "送餐机器人", 90)
    by_table = list(book["按洽谈桌"].iter_rows(values_only=True))
    assert by_table[0][0] == "洽谈桌"
    assert len(by_table) == 1 + 4


def test_the_shortlist_csv_has_a_bom_scores_and_no_formulas(
    scheduled: Fair,
) -> None:
    Organization.objects.filter(pk=scheduled.rival.organization_id).update(
        name='=HYPERLINK("http://evil.example","点我")'
    )

    response = _client(scheduled.olga).get(_url("events:event_shortlist_csv", scheduled))

    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["需求方", "供应方", "匹配分", "状态", "手动添加", "需求", "能力档案"]
    assert [
        "颐和苑养老中心",
        "康途机器人",
        "90",
        "建议",
        "否",
        "三餐送餐机器人",
        "送餐机器人",
    ] in rows
    vendors = {row[1] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","点我")' in vendors


def test_the_calendar_has_one_event_per_meeting_in_shanghai_time(published: Fair) -> None:
    url = _url("events:event_agenda_ics", published, published.yihe.pk)

    response = _client(published.alice).get(url)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    entries = list(calendar.walk("VEVENT"))
    meetings = list(
        Meeting.objects.filter(event=published.event, demand=published.yihe)
        .select_related("vendor__organization", "table")
        .order_by("slot")
    )
    assert len(entries) == len(meetings) == 2
    by_start = sorted(entries, key=lambda e: e["DTSTART"].dt)
    for entry, meeting in zip(by_start, meetings, strict=True):
        start, end = published.event.slot_datetimes(meeting.slot)
        starts_at, ends_at = entry["DTSTART"].dt, entry["DTEND"].dt
        assert isinstance(starts_at, datetime.datetime)
        assert isinstance(ends_at, datetime.datetime)
        assert (starts_at.replace(tzinfo=None), ends_at.replace(tzinfo=None)) == (start, end)
        assert str(starts_at.tzinfo) == "Asia/Shanghai"
        assert meeting.vendor.organization.name in str(entry["SUMMARY"])
        assert str(entry["LOCATION"]) == f"青岛国际会议中心 {meeting.table.name}"
    assert len({str(e["UID"]) for e in entries}) == 2


def test_calendar_entries_keep_their_uid_when_the_schedule_is_regenerated(
    published: Fair,
) -> None:
    url = _url("events:event_agenda_ics", published, published.yihe.pk)

    def uids() -> set[str]:
        calendar = icalendar.Calendar.from_ical(_client(published.alice).get(url).content)
        return {str(entry["UID"]) for entry in calendar.walk("VEVENT")}

    before = uids()
    matching_events.event_schedule_unpublish(published.event, published.olga)
    matching_events.event_schedule_generate(published.event, published.olga)
    matching_events.event_schedule_publish(published.event, published.olga)

    assert uids() == before


def test_a_participant_cannot_download_another_participants_calendar(published: Fair) -> None:
    url = _url("events:event_agenda_ics", published, published.yihe.pk)
    assert _client(published.bob).get(url).status_code == 404


# --- Outcomes ----------------------------------------------------------------------------------


def _yihe_kangtu(fair: Fair) -> Meeting:
    return Meeting.objects.get(event=fair.event, demand=fair.yihe, vendor=fair.kangtu)


def test_a_pilot_without_its_dates_gets_an_error_next_to_each_field(published: Fair) -> None:
    meeting = _yihe_kangtu(published)
    url = _url("events:meeting_outcome", published, meeting.pk)

    response = _client(published.bob).post(
        url, {"attendance": "met", "outcome": "pilot", "pilot_site": "颐和苑二楼"}
    )

    errors = response.context["form"].errors
    assert errors["pilot_start"] == ["试点需要填写开始日期。"]
    assert errors["pilot_end"] == [
        "试点需要填写结束日期（养老机器人试点验证期通常不少于 6 个月）。"
    ]
    assert "pilot_site" not in errors
    html = _text(response)
    start_block = html[html.index('id="id_pilot_start_field"') :]
    assert start_block.index("试点需要填写开始日期。") < start_block.index(
        'id="id_pilot_end_field"'
    )
    meeting.refresh_from_db()
    assert meeting.outcome == Meeting.Outcome.NONE


def test_either_side_records_a_pilot(published: Fair) -> None:
    meeting = _yihe_kangtu(published)
    url = _url("events:meeting_outcome", published, meeting.pk)

    response = _client(published.alice).post(
        url,
        {
            "attendance": "met",
            "outcome": "pilot",
            "pilot_site": "颐和苑二楼",
            "pilot_start": "2027-01-01",
            "pilot_end": "2027-06-30",
        },
    )

    assert response["Location"] == _url("events:event_outcomes", published)
    meeting.refresh_from_db()
    assert (meeting.attendance, meeting.outcome, meeting.pilot_end) == (
        "met",
        "pilot",
        datetime.date(2027, 6, 30),
    )


def test_a_participant_lists_and_records_only_its_own_meetings(published: Fair) -> None:
    page = _text(_client(published.dora).get(_url("events:event_outcomes", published)))
    assert page.count("<td>海景养老院</td>") == 2
    assert "<td>颐和苑养老中心</td>" not in page

    url = _url("events:meeting_outcome", published, _yihe_kangtu(published).pk)
    assert _client(published.dora).get(url).status_code == 404
    assert _client(published.olga).get(url).status_code == 200
