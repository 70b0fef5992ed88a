"""Signing up refuses weak passwords with Django's validators, explained in Chinese."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Organization, User
from tests.marketplace.form_data import signup_form_data

SIGNUP = reverse("accounts:signup")


@pytest.mark.parametrize(
    ("password", "messages"),
    [
        ("k7#qz", ["密码长度太短。密码必须包含至少 8 个字符。"]),
        ("password123", ["这个密码太常见了。"]),
        ("40718293655", ["密码只包含数字。"]),
        ("12345678", ["这个密码太常见了。", "密码只包含数字。"]),
        ("director2026", ["密码跟 邮箱 太相似了。"]),
    ],
)
def test_a_weak_password_is_refused_in_chinese_and_nothing_is_created(
    db: None, password: str, messages: list[str]
) -> None:
    # when
    response = Client().post(SIGNUP, signup_form_data(password1=password, password2=password))

    # then
    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == messages
    assert messages[0] in response.content.decode()
    assert not User.objects.exists()
    assert not Organization.objects.exists()


def test_a_strong_password_is_accepted(db: None) -> None:
    # when
    response = Client().post(
        SIGNUP, signup_form_data(password1="sea-view-care-2026", password2="sea-view-care-2026")
    )

    # then
    assert response.status_code == 302
    assert User.objects.get().check_password("sea-view-care-2026")
