"""API test helpers: clients that authenticate with a real token, and uploads kept out of var/."""

from __future__ import annotations

from typing import Protocol

import pytest
from django.urls import NoReverseMatch, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Organization, User
from tests.accounts.factories import OrganizationFactory, UserFactory


class ClientFor(Protocol):
    def __call__(self, user: User | None, *, language: str = ...) -> APIClient: ...


@pytest.fixture
def kangning(db: None) -> Organization:
    """A second approved elder-care institution: the "other" demand organisation."""
    return OrganizationFactory.create(name="康宁护理院", kind="demand", sub_type="elder_care")


@pytest.fixture
def dan(kangning: Organization) -> User:
    return UserFactory.create(
        email="dan@kangning.example.com", full_name="Dan", organization=kangning
    )


@pytest.fixture
def client_for(db: None) -> ClientFor:
    """An API client sending ``Authorization: Token …`` for the user; anonymous for None."""

    def make(user: User | None, *, language: str = "zh-hans") -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def lead_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lead notifications link to the web page ``leads:lead_detail``. Until that page's
    route exists, link to a stand-in path, so the API's writes can be tested on their own; once
    the route is there this fixture changes nothing."""
    try:
        reverse("leads:lead_detail", args=[1])
    except NoReverseMatch:
        monkeypatch.setattr(
            "marketplace.leads.services._lead_url", lambda lead: f"/leads/{lead.pk}/"
        )
