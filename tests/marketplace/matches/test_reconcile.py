"""Reconciling the database with the search index: each kind of drift is found, named and fixed."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import numpy as np
import pytest
from django.conf import settings
from django.core.management import call_command

from marketplace.matches.reconcile import (
    DatabaseSnapshot,
    Entry,
    KindDrift,
    StoredObject,
    drift_compute,
)
from marketplace.matches.tasks import matching_reconcile_task
from marketplace.models import Capability, Need
from matching.encoders import encoder_name
from matching.index.base import IndexItem
from matching.index.elasticsearch import item_from_source
from matching.index.embedded import EmbeddedIndex
from matching.models import Embedding
from matching.store import index_in_use

NO_DRIFT: dict[str, list[int]] = {"missing": [], "stale": [], "orphaned": [], "unembedded": []}


def _reconcile(*arguments: str) -> dict[str, Any]:
    out = StringIO()
    call_command("matching_reconcile", "--json", *arguments, stdout=out)
    report: dict[str, Any] = json.loads(out.getvalue())
    return report


def _drift(report: dict[str, Any], kind: str) -> dict[str, list[int]]:
    found = report["drift"][kind]
    return {key: found[key] for key in NO_DRIFT}


def _index(kind: str) -> Any:
    return index_in_use(kind, encoder_name())


# --- The pure comparison ------------------------------------------------------------------------


def _entry(object_id: int, text: str, digest: str = "v1", fields: str = "{}") -> Entry:
    return Entry(object_id=object_id, text=text, vector_digest=digest, fields=fields)


def test_drift_compute_names_each_kind_of_drift() -> None:
    # given: 1 is in step, 2 is not indexed, 3 has an old vector in the index, 4 has other
    # fields, 5 was edited since it was embedded, 6 has no vector, 99 is gone but indexed
    database = DatabaseSnapshot(
        objects={
            1: StoredObject(1, True, "a"),
            2: StoredObject(2, True, "b"),
            3: StoredObject(3, False, "c"),
            4: StoredObject(4, True, "d"),
            5: StoredObject(5, True, "e new"),
            6: StoredObject(6, False, "f"),
        },
        embeddings={
            1: _entry(1, "a"),
            2: _entry(2, "b"),
            3: _entry(3, "c", digest="v2"),
            4: _entry(4, "d"),
            5: _entry(5, "e"),
        },
    )
    index = {
        1: _entry(1, "a"),
        3: _entry(3, "c", digest="v1"),
        4: _entry(4, "d", fields='{"regions": ["青岛市"]}'),
        5: _entry(5, "e"),
        99: _entry(99, "gone"),
    }

    # when
    drift = drift_compute(database, index)

    # then
    assert drift == KindDrift(
        objects=6,
        published=4,
        indexed=5,
        missing=[2, 6],
        stale=[3, 4, 5],
        orphaned=[99],
        unembedded=[5, 6],
    )
    assert drift.total == 8


def test_drift_compute_counts_an_embedding_of_a_deleted_object_as_orphaned() -> None:
    database = DatabaseSnapshot(objects={}, embeddings={7: _entry(7, "x")})

    drift = drift_compute(database, {})

    assert (drift.orphaned, drift.missing, drift.stale) == ([7], [], [])


def test_drift_compute_of_matching_snapshots_is_empty() -> None:
    database = DatabaseSnapshot(
        objects={1: StoredObject(1, True, "a")}, embeddings={1: _entry(1, "a")}
    )
    assert drift_compute(database, {1: _entry(1, "a")}).total == 0


def test_embedded_index_lists_its_items() -> None:
    index = EmbeddedIndex()
    item = IndexItem(3, np.asarray([1.0, 0.0], dtype=np.float32), "外骨骼")
    index.upsert("need", [item])
    index.remove("need", [4])

    assert index.items("need") == {3: item}
    assert index.items("capability") == {}


def test_an_elasticsearch_document_reads_back_as_the_item_that_was_written() -> None:
    # given the _source that ElasticsearchIndex.upsert writes for an item with one field
    source = {"object_id": 7, "vector": [0.5, -0.25], "text": "送餐", "regions": ["青岛市"]}

    item = item_from_source(source)

    assert (item.object_id, item.text, item.fields) == (7, "送餐", {"regions": ["青岛市"]})
    assert item.vector.dtype == np.float32
    assert item.vector.tolist() == [0.5, -0.25]
    assert source["object_id"] == 7  # the hit's dict is left as it was


# --- The command on the embedded index (the default: ELASTICSEARCH_URL unset) -------------------


@pytest.mark.django_db
def test_an_index_in_step_reports_no_drift(embedded: dict[str, Any]) -> None:
    report = _reconcile()

    assert report["backend"] == "embedded"
    assert report["total"] == 0
    assert _drift(report, "need") == NO_DRIFT
    assert report["drift"]["need"]["objects"] == 2
    assert report["drift"]["need"]["indexed"] == 2
    assert report["drift"]["capability"]["published"] == 3
    assert "remaining" not in report


@pytest.mark.django_db
def test_a_deleted_index_item_is_missing_and_fix_puts_it_back(embedded: dict[str, Any]) -> None:
    # given: the item of a profile vanished from the index
    delivery = embedded["delivery"].pk
    _index("capability").remove("capability", [delivery])

    # when
    report = _reconcile()

    # then
    assert _drift(report, "capability") == {**NO_DRIFT, "missing": [delivery]}
    assert _drift(report, "need") == NO_DRIFT
    assert delivery not in _index("capability").object_ids("capability")

    fixed = _reconcile("--fix")
    assert _drift(fixed, "capability") == {**NO_DRIFT, "missing": [delivery]}
    assert fixed["remaining_total"] == 0
    stored = Embedding.objects.get(kind="capability", object_id=delivery)
    item = _index("capability").items("capability")[delivery]
    assert item.text == stored.text
    assert np.array_equal(item.vector, stored.as_array())
    assert _reconcile()["total"] == 0


@pytest.mark.django_db
def test_a_text_changed_behind_the_index_is_stale_and_fix_re_embeds_it(
    embedded: dict[str, Any],
) -> None:
    # given: .update() sends no signal and leaves embedding_dirty False
    need = embedded["need"].pk
    old_vector = Embedding.objects.get(kind="need", object_id=need).as_array()
    Need.objects.filter(pk=need).update(title="偏瘫老人走路训练")

    # when
    report = _reconcile()

    # then
    assert _drift(report, "need") == {**NO_DRIFT, "stale": [need], "unembedded": [need]}
    assert _drift(report, "capability") == NO_DRIFT

    fixed = _reconcile("--fix")
    assert fixed["fixed"] is True
    assert fixed["remaining_total"] == 0
    stored = Embedding.objects.get(kind="need", object_id=need)
    assert "偏瘫老人走路训练" in stored.text
    assert not np.array_equal(stored.as_array(), old_vector)
    assert _index("need").items("need")[need].text == stored.text
    assert _reconcile()["total"] == 0


@pytest.mark.django_db
def test_a_row_deleted_behind_the_index_is_orphaned_and_fix_removes_it(
    embedded: dict[str, Any],
) -> None:
    # given: the profile is deleted without the embeddings service hearing of it
    delivery = embedded["delivery"].pk
    Capability.objects.filter(pk=delivery).delete()

    # when
    report = _reconcile()

    # then
    assert _drift(report, "capability") == {**NO_DRIFT, "orphaned": [delivery]}

    fixed = _reconcile("--fix")
    assert fixed["remaining_total"] == 0
    assert not Embedding.objects.filter(kind="capability", object_id=delivery).exists()
    assert delivery not in _index("capability").object_ids("capability")
    # the other profiles are untouched
    assert _index("capability").object_ids("capability") == {
        embedded["certified"].pk,
        embedded["uncertified"].pk,
    }
    assert _reconcile()["total"] == 0


@pytest.mark.django_db
def test_an_orphan_written_into_the_index_is_found_and_removed(embedded: dict[str, Any]) -> None:
    # given: an item for a need that never existed
    ghost = Need.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    vector = Embedding.objects.filter(kind="need").first().as_array()
    _index("need").upsert("need", [IndexItem(ghost, vector, "不存在的需求")])

    # when
    report = _reconcile()

    # then
    assert _drift(report, "need") == {**NO_DRIFT, "orphaned": [ghost]}
    fixed = _reconcile("--fix")
    assert fixed["remaining_total"] == 0
    assert ghost not in _index("need").object_ids("need")
    # nothing in the database was touched
    assert Embedding.objects.filter(kind="need").count() == 2
    assert _reconcile()["total"] == 0


@pytest.mark.django_db
def test_a_vector_of_an_old_model_is_unembedded_and_fix_re_embeds_it(
    embedded: dict[str, Any],
) -> None:
    # given: one profile's vector was made by another model
    certified = embedded["certified"].pk
    Embedding.objects.filter(kind="capability", object_id=certified).update(model_name="old")

    # when
    report = _reconcile()

    # then: searches load only current-model vectors, so it is missing from the index too
    assert _drift(report, "capability") == {
        **NO_DRIFT,
        "missing": [certified],
        "unembedded": [certified],
    }
    fixed = _reconcile("--fix")
    assert fixed["remaining_total"] == 0
    stored = Embedding.objects.get(kind="capability", object_id=certified)
    assert stored.model_name == encoder_name()
    assert certified in _index("capability").object_ids("capability")


@pytest.mark.django_db
def test_an_index_item_with_another_text_is_stale_and_fix_rewrites_it(
    embedded: dict[str, Any],
) -> None:
    # given: the index holds another text than the Embedding row (e.g. an old push)
    need = embedded["english"].pk
    stored = Embedding.objects.get(kind="need", object_id=need)
    _index("need").upsert("need", [IndexItem(need, stored.as_array(), "outdated text")])

    report = _reconcile()

    assert _drift(report, "need") == {**NO_DRIFT, "stale": [need]}
    fixed = _reconcile("--fix")
    assert fixed["remaining_total"] == 0
    assert _index("need").items("need")[need].text == stored.text
    # re-indexing needed no re-embedding
    assert Embedding.objects.get(kind="need", object_id=need).updated_at == stored.updated_at


@pytest.mark.django_db
def test_the_table_names_the_drift_and_the_fix(embedded: dict[str, Any]) -> None:
    delivery = embedded["delivery"].pk
    _index("capability").remove("capability", [delivery])

    out = StringIO()
    call_command("matching_reconcile", stdout=out)
    table = out.getvalue()
    assert "索引 backend: embedded" in table
    assert f"  缺失 missing: 1  {delivery}\n" in table
    assert "  孤儿 orphaned: 0  -\n" in table

    out = StringIO()
    call_command("matching_reconcile", "--fix", stdout=out)
    assert "已修复 fixed: 1  剩余 remaining: 0" in out.getvalue()


@pytest.mark.django_db
def test_the_task_repairs_drift_and_a_second_run_finds_none(embedded: dict[str, Any]) -> None:
    delivery = embedded["delivery"].pk
    _index("capability").remove("capability", [delivery])

    first = matching_reconcile_task.apply().get()
    second = matching_reconcile_task.apply().get()

    assert first["drift"]["capability"]["missing"] == [delivery]
    assert first["remaining_total"] == 0
    assert second["total"] == 0


def test_beat_runs_the_reconcile_task_hourly_by_default() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["matching-reconcile"]
    assert entry == {
        "task": "marketplace.matches.tasks.matching_reconcile_task",
        "schedule": 3600.0,
    }
    assert matching_reconcile_task.acks_late is True
    assert matching_reconcile_task.max_retries == 5
