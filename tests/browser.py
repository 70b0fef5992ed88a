"""Debian's Chromium, driven by Playwright: the launch arguments, the viewports and the one
timeout tests use.

`playwright install` cannot download browsers here; the `browser` fixture (tests/conftest.py)
launches /usr/bin/chromium.

Every wait (a click's, a navigation's, ``expect(...)``'s) waits for its condition for up to
BROWSER_TIMEOUT_MS: a busy machine (two cores shared by several test runs) can take many
seconds to render ReDoc, and a wait ends as soon as its condition holds, so a long limit costs
nothing when all is well. Contexts come from ``new_context``; the `browser` fixture sets
``expect``'s default. Never a fixed sleep or a short timeout of a test's own
(tests/test_browser_waits.py checks).
"""

from __future__ import annotations

from typing import Any

from django.test import Client
from playwright.sync_api import Browser, BrowserContext, ViewportSize, expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE: ViewportSize = {"width": 375, "height": 812}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
BROWSER_TIMEOUT_MS = 60_000


def set_expect_timeout() -> None:
    """``expect(...)`` waits BROWSER_TIMEOUT_MS for its condition (Playwright's default: 5 s)."""
    expect.set_options(timeout=BROWSER_TIMEOUT_MS)


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """A Chinese-language context whose actions and navigations wait BROWSER_TIMEOUT_MS."""
    options.setdefault("locale", "zh-CN")
    context = browser.new_context(**options)
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    context.set_default_navigation_timeout(BROWSER_TIMEOUT_MS)
    return context


def logged_in_context(
    browser: Browser,
    live_server: Any,
    user: Any,
    *,
    viewport: ViewportSize = PHONE,
    javascript: bool = True,
) -> BrowserContext:
    """A Chinese-language browser context with the user's session cookie, as if they had
    logged in earlier."""
    client = Client()
    client.force_login(user)
    context = new_context(browser, viewport=viewport, java_script_enabled=javascript)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context
