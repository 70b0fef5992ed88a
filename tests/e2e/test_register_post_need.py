"""End to end in a real browser: an institution signs up, is approved, posts a need, and the
public sees it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, ViewportSize, expect

from accounts.models import Organization, User
from marketplace.models import Need
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.browser import DESKTOP, PHONE, new_context
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e

INSTITUTION_EMAIL = "director@haijing.example.com"
INSTITUTION_PASSWORD = "sea-view-care-2026"


def _page(browser: Browser, viewport: ViewportSize = DESKTOP) -> Page:
    return new_context(browser, viewport=viewport).new_page()


def _log_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    expect(page.locator("form[action='/accounts/logout/']")).to_have_count(1)


def test_an_institution_registers_is_approved_and_posts_a_need_the_public_can_see(
    live_server: Any, browser: Browser, taxonomy: dict[str, Any]
) -> None:
    base = live_server.url
    office = OrganizationFactory.create(name="对接办", kind="organizer", sub_type="city_office")
    UserFactory.create(email="olga@office.example.com", organization=office)

    # An institution registers through the signup form.
    institution = _page(browser)
    institution.goto(f"{base}/accounts/signup/")
    institution.fill("#id_email", INSTITUTION_EMAIL)
    institution.fill("#id_password1", INSTITUTION_PASSWORD)
    institution.fill("#id_password2", INSTITUTION_PASSWORD)
    institution.fill("#id_full_name", "王主任")
    institution.fill("#id_organization_name", "海景养老院")
    institution.check("input[name=kind][value=demand]")
    institution.select_option("#id_sub_type", "elder_care")
    institution.fill("#id_district", "市南区")
    institution.fill("#id_phone", "0532-81234567")
    institution.click("main form button[type=submit]")
    expect(institution.locator("main h1")).to_have_text("请查收邮件")
    # It confirms its e-mail through the link it was sent.
    (message,) = mail.outbox
    link = re.search(r"http://127.0.0.1:8000(/accounts/signup/confirm/\S+/)", message.body)
    assert link is not None
    institution.goto(f"{base}{link.group(1)}")
    institution.click("main form button[type=submit]")
    expect(institution.locator(".message-success")).to_contain_text("正在等待平台审核")
    organization = Organization.objects.get(name="海景养老院")
    assert organization.review_status == Organization.ReviewStatus.PENDING
    institution.context.close()

    # An organiser approves it in the review queue.
    organiser = _page(browser)
    _log_in(organiser, base, "olga@office.example.com", PASSWORD)
    organiser.goto(f"{base}/review/")
    card = organiser.locator(f"#organization-{organization.pk}")
    expect(card).to_contain_text("海景养老院")
    card.locator("button", has_text="通过").click()
    expect(organiser.locator(".message-success")).to_contain_text("已通过“海景养老院”的审核。")
    organization.refresh_from_db()
    assert organization.review_status == Organization.ReviewStatus.APPROVED
    organiser.context.close()

    # The institution logs in and posts a need through the guided form.
    institution = _page(browser)
    _log_in(institution, base, INSTITUTION_EMAIL, INSTITUTION_PASSWORD)
    institution.goto(f"{base}/needs/new/")
    category = institution.locator(f"input[name=categories][value='{taxonomy['delivery'].pk}']")
    expect(category).to_be_hidden()  # shown once a domain is chosen
    institution.fill("#id_title", "海景养老院夜间巡查机器人")
    institution.fill("#id_description", "夜间巡查三层楼走廊，发现老人跌倒立即通知值班护士。")
    institution.select_option("#id_domain", str(taxonomy["civil"].pk))
    expect(category).to_be_visible()
    category.check()
    institution.select_option("#id_region", str(taxonomy["regions"]["青岛市"].pk))
    institution.fill("#id_quantity", "2")
    institution.fill("#id_budget_min_cny", "80000")
    institution.fill("#id_budget_max_cny", "200000")
    institution.click("button[name=action][value=submit]")
    expect(institution.locator(".message-success")).to_contain_text("需求已发布")
    expect(institution.locator("h1")).to_have_text("海景养老院夜间巡查机器人")
    need = Need.objects.get(title="海景养老院夜间巡查机器人")
    assert need.status == Need.Status.PUBLISHED
    assert need.organization == organization
    assert list(need.categories.all()) == [taxonomy["delivery"]]
    assert (need.budget_min_cny, need.budget_max_cny) == (80000, 200000)
    assert need.created_by == User.objects.get(email=INSTITUTION_EMAIL)
    institution.context.close()

    # An anonymous visitor on a phone finds it in the public list.
    visitor = _page(browser, PHONE)
    visitor.goto(f"{base}/needs/")
    expect(visitor.get_by_role("link", name="海景养老院夜间巡查机器人")).to_be_visible()
    page_width = visitor.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], "the list must not scroll sideways on a phone"
    visitor.screenshot(path="/tmp/robomatch-need-list-375.png")
    visitor.click("label[for=nav-toggle]")
    expect(visitor.get_by_role("link", name="登录")).to_be_visible()
    visitor.screenshot(path="/tmp/robomatch-need-list-375-menu.png")
    visitor.context.close()

    home = _page(browser)
    home.goto(f"{base}/")
    expect(home.get_by_role("heading", name="最新需求")).to_be_visible()
    home.screenshot(path="/tmp/robomatch-home-desktop.png", full_page=True)
    home.context.close()
