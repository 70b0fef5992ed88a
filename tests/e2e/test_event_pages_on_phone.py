"""End to end in a real browser on a 390 × 844 phone: the organiser's event tabs and the
shortlist table stay usable (issue 18, item 9)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from accounts.models import User
from marketplace.events import scheduling as matching_events
from tests.browser import logged_in_context
from tests.marketplace.event_world import Fair, build_fair, fake_pair_values

pytestmark = pytest.mark.e2e

PHONE_390: ViewportSize = {"width": 390, "height": 844}
TABS = ("概览", "活动设置", "参会机构", "推荐名单", "会谈日程", "会谈结果")
SHORTLIST_HEADERS = ("供应方", "匹配分", "依据：需求 → 能力档案", "状态")

# Each column label as the reader sees it: the <th> when the table is a table, the cell's
# ::before label (data-label) when the rows are stacked cards. For each: its box width, the
# width its text needs on one line in its own font, and the font size.
MEASURE_LABELS = """() => {
  const canvas = document.createElement("canvas").getContext("2d");
  const needs = (element, pseudo, text) => {
    const style = getComputedStyle(element, pseudo);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return {need: canvas.measureText(text).width, font: parseFloat(style.fontSize)};
  };
  const labels = [];
  document.querySelectorAll(".shortlist-table").forEach((table) => {
    const head = table.querySelector("thead").getBoundingClientRect();
    if (head.width > 1 && head.height > 1) table.querySelectorAll("thead th").forEach((th) => {
      if (!th.textContent.trim() || th.querySelector(".visually-hidden")) return;
      const text = th.textContent.trim();
      const lineHeight = parseFloat(getComputedStyle(th).lineHeight);
      const padding = parseFloat(getComputedStyle(th).paddingTop)
        + parseFloat(getComputedStyle(th).paddingBottom);
      const lines = Math.round((th.clientHeight - padding) / lineHeight);
      labels.push({text, width: th.clientWidth, lines, ...needs(th, null, text)});
    });
    table.querySelectorAll("td[data-label]").forEach((td) => {
      const before = getComputedStyle(td, "::before");
      if (before.content === "none" || before.display === "none") return;
      const text = td.dataset.label;
      labels.push({text, width: td.clientWidth, lines: null, ...needs(td, "::before", text)});
    });
  });
  return labels;
}"""


@pytest.fixture
def fair(olga: User, alice: User, bob: User, victor: User, monkeypatch: pytest.MonkeyPatch) -> Fair:
    built = build_fair(olga=olga, alice=alice, bob=bob, victor=victor)
    fake_pair_values(monkeypatch)(
        {
            (built.yihe, built.kangtu): 0.9,
            (built.yihe, built.rival): 0.6,
            (built.haijing, built.kangtu): 0.5,
            (built.haijing, built.rival): 0.8,
        }
    )
    matching_events.event_shortlist_generate(built.event, olga)
    matching_events.event_schedule_generate(built.event, olga)
    return built


def phone_page(browser: Browser, live_server: Any, user: User) -> Page:
    context = logged_in_context(browser, live_server, user, viewport=PHONE_390)
    return context.new_page()


@pytest.mark.parametrize("tab", ["shortlist", "schedule"])
def test_every_event_tab_is_visible_on_a_phone(
    live_server: Any, browser: Browser, olga: User, fair: Fair, tab: str
) -> None:
    # given
    page = phone_page(browser, live_server, olga)

    # when
    page.goto(f"{live_server.url}/events/{fair.event.pk}/{tab}/")

    # then every tab is inside the viewport, whole, without scrolling anything
    nav = page.get_by_role("navigation", name="活动管理")
    for name in TABS:
        link = nav.get_by_role("link", name=name, exact=True)
        link.wait_for(state="visible")
        box = link.bounding_box()
        assert box is not None, name
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_390["width"], (name, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
    # and no tab overlaps another
    boxes = [nav.get_by_role("link", name=name, exact=True).bounding_box() for name in TABS]
    for left, right in itertools.pairwise(boxes):
        assert left is not None and right is not None
        same_line = abs(left["y"] - right["y"]) < 1
        assert not same_line or left["x"] + left["width"] <= right["x"] + 0.5, (left, right)
    # and the current tab can be followed
    nav.get_by_role("link", name="会谈结果", exact=True).click()
    page.wait_for_url(f"**/events/{fair.event.pk}/outcomes/")


def test_shortlist_headers_are_readable_on_a_phone(
    live_server: Any, browser: Browser, olga: User, fair: Fair
) -> None:
    # given
    page = phone_page(browser, live_server, olga)

    # when
    page.goto(f"{live_server.url}/events/{fair.event.pk}/shortlist/")
    page.locator(".shortlist-table").first.wait_for(state="visible")

    # then every column label is at least two characters wide and fits on one line
    labels = page.evaluate(MEASURE_LABELS)
    assert {label["text"] for label in labels} == set(SHORTLIST_HEADERS)
    for label in labels:
        assert label["width"] >= 2 * label["font"], label
        assert label["width"] >= label["need"], label
        assert label["lines"] in (None, 1), label
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
    # and a pair's basis reads as words, not a character a line
    basis = page.locator('.shortlist-table td[data-label="依据：需求 → 能力档案"]').first
    box = basis.bounding_box()
    assert box is not None and box["width"] >= PHONE_390["width"] / 2
