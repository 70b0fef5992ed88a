"""The assembled gemma folder loaded offline and checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from matching.model_build.common import (
    ModelBuildError,
    load_sentence_transformer,
)
from matching.model_build.verify import cross_lingual_rankings, ranking_problems

# What the folder must carry for the encoder: the prompts it uses per side.
QUERY_PROMPT, DOCUMENT_PROMPT = "query", "document"


def verify_folder(folder: Path) -> dict[str, Any]:
    """Load the folder offline with sentence-transformers and rank the check passages."""
    model = load_sentence_transformer(folder)
    prompts = dict(model.prompts or {})
    problems = [
        f"no {name!r} prompt in config_sentence_transformers.json"
        for name in (QUERY_PROMPT, DOCUMENT_PROMPT)
        if name not in prompts
    ]
    if problems:
        raise ModelBuildError("verification failed: " + "; ".join(problems))
    rankings = cross_lingual_rankings(
        model, query_prompt=QUERY_PROMPT, document_prompt=DOCUMENT_PROMPT
    )
    problems = ranking_problems(rankings)
    if problems:
        raise ModelBuildError("verification failed: " + "; ".join(problems))
    return {
        "dimension": int(model.get_embedding_dimension() or 0),
        "max_seq_length": int(model.max_seq_length),
        "prompts": {k: prompts[k] for k in (QUERY_PROMPT, DOCUMENT_PROMPT)},
        "rankings": rankings,
    }
