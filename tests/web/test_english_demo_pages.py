"""The seeded demo, read in English by its three logins: every page without a parameter and every
page of one object (a few of each kind, the user's own first) has no Chinese but the data users
typed (tests/web/test_english_pages.py says how that is told apart)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Organization, User
from marketplace.models import Capability, Event, ImportJob, Lead, Need, Notification
from tests.security.test_content_security_policy import _plain_paths
from tests.web.test_english_pages import _product_chinese, _typed_by_users

DEMO_USERS = (
    "institution@demo.robomatch.cn",
    "vendor@demo.robomatch.cn",
    "organizer@demo.robomatch.cn",
)
# The model behind the ``pk`` of each namespace's pages (by page name where it differs).
MODELS: dict[str, type[Model]] = {
    "needs": Need,
    "capabilities": Capability,
    "events": Event,
    "organizations": Organization,
    "privacy": Organization,
    "imports": ImportJob,
    "notifications": Notification,
    "matches:need_matches": Need,
    "matches:capability_leads": Capability,
    "leads:need_invite": Need,
    "leads:need_not_fit": Need,
    "leads": Lead,
    "reviews:review_need_publish": Need,
    "reviews": Organization,
}
OBJECTS_PER_KIND = 3


def _one_object_pages(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, str]]:
    """(url name, model key) of every page whose only parameter is ``pk``."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner not in ("admin", "api"):
                yield from _one_object_pages(pattern.url_patterns, inner)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and namespace
            and list(pattern.pattern.converters) == ["pk"]
        ):
            yield f"{namespace}:{pattern.name}", namespace


def _objects(model: type[Model], user: User) -> list[Model]:
    own: list[Model] = []
    if model in (Need, Capability, Event) and user.organization_id:
        field = "organizer" if model is Event else "organization"
        own = list(model._default_manager.filter(**{f"{field}_id": user.organization_id})[:2])  # type: ignore[attr-defined]
    others = list(model._default_manager.order_by("pk")[:OBJECTS_PER_KIND])  # type: ignore[attr-defined]
    return own + [o for o in others if o not in own]


@pytest.mark.django_db
@pytest.mark.parametrize("email", DEMO_USERS)
def test_the_demo_in_english_has_no_chinese_but_user_data(email: str) -> None:
    # given
    call_command("marketplace_seed", stdout=io.StringIO())
    user = User.objects.get(email=email)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    paths = set(_plain_paths(get_resolver().url_patterns))
    for name, namespace in _one_object_pages(get_resolver().url_patterns):
        model = MODELS.get(name) or MODELS.get(namespace)
        if model is not None:
            paths.update(reverse(name, args=[obj.pk]) for obj in _objects(model, user))

    # when
    pages: dict[str, str] = {}
    for path in sorted(paths):
        response = client.get(path)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            pages[path] = response.content.decode()

    # then: what the pages show, against what users typed by now (an export is audited)
    typed = _typed_by_users()
    found = {path: _product_chinese(page, typed) for path, page in pages.items()}
    found = {path: chinese for path, chinese in found.items() if chinese}
    assert len(pages) > 20
    assert found == {}
