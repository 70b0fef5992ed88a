"""A fresh web worker warms the matcher up before it serves (config/gunicorn.py)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from config import gunicorn as gunicorn_settings
from matching.encoders import encoder_name
from matching.services import search
from matching.warmup import matching_warm_up


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
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("database unreachable")

    monkeypatch.setattr("matching.warmup.matching_warm_up", broken)
    with caplog.at_level(logging.ERROR, logger="gunicorn.error"):
        gunicorn_settings.post_worker_init(worker=None)

    assert "matcher warm-up failed" in caplog.text
    assert "database unreachable" in caplog.text


def test_each_celery_pool_process_warms_the_matcher_up_as_it_starts(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from celery.signals import worker_process_init

    calls: list[str] = []
    monkeypatch.setattr("matching.warmup.matching_warm_up", lambda: calls.append("warmed"))
    worker_process_init.send(sender=None)
    assert calls == ["warmed"]

    def broken() -> None:
        raise RuntimeError("database unreachable")

    monkeypatch.setattr("matching.warmup.matching_warm_up", broken)
    with caplog.at_level(logging.WARNING, logger="config.celery"):
        worker_process_init.send(sender=None)  # does not raise: the process still starts
    assert "matcher warm-up failed" in caplog.text
    assert "database unreachable" in caplog.text
    assert "Traceback" not in caplog.text  # a worker without the model is not an error
