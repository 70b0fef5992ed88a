"""Issue 19, finding 10: bidi, control and zero-width characters were stored and shown raw.
They are now stripped where the value is saved (config.text): the same on the web and the API.
Single-line fields turn line breaks into spaces; multi-line fields keep "\\n" and "\\t"."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from accounts.models import User
from config.text import clean_multi_line, clean_single_line
from marketplace.models import Need
from tests.conftest import ClientFor
from tests.marketplace.factories import NeedFactory
from tests.marketplace.form_data import need_form_data

HOSTILE = "\ufeff护理\u202e机器人\u200b\r\n二号\x07"


def test_single_line_text_loses_bidi_control_and_zero_width_characters() -> None:
    assert clean_single_line(HOSTILE) == "护理机器人 二号"


def test_multi_line_text_keeps_line_breaks_and_tabs_only() -> None:
    assert clean_multi_line("第一行\r\n\t第二行\u2066\u200d\x1b") == "第一行\n\t第二行"


def test_a_need_patched_through_the_api_is_stored_without_invisible_characters(
    catalog: dict[str, Any], alice: User, client_for: ClientFor
) -> None:
    need: Need = catalog["need"]

    response = client_for(alice).patch(
        f"/api/v1/needs/{need.pk}/",
        {"title": HOSTILE, "description": f"需要{HOSTILE}\n第三行"},
        format="json",
    )

    assert response.status_code == 200
    need.refresh_from_db()
    assert need.title == "护理机器人 二号"
    assert need.description == "需要护理机器人\n二号\n第三行"
    assert response.json()["title"] == "护理机器人 二号"


def test_a_title_of_only_invisible_characters_is_blank_through_the_api(
    catalog: dict[str, Any], alice: User, client_for: ClientFor
) -> None:
    need: Need = catalog["need"]

    response = client_for(alice).patch(
        f"/api/v1/needs/{need.pk}/", {"title": "\u202e\u200b"}, format="json"
    )

    assert response.status_code == 400
    need.refresh_from_db()
    assert need.title == "中风老人下肢康复训练设备"


def test_a_need_edited_on_the_web_is_stored_and_shown_without_invisible_characters(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    # given
    need = NeedFactory.create(
        organization=alice.organization, domain=taxonomy["civil"], title="原标题"
    )
    client = Client()
    client.force_login(alice)

    # when
    client.post(
        reverse("needs:need_edit", args=[need.pk]),
        need_form_data(taxonomy, title=HOSTILE, description="说明\u202e\r\n第二行"),
    )
    page = client.get(reverse("needs:need_detail", args=[need.pk])).content.decode()

    # then
    need.refresh_from_db()
    assert need.title == "护理机器人 二号"
    assert need.description == "说明\n第二行"
    assert "\u202e" not in page and "\u200b" not in page
