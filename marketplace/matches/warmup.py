"""Load what the first ranking of a fresh process would otherwise load while a visitor waits."""

from __future__ import annotations

import gc

from marketplace.matches.ranking import MatchContext
from matching.encoders import encoder_name, get_encoder
from matching.index.embedded import EmbeddedIndex
from matching.models import Embedding
from matching.store import index_in_use


def matching_warm_up() -> None:
    """The encoder (for texts changed since their last embedding), the taxonomy context and the
    search index of the current model, built for searching."""
    get_encoder()
    MatchContext.load()
    for kind in Embedding.Kind.values:
        index = index_in_use(kind, encoder_name())
        if isinstance(index, EmbeddedIndex):
            index.prepare(kind)


def warm_up_process() -> Exception | None:
    """For a long-lived process as it starts (a web worker, a Celery pool process): warm the
    matcher up, then freeze what the process holds out of the garbage collector's way, so full
    collections no longer walk the model's half a million objects. A failed warm-up is returned,
    not raised: the process still starts, and its caller says how loudly."""
    try:
        matching_warm_up()
    except Exception as error:
        failure: Exception | None = error
    else:
        failure = None
    gc.freeze()
    return failure
