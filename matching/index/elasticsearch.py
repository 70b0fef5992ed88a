"""Elasticsearch backend, for deployments that outgrow one machine.

Coded against the documented API of Elasticsearch 8 through elasticsearch-dsl. No server runs on
the development machines, so its contract tests run only when ``ELASTICSEARCH_URL`` points at a
live cluster; the request bodies are pinned by unit tests.

Two requests per search: a ``knn`` query on a ``dense_vector`` field (cosine) and a BM25 ``match``
query on text analysed with ``cjk`` (or ``smartcn`` where the plugin is installed). The ``rrf``
retriever needs a paid licence, so the two lists are fused here, as the embedded backend does.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from django.conf import settings
from elasticsearch import Elasticsearch, helpers
from elasticsearch_dsl import Search

from matching.index.base import Hit, IndexItem
from matching.index.embedded import RRF_K

INDEX_PREFIX = "robomatch"


def index_name(kind: str) -> str:
    return f"{INDEX_PREFIX}-{kind}"


def index_body(dimension: int, analyzer: str = "cjk") -> dict[str, Any]:
    return {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0},
        "mappings": {
            "properties": {
                "object_id": {"type": "long"},
                "vector": {
                    "type": "dense_vector",
                    "dims": dimension,
                    "index": True,
                    "similarity": "cosine",
                },
                "text": {"type": "text", "analyzer": analyzer},
                "domains": {"type": "keyword"},
                "regions": {"type": "keyword"},
                "certifications": {"type": "keyword"},
                "price_min_cny": {"type": "long"},
            }
        },
    }


def _filter(allowed_ids: Collection[int] | None) -> list[dict[str, Any]]:
    if allowed_ids is None:
        return []
    return [{"terms": {"object_id": sorted(allowed_ids)}}]


def knn_search(
    kind: str, vector: np.ndarray, limit: int, allowed_ids: Collection[int] | None
) -> Search:
    search = Search(index=index_name(kind)).knn(
        field="vector",
        k=limit,
        num_candidates=max(100, 2 * limit),
        query_vector=[float(value) for value in vector],
        **({"filter": _filter(allowed_ids)} if allowed_ids is not None else {}),
    )
    return search.source(["object_id", "vector"]).extra(size=limit)


def bm25_search(kind: str, text: str, limit: int, allowed_ids: Collection[int] | None) -> Search:
    search = Search(index=index_name(kind)).query("match", text={"query": text})
    for clause in _filter(allowed_ids):
        search = search.filter(clause)
    return search.source(["object_id"]).extra(size=limit)


def fuse(
    dense_hits: Sequence[tuple[int, float, list[float] | None]],
    lexical_hits: Sequence[tuple[int, float]],
    query_vector: np.ndarray,
) -> list[Hit]:
    """Reciprocal-rank fusion of the two lists; each hit keeps its cosine and its BM25 score."""
    fused: dict[int, float] = {}
    cosine: dict[int, float] = {}
    lexical: dict[int, float] = {}
    for rank, (object_id, es_score, vector) in enumerate(dense_hits):
        fused[object_id] = fused.get(object_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        # Elasticsearch reports cosine similarity as (1 + cos) / 2.
        cosine[object_id] = (
            float(np.dot(np.asarray(vector, dtype=np.float32), query_vector))
            if vector is not None
            else 2 * es_score - 1
        )
    for rank, (object_id, score) in enumerate(lexical_hits):
        fused[object_id] = fused.get(object_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        lexical[object_id] = score
    order = sorted(fused, key=lambda object_id: (-fused[object_id], object_id))
    # A lexical-only hit has no cosine from the kNN list; 0 keeps it below real dense matches.
    return [Hit(i, cosine.get(i, 0.0), lexical.get(i, 0.0)) for i in order]


def item_from_source(source: dict[str, Any]) -> IndexItem:
    """An index item from a stored document's ``_source``; the other keys are its fields."""
    fields = dict(source)
    return IndexItem(
        object_id=int(fields.pop("object_id")),
        vector=np.asarray(fields.pop("vector"), dtype=np.float32),
        text=str(fields.pop("text")),
        fields=fields,
    )


class ElasticsearchIndex:
    def __init__(self, client: Elasticsearch, *, analyzer: str = "cjk"):
        self.client = client
        self.analyzer = analyzer

    def ensure_index(self, kind: str, dimension: int) -> None:
        if not self.client.indices.exists(index=index_name(kind)):
            self.client.indices.create(
                index=index_name(kind), **index_body(dimension, self.analyzer)
            )

    def upsert(self, kind: str, items: Sequence[IndexItem]) -> None:
        if not items:
            return
        self.ensure_index(kind, int(items[0].vector.shape[0]))
        actions = (
            {
                "_index": index_name(kind),
                "_id": str(item.object_id),
                "_source": {
                    "object_id": item.object_id,
                    "vector": [float(value) for value in item.vector],
                    "text": item.text,
                    **item.fields,
                },
            }
            for item in items
        )
        helpers.bulk(self.client, actions, refresh="wait_for")

    def remove(self, kind: str, object_ids: Collection[int]) -> None:
        actions = (
            {"_op_type": "delete", "_index": index_name(kind), "_id": str(object_id)}
            for object_id in object_ids
        )
        helpers.bulk(self.client, actions, raise_on_error=False, refresh="wait_for")

    def object_ids(self, kind: str) -> set[int]:
        if not self.client.indices.exists(index=index_name(kind)):
            return set()
        search = Search(using=self.client, index=index_name(kind)).source(["object_id"])
        return {int(hit.object_id) for hit in search.scan()}

    def items(self, kind: str) -> dict[int, IndexItem]:
        if not self.client.indices.exists(index=index_name(kind)):
            return {}
        search = Search(using=self.client, index=index_name(kind))
        items = (item_from_source(hit.to_dict()) for hit in search.scan())
        return {item.object_id: item for item in items}

    def search(
        self,
        kind: str,
        *,
        vector: np.ndarray,
        text: str,
        limit: int,
        allowed_ids: Collection[int] | None = None,
    ) -> list[Hit]:
        if not self.client.indices.exists(index=index_name(kind)):
            return []
        dense = knn_search(kind, vector, limit, allowed_ids).using(self.client).execute()
        lexical = bm25_search(kind, text, limit, allowed_ids).using(self.client).execute()
        return fuse(
            [(int(h.object_id), float(h.meta.score), list(h.vector)) for h in dense],
            [(int(h.object_id), float(h.meta.score)) for h in lexical],
            vector.astype(np.float32),
        )


@lru_cache(maxsize=1)
def elasticsearch_index() -> ElasticsearchIndex:
    return ElasticsearchIndex(Elasticsearch(settings.ELASTICSEARCH_URL))
