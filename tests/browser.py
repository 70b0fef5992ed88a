"""Debian's Chromium, driven by Playwright: the launch arguments and the viewports tests use.

`playwright install` cannot download browsers here; the `browser` fixture (tests/conftest.py)
launches /usr/bin/chromium.
"""

from __future__ import annotations

from typing import Any

from django.test import Client
from playwright.sync_api import Browser, BrowserContext, ViewportSize

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
    context = browser.new_context(locale="zh-CN", viewport=viewport, java_script_enabled=javascript)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    context.set_default_timeout(10_000)
    return context
