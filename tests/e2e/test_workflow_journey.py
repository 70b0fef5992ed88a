"""End to end in a real browser: a lead becomes talks, the pair meets at an event, and the
meeting lands in each side's agenda and calendar.

The world is the matching tests' catalogue (``embedded``), ranked by the real model:
颐和苑养老中心 (alice) needs rehab exoskeletons; 康途机器人 (bob) shows a certified one;
另一家供应商 (victor) shows profiles that do not qualify. The organiser is 对接办 (olga).

1. bob, on a phone, logs in from the inbox link and says 有意向 to the need with a message;
2. alice reads the answer, accepts it, and each side now sees the other's contacts;
3. olga creates an event through its form and registers both organisations on their behalf;
4. olga generates the shortlist and the schedule, and publishes it;
5. alice downloads her agenda as an .ics and prints it; bob reads his on the phone.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import (
    Browser,
    Dialog,
    Locator,
    Page,
    ViewportSize,
    expect,
)

from accounts.models import Organization, User

# The matching fixtures: the catalogue, embedded with the real model.
from marketplace.leads.refresh import leads_refresh_due
from tests.browser import DESKTOP, PHONE, new_context
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e

NEED = "中风老人下肢康复训练设备"
PROFILE = "下肢康复外骨骼"
YIHE = "颐和苑养老中心"
KANGTU = "康途机器人"
EVENT = "康复机器人专场供需对接会"
TABLE = "A区1号桌"
# One 30-minute slot and one table: the solver has exactly one place for the one meeting.
SLOT = "14:00–14:30"
STARTS_AT, ENDS_AT = datetime.time(14, 0), datetime.time(14, 30)
SHANGHAI = ZoneInfo("Asia/Shanghai")
HIDDEN_CONTACTS = "双方都同意洽谈后，联系方式将对双方开放。"
VENDOR_MESSAGE = "可提供两台下肢康复外骨骼，下月起在康复室试点三个月。"
DEMAND_MESSAGE = "请下周二上午来康复室现场演示。"
BROUGHT = re.compile(rf"^\s*需求：{NEED}\s+能力档案：{PROFILE}\s*$")


@pytest.fixture
def contacts(yihe: Organization, kangtu: Organization) -> dict[str, Organization]:
    """Each side's contact details, distinct, so seeing one cannot be mistaken for the other."""
    yihe.contact_person, yihe.phone, yihe.email = "李院长", "0532-88886666", "li@yihe.example.com"
    kangtu.contact_person, kangtu.phone = "陈经理", "0532-87776655"
    kangtu.email = "chen@kangtu.example.com"
    yihe.save()
    kangtu.save()
    return {"yihe": yihe, "kangtu": kangtu}


def _page(browser: Browser, viewport: ViewportSize = DESKTOP) -> Page:
    return new_context(browser, viewport=viewport, accept_downloads=True).new_page()


def _logged_in_page(browser: Browser, live_server: Any, user: User) -> Page:
    """A desktop page with the user's session cookie, as if they had logged in earlier."""
    client = Client()
    client.force_login(user)
    page = _page(browser)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def _message(page: Page) -> Locator:
    return page.locator(".messages").get_by_role("status")


def _fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone ({width}px)"


def _say_yes(page: Page) -> list[str]:
    """Answer the next ``data-confirm`` question yes; the list gets the question asked."""
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(f"{dialog.type}: {dialog.message}")
        dialog.accept()

    page.once("dialog", answer)
    return asked


def _visible_contacts(page: Page, organization: Organization) -> None:
    aside = page.get_by_role("complementary")
    expect(aside.get_by_role("heading", name=organization.name)).to_be_visible()
    expect(aside.get_by_text(HIDDEN_CONTACTS)).to_have_count(0)
    expect(aside).to_contain_text(organization.contact_person)
    phone = aside.get_by_role("link", name=organization.phone)
    expect(phone).to_have_attribute("href", f"tel:{organization.phone}")
    email = aside.get_by_role("link", name=organization.email)
    expect(email).to_have_attribute("href", f"mailto:{organization.email}")


def _hidden_contacts(page: Page, organization: Organization) -> None:
    aside = page.get_by_role("complementary")
    expect(aside.get_by_role("heading", name=organization.name)).to_be_visible()
    expect(aside.get_by_text(HIDDEN_CONTACTS)).to_be_visible()
    for private in (organization.contact_person, organization.phone, organization.email):
        expect(page.get_by_text(private)).to_have_count(0)


