"""A notification is stored as a message id with parameters: the inbox shows it in the reader's
language, and its e-mail is written in the platform's language (users have no preference)."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.utils import translation

from accounts.models import User
from marketplace.models import Notification
from marketplace.notifications.services import notify
from matching.ranking.phrases import Phrase


def test_the_inbox_reads_a_notification_in_each_language_and_the_email_is_in_chinese(
    alice: User, eager_tasks: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given: the acting user's request is in English
    title = Phrase.of(
        "%(vendor)s %(verb)s：%(need)s",
        vendor="康途机器人",
        verb=Phrase("表示有意向"),
        need="送餐机器人",
    )

    # when
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify([alice], kind="response", key="lead:1:response", title=title, body="我们可以试点")

    # then
    notification = Notification.objects.get(user=alice)
    with translation.override("en"):
        assert notification.title_text == "康途机器人 is interested: 送餐机器人"
        assert notification.body_text == "我们可以试点"  # the vendor's own words
    with translation.override("zh-hans"):
        assert notification.title_text == "康途机器人 表示有意向：送餐机器人"
    assert notification.title == "康途机器人 表示有意向：送餐机器人"
    [email] = mail.outbox
    assert email.subject == "[RoboMatch] 康途机器人 表示有意向：送餐机器人"


def test_a_notification_made_before_messages_were_stored_shows_its_text(alice: User) -> None:
    notification = Notification.objects.create(
        user=alice, kind="response", key="old", title="旧通知", body="正文"
    )

    with translation.override("en"):
        assert (notification.title_text, notification.body_text) == ("旧通知", "正文")
