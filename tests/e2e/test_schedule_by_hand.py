"""End to end in a real browser: on a phone, the organiser places by hand a pair the schedule
left out, after a first try where one side was busy.

The world is the event tests' fair (tests/marketplace/event_world.py) with fixed pair values:
four pairs, 09:00–10:40 in 20-minute slots with a break at 09:40, 1号桌 and 洽谈室A (two at a
time). 颐和苑 × 另一家供应商 is the pair left out; 颐和苑 meets 康途 at 09:00.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import User
from marketplace.models import EventTable, Meeting
from tests.browser import PHONE, logged_in_context
from tests.marketplace.event_world import Fair, build_fair, scheduled_fair

pytestmark = pytest.mark.e2e

PAIR = "颐和苑养老中心 × 另一家供应商"


@pytest.fixture
def left_out(
    olga: User, alice: User, bob: User, victor: User, monkeypatch: pytest.MonkeyPatch
) -> Fair:
    fair = scheduled_fair(build_fair(olga=olga, alice=alice, bob=bob, victor=victor), monkeypatch)
    meetings = Meeting.objects.filter(event=fair.event)
    meetings.filter(demand=fair.yihe, vendor=fair.rival).delete()
    one = EventTable.objects.get(event=fair.event, name="1号桌")
    room = EventTable.objects.get(event=fair.event, name="洽谈室A")
    for offset, meeting in enumerate(meetings):  # parked first, so no step collides
        Meeting.objects.filter(pk=meeting.pk).update(slot=100 + offset)
    meetings.filter(demand=fair.yihe, vendor=fair.kangtu).update(slot=0, table=one)
    meetings.filter(demand=fair.haijing, vendor=fair.rival).update(slot=0, table=room)
    meetings.filter(demand=fair.haijing, vendor=fair.kangtu).update(slot=1, table=room)
    return fair


def test_an_organiser_on_a_phone_places_a_left_out_pair(
    live_server: Any, browser: Browser, olga: User, left_out: Fair
) -> None:
    # given
    page = logged_in_context(browser, live_server, olga).new_page()
    page.goto(f"{live_server.url}/events/{left_out.event.pk}/schedule/")
    section = page.locator("section", has=page.get_by_role("heading", name="未排入的会谈（1）"))
    expect(section).to_contain_text(PAIR)

    # when she tries 09:00, where both sides are busy
    section.get_by_text("手动排入", exact=True).click()
    section.get_by_label("时段").select_option(label="09:00–09:20")
    section.get_by_label("洽谈桌").select_option(label="洽谈室A")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    section.get_by_role("button", name="排入").click()

    # then she is told who is busy, and the pair is still left out
    refusal = page.locator(".messages").get_by_role("alert")
    expect(refusal).to_contain_text(
        "不能这样调整：颐和苑养老中心 在09:00–09:20已有会谈（与 康途机器人）"
    )
    expect(refusal).to_contain_text("另一家供应商 在09:00–09:20已有会谈（与 海景养老院）")
    expect(section).to_contain_text(PAIR)

    # when she picks 10:00 at 1号桌
    section.get_by_text("手动排入", exact=True).click()
    section.get_by_label("时段").select_option(label="10:00–10:20")
    section.get_by_label("洽谈桌").select_option(label="1号桌")
    section.get_by_role("button", name="排入").click()

    # then the meeting is in the schedule and nothing is left out
    expect(page.locator(".messages").get_by_role("status")).to_have_text("会谈已排入日程。")
    expect(page.get_by_role("heading", name="未排入的会谈（1）")).to_have_count(0)
    card = page.locator("article.meeting-card").filter(has_text=PAIR)
    expect(card).to_contain_text("1号桌")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
