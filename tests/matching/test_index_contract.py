"""One contract for every search backend that can start here.

The embedded backend always runs. The Elasticsearch half runs only when ELASTICSEARCH_URL points
at a live cluster; no Elasticsearch server can be installed on these machines, so it is reported
as skipped otherwise (its request bodies are pinned in test_elasticsearch_requests.py).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import numpy as np
import pytest

from matching.index.base import IndexItem, SearchIndex
from matching.index.embedded import EmbeddedIndex

ES_URL = os.environ.get("ELASTICSEARCH_URL", "")


def _unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


ITEMS = [
    IndexItem(1, _unit(1, 0, 0, 0), "自主乘梯送餐机器人，送饭送药到房间"),
    IndexItem(2, _unit(0.9, 0.1, 0, 0), "配送机器人，楼宇内物资运送"),
    IndexItem(3, _unit(0, 1, 0, 0), "下肢康复外骨骼，步行训练"),
    IndexItem(4, _unit(0, 0, 1, 0), "水下机器人，海洋勘测"),
]


@pytest.fixture(
    params=[
        "embedded",
        pytest.param(
            "elasticsearch",
            marks=pytest.mark.skipif(
                not ES_URL,
                reason="ELASTICSEARCH_URL is not set: the Elasticsearch backend was NOT tested",
            ),
        ),
    ]
)
def backend(request: pytest.FixtureRequest) -> Iterator[tuple[SearchIndex, str]]:
    if request.param == "embedded":
        yield EmbeddedIndex(), "capability"
        return
    from elasticsearch import Elasticsearch

    from matching.index.elasticsearch import ElasticsearchIndex, index_name

    client = Elasticsearch(ES_URL)
    kind = f"contract-{uuid.uuid4().hex[:8]}"
    yield ElasticsearchIndex(client), kind
    client.indices.delete(index=index_name(kind), ignore_unavailable=True)


def test_dense_and_lexical_signals_come_back_for_the_same_hits(
    backend: tuple[SearchIndex, str],
) -> None:
    index, kind = backend
    index.upsert(kind, ITEMS)

    hits = index.search(kind, vector=_unit(1, 0.05, 0, 0), text="送餐机器人", limit=3)

    assert hits[0].object_id == 1
    assert hits[0].dense == pytest.approx(float(_unit(1, 0.05, 0, 0) @ ITEMS[0].vector), abs=1e-4)
    assert hits[0].lexical > 0
    assert {hit.object_id for hit in hits} >= {1, 2}


def test_allowed_ids_restrict_the_results(backend: tuple[SearchIndex, str]) -> None:
    index, kind = backend
    index.upsert(kind, ITEMS)
    hits = index.search(kind, vector=_unit(1, 0, 0, 0), text="送餐", limit=4, allowed_ids={3, 4})
    assert {hit.object_id for hit in hits} <= {3, 4}
    assert hits


def test_upsert_replaces_and_remove_forgets(backend: tuple[SearchIndex, str]) -> None:
    index, kind = backend
    index.upsert(kind, ITEMS)
    index.upsert(kind, [IndexItem(4, _unit(1, 0, 0, 0), "送餐机器人 新版")])
    index.remove(kind, [1])

    assert index.object_ids(kind) == {2, 3, 4}
    hits = index.search(kind, vector=_unit(1, 0, 0, 0), text="送餐", limit=2)
    assert hits[0].object_id == 4


def test_search_of_an_empty_index_returns_nothing(backend: tuple[SearchIndex, str]) -> None:
    index, kind = backend
    assert index.search(kind, vector=_unit(1, 0, 0, 0), text="送餐", limit=5) == []
