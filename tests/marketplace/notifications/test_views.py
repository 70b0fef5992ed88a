"""The notification inbox: one's own notifications, newest first; opening one marks it read and
follows its link only within the site; the unread count in the nav."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from marketplace.models import Notification
from marketplace.notifications.context_processors import notifications as notifications_context

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:notification_list")
READ_ALL = reverse("notifications:notification_read_all")


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _notification(user: User, key: str, **fields: Any) -> Notification:
    fields.setdefault("title", f"通知 {key}")
    fields.setdefault("kind", Notification.Kind.NEW_LEAD)
    return Notification.objects.create(user=user, key=key, **fields)


def _open(notification: Notification) -> str:
    return reverse("notifications:notification_open", args=[notification.pk])


def _unread(user: User) -> set[str]:
    return set(
        Notification.objects.filter(user=user, read_at__isnull=True).values_list("key", flat=True)
    )


def test_anonymous_visitors_are_sent_to_log_in() -> None:
    for response in (_client(None).get(LIST), _client(None).post(READ_ALL)):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_the_list_shows_ones_own_newest_first_with_unread_marked(bob: User, alice: User) -> None:
    older = _notification(bob, "older", title="旧的通知", read_at=timezone.now())
    newer = _notification(bob, "newer", title="新线索：夜间巡视机器人")
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=1))
    _notification(alice, "hers", title="别人的通知")

    page = _client(bob).get(LIST)

    assert page.status_code == 200
    assert [n.pk for n in page.context["page"]] == [newer.pk, older.pk]
    body = page.content.decode()
    assert "别人的通知" not in body
    assert body.count('class="notification unread"') == 1
    assert _open(newer) in body and _open(older) in body


def test_the_list_paginates(bob: User, settings: Any) -> None:
    settings.MARKETPLACE_PAGE_SIZE = 2
    for index in range(3):
        _notification(bob, f"n{index}")

    assert len(_client(bob).get(LIST).context["page"]) == 2
    assert len(_client(bob).get(LIST, {"page": 2}).context["page"]) == 1


def test_opening_a_notification_marks_it_read_and_follows_its_link(bob: User) -> None:
    notification = _notification(bob, "lead", url="/leads/7/")
    _notification(bob, "other")

    response = _client(bob).post(_open(notification))

    assert response.status_code == 302
    assert response["Location"] == "/leads/7/"
    assert _unread(bob) == {"other"}


@pytest.mark.parametrize(
    "url",
    ["https://evil.example.com/leads/7/", "//evil.example.com/x", "javascript:alert(1)", ""],
)
def test_a_link_off_the_site_is_not_followed(bob: User, url: str) -> None:
    notification = _notification(bob, "odd", url=url)

    response = _client(bob).post(_open(notification))

    assert response["Location"] == LIST
    assert _unread(bob) == set()


def test_one_cannot_open_anothers_notification(alice: User, bob: User) -> None:
    hers = _notification(alice, "hers", url="/leads/1/")

    assert _client(bob).post(_open(hers)).status_code == 404
    assert _unread(alice) == {"hers"}


def test_opening_is_a_post(bob: User) -> None:
    notification = _notification(bob, "lead", url="/leads/7/")

    assert _client(bob).get(_open(notification)).status_code == 405
    assert _unread(bob) == {"lead"}


def test_marking_all_read_touches_only_ones_own(alice: User, bob: User) -> None:
    _notification(bob, "a")
    _notification(bob, "b")
    _notification(alice, "hers")

    response = _client(bob).post(READ_ALL, follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert _unread(bob) == set()
    assert _unread(alice) == {"hers"}
    assert [str(m) for m in response.context["messages"]] == ["已将 2 条通知标为已读。"]


def test_the_nav_shows_the_unread_count(bob: User) -> None:
    _notification(bob, "a")
    _notification(bob, "b")
    _notification(bob, "seen", read_at=timezone.now())
    client = _client(bob)

    assert '<span class="nav-count">2<' in client.get(reverse("home")).content.decode()
    client.post(READ_ALL)
    assert "nav-count" not in client.get(reverse("home")).content.decode()


def test_the_unread_count_is_one_query_and_none_for_visitors(
    bob: User, django_assert_num_queries: Any
) -> None:
    _notification(bob, "a")
    request = RequestFactory().get("/")
    request.user = bob

    context = notifications_context(request)
    with django_assert_num_queries(1):
        assert context["unread_notification_count"] == 1
        assert str(context["unread_notification_count"]) == "1"

    request.user = AnonymousUser()
    assert notifications_context(request) == {}
