"""Notification emails through a real Celery worker: once, only after commit, late if need be.

A real worker process (``celery worker``, the threads pool with two threads, so that two
deliveries can overlap) runs against the pytest-django test database, reached through a broker:
the embedded default (kombu's SQLAlchemy transport on a SQLite file) or Redis at ``REDIS_URL``.
Like ``test_celery_worker.py``, the worker can only open a test database another process can
open, so on SQLite (in memory) the worker tests are skipped; they run in the PostgreSQL pass of
``make test``. Run them alone with the services of ``make test``::

    bash .ci/services.sh start
    SECRET_KEY=insecure-key-for-tests-and-lint-only REDIS_URL=redis://127.0.0.1:63790/0 \\
    DATABASE_URL=postgres://robomatch:robomatch@127.0.0.1:54329/robomatch \\
        .venv/bin/pytest tests/integration/test_notifications_worker.py

The worker mails through ``tests.integration.flaky_email`` (set by
``tests/integration/notifications_worker_settings.py``): messages are written as files in a
directory the test reads, and markers in a subject or an address make a send fail as an SMTP
server would. The sending side (this process) is pointed at the worker's broker for the time of a
test, so ``notify()`` sends exactly as it does in production: by name, from ``on_commit``. Each
worker consumes a queue of its own, so it neither takes nor purges another run's messages on a
shared Redis.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from kombu import Exchange, Queue

from accounts.models import Organization, User
from config.celery import app as celery_app
from marketplace.models import Notification
from marketplace.notifications.services import DELIVER_TASK, notify
from marketplace.tasks import notification_sweep_task
from tests.accounts.factories import UserFactory
from tests.integration.flaky_email import FAIL_ONCE, MARKER_SUFFIX, REFUSED_DOMAIN, SLOW
from tests.integration.workers import (
    app_sends_to,
    emails_in,
    free_port,
    running_worker,
    task_line,
    task_results,
    worker_database_url,
)

pytestmark = pytest.mark.integration

SWEEP_TASK = "marketplace.tasks.notification_sweep_task"
WAIT_SECONDS = 60


@dataclass
class Worker:
    broker_url: str
    queue: str
    log: Path
    mail_dir: Path

    def log_text(self) -> str:
        return self.log.read_text()

    def wait_until(self, condition: Callable[[], bool], *, what: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(self.fail(f"{what} within {WAIT_SECONDS}s"))
            time.sleep(0.2)

    def fail(self, what: str) -> str:
        """An assertion message with the end of the worker's log."""
        return f"{what}; worker log:\n{self.log_text()[-6000:]}"

    @contextmanager
    def sending(self) -> Iterator[None]:
        """Within: ``notify()`` and ``send_task`` in this process publish to this worker."""
        with app_sends_to(self.broker_url, self.queue):
            yield

    def received(self, task: str) -> list[str]:
        """Ids of the deliveries of ``task`` the worker took (a retry is a delivery, same id)."""
        return [match[1] for match in task_line(task, "received").finditer(self.log_text())]

    def results(self, task: str) -> dict[str, str]:
        """Task id -> the value the task returned, for each run of ``task`` that succeeded."""
        return task_results(self.log_text(), task)

    def retried(self, task: str) -> list[str]:
        """What the worker logged for each retry of ``task`` (``Retry in 1s: OSError(...)``)."""
        return [match[2] for match in task_line(task, "retry: ").finditer(self.log_text())]

    def emails(self) -> list[EmailMessage]:
        """Every message the worker has written, in no particular order."""
        return emails_in(self.mail_dir)

    def emails_about(self, title: str) -> list[EmailMessage]:
        return [m for m in self.emails() if _subject(m) == f"[RoboMatch] {title}"]


def _subject(message: EmailMessage) -> str:
    # A long encoded subject is folded from its first line, which leaves a space when read back.
    return str(message["Subject"]).strip()


@pytest.fixture
def worker(transactional_db: None, broker_url: str, tmp_path: Path) -> Iterator[Worker]:
    """Start a real worker on ``broker_url`` against the test database, mailing into a directory."""
    database_url = worker_database_url()
    started = Worker(
        broker_url=broker_url,
        queue=f"test-notifications-{uuid.uuid4().hex[:12]}",
        log=tmp_path / "celery-worker.log",
        mail_dir=tmp_path / "mail",
    )
    started.mail_dir.mkdir()
    try:
        with running_worker(
            started.log,
            settings_module="tests.integration.notifications_worker_settings",
            database_url=database_url,
            broker_url=broker_url,
            var_dir=tmp_path / "var",
            pool="threads",
            concurrency=2,
            queue=started.queue,
            environment={"EMAIL_FILE_PATH": str(started.mail_dir)},
        ):
            yield started
    finally:
        # A retry still waiting for its time goes back to the queue on shutdown; drop the queue
        # and its binding so nothing of this test stays on a shared Redis. (The channel deletes
        # only bindings it knows of, hence the declaration first.)
        try:
            with celery_app.connection_for_write(broker_url) as broker:
                exchange = Exchange(started.queue, type="direct")
                queue = Queue(started.queue, exchange, routing_key=started.queue)
                bound = queue.bind(broker.default_channel)
                bound.declare()
                bound.delete()
        except Exception as error:  # cleanup only: the queue name is never used again
            logging.getLogger(__name__).warning("could not delete %s: %s", started.queue, error)


