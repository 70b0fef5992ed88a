"""End to end in a real browser: the organiser finds organisations by name and registers two
in one step, each with what it has published."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import User
from marketplace.models import EventParticipant
from tests.accounts.factories import OrganizationFactory
from tests.browser import PHONE, logged_in_context
from tests.marketplace.event_world import build_fair
from tests.marketplace.factories import CapabilityFactory, NeedFactory

pytestmark = pytest.mark.e2e


def test_an_organiser_registers_two_organisations_at_once(
    live_server: Any, browser: Browser, olga: User, alice: User, bob: User, victor: User
) -> None:
    # given a fair and two organisations not yet registered
    fair = build_fair(olga=olga, alice=alice, bob=bob, victor=victor)
    songhe = OrganizationFactory.create(name="松鹤养老院")
    NeedFactory.create(organization=songhe, title="陪护机器人")
    zhixing = OrganizationFactory.create(name="智行机器人", kind="vendor", sub_type="robot_maker")
    CapabilityFactory.create(organization=zhixing, title="陪护机器人 A1")
    context = logged_in_context(browser, live_server, olga, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/events/{fair.event.pk}/participants/bulk/")

    # when she narrows the list by name and ticks each
    search = page.get_by_label("搜索机构")
    search.fill("松鹤")
    expect(page.locator(".bulk-row", has_text="智行机器人")).to_be_hidden()
    page.get_by_label("松鹤养老院").check()
    search.fill("")
    page.locator(".bulk-row", has_text="智行机器人").get_by_label("智行机器人").check()
    expect(page.locator("[data-bulk-count]")).to_have_text("已选 2 家")
    page.screenshot(path="/tmp/hforms/bulk.png", full_page=True)
    page.get_by_role("button", name="为所选机构报名").click()

    # then both are registered with what they published
    expect(page.locator(".messages")).to_contain_text("已为 2 家机构报名。")
    songhe_participant = EventParticipant.objects.get(event=fair.event, organization=songhe)
    assert [need.title for need in songhe_participant.needs.all()] == ["陪护机器人"]
    assert EventParticipant.objects.filter(event=fair.event, organization=zhixing).exists()
