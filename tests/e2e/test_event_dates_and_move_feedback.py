"""End to end in a real browser: an event dated in the past is refused next to its date, and the
result of moving a meeting is shown at the meeting the schedule page opens at.

The schedule is the event tests' fair (tests/marketplace/event_world.py) with fixed pair values:
four meetings, 09:00–10:40 in 20-minute slots with a break at 09:40, 1号桌 and 洽谈室A (two at a
time). On a desktop the slot × table grid sits above the list, so the meeting a move jumps to is
far below the top of the page.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import Q
from django.utils import timezone
from playwright.sync_api import Browser, Locator, expect

from accounts.models import User
from marketplace.models import Event, EventTable, Meeting
from tests.browser import DESKTOP, logged_in_context
from tests.marketplace.event_world import Fair, build_fair, scheduled_fair

pytestmark = pytest.mark.e2e


def _fill_event_form(form: Locator, date: datetime.date) -> None:
    form.get_by_label("名称").fill("过去的对接会")
    form.get_by_label("日期").fill(date.isoformat())
    form.get_by_label("会谈开始时间").fill("09:00")
    form.get_by_label("会谈结束时间").fill("10:00")
    form.get_by_label("洽谈桌").fill("1号桌")


def test_an_organiser_cannot_create_an_event_in_the_past(
    live_server: Any, browser: Browser, olga: User
) -> None:
    # given
    context = logged_in_context(browser, live_server, olga, viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/events/new/")
    form = page.locator("main form[method=post]")

    # when she dates it yesterday and creates it
    _fill_event_form(form, timezone.localdate() - datetime.timedelta(days=1))
    form.get_by_role("button", name="创建活动").click()

    # then the rule is said next to the date, and no event is created
    date_field = page.locator("#id_date_field")
    expect(date_field.locator(".field-error")).to_have_text(
        "活动日期不能早于今天：不能把活动创建或改期到过去的日期。"
    )
    expect(date_field.locator(".field-error")).to_be_in_viewport()
    assert not Event.objects.exists()


@pytest.fixture
def scheduled(
    olga: User, alice: User, bob: User, victor: User, monkeypatch: pytest.MonkeyPatch
) -> Fair:
    fair = scheduled_fair(build_fair(olga=olga, alice=alice, bob=bob, victor=victor), monkeypatch)
    return fair


def test_the_result_of_a_move_is_shown_at_the_meeting(
    live_server: Any, browser: Browser, olga: User, scheduled: Fair
) -> None:
    # given the last meeting of the list, a slot where one side is busy and one where both are free
    event = scheduled.event
    meeting = Meeting.objects.filter(event=event).order_by("slot", "table__position", "pk").last()
    assert meeting is not None
    sides = Q(demand=meeting.demand) | Q(vendor=meeting.vendor)
    busy = Meeting.objects.filter(sides, event=event).exclude(pk=meeting.pk).first()
    assert busy is not None
    taken = set(Meeting.objects.filter(sides, event=event).values_list("slot", flat=True))
    free = next(slot for slot in event.slots if slot.index not in taken)
    table = next(
        table
        for table in EventTable.objects.filter(event=event)
        if Meeting.objects.filter(event=event, slot=free.index, table=table).count()
        < table.capacity
    )
    context = logged_in_context(browser, live_server, olga, viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/events/{event.pk}/schedule/")
    card = page.locator(f"#meeting-{meeting.pk}")

    # when she moves it onto a slot where one side already meets someone
    card.get_by_text("调整时段或洽谈桌", exact=True).click()
    card.get_by_label("时段").select_option(label=event.slots[busy.slot].label)
    card.get_by_label("洽谈桌").select_option(label=busy.table.name)
    card.get_by_role("button", name="调整").click()

    # then the refusal is in the meeting's card, in view, and the meeting stays where it was
    refusal = card.locator(".messages").get_by_role("alert")
    expect(refusal).to_contain_text("不能这样调整：")
    expect(refusal).to_be_in_viewport()
    expect(page.locator("main > .messages")).to_have_count(0)
    before = Meeting.objects.get(pk=meeting.pk)
    assert (before.slot, before.table_id) == (meeting.slot, meeting.table_id)

    # when she moves it to a slot where both sides are free
    card.get_by_text("调整时段或洽谈桌", exact=True).click()
    card.get_by_label("时段").select_option(label=free.label)
    card.get_by_label("洽谈桌").select_option(label=table.name)
    card.get_by_role("button", name="调整").click()

    # then the page opens at the meeting, with the result beside it, in view
    done = card.locator(".messages").get_by_role("status")
    expect(done).to_have_text("会谈已调整。")
    expect(done).to_be_in_viewport()
    expect(card).to_contain_text(table.name)
    assert page.url.endswith(f"#meeting-{meeting.pk}")
    assert page.evaluate("window.scrollY") > 0  # the top of the page is out of view
    moved = Meeting.objects.get(pk=meeting.pk)
    assert (moved.slot, moved.table_id) == (free.index, table.pk)
