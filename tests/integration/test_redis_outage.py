"""Redis stops while people use the site, then starts again: nothing is lost, no page fails.

Redis is both the Celery broker and the cache here, as in production with ``REDIS_URL`` set. The
test starts a ``redis-server`` of its own on a free port and stops it (SIGTERM) in the middle of
the test, so the shared Redis of ``make test`` (127.0.0.1:63790) is never stopped; the same port
is used when it starts again, empty (no persistence), as a restarted Redis comes back.

This process is the web side: Django's test client, with the cache and the Celery producer on the
test's Redis and tasks sent, not run eagerly. While Redis is down every request must answer 2xx
or 3xx, and what was submitted is saved: each need marked ``embedding_dirty``, the vendor's
response written as a notification row. The messages that would have made the work happen at once
cannot be sent (that is logged); the rows are the durable record, and beat's sweeps do the work
once Redis is back:

- ``test_the_cache_misses_while_redis_is_down_and_works_again_once_it_is_back``: the cache
  backend (``config/cache.py``) on its own;
- ``test_pages_answer_and_writes_are_kept_while_redis_is_down`` (SQLite and PostgreSQL): the web
  form, the login page, the API (its rate-limit counters are in the cache) and an import's
  progress (also in the cache) while Redis is down;
- ``test_work_from_the_outage_is_done_by_the_worker_once_redis_is_back`` (PostgreSQL only): a
  real Celery worker on the test's Redis. After Redis returns, the two sweeps are sent to it, as
  beat would send them (beat itself would take up to five minutes), and it embeds every need
  submitted during the outage and emails the notification, once. A worker process can only open
  a test database another process can open: pytest-django's SQLite test database is in memory,
  so on SQLite this test is skipped and it runs in the PostgreSQL pass of ``make test``.

The worker encodes with ``tests.integration.hash_encoder``, not the real model: the point is that
the work is done after the outage, not the vectors, and loading the model would add half a minute
on two cores. It mails through ``tests.integration.flaky_email`` (no failure markers are used: it
is Django's file backend) into a directory the test reads. Run alone::

    bash .ci/services.sh start
    SECRET_KEY=insecure-key-for-tests-and-lint-only \\
    DATABASE_URL=postgres://robomatch:robomatch@127.0.0.1:54329/robomatch \\
        .venv/bin/pytest tests/integration/test_redis_outage.py
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Organization, User
from config.cache import TolerantRedisCache, redis_cache
from config.celery import app as celery_app
from marketplace.models import Capability, ImportJob, Lead, Need, Notification
from matching.models import Embedding
from tests.conftest import PASSWORD
from tests.integration.hash_encoder import DIMENSION, NAME
from tests.integration.workers import (
    app_sends_to,
    emails_in,
    free_port,
    running_worker,
    task_results,
    worker_database_url,
)
from tests.marketplace.factories import CapabilityFactory, LeadFactory, NeedFactory
from tests.marketplace.form_data import need_form_data

pytestmark = pytest.mark.integration

WAIT_SECONDS = 60
POLL_SECONDS = 0.2
EMBEDDINGS_TASK = "marketplace.matches.tasks.embeddings_refresh_task"
SWEEP_TASK = "marketplace.tasks.notification_sweep_task"
NEEDS_DURING_THE_OUTAGE = 3
NOT_ENQUEUED = "Could not enqueue"  # marketplace/services/{indexing,notifications}.py


def _wait_until(
    condition: Callable[[], bool],
    *,
    what: str,
    deadline: float,
    log: Callable[[], str] = lambda: "",
) -> None:
    """Poll ``condition`` until ``deadline``, else fail with ``what`` and ``log()`` as it is."""
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} in time{log()}")
        time.sleep(POLL_SECONDS)


@dataclass
class RedisServer:
    """A ``redis-server`` of the test's own, on loopback, kept in memory only."""

    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)

    def answers(self) -> bool:
        client = self.client()
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False
        finally:
            client.close()

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        log = self.directory / "redis.log"
        command = [
            "redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
            "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--dir", str(self.directory),
        ]  # fmt: skip
        with log.open("a") as output:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT
            )
        process = self.process
        _wait_until(
            lambda: process.poll() is None and self.answers(),
            what="redis-server did not answer",
            deadline=time.monotonic() + WAIT_SECONDS,
            log=lambda: f"; its log:\n{log.read_text()[-2000:]}",
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        assert not self.answers()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed; `.ci/services.sh start` installs it")
    server = RedisServer(port=free_port(), directory=tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def site(redis_server: RedisServer, settings: Any) -> Iterator[RedisServer]:
    """This process as the web server of production with ``REDIS_URL`` set: the cache and the
    Celery producer on the test's Redis (the test settings keep both in memory)."""
    settings.CACHES = {
        "default": redis_cache(redis_server.url),
        "fragments": redis_cache(redis_server.url),
    }
    with app_sends_to(redis_server.url):
        yield redis_server


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path
    mail_dir: Path
    sent: list[str] = field(default_factory=list)

    def log_text(self) -> str:
        return self.log.read_text()

    def tail(self) -> str:
        return f"; worker log:\n{self.log_text()[-6000:]}"

    def results(self, task: str) -> dict[str, str]:
        """Task id -> the value the task returned, for each run of ``task`` that succeeded."""
        return task_results(self.log_text(), task)

    def emails(self) -> list[EmailMessage]:
        return emails_in(self.mail_dir)


@pytest.fixture
def worker(transactional_db: None, site: RedisServer, tmp_path: Path) -> Iterator[Worker]:
    """A real worker (no beat) on the test's Redis, against the test database."""
    database_url = worker_database_url()
    log = tmp_path / "celery-worker.log"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    with running_worker(
        log,
        settings_module="tests.integration.notifications_worker_settings",
        database_url=database_url,
        broker_url=site.url,
        var_dir=tmp_path / "var",
        pool="solo",
        name="redis-outage",
        environment={
            "EMAIL_FILE_PATH": str(mail_dir),
            "MATCHING_ENCODER": "tests.integration.hash_encoder.HashEncoder",
            "REDIS_URL": site.url,
        },
    ) as process:
        yield Worker(process=process, log=log, mail_dir=mail_dir)


# --- The world ----------------------------------------------------------------------------------


@pytest.fixture
def lead(taxonomy: dict[str, Any], yihe: Organization, kangtu: Organization) -> Lead:
    """A lead of alice's institution's published need for bob's vendor, not yet answered."""
    now = timezone.now()
    need = NeedFactory.create(
        organization=yihe,
        title="夜间巡视机器人",
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
        published_at=now,
        expires_at=now + timedelta(days=30),
    )
    capability: Capability = CapabilityFactory.create(
        organization=kangtu, title="护理机器人 X1", robot_type=taxonomy["care_robot"]
    )
    return LeadFactory.create(need=need, capability=capability, score=0.82)


def _client(user: User) -> Client:
    """A browser signed in as ``user``; a server error is answered as a page, not raised."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _statuses(response: Any) -> list[int]:
    """The status of each response of a followed request: the redirects, then the page."""
    return [status for _url, status in getattr(response, "redirect_chain", [])] + [
        response.status_code
    ]


@dataclass
class Outage:
    """What was done through the site while Redis was down, and how the site answered."""

    titles: list[str] = field(default_factory=list)
    statuses: dict[str, list[int]] = field(default_factory=dict)

    def answer(self, what: str, response: Any) -> None:
        self.statuses[what] = _statuses(response)

    def server_errors(self) -> dict[str, list[int]]:
        return {what: codes for what, codes in self.statuses.items() if max(codes) >= 500}


def _use_the_site(
    outage: Outage, taxonomy: dict[str, Any], lead: Lead, alice: User, bob: User
) -> None:
    """Alice submits needs through the web form; bob answers the lead (alice is notified)."""
    for number in range(1, NEEDS_DURING_THE_OUTAGE + 1):
        title = f"颐和苑送餐机器人 第{number}批"
        response = _client(alice).post(
            reverse("needs:need_create"), need_form_data(taxonomy, title=title), follow=True
        )
        outage.titles.append(title)
        outage.answer(f"need form {number}", response)
    response = _client(bob).post(
        reverse("leads:lead_respond", args=[lead.pk]),
        {"message": "可提供两台试点设备。"},
        follow=True,
    )
    outage.answer("lead response", response)


def _response_notification(alice: User) -> Notification:
    return Notification.objects.get(user=alice, kind=Notification.Kind.RESPONSE)


# --- The tests ----------------------------------------------------------------------------------


def test_the_cache_misses_while_redis_is_down_and_works_again_once_it_is_back(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    entry = redis_cache(redis_server.url)  # what CACHES holds with REDIS_URL set
    tolerant = TolerantRedisCache(entry["LOCATION"], entry)
    tolerant.set("kept", 1)
    redis_server.stop()

    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert tolerant.get("kept", "default") == "default"
        assert tolerant.get_many(["kept"]) == {}
        assert tolerant.add("new", 1) is False
        tolerant.set("new", 1)  # skipped, not raised
        assert tolerant.delete("kept") is False
        with pytest.raises(redis.ConnectionError):
            tolerant.incr("kept")  # no number to make up
    skipped = [record.getMessage() for record in caplog.records if record.name == "config.cache"]
    assert len(skipped) == 5, skipped

    redis_server.start()  # empty, as a restarted Redis comes back
    assert tolerant.get("kept") is None
    tolerant.set("new", 2)
    assert tolerant.get("new") == 2


@pytest.mark.django_db(transaction=True)
def test_pages_answer_and_writes_are_kept_while_redis_is_down(
    site: RedisServer,
    taxonomy: dict[str, Any],
    lead: Lead,
    alice: User,
    bob: User,
    olga: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given the site working with Redis: an API write counted in the cache (the rate limit), and
    # an import whose progress the worker keeps in the cache
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice).key}")
    api_need = {
        "domain": "civil_affairs",
        "categories": ["material_delivery"],
        "region": "青岛市",
        "description": "三餐从一楼厨房送到各楼层房间。",
    }
    before = api.post("/api/v1/needs/", {**api_need, "title": "送餐机器人 甲"}, format="json")
    assert before.status_code == 201
    with site.client() as client:
        assert client.keys("*throttle*"), "the rate-limit counter should be in the test's Redis"
    job = ImportJob.objects.create(
        file="imports/catalogue.xlsx",
        original_name="catalogue.xlsx",
        status=ImportJob.Status.RUNNING,
        total_rows=10,
        processed_rows=2,
        created_by=olga,
    )
    progress_url = reverse("imports:import_status_json", args=[job.pk])
    cache.set(f"import-progress:{job.pk}", (5, 10), 60)
    assert _client(olga).get(progress_url).json()["processed_rows"] == 5  # live, from Redis

    # When Redis stops
    site.stop()
    outage = Outage()
    with caplog.at_level(logging.WARNING):
        # and alice signs in through the login page
        browser = Client(raise_request_exception=False)
        login = browser.post(
            reverse("accounts:login"), {"username": alice.email, "password": PASSWORD}, follow=True
        )
        outage.answer("login", login)
        signed_in = browser.session.get("_auth_user_id") == str(alice.pk)
        # submits needs through the web form and bob answers the lead
        _use_the_site(outage, taxonomy, lead, alice, bob)
        # alice submits one through the API
        written = api.post("/api/v1/needs/", {**api_need, "title": "送餐机器人 乙"}, format="json")
        outage.answer("API need", written)
        # and olga, the organiser, follows the import
        outage.answer("import page", _client(olga).get(job.get_absolute_url()))
        progress = _client(olga).get(progress_url)
        outage.answer("import progress", progress)

    # Then every request is answered without a server error
    assert outage.server_errors() == {}, outage.statuses
    assert outage.statuses["API need"] == [201]
    assert signed_in
    # and everything submitted is saved, marked for the embedding sweep
    titles = [*outage.titles, "送餐机器人 乙"]
    saved = Need.objects.filter(title__in=titles)
    assert sorted(saved.values_list("title", flat=True)) == sorted(titles)
    assert all(saved.values_list("embedding_dirty", flat=True))
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.INTERESTED
    notification = _response_notification(alice)
    assert notification.emailed_at is None  # for the notifications sweep
    # and the import's progress falls back to what its row says
    assert progress.json()["processed_rows"] == 2
    # because Redis really was down: the messages were not sent, the cache was not reached
    warnings = [record.getMessage() for record in caplog.records]
    not_sent = [message for message in warnings if message.startswith(NOT_ENQUEUED)]
    assert len(not_sent) == len(titles) + 1, warnings  # a refresh per need, one delivery
    assert any("Redis is unreachable" in message for message in warnings), warnings


@pytest.mark.django_db(transaction=True)
def test_work_from_the_outage_is_done_by_the_worker_once_redis_is_back(
    worker: Worker,
    site: RedisServer,
    taxonomy: dict[str, Any],
    lead: Lead,
    alice: User,
    bob: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given a worker on Redis, and Redis stopping
    site.stop()

    # When alice submits needs through the web form and bob answers her lead meanwhile
    outage = Outage()
    with caplog.at_level(logging.WARNING):
        _use_the_site(outage, taxonomy, lead, alice, bob)

    # Then no page is a server error, and what they submitted is saved
    assert outage.server_errors() == {}, outage.statuses
    needs = Need.objects.filter(title__in=outage.titles)
    need_ids = sorted(needs.values_list("pk", flat=True))
    assert len(need_ids) == NEEDS_DURING_THE_OUTAGE
    assert all(needs.values_list("embedding_dirty", flat=True))
    notification = _response_notification(alice)
    not_sent = [r.getMessage() for r in caplog.records if r.getMessage().startswith(NOT_ENQUEUED)]
    assert len(not_sent) == NEEDS_DURING_THE_OUTAGE + 1, not_sent

    # When Redis starts again (empty), and the sweeps run on the worker, as beat sends them. The
    # notifications sweep leaves rows younger than its grace period (five minutes) to the
    # delivery sent on commit, so the notification is dated back rather than waited for.
    site.start()
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    deadline = time.monotonic() + WAIT_SECONDS
    refresh = celery_app.send_task(EMBEDDINGS_TASK)
    sweep = celery_app.send_task(SWEEP_TASK)

    # Then every need submitted during the outage gets one vector of the current encoder
    def embedded() -> list[int]:
        rows = Embedding.objects.of_kind(Embedding.Kind.NEED).current(NAME, DIMENSION)
        return sorted(rows.filter(object_id__in=need_ids).values_list("object_id", flat=True))

    _wait_until(
        lambda: refresh.id in worker.results(EMBEDDINGS_TASK),
        what="the embeddings refresh did not end",
        deadline=deadline,
        log=worker.tail,
    )
    assert embedded() == need_ids, worker.tail()
    assert not Need.objects.filter(pk__in=need_ids, embedding_dirty=True).exists()

    # and the notification is emailed to alice
    _wait_until(
        lambda: sweep.id in worker.results(SWEEP_TASK),
        what="the notifications sweep did not end",
        deadline=deadline,
        log=worker.tail,
    )
    assert worker.results(SWEEP_TASK)[sweep.id] == "1", worker.tail()
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    subject = f"[RoboMatch] {notification.title}"

    def to_alice() -> list[EmailMessage]:
        return [
            message
            for message in worker.emails()
            if message["To"] == alice.email and str(message["Subject"]).strip() == subject
        ]

    assert len(to_alice()) == 1

    # and once only: a later sweep finds nothing left to send
    again = celery_app.send_task(SWEEP_TASK)
    _wait_until(
        lambda: again.id in worker.results(SWEEP_TASK),
        what="the second sweep did not end",
        deadline=time.monotonic() + WAIT_SECONDS,
        log=worker.tail,
    )
    assert worker.results(SWEEP_TASK)[again.id] == "0", worker.tail()
    assert len(to_alice()) == 1
    assert "Traceback" not in worker.log_text(), worker.tail()
