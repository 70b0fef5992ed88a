"""Issue 19, the probe's request set (a): control and bidi characters in every free-text field
of every JSON write operation the schema lists (tests/security/api_operations.py), by every
role, then every export. Never a 500; every export answers 200; nothing stored keeps them."""

from __future__ import annotations

import unicodedata

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from config.text import MultiLineTextField, SingleLineCharField
from tests.conftest import ClientFor
from tests.security.api_operations import json_operations
from tests.security.conftest import ProbeWorld

HOSTILE = "\ufeff探针\u202e文本\u200b\r\n\x07\x1b[31m"
TEXT_OPERATIONS = [operation for operation in json_operations() if operation.text_fields]


def _invisible(value: str, multi_line: bool) -> set[str]:
    keep = "\n\t" if multi_line else ""
    return {c for c in value if c not in keep and unicodedata.category(c) in ("Cc", "Cf")}


def test_the_probe_finds_text_fields_to_write() -> None:
    names = {str(operation) for operation in TEXT_OPERATIONS}
    assert {"PATCH /api/v1/needs/{id}/", "PATCH /api/v1/capabilities/{id}/"} <= names


@pytest.mark.django_db
def test_hostile_text_in_every_field_leaves_every_export_working(
    probe_world: ProbeWorld, client_for: ClientFor
) -> None:
    fair = probe_world.fair
    users = [fair.alice, fair.bob, fair.olga]

    # when: every text field of every operation, alone, by every role
    for operation in TEXT_OPERATIONS:
        url = operation.url(probe_world.path_values(operation.resource))
        for field in operation.text_fields:
            for user in users:
                response = client_for(user).generic(
                    operation.method.upper(),
                    url,
                    f'{{"{field}": "{HOSTILE.encode("unicode_escape").decode()}"}}',
                    content_type="application/json",
                )
                assert response.status_code < 500, (str(operation), field, user)

    # then: every export answers 200
    page = Client()
    page.force_login(fair.olga)
    for entity in ("needs", "organizations", "capabilities"):
        for fmt in ("csv", "xlsx"):
            export = page.get(reverse("dashboard:export", args=[entity, fmt]))
            assert export.status_code == 200, (entity, fmt)
    schedule = [
        page.get(reverse("events:event_schedule_xlsx", args=[fair.event.pk])),
        client_for(fair.olga).get(f"/api/v1/events/{fair.event.pk}/schedule.xlsx"),
    ]
    assert [response.status_code for response in schedule] == [200, 200]

    # and: no cleaned field stores an invisible character
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, SingleLineCharField | MultiLineTextField):
                multi_line = isinstance(model_field, MultiLineTextField)
                manager: models.Manager[models.Model] = model._default_manager
                for stored in manager.values_list(model_field.name, flat=True):
                    assert not _invisible(stored or "", multi_line), (model, model_field.name)
