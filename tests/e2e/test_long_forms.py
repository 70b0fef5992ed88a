"""End to end in a real browser: the need form's searchable region picker and the live count on
its description (issue 18, items 7 and 8)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from tests.browser import PHONE, logged_in_context

pytestmark = pytest.mark.e2e


def need_form(browser: Browser, live_server: Any, user: User, *, javascript: bool = True) -> Page:
    context = logged_in_context(browser, live_server, user, viewport=PHONE, javascript=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{live_server.url}/needs/new/")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def test_a_region_is_found_by_typing_its_name(
    live_server: Any, browser: Browser, alice: User, taxonomy: dict[str, Any]
) -> None:
    # given
    page = need_form(browser, live_server, alice)
    control = page.locator("#id_region-ts-control")

    # when she types part of a name and picks the match
    control.click()
    page.locator("#id_region_field input.dropdown-input").fill("深圳")
    option = page.locator(".ts-dropdown .option", has_text="深圳市")
    expect(option).to_be_visible()
    expect(page.locator(".ts-dropdown .option", has_text="青岛市")).to_have_count(0)
    option.click()

    # then the form's own field holds it
    expect(page.locator("#id_region")).to_have_value(str(taxonomy["regions"]["深圳市"].pk))
    page.screenshot(path="/tmp/hforms/region.png", full_page=False)
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_description_counts_and_pasted_text_is_not_cut(
    live_server: Any, browser: Browser, alice: User, taxonomy: dict[str, Any]
) -> None:
    # given
    page = need_form(browser, live_server, alice)
    counter = page.locator("#id_description_count")
    expect(counter).to_have_text("已输入 0 / 5000 字")

    # when she pastes 5,321 characters
    page.locator("#id_description").fill("送" * 5321)

    # then all of it stays, and the count says how far over it is
    assert page.locator("#id_description").input_value() == "送" * 5321
    expect(counter).to_have_text("超出 321 字：最多 5000 字，当前 5321 字。")
    expect(counter).to_have_class("field-help char-count over-limit")

    # when she sends it, the server says the same in plain words
    page.get_by_role("button", name="提交发布").click()
    expect(page.locator("#id_description_error")).to_have_text(
        "需求描述最多 5000 字，当前 5321 字。"
    )


def test_without_javascript_the_limit_is_shown_as_text(
    live_server: Any, browser: Browser, alice: User, taxonomy: dict[str, Any]
) -> None:
    page = need_form(browser, live_server, alice, javascript=False)

    expect(page.locator("#id_description_count")).to_have_text("最多 5000 字")
    groups = page.locator("#id_region optgroup").evaluate_all("gs => gs.map(g => g.label)")
    assert groups[:2] == ["山东省", "全国、直辖市与特别行政区"]
    first = page.locator("#id_region option").evaluate_all("os => os.slice(0, 3).map(o => o.text)")
    assert first[1:] == ["青岛市", "山东省全境"]


def test_a_vendor_picks_several_service_regions_by_typing(
    live_server: Any, browser: Browser, bob: User, taxonomy: dict[str, Any]
) -> None:
    # given
    context = logged_in_context(browser, live_server, bob, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/capabilities/new/")
    search = page.locator("#id_service_regions-ts-control")

    # when she types two names, choosing each match
    for name in ("青岛", "深圳"):
        search.fill(name)
        page.locator(".ts-dropdown .option", has_text=f"{name}市").click()

    # then both are chosen in the form's own field, as removable chips
    chosen = page.locator("#id_service_regions").evaluate(
        "select => Array.from(select.selectedOptions).map(option => option.text)"
    )
    assert sorted(chosen) == ["深圳市", "青岛市"]
    expect(page.locator("#id_service_regions_field .ts-control .item")).to_have_count(2)
    page.screenshot(path="/tmp/hforms/regions.png", full_page=False)
