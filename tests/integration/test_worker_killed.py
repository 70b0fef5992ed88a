"""A worker killed with SIGKILL in the middle of a re-index: a new worker finishes it, exactly once.

``embeddings_refresh_task`` (the task behind ``matching_reindex`` on a worker, and beat's sweep) is
``acks_late``: the broker keeps its message until the task returns. Killed with SIGKILL, the worker
never acknowledges it, and Redis puts it back on the queue once the visibility timeout has passed;
the next worker runs it again. The task re-embeds only what is still dirty or missing, in batches
that each commit, and ``Embedding`` has one row per object (``embedding_one_per_object``), so the
second run finishes the work without doing the first part twice.

The workers are real ``celery worker`` processes (the prefork pool, as in production) on Redis at
``REDIS_URL``, against the pytest-django test database; like ``test_celery_worker.py`` the test is
skipped on SQLite (in memory, which no other process can open) and runs in the PostgreSQL pass of
``make test``. Run it alone with the services of ``make test``::

    bash .ci/services.sh start
    SECRET_KEY=insecure-key-for-tests-and-lint-only REDIS_URL=redis://127.0.0.1:63790/0 \\
    DATABASE_URL=postgres://robomatch:robomatch@127.0.0.1:54329/robomatch \\
        .venv/bin/pytest tests/integration/test_worker_killed.py

The workers encode with ``tests.integration.hash_encoder`` rather than the real model: the point
is the delivery guarantee, not the vectors; 2,000 profiles take the real model half a minute on
two cores, and the fake lets the test stop the first worker at a known point (after five batches
of 64) rather than guess at one. Each worker consumes a queue of its own and keeps its record of
unacknowledged messages under keys of its own (``worker_killed_settings.py``), so nothing here
restores, takes or purges another run's messages on a shared Redis. The SQLAlchemy broker is not
tested here: it loses the message of a killed worker, and beat's ``embeddings-refresh`` sweep
(every minute) is what re-embeds the rows left dirty.
"""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db.models import Count

from accounts.models import Organization
from config.celery import app as celery_app
from marketplace.matches.tasks import embeddings_refresh_task
from marketplace.models import Capability, RobotType
from matching.models import Embedding
from tests.integration.hash_encoder import DIMENSION, NAME, STALL_AFTER_CALLS
from tests.integration.workers import start_worker, stop_worker, task_line, worker_database_url

pytestmark = pytest.mark.integration

TASK = "marketplace.matches.tasks.embeddings_refresh_task"
PROFILES = 2_000
BATCH_SIZE = 64  # embeddings_refresh's default, which the task uses
BATCHES_BEFORE_THE_KILL = 5
WAIT_SECONDS = 90
# How long the new worker waits before it takes the killed worker's message for lost. Well above
# the new worker's own run of the task (about 8 s here), or it would also take back the message it
# is still working on and run the task a second time (harmless, but not what this test is about).
VISIBILITY_TIMEOUT_SECONDS = 30


