"""A fresh web worker loads the taxonomy context before it serves (config/gunicorn.py), and each
Celery pool process warms the matcher up (config/celery.py); both then freeze what they loaded
out of the garbage collector's way."""

from __future__ import annotations

import gc
import logging
import weakref
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from config import gunicorn as gunicorn_settings
from marketplace.matches.warmup import matching_warm_up
from matching import store as search
from matching.encoders import encoder_name


@pytest.fixture(autouse=True)
def torch_threads_kept() -> Iterator[None]:
    """A test that starts a "pool process" here leaves this process's torch threads as found."""
    import torch

    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """Nothing frozen before the test, and what it froze handed back to the collector after."""
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.django_db
def test_the_warm_up_loads_the_index_of_the_current_model(embedded: dict[str, Any]) -> None:
    search.embedded_reset()
    index, states = search._embedded()
    assert not index.object_ids("capability")

    matching_warm_up()

    index, states = search._embedded()
    published = {embedded[name].pk for name in ("certified", "uncertified", "delivery")}
    assert set(index.object_ids("capability")) == published
    assert states["need"].model_name == encoder_name()
    # built for searching: the first visitor does not wait for the matrix and BM25
    assert index.ready("capability") and index.ready("need")


def test_a_failed_warm_up_is_logged_and_the_worker_still_starts(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, unfrozen: None
) -> None:
    def broken() -> None:
        raise RuntimeError("database unreachable")

    monkeypatch.setattr("marketplace.matches.warmup.web_warm_up", broken)
    with caplog.at_level(logging.ERROR, logger="gunicorn.error"):
        gunicorn_settings.post_worker_init(worker=None)

    assert "matcher warm-up failed" in caplog.text
    assert "database unreachable" in caplog.text


def test_each_celery_pool_process_warms_the_matcher_up_as_it_starts(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, unfrozen: None
) -> None:
    from celery.signals import worker_process_init

    calls: list[str] = []
    monkeypatch.setattr(
        "marketplace.matches.warmup.matching_warm_up", lambda: calls.append("warmed")
    )
    worker_process_init.send(sender=None)
    assert calls == ["warmed"]

    def broken() -> None:
        raise RuntimeError("database unreachable")

    monkeypatch.setattr("marketplace.matches.warmup.matching_warm_up", broken)
    with caplog.at_level(logging.WARNING, logger="config.celery"):
        worker_process_init.send(sender=None)  # does not raise: the process still starts
    assert "matcher warm-up failed" in caplog.text
    assert "database unreachable" in caplog.text
    assert "Traceback" not in caplog.text  # a worker without the model is not an error


def _warm_up_that_loads(loaded: list[object], *, fails: bool = False) -> Any:
    def warm_up() -> None:
        loaded.append({"model": [object() for _ in range(100)]})
        if fails:
            raise RuntimeError("database unreachable")

    return warm_up


def _collectable(thing: object) -> bool:
    """Whether a collection still walks ``thing``: it is in one of the three generations."""
    return any(o is thing for generation in range(3) for o in gc.get_objects(generation))


def _web_worker_starts() -> None:
    gunicorn_settings.post_worker_init(worker=None)


def _celery_pool_process_starts() -> None:
    from celery.signals import worker_process_init

    worker_process_init.send(sender=None)


@pytest.mark.parametrize(
    "process_starts",
    [_web_worker_starts, _celery_pool_process_starts],
    ids=["web worker", "celery pool process"],
)
@pytest.mark.parametrize("fails", [False, True], ids=["warmed", "warm-up failed"])
def test_a_process_freezes_what_it_loaded_before_its_first_request_or_task(
    monkeypatch: pytest.MonkeyPatch, unfrozen: None, fails: bool, process_starts: Any
) -> None:
    loaded: list[object] = []
    warm_up = _warm_up_that_loads(loaded, fails=fails)
    monkeypatch.setattr("marketplace.matches.warmup.matching_warm_up", warm_up)
    monkeypatch.setattr("marketplace.matches.warmup.web_warm_up", warm_up)
    assert gc.get_freeze_count() == 0

    process_starts()

    assert loaded  # the warm-up ran first, then the freeze took in what it loaded
    assert gc.get_freeze_count() > 100
    assert not _collectable(loaded[0])


class _Node:
    """A cycle's member, reachable only through the cycle once dropped."""

    def __init__(self) -> None:
        self.partner: _Node | None = None


@pytest.mark.parametrize("served", [1, 99, 100, 101, 999, 1000, 1001])
def test_a_web_worker_freezes_again_after_its_first_requests_and_frees_their_garbage_first(
    unfrozen: None, served: int
) -> None:
    kept = [object() for _ in range(200)]  # what the first requests loaded for good
    first, second = _Node(), _Node()
    first.partner, second.partner = second, first
    garbage = weakref.ref(first)
    del first, second  # a cycle: only a collection frees it

    gc.disable()  # no automatic collection in between: only the hook's collects
    try:
        gunicorn_settings.post_request(SimpleNamespace(nr=served), None, {}, None)
    finally:
        gc.enable()

    freezes = served in (100, 1000)
    assert (gc.get_freeze_count() > 200) is freezes
    assert _collectable(kept) is not freezes
    assert (garbage() is None) is freezes  # the garbage was collected, not frozen


@pytest.mark.parametrize("threads", [1, 2])
def test_a_celery_pool_process_runs_torch_on_the_threads_the_settings_give_it(
    monkeypatch: pytest.MonkeyPatch, settings: Any, unfrozen: None, threads: int
) -> None:
    import torch
    from celery.signals import worker_process_init

    monkeypatch.setattr("marketplace.matches.warmup.matching_warm_up", lambda: None)
    settings.MATCHING_WORKER_TORCH_THREADS = threads
    torch.set_num_threads(3 - threads)

    worker_process_init.send(sender=None)

    assert torch.get_num_threads() == threads
