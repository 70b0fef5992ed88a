"""Ranking latency at scale, on synthetic vectors and texts (no database, no model).

For each query: retrieval (exact cosine over the float32 matrix + BM25 + fusion) and the full
ranked top-20 with explanations, the query vector given. FAISS IndexFlatIP on the same vectors is
measured in the same run as the exact-search reference, with its default OpenMP threads
(``faiss_flat_*``), and again afterwards on one thread (``faiss_flat_1t_*``): on 2 shared cores
one query runs faster on one thread than on two, and its figure is the stricter reference.

    python bench/rank_latency.py --profiles 100000 --queries 200 [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from matching.index.base import IndexItem  # noqa: E402
from matching.index.embedded import EmbeddedIndex  # noqa: E402
from matching.ranking.ranker import rank_capabilities  # noqa: E402
from matching.ranking.types import CapabilityFeatures, NeedFeatures, Signals  # noqa: E402
from matching.ranking.vocabulary import ROBOT_TYPE_SYNONYMS, Vocabulary  # noqa: E402

WORDS = (
    "送餐",
    "送药",
    "配送",
    "巡查",
    "跌倒",
    "夜间",
    "消毒",
    "杀菌",
    "康复",
    "步行",
    "训练",
    "外骨骼",
    "上肢",
    "下肢",
    "手功能",
    "陪伴",
    "聊天",
    "护理",
    "翻身",
    "喂饭",
    "洗浴",
    "清洁",
    "扫地",
    "洗衣",
    "集装箱",
    "装卸",
    "搬运",
    "码头",
    "质检",
    "焊接",
    "装配",
    "巡检",
    "轨道",
    "隧道",
    "水下",
    "勘测",
    "无人船",
    "消防",
    "侦察",
    "导览",
    "讲解",
    "电梯",
    "楼层",
    "室外",
    "防水",
    "认证",
    "医疗",
    "养老",
    "社区",
    "医院",
    "工厂",
)
CATEGORIES = [f"category_{i}" for i in range(37)]
DOMAINS = [
    "civil_affairs",
    "smart_home",
    "manufacturing",
    "smart_city",
    "rail_transit",
    "smart_port",
    "ocean_survey",
    "healthcare",
]
ROBOT_TYPES = list(ROBOT_TYPE_SYNONYMS)
REGIONS = ["全国", "山东省", "青岛市", "广东省", "北京市"]


def _text(rng: random.Random, words: int) -> str:
    return "，".join("".join(rng.choices(WORDS, k=3)) for _ in range(words // 3)) + "。"


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--dimension", type=int, default=384)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--retrieval-limit", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    rng = random.Random(20261122)
    nprng = np.random.default_rng(20261122)
    started = time.perf_counter()
    vectors = nprng.standard_normal((args.profiles, args.dimension), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = [_text(rng, 30) for _ in range(args.profiles)]
    features = {
        i: CapabilityFeatures(
            id=i,
            ref=f"c-{i}",
            title=texts[i][:12],
            description=texts[i],
            robot_type=rng.choice(ROBOT_TYPES),
            domains=frozenset(rng.sample(DOMAINS, 2)),
            categories=frozenset(rng.sample(CATEGORIES, 2)),
            service_regions=frozenset({rng.choice(REGIONS)}),
            certifications=frozenset(rng.sample(["CE", "CCC认证", "二类医疗器械注册证"], 1)),
            price_min_cny=rng.randrange(10_000, 300_000),
            price_max_cny=400_000,
            maturity=rng.choice(["prototype", "pilot", "mass_production"]),
            pilot_capacity_per_quarter=rng.randrange(0, 6),
        )
        for i in range(args.profiles)
    }
    index = EmbeddedIndex()
    index.upsert("capability", [IndexItem(i, vectors[i], texts[i]) for i in range(args.profiles)])
    index.search("capability", vector=vectors[0], text=texts[0], limit=10)  # materialise
    build_s = time.perf_counter() - started

    import faiss

    faiss_index = faiss.IndexFlatIP(args.dimension)
    faiss_index.add(vectors)

    vocabulary = Vocabulary(robot_type_terms=ROBOT_TYPE_SYNONYMS)
    queries = []
    for q in range(args.queries):
        base = rng.randrange(args.profiles)
        vector = vectors[base] + 0.5 * nprng.standard_normal(args.dimension, dtype=np.float32)
        vector /= np.linalg.norm(vector)
        need = NeedFeatures(
            id=q,
            ref=f"n-{q}",
            title=texts[base][:12],
            description=_text(rng, 24),
            domain=rng.choice(DOMAINS),
            categories=frozenset(rng.sample(CATEGORIES, 1)),
            region="青岛市",
            region_lineage=frozenset({"青岛市", "山东省", "全国"}),
            required_certifications=frozenset({"CE"}) if q % 3 == 0 else frozenset(),
            budget_max_cny=200_000,
        )
        queries.append((vector, need))

    faiss_ms, retrieval_ms, rank_ms = [], [], []
    for vector, need in queries:
        t0 = time.perf_counter()
        faiss_index.search(vector.reshape(1, -1), args.retrieval_limit)
        faiss_ms.append((time.perf_counter() - t0) * 1000)

        text = f"{need.title}\n{need.description}"
        t0 = time.perf_counter()
        hits = index.search("capability", vector=vector, text=text, limit=args.retrieval_limit)
        retrieval_ms.append((time.perf_counter() - t0) * 1000)

        t0 = time.perf_counter()
        hits = index.search("capability", vector=vector, text=text, limit=args.retrieval_limit)
        candidates = [(features[h.object_id], Signals(h.dense, h.lexical)) for h in hits]
        ranked = rank_capabilities(need, candidates, vocabulary=vocabulary, top=args.top)
        rank_ms.append((time.perf_counter() - t0) * 1000)
        assert len(ranked) == args.top and ranked[0].aspects

    faiss.omp_set_num_threads(1)
    faiss_1t_ms = []
    for vector, _ in queries:
        t0 = time.perf_counter()
        faiss_index.search(vector.reshape(1, -1), args.retrieval_limit)
        faiss_1t_ms.append((time.perf_counter() - t0) * 1000)

    result = {
        "profiles": args.profiles,
        "queries": args.queries,
        "dimension": args.dimension,
        "retrieval_limit": args.retrieval_limit,
        "top": args.top,
        "cpu_count": os.cpu_count(),
        "build_s": round(build_s, 1),
        "rank_p50_ms": round(statistics.median(rank_ms), 2),
        "rank_p95_ms": round(_percentile(rank_ms, 95), 2),
        "retrieval_p50_ms": round(statistics.median(retrieval_ms), 2),
        "retrieval_p95_ms": round(_percentile(retrieval_ms, 95), 2),
        "faiss_flat_p50_ms": round(statistics.median(faiss_ms), 2),
        "faiss_flat_p95_ms": round(_percentile(faiss_ms, 95), 2),
        "faiss_flat_1t_p50_ms": round(statistics.median(faiss_1t_ms), 2),
        "faiss_flat_1t_p95_ms": round(_percentile(faiss_1t_ms, 95), 2),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    result["retrieval_vs_faiss_p95"] = round(
        result["retrieval_p95_ms"] / max(result["faiss_flat_p95_ms"], 1e-9), 2
    )
    result["retrieval_vs_faiss_1t_p95"] = round(
        result["retrieval_p95_ms"] / max(result["faiss_flat_1t_p95_ms"], 1e-9), 2
    )
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{args.profiles} profiles, {args.queries} queries, dimension {args.dimension}")
    print(f"{'measure':<22} {'p50 ms':>8} {'p95 ms':>8}")
    for name in ("rank", "retrieval", "faiss_flat", "faiss_flat_1t"):
        print(f"{name:<22} {result[name + '_p50_ms']:>8.2f} {result[name + '_p95_ms']:>8.2f}")
    print(
        f"retrieval / FAISS p95: {result['retrieval_vs_faiss_p95']}x"
        f" (one-thread FAISS: {result['retrieval_vs_faiss_1t_p95']}x);"
        f" rss {result['rss_mb']} MB; load {result['load_avg_1m']}"
    )
    print("targets: rank_p95_ms <= 50; retrieval within 1.5x of FAISS flat")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
