"""End to end in a real browser: the need form reads a free-text description as the institution
types, and fills in the suggestions only when she applies them (issue 16, section 2)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import User
from marketplace.models import Need
from tests.e2e.test_long_forms import need_form

pytestmark = pytest.mark.e2e


def test_typing_a_free_text_need_and_applying_the_suggestions(
    live_server: Any, browser: Browser, alice: User, taxonomy: dict[str, Any]
) -> None:
    # given the form on a phone, the domain chosen
    page = need_form(browser, live_server, alice)
    page.select_option("#id_domain", str(taxonomy["civil"].pk))
    delivery = page.locator(f'input[name="categories"][value="{taxonomy["delivery"].pk}"]')
    expect(delivery).not_to_be_checked()

    # when she describes the problem without naming a category
    page.locator("#id_title").fill("饭点人手不够")
    page.locator("#id_description").press_sequentially("每天三餐要把饭菜送到各个房间")

    # then the reading is shown, and nothing is filled in yet
    result = page.locator("#need-reading-result")
    expect(result).to_contain_text("我们理解您的需求是：物资配送")
    expect(result).to_contain_text("您还没有说明：预算")
    expect(delivery).not_to_be_checked()

    # when she applies the suggestions (by keyboard), the category is ticked
    apply = page.get_by_role("button", name="应用这些建议")
    apply.focus()
    page.keyboard.press("Enter")
    expect(delivery).to_be_checked()
    expect(result).to_contain_text("已填入建议的领域、服务类别和产品类别")
    assert page.errors == []  # type: ignore[attr-defined]

    # and saving keeps what she confirmed
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("h1")).to_have_text("饭点人手不够")
    need = Need.objects.get()
    assert list(need.categories.all()) == [taxonomy["delivery"]]


def test_without_javascript_the_buttons_read_and_apply_on_the_server(
    live_server: Any, browser: Browser, alice: User, taxonomy: dict[str, Any]
) -> None:
    page = need_form(browser, live_server, alice, javascript=False)
    page.select_option("#id_domain", str(taxonomy["civil"].pk))
    page.locator("#id_title").fill("饭点人手不够")
    page.locator("#id_description").fill("每天三餐要把饭菜送到各个房间")

    page.get_by_role("button", name="帮我识别需求类型").click()
    expect(page.locator("#need-reading-result")).to_contain_text("我们理解您的需求是：物资配送")
    page.get_by_role("button", name="应用这些建议").click()

    delivery = page.locator(f'input[name="categories"][value="{taxonomy["delivery"].pk}"]')
    expect(delivery).to_be_checked()
    expect(page.locator("#id_description")).to_have_value("每天三餐要把饭菜送到各个房间")
    assert not Need.objects.exists()
