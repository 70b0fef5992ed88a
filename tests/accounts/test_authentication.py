"""The signed-in user of a browser session comes with its organisation, in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.authentication import OrganizationModelBackend
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_session_user_is_read_with_its_organisation(alice: User) -> None:
    # when
    with CaptureQueriesContext(connection) as queries:
        user = OrganizationModelBackend().get_user(alice.pk)
        name = user.organization.name if user and user.organization else None

    # then
    assert user == alice
    assert name == "颐和苑养老中心"
    assert len(queries) == 1


def test_a_deactivated_or_deleted_user_is_signed_out(alice: User) -> None:
    # given
    backend = OrganizationModelBackend()
    pk = alice.pk
    alice.is_active = False
    alice.save()

    # then
    assert backend.get_user(pk) is None
    alice.delete()
    assert backend.get_user(pk) is None


def test_a_session_started_by_signing_in_uses_the_backend(alice: User) -> None:
    # given
    client = Client()
    client.force_login(alice)
    client.get(reverse("needs:my_needs"))  # the session as the site set it

    # when
    response = client.get(reverse("needs:my_needs"))

    # then
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert user == alice
    with CaptureQueriesContext(connection) as queries:
        assert user.organization == alice.organization
    assert len(queries) == 0  # read with the user
