"""End to end in a real browser: the English header fits on one row at 1280 px for every role.

English labels are longer than the Chinese ones; the organiser, with the most links, is the
widest. One row: the links and the brand share their vertical middle (links holding a form are
shorter, so their tops differ), and the header is less than two links high.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, expect

from accounts.models import User
from marketplace.models import Notification
from tests.browser import DESKTOP, logged_in_context

pytestmark = pytest.mark.e2e
# Generous: the live server and Chromium share two cores with other work.

ROW = """() => {
  const rect = (el) => el.getBoundingClientRect();
  const items = [...document.querySelectorAll('.site-nav .nav-links > ul > li')];
  const brand = rect(document.querySelector('.site-nav .brand'));
  const nav = rect(document.querySelector('.site-nav'));
  return {
    middles: items.map((li) => (rect(li).top + rect(li).bottom) / 2),
    heights: items.map((li) => rect(li).height),
    brandMiddle: (brand.top + brand.bottom) / 2,
    navHeight: nav.height,
    labels: items.map((li) => li.innerText.trim()),
  };
}"""


@pytest.mark.parametrize("role", ["alice", "bob", "olga"])
def test_the_english_header_is_one_row_at_1280_px(
    role: str, request: pytest.FixtureRequest, live_server: Any, browser: Browser
) -> None:
    # given
    user: User = request.getfixturevalue(role)
    if role == "olga":  # the organiser with the admin link too: the longest header
        User.objects.filter(pk=user.pk).update(is_staff=True)
    for number in range(12):  # an unread count beside the inbox link
        Notification.objects.create(user=user, kind="response", key=f"n{number}", title="t")
    context = logged_in_context(browser, live_server, user, viewport=DESKTOP)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page = context.new_page()

    # when
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".site-nav .nav-links")).to_be_visible()
    row = page.evaluate(ROW)

    # then
    assert "English" not in row["labels"] and "中文" in row["labels"], row["labels"]
    middles = [*row["middles"], row["brandMiddle"]]
    assert max(middles) - min(middles) <= 2, row  # every link and the brand on one row
    assert row["navHeight"] < 2 * max(row["heights"]), row
    page.screenshot(
        path=f"/tmp/robomatch-header-en-{role}.png",
        clip={"x": 0, "y": 0, "width": 1280, "height": 160},
    )
    context.close()