def _emailed_at(notification: Notification) -> object:
    return Notification.objects.values_list("emailed_at", flat=True).get(pk=notification.pk)


class RolledBack(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_failed_first_send_is_retried_and_a_redelivery_sends_nothing_more(
    worker: Worker, alice: User
) -> None:
    title = f"新线索：送药机器人 {FAIL_ONCE}"

    # Given a notification whose first email attempt fails as an SMTP outage would
    with worker.sending():
        [notification] = notify(
            [alice], kind=Notification.Kind.NEW_LEAD, key="lead:1:new", title=title, url="/l/1/"
        )

    # Then the task is retried and the second attempt emails it, once
    worker.wait_until(lambda: _emailed_at(notification) is not None, what="it was not emailed")
    worker.wait_until(lambda: "1" in worker.results(DELIVER_TASK).values(), what="no success")
    [task_id] = worker.results(DELIVER_TASK)
    assert worker.received(DELIVER_TASK) == [task_id, task_id], worker.fail("one retry expected")
    [retry] = worker.retried(DELIVER_TASK)
    assert "OSError" in retry and "simulated SMTP outage" in retry, worker.fail("retry reason")
    assert len(list(worker.mail_dir.glob(f"*{MARKER_SUFFIX}"))) == 1  # the failure happened
    [sent] = worker.emails_about(title)
    assert sent["To"] == alice.email
    assert "http://127.0.0.1:8000/l/1/" in sent.get_content()
    emailed_at = _emailed_at(notification)

    # When the same delivery reaches the worker again (a redelivered or duplicated message)
    with worker.sending():
        again = celery_app.send_task(DELIVER_TASK, args=[[notification.pk]])
    worker.wait_until(
        lambda: again.id in worker.results(DELIVER_TASK), what="the second delivery did not end"
    )

    # Then it sends nothing: still one email, sent at the first time
    assert worker.results(DELIVER_TASK)[again.id] == "0", worker.fail("the redelivery sent")
    assert len(worker.emails_about(title)) == 1
    assert len(worker.emails()) == 1
    assert _emailed_at(notification) == emailed_at


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_deliveries_of_one_notification_email_it_once(
    worker: Worker, alice: User
) -> None:
    # Given a notification not yet emailed, whose email takes a few seconds to send
    title = f"洽谈邀请 {SLOW}"
    notification = Notification.objects.create(
        user=alice, kind=Notification.Kind.INVITATION, key="lead:2:invite", title=title
    )

    # When two deliveries of it reach the worker's two threads at once
    with worker.sending():
        first = celery_app.send_task(DELIVER_TASK, args=[[notification.pk]])
        second = celery_app.send_task(DELIVER_TASK, args=[[notification.pk]])
    worker.wait_until(
        lambda: {first.id, second.id} <= worker.results(DELIVER_TASK).keys(),
        what="the two deliveries did not both end",
    )

    # Then one of them emails it and the other, waiting on the row lock, finds it emailed
    results = worker.results(DELIVER_TASK)
    assert sorted(results.values()) == ["0", "1"], worker.fail("one delivery should send")
    [sender] = [task_id for task_id, value in results.items() if value == "1"]
    [waiter] = [task_id for task_id, value in results.items() if value == "0"]
    log = worker.log_text()
    waiter_received = log.index(f"{DELIVER_TASK}[{waiter}] received")
    sender_succeeded = log.index(f"{DELIVER_TASK}[{sender}] succeeded")
    assert waiter_received < sender_succeeded, worker.fail(
        "the deliveries did not overlap, so the test proves nothing about the lock"
    )
    assert len(worker.emails_about(title)) == 1
    assert _emailed_at(notification) is not None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing_to_the_worker(worker: Worker, alice: User) -> None:
    with worker.sending():
        # When a notification is written in a transaction that is then rolled back
        with pytest.raises(RolledBack), transaction.atomic():
            notify([alice], kind=Notification.Kind.RESPONSE, key="lead:3:response", title="被撤销")
            assert Notification.objects.filter(key="lead:3:response").exists()
            raise RolledBack
        # and another in a transaction that commits (the control: this one must arrive)
        with transaction.atomic():
            [committed] = notify(
                [alice], kind=Notification.Kind.DECISION, key="lead:3:decision", title="已提交"
            )

    # Then only the committed one reaches the worker and is emailed. Had the first been sent
    # before its commit, its message would have been on the queue ahead of the control's, and
    # the worker takes them in order: it would be logged as received by now.
    worker.wait_until(lambda: _emailed_at(committed) is not None, what="the control not emailed")
    worker.wait_until(lambda: worker.results(DELIVER_TASK) != {}, what="no delivery ended")
    assert not Notification.objects.filter(key="lead:3:response").exists()
    assert list(worker.results(DELIVER_TASK).values()) == ["1"], worker.fail("one delivery")
    assert len(worker.received(DELIVER_TASK)) == 1, worker.fail("a rolled-back notification left")
    assert [_subject(m) for m in worker.emails()] == ["[RoboMatch] 已提交"]


@pytest.mark.django_db(transaction=True)
def test_notifications_written_while_the_broker_is_down_are_emailed_by_the_sweep(
    worker: Worker, alice: User, bob: User, caplog: pytest.LogCaptureFixture
) -> None:
    # Given two notifications written while the broker cannot be reached: the send fails, the
    # write does not
    unreachable = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens: a send fails at once
    with (
        app_sends_to(unreachable, worker.queue),
        caplog.at_level(logging.WARNING, logger="marketplace.notifications.services"),
    ):
        [late] = notify([alice], kind=Notification.Kind.NEW_LEAD, key="n:old", title="早先的")
        [recent] = notify([bob], kind=Notification.Kind.REMINDER, key="n:new", title="刚才的")
    assert caplog.text.count("the sweep will send them") == 2
    # one of them a while ago (past the sweep's grace period), the other just now
    Notification.objects.filter(pk=late.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )

    # When the sweep runs on the worker
    with worker.sending():
        sweep = celery_app.send_task(SWEEP_TASK)
    worker.wait_until(lambda: sweep.id in worker.results(SWEEP_TASK), what="the sweep did not end")

    # Then it emails the old one, and leaves the recent one to the delivery that may still come
    assert worker.results(SWEEP_TASK)[sweep.id] == "1", worker.fail("the sweep should send one")
    assert _emailed_at(late) is not None
    assert _emailed_at(recent) is None
    [sent] = worker.emails()
    assert (_subject(sent), sent["To"]) == ("[RoboMatch] 早先的", alice.email)
    # and nothing had reached the worker through the unreachable broker
    assert worker.received(DELIVER_TASK) == [], worker.fail("a delivery got through")


@pytest.mark.django_db(transaction=True)
def test_a_refused_address_does_not_hold_back_the_others_in_a_delivery(
    worker: Worker, yihe: Organization, alice: User
) -> None:
    # Given a colleague of alice's whose address the mail server refuses, listed first
    rita = UserFactory.create(email=f"rita{REFUSED_DOMAIN}", organization=yihe)

    # When both are notified in one delivery
    with worker.sending():
        to_rita, to_alice = notify(
            [rita, alice], kind=Notification.Kind.NEW_LEAD, key="lead:5:new", title="新线索"
        )

    # Then alice is emailed at once, while the task is retried for rita
    worker.wait_until(lambda: _emailed_at(to_alice) is not None, what="alice was not emailed")
    worker.wait_until(lambda: worker.retried(DELIVER_TASK) != [], what="the task was not retried")
    assert "SMTPRecipientsRefused" in worker.retried(DELIVER_TASK)[0]
    assert _emailed_at(to_rita) is None
    assert [m["To"] for m in worker.emails()] == [alice.email]


@pytest.mark.django_db
def test_the_sweep_goes_past_a_notification_it_cannot_send(
    yihe: Organization, alice: User, tmp_path: Path
) -> None:
    """No worker: the sweep task run here, with the same failing mail backend."""
    rita = UserFactory.create(email=f"rita{REFUSED_DOMAIN}", organization=yihe)
    refused = Notification.objects.create(user=rita, kind="new_lead", key="a", title="退信")
    fine = Notification.objects.create(user=alice, kind="new_lead", key="b", title="正常")
    # the refused one is the oldest, so the sweep meets it first
    for minutes, notification in ((20, refused), (10, fine)):
        Notification.objects.filter(pk=notification.pk).update(
            created_at=timezone.now() - timedelta(minutes=minutes)
        )

    with override_settings(
        EMAIL_BACKEND="tests.integration.flaky_email.EmailBackend", EMAIL_FILE_PATH=str(tmp_path)
    ):
        result = notification_sweep_task.apply()

    assert result.get() == 1
    assert _emailed_at(fine) is not None
    assert _emailed_at(refused) is None  # the next sweep tries it again
    assert len(list(tmp_path.glob("*.log"))) == 1
