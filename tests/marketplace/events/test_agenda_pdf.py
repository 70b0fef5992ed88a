"""Agenda PDFs through the web pages: read back with a PDF text extractor, so the Chinese names and
the meeting times are in the file as text (an embedded CJK font), not as empty boxes."""

from __future__ import annotations

import io

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.events import scheduling as matching_events
from marketplace.models import Meeting
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.marketplace.event_world import (
    Fair,
    build_fair,
    scheduled_fair,
)

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def scheduled(
    olga: User, alice: User, bob: User, victor: User, monkeypatch: pytest.MonkeyPatch
) -> Fair:
    return scheduled_fair(build_fair(olga=olga, alice=alice, bob=bob, victor=victor), monkeypatch)


@pytest.fixture
def published(scheduled: Fair) -> Fair:
    matching_events.event_schedule_publish(scheduled.event, scheduled.olga)
    scheduled.event.refresh_from_db()
    return scheduled


def _agenda_pdf(fair: Fair) -> str:
    return reverse("events:event_agenda_pdf", args=[fair.event.pk, fair.yihe.pk])


def _schedule_pdf(fair: Fair) -> str:
    return reverse("events:event_schedule_pdf", args=[fair.event.pk])


def test_a_participant_downloads_its_agenda_as_a_pdf_with_its_meetings(published: Fair) -> None:
    # when
    response = _client(published.alice).get(_agenda_pdf(published))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    event, participant = published.event.pk, published.yihe.pk
    assert response["Content-Disposition"] == (
        f'attachment; filename="robomatch-event-{event}-agenda-{participant}.pdf"'
    )
    text = _pdf_text(response.content)
    assert "颐和苑养老中心" in text
    assert "青岛养老机器人供需对接会" in text
    assert "青岛国际会议中心" in text
    meetings = Meeting.objects.filter(event=published.event, demand=published.yihe).order_by("slot")
    assert meetings.count() == 2
    positions = []
    for meeting in meetings:
        assert published.event.slots[meeting.slot].label in text
        assert meeting.table.name in text
        positions.append(text.index(meeting.vendor.organization.name))
    assert positions == sorted(positions)
    assert "需求：三餐送餐机器人" in text
    assert "能力档案：送餐机器人" in text
    assert "海景养老院" not in text  # another participant's meetings are not in it
    assert "草稿" not in text


def test_the_agenda_pdf_is_in_english_for_an_english_reader(published: Fair) -> None:
    response = _client(published.alice).get(_agenda_pdf(published), HTTP_ACCEPT_LANGUAGE="en")

    text = _pdf_text(response.content)
    assert "Meeting schedule" in text
    assert "Need: 三餐送餐机器人" in text
    assert "颐和苑养老中心" in text


def test_the_organiser_downloads_every_meeting_of_the_event_as_one_pdf(published: Fair) -> None:
    # when
    response = _client(published.olga).get(_schedule_pdf(published))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for meeting in Meeting.objects.filter(event=published.event).select_related(
        "demand__organization", "vendor__organization"
    ):
        assert published.event.slots[meeting.slot].label in text
    for name in ("颐和苑养老中心", "海景养老院", "康途机器人", "夜间巡查机器人"):
        assert name in text
    assert AuditEntry.objects.filter(details={"file": "agenda"}).count() == 1


def test_the_organiser_reads_a_draft_agenda_pdf_marked_as_a_draft(scheduled: Fair) -> None:
    response = _client(scheduled.olga).get(_agenda_pdf(scheduled))

    assert response.status_code == 200
    assert "日程尚未发布：这是草稿" in _pdf_text(response.content)


def test_nobody_else_gets_an_agenda_pdf(published: Fair, scheduled: Fair) -> None:
    outsider_office = OrganizationFactory.create(
        name="西海岸对接办", kind="organizer", sub_type="city_office"
    )
    outsider = UserFactory.create(organization=outsider_office)

    # another participant, a stranger organiser, and anonymous
    assert _client(published.dora).get(_agenda_pdf(published)).status_code == 404
    assert _client(outsider).get(_agenda_pdf(published)).status_code == 404
    assert _client(outsider).get(_schedule_pdf(published)).status_code == 404
    assert _client(published.alice).get(_schedule_pdf(published)).status_code == 404
    anonymous = Client().get(_agenda_pdf(published))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")


def test_a_participant_gets_no_pdf_of_a_draft_agenda(scheduled: Fair) -> None:
    assert _client(scheduled.alice).get(_agenda_pdf(scheduled)).status_code == 404


def test_the_agenda_page_and_the_schedule_page_link_to_their_pdfs(published: Fair) -> None:
    agenda_page = reverse("events:event_agenda", args=[published.event.pk, published.yihe.pk])
    schedule_page = reverse("events:event_schedule", args=[published.event.pk])

    assert _agenda_pdf(published) in _client(published.alice).get(agenda_page).content.decode()
    assert _schedule_pdf(published) in _client(published.olga).get(schedule_page).content.decode()


def test_without_the_cjk_font_the_pdf_is_refused_with_a_reason(
    published: Fair, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    missing = "/nonexistent/fonts/no-such-font.ttc"

    # when
    with override_settings(AGENDA_PDF_FONT=missing):
        response = _client(published.alice).get(_agenda_pdf(published), follow=True)

    # then: back on the printable page, with a sentence; no PDF
    assert response.redirect_chain == [
        (reverse("events:event_agenda", args=[published.event.pk, published.yihe.pk]), 302)
    ]
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "暂时无法生成 PDF：服务器缺少中文字体（AGENDA_PDF_FONT）。请使用本页打印，并通知管理员。"
    ]
    assert missing in caplog.text and "fonts-wqy-zenhei" in caplog.text
