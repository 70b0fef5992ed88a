"""Saving needs and profiles asks the matcher for a refresh once, after commit, never failing."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import transaction

from accounts.models import User
from marketplace.models import Need
from marketplace.needs.services import need_create, need_update


def _fields(taxonomy: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": "送药机器人",
        "description": "每天两次把药送到房间。",
        "domain": taxonomy["civil"],
        "region": taxonomy["regions"]["青岛市"],
    }


@pytest.mark.django_db(transaction=True)
def test_one_message_per_transaction_sent_only_after_commit(alice: User, taxonomy: Any) -> None:
    with mock.patch("marketplace.matches.tasks.embeddings_refresh_task.apply_async") as send:
        with transaction.atomic():
            need = need_create(
                organization=alice.organization, created_by=alice, fields=_fields(taxonomy)
            )
            need_update(need=need, user=alice, fields={"title": "送药和送餐机器人"})
            assert send.call_count == 0  # nothing leaves before the commit
        assert send.call_args_list == [mock.call()]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_changes_send_nothing(alice: User, taxonomy: Any) -> None:
    with mock.patch("marketplace.matches.tasks.embeddings_refresh_task.apply_async") as send:
        with pytest.raises(RuntimeError), transaction.atomic():
            need_create(organization=alice.organization, created_by=alice, fields=_fields(taxonomy))
            raise RuntimeError("boom")
        assert send.call_count == 0
    assert Need.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_broker_failure_loses_nothing(alice: User, taxonomy: Any) -> None:
    with mock.patch(
        "marketplace.matches.tasks.embeddings_refresh_task.apply_async",
        side_effect=ConnectionError("down"),
    ):
        need = need_create(
            organization=alice.organization, created_by=alice, fields=_fields(taxonomy)
        )
    need.refresh_from_db()
    assert need.embedding_dirty is True  # the sweep will embed it