@dataclass
class Workers:
    """Starts workers on one Redis queue of their own; stops (or has killed) them all at the end."""

    broker_url: str
    database_url: str
    directory: Path
    queue: str = field(default_factory=lambda: f"test-worker-killed-{uuid.uuid4().hex[:12]}")
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def key_prefix(self) -> str:
        return f"{self.queue}:"

    def start(self, name: str, *, visibility_timeout: int, **variables: str) -> Worker:
        log = self.directory / f"{name}.log"
        process = start_worker(
            log,
            settings_module="tests.integration.worker_killed_settings",
            database_url=self.database_url,
            broker_url=self.broker_url,
            var_dir=self.directory / "var",
            pool="prefork",
            name=name,
            queue=self.queue,
            environment={
                "WORKER_KILLED_KEY_PREFIX": self.key_prefix,
                "WORKER_KILLED_VISIBILITY_TIMEOUT": str(visibility_timeout),
                **variables,
            },
            own_process_group=True,  # the pool child dies with it (see Worker.kill)
            ready_seconds=WAIT_SECONDS,
        )
        self.processes.append(process)
        return Worker(process=process, log=log)

    def stop_all(self) -> None:
        for process in self.processes:
            stop_worker(process)
        # Leave nothing of this test on a shared Redis.
        client = redis.Redis.from_url(self.broker_url)
        try:
            client.delete(
                self.queue,
                f"_kombu.binding.{self.queue}",
                f"_kombu.binding_permanent.{self.queue}",
                *(
                    f"{self.key_prefix}{key}"
                    for key in ("unacked", "unacked_index", "unacked_mutex")
                ),
            )
        finally:
            client.close()


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text()

    def wait_until(self, condition: Callable[[], bool], *, what: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(self.fail(f"{what} within {WAIT_SECONDS}s"))
            time.sleep(0.1)

    def fail(self, what: str) -> str:
        """An assertion message with the end of the worker's log."""
        return f"{what}; log of {self.log.name}:\n{self.log_text()[-6000:]}"

    def kill(self) -> None:
        """SIGKILL the worker and its pool child at once: no warm or cold shutdown, no ack."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def received(self) -> list[str]:
        return [match[1] for match in task_line(TASK, "received").finditer(self.log_text())]

    def results(self) -> dict[str, dict[str, Any]]:
        """Task id -> the report the task returned, for each run that succeeded."""
        return {
            match[1]: ast.literal_eval(match[2].split(": ", 1)[1].strip())
            for match in task_line(TASK, "succeeded in").finditer(self.log_text())
        }


@pytest.fixture
def workers(transactional_db: None, redis_url: str, tmp_path: Path) -> Iterator[Workers]:
    database_url = worker_database_url()
    started = Workers(broker_url=redis_url, database_url=database_url, directory=tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


def _published_profiles(vendor: Organization, count: int) -> list[int]:
    """``count`` published profiles with short, varied texts, not yet embedded (dirty)."""
    robot_types = [
        RobotType.objects.create(code="care_robot", name_zh="护理机器人", name_en="Care robot"),
        RobotType.objects.create(code="exoskeleton", name_zh="外骨骼", name_en="Exoskeleton"),
        RobotType.objects.create(code="delivery", name_zh="配送机器人", name_en="Delivery robot"),
    ]
    uses = ["送餐", "送药", "陪护", "康复训练", "巡检", "消毒"]
    Capability.objects.bulk_create(
        [
            Capability(
                organization=vendor,
                title=f"{uses[number % len(uses)]}机器人 {number}型",
                description=f"第{number}号产品：{uses[(number * 7) % len(uses)]}，可连续工作"
                f"{8 + number % 17}小时。",
                robot_type=robot_types[number % len(robot_types)],
                maturity=Capability.Maturity.MASS_PRODUCTION,
                status=Capability.Status.PUBLISHED,
            )
            for number in range(count)
        ],
        batch_size=500,
    )
    return sorted(Capability.objects.values_list("pk", flat=True))


def _embedded() -> int:
    return Embedding.objects.of_kind(Embedding.Kind.CAPABILITY).count()


@pytest.mark.django_db(transaction=True)
def test_a_reindex_killed_midway_is_finished_by_the_next_worker_embedding_each_profile_once(
    workers: Workers, kangtu: Organization
) -> None:
    # Given 2,000 published profiles, none embedded yet
    profile_ids = _published_profiles(kangtu, PROFILES)
    assert len(profile_ids) == PROFILES
    assert Capability.objects.filter(embedding_dirty=True).count() == PROFILES
    assert _embedded() == 0

    # and a worker that stops encoding after five batches (it never acknowledges by itself)
    first = workers.start(
        "first",
        visibility_timeout=3600,  # production's: it never takes back its own message
        **{STALL_AFTER_CALLS: str(BATCHES_BEFORE_THE_KILL)},
    )

    # When the re-index task is sent to it
    with celery_app.connection_for_write(workers.broker_url) as broker:
        sent = embeddings_refresh_task.apply_async(producer=broker.Producer(), queue=workers.queue)

    # and the worker is killed with SIGKILL once five batches are committed, and not more
    first.wait_until(
        lambda: _embedded() >= BATCHES_BEFORE_THE_KILL * BATCH_SIZE,
        what="the first worker did not commit its first batches",
    )
    first.kill()
    assert first.received() == [sent.id], first.fail("the first worker should have taken it")
    assert first.results() == {}, first.fail("the first worker should not have finished")
    done_before_the_kill = dict(
        Embedding.objects.of_kind(Embedding.Kind.CAPABILITY).values_list("object_id", "updated_at")
    )
    assert len(done_before_the_kill) == BATCHES_BEFORE_THE_KILL * BATCH_SIZE  # some, not all
    assert Capability.objects.filter(embedding_dirty=True).count() == (
        PROFILES - BATCHES_BEFORE_THE_KILL * BATCH_SIZE
    )

    # and a new worker is started
    second = workers.start("second", visibility_timeout=VISIBILITY_TIMEOUT_SECONDS)

    # Then the broker redelivers the unacknowledged message to it, and it finishes the task
    second.wait_until(lambda: sent.id in second.results(), what="the task was not finished")
    assert second.received() == [sent.id], second.fail("one redelivery of the killed task")
    report = second.results()[sent.id]
    assert report["model"] == NAME
    assert report["embedded"] == {
        Embedding.Kind.CAPABILITY: PROFILES - BATCHES_BEFORE_THE_KILL * BATCH_SIZE,
        Embedding.Kind.NEED: 0,
    }, second.fail("the redelivered task should embed only what the first run had not")

    # and every profile has exactly one vector, from the current encoder, and none is left dirty
    embeddings = Embedding.objects.of_kind(Embedding.Kind.CAPABILITY)
    assert sorted(embeddings.values_list("object_id", flat=True)) == profile_ids
    assert not embeddings.values("object_id").annotate(rows=Count("pk")).filter(rows__gt=1)
    assert embeddings.current(NAME, DIMENSION).count() == PROFILES
    assert not Capability.objects.filter(embedding_dirty=True).exists()

    # and the vectors written before the kill were not written again
    rewritten = [
        object_id
        for object_id, updated_at in embeddings.filter(
            object_id__in=done_before_the_kill
        ).values_list("object_id", "updated_at")
        if updated_at != done_before_the_kill[object_id]
    ]
    assert rewritten == []
    assert "Traceback" not in second.log_text(), second.fail("the new worker logged an error")
