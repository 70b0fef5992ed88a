"""The request bodies the Elasticsearch backend sends, pinned (no cluster needed)."""

from __future__ import annotations

import numpy as np

from matching.index.elasticsearch import bm25_search, fuse, index_body, knn_search


def test_knn_request_uses_the_dense_vector_field_with_the_id_filter() -> None:
    body = knn_search("capability", np.asarray([0.5, 0.25], dtype=np.float32), 20, {7, 3}).to_dict()
    assert body == {
        "knn": {
            "field": "vector",
            "k": 20,
            "num_candidates": 100,
            "query_vector": [0.5, 0.25],
            "filter": [{"terms": {"object_id": [3, 7]}}],
        },
        "_source": ["object_id", "vector"],
        "size": 20,
    }


def test_bm25_request_matches_text_and_filters_ids() -> None:
    body = bm25_search("need", "送餐机器人", 200, {5}).to_dict()
    assert body == {
        "query": {
            "bool": {
                "must": [{"match": {"text": {"query": "送餐机器人"}}}],
                "filter": [{"terms": {"object_id": [5]}}],
            }
        },
        "_source": ["object_id"],
        "size": 200,
    }
    assert "filter" not in bm25_search("need", "x", 5, None).to_dict().get("query", {})


def test_mapping_declares_cosine_dense_vectors_and_the_cjk_analyzer() -> None:
    mapping = index_body(384)["mappings"]["properties"]
    assert mapping["vector"] == {
        "type": "dense_vector",
        "dims": 384,
        "index": True,
        "similarity": "cosine",
    }
    assert mapping["text"] == {"type": "text", "analyzer": "cjk"}
    assert index_body(384, "smartcn")["mappings"]["properties"]["text"]["analyzer"] == "smartcn"


def test_the_two_lists_are_fused_in_our_code_by_reciprocal_rank() -> None:
    query = np.asarray([1.0, 0.0], dtype=np.float32)
    hits = fuse(
        dense_hits=[(1, 0.99, [1.0, 0.0]), (2, 0.9, None)],
        lexical_hits=[(2, 7.5), (3, 2.0)],
        query_vector=query,
    )
    assert [hit.object_id for hit in hits] == [2, 1, 3]
    by_id = {hit.object_id: hit for hit in hits}
    assert by_id[1].dense == 1.0 and by_id[1].lexical == 0.0
    assert abs(by_id[2].dense - 0.8) < 1e-6  # no vector returned: cos from (1 + cos) / 2 = 0.9
    assert by_id[3].dense == 0.0 and by_id[3].lexical == 2.0
