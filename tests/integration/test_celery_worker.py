"""A real Celery worker process runs ``need_expire_task`` sent to it through a broker.

How the worker sees the test's rows: the worker is a separate process, so it can only see a test
database that another process can open. The test hands the worker a ``DATABASE_URL`` built from
the test connection's own settings (the pytest-django test database, e.g. ``test_robomatch`` on
PostgreSQL) and uses ``transaction=True`` so the rows are committed before the task is sent.
pytest-django's SQLite test database lives in memory, which no other process can open, so on
SQLite the worker tests are skipped and they run in the PostgreSQL pass of ``make test``. (Were the
SQLite test database given a file name, ``DATABASES["default"]["TEST"]["NAME"]``, they would run
there too, unchanged.)

Brokers: the embedded default (kombu's SQLAlchemy transport on a SQLite file in a temporary
directory) and Redis at ``REDIS_URL``. The worker starts with ``--purge`` so a message left in the
queue by an earlier, interrupted run is never taken for this test's message.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Organization
from config.celery import app as celery_app
from marketplace.models import Need
from marketplace.tasks import need_expire_task
from tests.integration.workers import running_worker, worker_database_url
from tests.marketplace.factories import NeedFactory

pytestmark = pytest.mark.integration

WAIT_SECONDS = 60
SUCCEEDED_WITH_ONE = re.compile(
    r"Task marketplace\.tasks\.need_expire_task\[[^\]]+\] succeeded in [0-9.]+s: 1\s*$",
    re.MULTILINE,
)


def _wait_until(condition: Callable[[], bool], *, what: str, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {WAIT_SECONDS}s; worker log:\n{log.read_text()[-4000:]}")
        time.sleep(0.2)


@pytest.fixture
def celery_worker(transactional_db: None, broker_url: str, tmp_path: Path) -> Iterator[Path]:
    """Start a real worker on ``broker_url`` against the test database; yield its log file."""
    log = tmp_path / "celery-worker.log"
    with running_worker(
        log,
        settings_module="config.settings.test",
        database_url=worker_database_url(),
        broker_url=broker_url,
        var_dir=tmp_path / "var",
        pool="solo",
        purge=True,
    ):
        yield log


@pytest.mark.django_db(transaction=True)
def test_worker_expires_a_due_need_and_leaves_a_need_not_yet_due(
    celery_worker: Path, broker_url: str, yihe: Organization
) -> None:
    # Given a published need past its expiry date and one that is not yet due
    now = timezone.now()
    due: Need = NeedFactory.create(
        organization=yihe,
        status=Need.Status.PUBLISHED,
        published_at=now - timedelta(days=200),
        expires_at=now - timedelta(days=1),
    )
    not_due: Need = NeedFactory.create(
        organization=yihe,
        status=Need.Status.PUBLISHED,
        published_at=now - timedelta(days=10),
        expires_at=now + timedelta(days=30),
    )

    # When the task is sent to the worker's broker (``delay()`` would use this process's default
    # broker, so the producer is given explicitly)
    with celery_app.connection_for_write(broker_url) as broker:
        need_expire_task.apply_async(producer=broker.Producer())

    # Then the worker expires the due need, reports one, and leaves the other published
    _wait_until(
        lambda: Need.objects.get(pk=due.pk).status == Need.Status.EXPIRED,
        what="the due need was not expired",
        log=celery_worker,
    )
    _wait_until(
        lambda: SUCCEEDED_WITH_ONE.search(celery_worker.read_text()) is not None,
        what="the worker did not log the task's success with a count of 1",
        log=celery_worker,
    )
    assert Need.objects.get(pk=not_due.pk).status == Need.Status.PUBLISHED
    assert "Traceback" not in celery_worker.read_text()


@pytest.mark.django_db
def test_need_expire_task_returns_how_many_needs_it_expired(yihe: Organization) -> None:
    now = timezone.now()
    for days in (1, 2):
        NeedFactory.create(organization=yihe, expires_at=now - timedelta(days=days))
    not_due: Need = NeedFactory.create(organization=yihe, expires_at=now + timedelta(days=1))

    result = need_expire_task.apply()

    assert result.get() == 2
    assert Need.objects.filter(status=Need.Status.EXPIRED).count() == 2
    assert Need.objects.get(pk=not_due.pk).status == Need.Status.PUBLISHED
