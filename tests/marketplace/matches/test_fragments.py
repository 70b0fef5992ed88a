"""Rendered reasons shared across web processes (marketplace.matches.fragments): the worker
renders a stored list's first matches in every language, and a process that has never shown
them reads them from the shared cache instead of rendering. The tests' "fragments" cache is
Django's local-memory cache, shared within the test process as Redis is between processes; a
process's own keeping is emptied with ``forget`` to stand for another process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.template import Template
from django.test import Client
from django.urls import reverse

from accounts.models import User
from config.cache import redis_cache
from marketplace.matches import fragments
from marketplace.matches.fragments import Fragments, api_reasons, page_reasons
from marketplace.matches.lists import match_list_store
from marketplace.matches.selectors import need_matches_read
from matching.engine import RankedMatch
from matching.ranking.types import ScoreBreakdown

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    for kind in (page_reasons, api_reasons):
        kind.forget()
    caches[fragments.CACHE].clear()
    yield
    for kind in (page_reasons, api_reasons):
        kind.forget()
    caches[fragments.CACHE].clear()


def _refusing(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, rendering a match from scratch fails the test."""

    def refuse(match: RankedMatch) -> Any:
        raise AssertionError(f"rendered again: {match.capability_id}")

    for kind in (page_reasons, api_reasons):
        kind.forget()
        monkeypatch.setattr(kind, "make", refuse)


def test_a_list_the_worker_stored_is_served_without_rendering_in_both_languages(
    embedded: dict[str, Any], alice: User, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    need = embedded["need"]
    match_list_store(need)
    _refusing(monkeypatch)

    client = Client()
    client.force_login(alice)
    page = client.get(reverse("matches:need_matches", args=[need.pk]))
    assert page.status_code == 200
    assert "下肢康复外骨骼" in page.content.decode() and "硬性条件" in page.content.decode()

    for language, heading in (("zh-hans", "得分构成"), ("en", "Score breakdown")):
        client = Client(headers={"accept-language": language})
        client.force_login(alice)
        assert heading in client.get(reverse("matches:need_matches", args=[need.pk])).text
        api = client_for(alice, language=language).get(reverse("api:need_matches", args=[need.pk]))
        assert api.status_code == 200 and api.json()[0]["reasons"]


def test_a_process_renders_once_what_no_one_has_and_the_next_process_reads_it(
    embedded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    matches = need_matches_read(embedded["need"], top=5).matches
    page_reasons.forget()  # what the worker rendered as it stored the list
    caches[fragments.CACHE].clear()
    rendered = page_reasons.many(matches, "zh-hans")
    assert len(rendered) == len(matches) > 0

    _refusing(monkeypatch)
    assert page_reasons.many(matches, "zh-hans") == rendered


def test_another_language_another_template_or_another_match_is_another_key(
    embedded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    match = need_matches_read(embedded["need"], top=1).matches[0]
    key = page_reasons._key(match, "zh-hans")

    assert page_reasons._key(match, "en") != key
    assert (
        page_reasons._key(need_matches_read(embedded["need"], top=2).matches[1], "zh-hans") != key
    )

    class Changed:
        template = Template("{{ row }} changed")

    fragments._revision.cache_clear()
    monkeypatch.setattr(fragments, "get_template", lambda name: Changed())
    try:
        assert page_reasons._key(match, "zh-hans") != key
    finally:
        monkeypatch.undo()
        fragments._revision.cache_clear()
    assert page_reasons._key(match, "zh-hans") == key


def test_an_unreachable_redis_costs_the_rendering_never_the_list_or_the_page(
    embedded: dict[str, Any], alice: User, settings: Any
) -> None:
    # The production backend (config/cache.py) on a port nothing listens on.
    settings.CACHES = {
        "default": redis_cache("redis://127.0.0.1:9/0"),
        "fragments": redis_cache("redis://127.0.0.1:9/0"),
    }
    need = embedded["need"]
    match_list = match_list_store(need)
    assert match_list.entries.count() > 0

    page_reasons.forget()
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("matches:need_matches", args=[need.pk]))
    assert page.status_code == 200 and "下肢康复外骨骼" in page.text and "硬性条件" in page.text


def test_a_process_keeps_at_most_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fragments, "KEPT", 2)
    kind: Fragments[str] = Fragments("test", lambda match: str(match.capability_id))
    monkeypatch.setattr(kind, "_key", lambda match, language: f"test:{match.capability_id}")
    matches = [
        RankedMatch(
            need_id=1,
            capability_id=pk,
            score=0.5,
            eligible=True,
            failed_requirements=(),
            breakdown=ScoreBreakdown(()),
        )
        for pk in (1, 2, 3)
    ]
    assert kind.many(matches, "zh-hans") == ["1", "2", "3"]
    assert len(kind.kept) <= 2
