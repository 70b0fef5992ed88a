"""Load at a process's start what its first request or task would otherwise load while it waits.

A web process reads stored matches and never loads the model: it keeps the taxonomy context
(the lead inbox explains pairs with it). A Celery pool process embeds and ranks: it loads the
encoder and the search index of the current model too."""

from __future__ import annotations

import gc
from collections.abc import Callable

from marketplace.matches.ranking import MatchContext
from matching.engine import EmbeddedIndex, Embedding, encoder_name, get_encoder, index_in_use


def web_warm_up() -> None:
    """The taxonomy context, as a web worker uses it."""
    MatchContext.load()


def matching_warm_up() -> None:
    """The encoder (for texts changed since their last embedding), the taxonomy context and the
    search index of the current model, built for searching: what the worker ranks with."""
    get_encoder()
    MatchContext.load()
    for kind in Embedding.Kind.values:
        index = index_in_use(kind, encoder_name())
        if isinstance(index, EmbeddedIndex):
            index.prepare(kind)


def warm_up_process(warm_up: Callable[[], None] | None = None) -> Exception | None:
    """For a long-lived process as it starts: warm up (the worker's ``matching_warm_up`` unless
    told otherwise), then freeze what the process holds out of the garbage collector's way, so
    full collections do not walk it again and again. A failed warm-up is returned, not raised:
    the process still starts, and its caller says how loudly."""
    try:
        (warm_up or matching_warm_up)()
    except Exception as error:
        failure: Exception | None = error
    else:
        failure = None
    gc.freeze()
    return failure
