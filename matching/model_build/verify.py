"""Verification shared by the model sources: sha256 pins and a cross-lingual ranking check."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matching.model_build.common import ModelBuildError, sha256_file

# Cross-lingual ranking checks: the query must rank the delivery passage first.
RANK_PASSAGES = {
    "delivery": "康途送餐机器人在养老院内自主乘坐电梯，按房间号把饭菜和药品送到每位老人的房间。",
    "exoskeleton": "下肢外骨骼机器人用于中风患者的康复训练，帮助恢复行走能力。",
    "unrelated": "青岛港自动化码头的集装箱岸桥远程操控系统，提高夜间装卸效率。",
}
RANK_QUERIES = {
    "zh": "养老机构给老人送餐的机器人",
    "en": "robot that delivers meals in a nursing home",
}


def cross_lingual_rankings(
    model: Any, *, query_prompt: str = "query", document_prompt: str = "passage"
) -> dict[str, dict[str, Any]]:
    """Score RANK_PASSAGES against each of RANK_QUERIES with a SentenceTransformer, the
    passages under ``document_prompt`` and the queries under ``query_prompt``."""
    names = list(RANK_PASSAGES)
    p_emb = model.encode(
        [RANK_PASSAGES[n] for n in names],
        prompt_name=document_prompt,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    rankings = {}
    for lang, query in RANK_QUERIES.items():
        q_emb = model.encode(
            [query], prompt_name=query_prompt, convert_to_numpy=True, show_progress_bar=False
        )[0]
        scores = sorted(
            ((n, float(s)) for n, s in zip(names, p_emb @ q_emb, strict=True)),
            key=lambda x: -x[1],
        )
        rankings[lang] = {"query": query, "scores": scores, "first": scores[0][0]}
    return rankings


def ranking_problems(rankings: dict[str, dict[str, Any]]) -> list[str]:
    """What is wrong with cross_lingual_rankings' result: the Chinese query must score the
    delivery passage above the unrelated one, the English query must rank delivery first."""
    problems = []
    zh: dict[str, float] = dict(rankings["zh"]["scores"])
    if not zh["delivery"] > zh["unrelated"]:
        problems.append(f"zh query ranks the unrelated passage above delivery: {zh}")
    if rankings["en"]["first"] != "delivery":
        problems.append(f"en query does not rank delivery first: {rankings['en']['scores']}")
    return problems


def check_file_pins(folder: Path, pins: Mapping[str, str]) -> dict[str, str]:
    """Check each ``relative path -> sha256`` pin against the file in ``folder``.

    Raises ModelBuildError naming every missing or different file; returns the pins checked.
    """
    problems = []
    for relpath, expected in sorted(pins.items()):
        path = folder / relpath
        if not path.is_file():
            problems.append(f"{relpath} is missing")
            continue
        got = sha256_file(path)
        if got != expected:
            problems.append(f"{relpath} has sha256 {got}, pinned {expected}")
    if problems:
        raise ModelBuildError("files do not match their sha256 pins: " + "; ".join(problems))
    return dict(pins)