@pytest.mark.usefixtures("embedded")
def test_a_lead_becomes_talks_a_meeting_and_a_calendar_entry_for_both_sides(
    live_server: Any,
    browser: Browser,
    contacts: dict[str, Organization],
    alice: User,
    olga: User,
) -> None:
    base = live_server.url
    yihe, kangtu = contacts["yihe"], contacts["kangtu"]
    event_date = timezone.localdate() + datetime.timedelta(days=21)
    # The worker's sweep after embedding: alice's published need becomes leads for the vendors.
    leads_refresh_due()

    # --- 1. The vendor says 有意向, on a phone ---------------------------------------------

    # given bob follows a link to his leads and is asked to log in first
    vendor = _page(browser, PHONE)
    vendor.goto(f"{base}/leads/")
    expect(vendor.get_by_role("heading", name="登录")).to_be_visible()
    vendor.get_by_label("邮箱").fill("bob@kangtu.example.com")
    vendor.get_by_label("密码").fill(PASSWORD)
    vendor.get_by_role("button", name="登录").click()

    # when he lands on his inbox, the matcher has turned alice's need into a new lead
    expect(vendor.get_by_role("heading", name="线索", exact=True)).to_be_visible()
    card = vendor.locator("article.lead-card").filter(has=vendor.get_by_role("heading", name=NEED))
    expect(card).to_contain_text("供应商：新线索")
    expect(card).to_contain_text(YIHE)
    expect(card).to_contain_text(PROFILE)
    _fits_the_phone(vendor)
    card.get_by_role("button", name="查看并回复").click()

    # then opening it marks it 已查看, and alice's contacts are still private
    expect(vendor.get_by_role("heading", name=NEED, level=1)).to_be_visible()
    expect(vendor.locator("header .badge.status")).to_have_text("供应商：已查看")
    _hidden_contacts(vendor, yihe)
    _fits_the_phone(vendor)

    # when he answers with a message
    vendor.get_by_label("回复留言").fill(VENDOR_MESSAGE)
    vendor.get_by_role("button", name="提交意向").click()

    # then the lead is 有意向, waiting for alice, and still without her contacts
    expect(_message(vendor)).to_have_text("已告知需求方贵方有意向，请等待对方回复。")
    expect(vendor.locator("header .badge.status")).to_have_text("供应商：有意向")
    expect(vendor.locator("header .badge.decision")).to_have_text("需求方：未处理")
    expect(vendor.get_by_role("definition").filter(has_text=VENDOR_MESSAGE)).to_be_visible()
    _hidden_contacts(vendor, yihe)

    # --- 2. The institution accepts; contacts open to both sides --------------------------

    # given alice opens the answers to her needs
    institution = _logged_in_page(browser, live_server, alice)
    institution.goto(f"{base}/")
    institution.get_by_role("link", name="收到的回复").click()
    expect(institution.get_by_role("heading", name="收到的回复")).to_be_visible()
    response = institution.locator("article.lead-card").filter(
        has=institution.get_by_role("heading", name=KANGTU)
    )
    expect(response).to_contain_text("供应商：有意向")
    expect(response).to_contain_text(NEED)
    expect(response.get_by_text(VENDOR_MESSAGE)).to_be_visible()
    expect(response.get_by_role("button", name="接受", exact=True)).to_be_visible()

    # when she opens it, bob's contacts are still private
    response.get_by_role("link", name=KANGTU).click()
    expect(institution.get_by_role("heading", name=NEED, level=1)).to_be_visible()
    _hidden_contacts(institution, kangtu)

    # and she accepts with a message
    institution.get_by_label("给供应商的留言").fill(DEMAND_MESSAGE)
    institution.get_by_role("button", name="接受，进入洽谈").click()

    # then the pair is 洽谈中 and she sees bob's contact person, phone and email
    expect(_message(institution)).to_have_text("已接受，双方联系方式现已互相可见。")
    expect(institution.locator("header .badge.status")).to_have_text("供应商：洽谈中")
    expect(institution.locator("header .badge.decision")).to_have_text("需求方：已接受")
    expect(institution.get_by_role("button", name="接受，进入洽谈")).to_have_count(0)
    _visible_contacts(institution, kangtu)

    # and bob, reloading the lead on his phone, sees hers and her message
    vendor.reload()
    expect(vendor.locator("header .badge.status")).to_have_text("供应商：洽谈中")
    expect(vendor.get_by_role("definition").filter(has_text=DEMAND_MESSAGE)).to_be_visible()
    expect(vendor.get_by_role("button", name="提交意向")).to_have_count(0)
    _visible_contacts(vendor, yihe)
    _fits_the_phone(vendor)
    vendor.screenshot(path="/tmp/robomatch-lead-in-talks-375.png", full_page=True)

    # --- 3. The organiser builds an event and registers both sides -----------------------

    # given olga starts a new event from her events
    organiser = _logged_in_page(browser, live_server, olga)
    organiser.goto(f"{base}/events/mine/")
    organiser.get_by_role("button", name="新建活动").click()
    expect(organiser.get_by_role("heading", name="新建对接活动")).to_be_visible()

    # when she fills in the form
    organiser.get_by_label("名称").fill(EVENT)
    organiser.get_by_label("日期").fill(event_date.isoformat())
    organiser.get_by_label("区/市").fill("崂山区")
    organiser.get_by_label("地点").fill("青岛国际会议中心")
    organiser.get_by_label("民政").check()
    organiser.get_by_label("会谈开始时间").fill("14:00")
    organiser.get_by_label("会谈结束时间").fill("14:30")
    organiser.get_by_label("每场会谈时长（分钟）").fill("30")
    organiser.get_by_label("洽谈桌").fill(TABLE)
    organiser.get_by_label("每家需求方至少对接供应商数").fill("1")
    organiser.get_by_label("每家供应商会谈上限").fill("2")
    organiser.get_by_role("button", name="创建活动").click()

    # then the event exists with its one slot and one table
    expect(_message(organiser)).to_have_text("活动已创建。请核对下面的会谈时段。")
    saved = organiser.locator("#slots")
    expect(saved.get_by_role("heading", name="已保存的会谈时段（1 个）")).to_be_visible()
    expect(saved.get_by_role("listitem")).to_have_text([SLOT, TABLE])

    # when she registers alice's institution with its need
    organiser.get_by_role("link", name="参会机构").click()
    organiser.get_by_label("参会机构").select_option(label=f"{YIHE}（需求方）")
    organiser.get_by_role("button", name="下一步").click()
    expect(organiser.get_by_role("heading", name="代为报名")).to_be_visible()
    organiser.get_by_label(NEED).check()
    organiser.get_by_role("button", name="确认报名").click()
    expect(_message(organiser)).to_have_text(f"已为“{YIHE}”报名。")

    # and bob's vendor with its profile
    organiser.get_by_label("参会机构").select_option(label=f"{KANGTU}（供应方）")
    organiser.get_by_role("button", name="下一步").click()
    organiser.get_by_label(PROFILE).check()
    organiser.get_by_role("button", name="确认报名").click()

    # then both are listed with what they bring, registered by the organiser
    expect(_message(organiser)).to_have_text(f"已为“{KANGTU}”报名。")
    expect(organiser.get_by_text("需求方 1 家，供应方 1 家。")).to_be_visible()
    for name, brings in ((YIHE, NEED), (KANGTU, PROFILE)):
        row = organiser.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text(brings)
        expect(row).to_contain_text("组织方代报")

    # --- 4. Shortlist, schedule, publish -------------------------------------------------

    # when she generates the shortlist
    organiser.get_by_role("navigation", name="活动管理").get_by_role(
        "link", name="推荐名单"
    ).click()
    organiser.get_by_role("button", name="一键生成推荐名单").click()

    # then the matcher pairs alice's need with bob's profile
    expect(_message(organiser)).to_have_text("已生成推荐名单：1 对（其中锁定 0 对）。")
    group = organiser.locator("section.shortlist-group").filter(
        has=organiser.get_by_role("heading", name=YIHE)
    )
    pair = group.get_by_role("row").filter(has_text=KANGTU)
    expect(pair).to_contain_text(f"{NEED} → {PROFILE}")
    expect(pair).to_contain_text("建议")

    # when she generates the schedule
    organiser.get_by_role("navigation", name="活动管理").get_by_role(
        "link", name="会谈日程"
    ).click()
    organiser.get_by_role("button", name="生成会谈日程").click()

    # then it is a draft with the one meeting in the one slot, at the one table
    expect(_message(organiser)).to_have_text("已生成日程草稿：1 场会谈。")
    expect(organiser.get_by_role("heading", name="会谈日程")).to_contain_text("草稿")
    expect(organiser.get_by_text("1 场会谈 · 1 个时段 · 1 张洽谈桌")).to_be_visible()

    # when she publishes it, confirming the question
    asked = _say_yes(organiser)
    organiser.get_by_role("button", name="发布日程").click()

    # then it is published and the meeting has its time and table
    expect(_message(organiser)).to_have_text("日程已发布，已通知所有参会机构。")
    assert asked == ["confirm: 发布后将通知所有参会机构，确定发布吗？"]
    expect(organiser.get_by_role("heading", name="会谈日程")).to_contain_text("已发布")
    expect(organiser.get_by_role("button", name="发布日程")).to_have_count(0)
    grid_row = organiser.locator("table.schedule-grid").get_by_role("row").filter(has_text=SLOT)
    expect(grid_row).to_contain_text(f"{YIHE}× {KANGTU}")
    expect(organiser.locator("h3.slot-heading")).to_have_text([SLOT])
    meeting = organiser.locator("article.meeting-card")
    expect(meeting).to_have_count(1)
    expect(meeting).to_contain_text(f"{TABLE} · {YIHE} × {KANGTU}")
    expect(meeting).to_contain_text(f"{NEED} → {PROFILE}")

    # --- 5. Each side reads its agenda ---------------------------------------------------

    # given alice opens her events
    institution.get_by_role("link", name="我的活动").click()
    entry = institution.locator("article.event-card").filter(
        has=institution.get_by_role("heading", name=EVENT)
    )
    entry.get_by_role("button", name="我的会谈日程").click()

    # then her agenda lists the meeting with bob
    expect(institution.get_by_role("heading", name=YIHE, level=1)).to_be_visible()
    expect(institution.locator(".agenda .notice")).to_have_count(0)  # no draft warning
    agenda_row = institution.locator("table.agenda-table tbody").get_by_role("row")
    expect(agenda_row).to_have_count(1)
    expect(agenda_row.get_by_role("cell")).to_have_text([SLOT, TABLE, KANGTU, BROUGHT])

    # when she adds it to her calendar
    with institution.expect_download() as download_info:
        institution.get_by_role("button", name="加入日历（.ics）").click()
    download = download_info.value

    # then the file holds one meeting with bob, at 14:00 Qingdao time on the event's day
    assert re.fullmatch(r"robomatch-event-\d+-agenda-\d+\.ics", download.suggested_filename)
    ics = Path(download.path()).read_bytes()
    text = ics.decode()
    assert text.count("BEGIN:VEVENT") == 1
    assert f"DTSTART;TZID=Asia/Shanghai:{event_date:%Y%m%d}T140000" in text
    (vevent,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert vevent["DTSTART"].dt == datetime.datetime.combine(event_date, STARTS_AT, SHANGHAI)
    assert vevent["DTEND"].dt == datetime.datetime.combine(event_date, ENDS_AT, SHANGHAI)
    assert str(vevent["SUMMARY"]) == f"{EVENT}：与 {KANGTU} 会谈"
    assert str(vevent["LOCATION"]) == f"青岛国际会议中心 {TABLE}"
    assert str(vevent["DESCRIPTION"]) == f"需求：{NEED}\n能力档案：{PROFILE}"

    # when she prints the page
    institution.emulate_media(media="print")

    # then the printout keeps the meeting and drops the navigation and the buttons
    expect(agenda_row).to_be_visible()
    expect(agenda_row).to_contain_text(KANGTU)
    expect(institution.get_by_role("heading", name=YIHE, level=1)).to_be_visible()
    expect(institution.get_by_role("navigation", name="主导航")).to_be_hidden()
    expect(institution.get_by_role("button", name="加入日历（.ics）")).to_be_hidden()

    # and bob finds his side of the meeting from the phone menu
    vendor.get_by_text("菜单").click()
    vendor.get_by_role("link", name="我的活动").click()
    vendor.get_by_role("button", name="我的会谈日程").click()
    expect(vendor.get_by_role("heading", name=KANGTU, level=1)).to_be_visible()
    expect(vendor.get_by_role("columnheader", name="需求方")).to_be_visible()
    vendor_row = vendor.locator("table.agenda-table tbody").get_by_role("row")
    expect(vendor_row.get_by_role("cell")).to_have_text([SLOT, TABLE, YIHE, BROUGHT])
    _fits_the_phone(vendor)
    vendor.screenshot(path="/tmp/robomatch-agenda-375.png", full_page=True)

    for page in (vendor, institution, organiser):
        page.context.close()
