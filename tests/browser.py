"""Debian's Chromium, driven by Playwright: the launch arguments and the viewports tests use.

`playwright install` cannot download browsers here; the `browser` fixture (tests/conftest.py)
launches /usr/bin/chromium.
"""

from __future__ import annotations

from playwright.sync_api import ViewportSize

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
