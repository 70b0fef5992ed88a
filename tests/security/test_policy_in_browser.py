"""In a real browser, nothing the pages need is refused by the Content-Security-Policy: the API
viewers render, the dashboard draws its charts, and the forms' scripts run."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from tests.browser import DESKTOP, new_context
from tests.marketplace.dashboard.test_dashboard import events, funnel_world, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e

# Collects every violation the page reports, whether or not the browser also logs it.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


REDOC_CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def _page(browser: Browser, live_server: Any, user: User | None = None) -> tuple[Page, list[str]]:
    context = new_context(browser, viewport=DESKTOP)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    return page, console


def _violations(page: Page, console: list[str]) -> list[str]:
    reported: list[str] = page.evaluate("window.__cspViolations")
    logged = [line for line in console if "Content Security Policy" in line]
    return reported + logged


def test_swagger_ui_renders_the_schema_under_the_policy(
    live_server: Any, browser: Browser, db: None
) -> None:
    # given
    page, console = _page(browser, live_server)

    # when
    page.goto(f"{live_server.url}/api/docs/")

    # then
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("RoboMatch API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    assert _violations(page, console) == []
    page.screenshot(path="/tmp/robomatch-api-docs.png")


def test_redoc_renders_the_schema_under_the_policy(
    live_server: Any, browser: Browser, db: None
) -> None:
    # given
    page, console = _page(browser, live_server)

    # when
    page.goto(f"{live_server.url}/api/redoc/")

    # then: ReDoc's "powered by" logo from its CDN is the one thing refused, as it should be
    expect(page.locator("h1").first).to_contain_text("RoboMatch API")
    page.wait_for_load_state("networkidle")
    violations = _violations(page, console)
    page.screenshot(path="/tmp/robomatch-api-redoc.png")
    assert violations[0] == f"img-src {REDOC_CDN_LOGO}"
    assert [line for line in violations[1:] if REDOC_CDN_LOGO not in line] == []


@pytest.mark.usefixtures("funnel_world", "events")
def test_the_dashboard_draws_its_charts_under_the_policy(
    live_server: Any, browser: Browser, olga: User
) -> None:
    # given
    page, console = _page(browser, live_server, olga)

    # when
    page.goto(f"{live_server.url}/dashboard/")

    # then
    expect(page.locator(".chart-box:not([hidden]) canvas").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert _violations(page, console) == []


def test_the_signup_and_login_pages_run_under_the_policy(
    live_server: Any, browser: Browser, db: None
) -> None:
    # given
    page, console = _page(browser, live_server)

    # when
    page.goto(f"{live_server.url}/accounts/signup/")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("networkidle")

    # then
    expect(page.locator("#id_username")).to_be_visible()
    assert _violations(page, console) == []
