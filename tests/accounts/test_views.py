"""Signing up, logging in and out, password reset, organisation pages, language and admin."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import admin
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Organization, User
from tests.conftest import PASSWORD
from tests.marketplace.form_data import signup_form_data

SIGNUP = reverse("accounts:signup")
LOGIN = reverse("accounts:login")


def _main(response: Any) -> str:
    """The page's own content, without what differs on every request (CSRF token, nonce)."""
    found = re.search(r"<main.*</main>", response.content.decode(), re.S)
    assert found is not None
    return found.group(0)


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_signing_up_creates_a_pending_organisation_and_mails_a_confirmation(db: None) -> None:
    # given
    client = Client()

    # when
    response = client.post(SIGNUP, signup_form_data(), follow=True)
    (message,) = mail.outbox
    link = re.search(r"http://127.0.0.1:8000(/accounts/signup/confirm/\S+/)", message.body)
    assert link is not None
    before = User.objects.get()
    confirmed = client.post(link.group(1), follow=True)

    # then
    user = User.objects.get()
    organization = user.organization
    assert response.redirect_chain == [(reverse("accounts:signup_sent"), 302)]
    assert "请查收邮件" in response.content.decode()
    assert not before.is_active
    assert message.to == ["director@haijing.example.com"]
    assert message.subject == "智配 RoboMatch：确认您的邮箱"
    assert confirmed.redirect_chain == [(reverse("home"), 302)]
    assert confirmed.context["user"] == user
    assert user.is_active
    assert user.full_name == "王主任"
    assert user.check_password("sea-view-care-2026")
    assert (organization.name, organization.kind, organization.sub_type) == (
        "海景养老院",
        "demand",
        "elder_care",
    )
    assert organization.review_status == Organization.ReviewStatus.PENDING
    assert organization.contact_person == "王主任"
    assert organization.website == "https://haijing.example.com"
    page = confirmed.content.decode()
    assert "注册成功！“海景养老院”正在等待平台审核" in page
    assert client.post(link.group(1)).status_code == 200  # spent: the link is refused


def test_an_unconfirmed_account_cannot_log_in(db: None) -> None:
    Client().post(SIGNUP, signup_form_data())

    response = Client().post(
        LOGIN, {"username": "director@haijing.example.com", "password": "sea-view-care-2026"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["邮箱或密码不正确。"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "something-else-9"}, "password2", "两次输入的密码不一致。"),
        ({"sub_type": "robot_maker"}, "sub_type", "所选细分类型与机构类型不符。"),
        ({"kind": "organizer"}, "kind", "选择一个有效的选项。 organizer 不在可用的选项中。"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "这个密码太常见了。"),
    ],
)
def test_signup_mistakes_are_shown_next_to_their_field_and_nothing_is_created(
    db: None, overrides: dict[str, str], field: str, message: str
) -> None:
    response = Client().post(SIGNUP, signup_form_data(**overrides))

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert User.objects.count() == 0
    assert Organization.objects.count() == 0


def test_signing_up_with_a_registered_email_answers_the_same_and_mails_its_owner(
    alice: User,
) -> None:
    # given a sign-up with a new e-mail, for comparison
    new = Client().post(SIGNUP, signup_form_data(), follow=True)
    mail.outbox.clear()

    # when someone signs up with alice's e-mail
    response = Client().post(SIGNUP, signup_form_data(email="ALICE@yihe.example.com"), follow=True)

    # then the page is the same, nothing is created, and alice is told, with a reset link
    assert response.redirect_chain == new.redirect_chain
    assert _main(response) == _main(new)
    assert "该邮箱已注册" not in response.content.decode()
    assert User.objects.filter(email__iexact="alice@yihe.example.com").count() == 1
    assert Organization.objects.filter(name="海景养老院").count() == 1
    (message,) = mail.outbox
    assert message.to == ["alice@yihe.example.com"]
    assert message.subject == "智配 RoboMatch：有人用您的邮箱注册"
    link = re.search(r"http://127.0.0.1:8000(/accounts/password-reset/\S+/)", message.body)
    assert link is not None
    form_page = Client().get(link.group(1), follow=True)
    assert form_page.redirect_chain[-1][0].endswith("/set-password/")
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_logging_in_with_email_and_password(alice: User) -> None:
    client = Client()

    page = client.get(LOGIN).content.decode()
    response = client.post(LOGIN, {"username": "alice@yihe.example.com", "password": PASSWORD})

    assert '<label for="id_username">邮箱' in page
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == alice


def test_a_wrong_password_is_refused_in_chinese(alice: User) -> None:
    response = Client().post(LOGIN, {"username": "alice@yihe.example.com", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["邮箱或密码不正确。"]


def test_logging_out_is_a_post(alice: User) -> None:
    client = _client(alice)

    response = client.post(reverse("accounts:logout"))

    assert response["Location"] == reverse("home")
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_password_reset_mails_a_working_link(alice: User) -> None:
    # given
    client = Client()

    # when
    client.post(reverse("accounts:password_reset"), {"email": "alice@yihe.example.com"})
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", message.body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "new-horse-battery-7", "new_password2": "new-horse-battery-7"},
    )

    # then
    alice.refresh_from_db()
    assert message.subject == "智配 RoboMatch：重设密码"
    assert message.to == ["alice@yihe.example.com"]
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert alice.check_password("new-horse-battery-7")


def test_contact_details_are_shown_to_members_and_organisers_only(
    alice: User, bob: User, olga: User
) -> None:
    url = reverse("organizations:organization_detail", args=[alice.organization_id])

    def shows_phone(user: User | None) -> bool:
        return "0532-80000000" in _client(user).get(url).content.decode()

    assert shows_phone(None) is False
    assert shows_phone(bob) is False
    assert shows_phone(alice) is True
    assert shows_phone(olga) is True


def test_switching_the_language_shows_english(alice: User, taxonomy: dict[str, Any]) -> None:
    # given
    client = _client(alice)
    chinese = client.get(reverse("home")).content.decode()

    # when
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True
    )

    # then
    english = response.content.decode()
    assert '<html lang="zh-hans"' in chinese
    assert "发布需求" in chinese
    assert '<html lang="en"' in english
    assert "Post a need" in english
    assert "My needs" in english
    assert "发布需求" not in english
    assert "Civil affairs" in english  # taxonomy names follow the language too


def test_the_browser_language_is_not_needed_to_get_chinese(db: None) -> None:
    page = Client().get(reverse("home")).content.decode()

    assert '<html lang="zh-hans"' in page
    assert "智配 RoboMatch" in page


def test_every_admin_page_opens_for_a_superuser(db: None, taxonomy: dict[str, Any]) -> None:
    # given
    superuser = User.objects.create_superuser("root@example.com", "x")
    client = _client(superuser)

    # when
    statuses = {}
    for model in admin.site._registry:
        meta = model._meta
        for view in ("changelist", "add"):
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}")
            statuses[f"{meta.label}:{view}"] = client.get(url).status_code

    # then
    assert "accounts.User:add" in statuses
    assert "marketplace.Need:changelist" in statuses
    # django-axes' login records are written by axes alone, the audit log by the services alone:
    # their admins offer no "add".
    expected_forbidden = {
        "marketplace.ImportJob:add",
        "marketplace.AuditEntry:add",
        "axes.AccessAttempt:add",
        "axes.AccessLog:add",
        "axes.AccessFailureLog:add",
    }
    assert {key for key, status in statuses.items() if status != 200} == expected_forbidden
