"""End to end in a real browser: the dashboard draws its charts, and still reads without JavaScript.

The data is test_dashboard's funnel world and events.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import User
from tests.browser import PHONE, logged_in_context
from tests.marketplace.dashboard.test_dashboard import (  # noqa: F401 (fixtures)
    ANSWERED_IN_ANSWER_WORLD,
    answer_world,
    events,
    funnel_world,
    world,
)

pytestmark = pytest.mark.e2e
CHARTS = 6


@pytest.mark.usefixtures("funnel_world", "events")
def test_an_organiser_on_a_phone_sees_every_chart_with_its_table_folded_away(
    live_server: Any, browser: Browser, olga: User
) -> None:
    # given
    page = logged_in_context(browser, live_server, olga, javascript=True).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # when
    page.goto(f"{live_server.url}/dashboard/")

    # then: the vendors' answers from their inboxes count as answers, so every chart is drawn
    expect(page.locator(".chart-box:not([hidden]) canvas")).to_have_count(CHARTS)
    expect(page.locator("#chart-response")).to_be_visible()
    expect(page.locator("details.chart-table[open]")).to_have_count(0)
    assert errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path="/tmp/robomatch-dashboard-375.png", full_page=True)


@pytest.mark.usefixtures("funnel_world", "events")
def test_without_javascript_the_tables_carry_the_figures(
    live_server: Any, browser: Browser, olga: User
) -> None:
    # given
    page = logged_in_context(browser, live_server, olga, javascript=False).new_page()

    # when
    page.goto(f"{live_server.url}/dashboard/")

    # then
    expect(page.locator(".chart-box:visible")).to_have_count(0)
    expect(page.locator("details.chart-table[open]")).to_have_count(CHARTS)
    expect(page.locator('tr[data-stage="deployed"]')).to_contain_text("14.3%")


@pytest.mark.usefixtures("answer_world")
def test_the_response_rate_and_the_funnel_show_the_same_answers(
    live_server: Any, browser: Browser, olga: User
) -> None:
    # given
    page = logged_in_context(browser, live_server, olga, javascript=True).new_page()

    # when
    page.goto(f"{live_server.url}/dashboard/")

    # then: the response chart is drawn, and its figures agree with the funnel's 有回复 row
    expect(page.locator("#chart-response")).to_be_visible()
    expect(page.locator('[data-figure="response-rate"] strong')).to_have_text("50.0%")
    expect(page.locator('[data-summary="response"]')).to_contain_text(
        f"6 条线索中，{ANSWERED_IN_ANSWER_WORLD} 条（50.0%）"
    )
    expect(page.locator('tr[data-stage="responded"] td.num').first).to_have_text(
        str(ANSWERED_IN_ANSWER_WORLD)
    )
