"""End to end in a real browser: the dashboard draws its charts, and still reads without JavaScript.

The data is test_dashboard's funnel world and events.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import User
from tests.browser import PHONE, logged_in_context
from tests.marketplace.dashboard.test_dashboard import events, funnel_world, world  # noqa: F401 (fixtures)

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

    # then: no vendor was alerted or invited yet, so that chart alone is left to its table
    expect(page.locator(".chart-box:not([hidden]) canvas")).to_have_count(CHARTS - 1)
    expect(page.locator("#chart-response")).to_be_hidden()
    expect(page.locator("details.chart-table[open]")).to_have_count(1)
    expect(page.locator("#response details.chart-table")).to_have_attribute("open", "")
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
