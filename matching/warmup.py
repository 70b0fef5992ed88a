"""Load what the first ranking of a fresh process would otherwise load while a visitor waits."""

from __future__ import annotations

from matching.encoders import encoder_name, get_encoder
from matching.index.embedded import EmbeddedIndex
from matching.models import Embedding
from matching.services.ranking import MatchContext
from matching.services.search import index_in_use


def matching_warm_up() -> None:
    """The encoder (for texts changed since their last embedding), the taxonomy context and the
    search index of the current model, built for searching."""
    get_encoder()
    MatchContext.load()
    for kind in Embedding.Kind.values:
        index = index_in_use(kind, encoder_name())
        if isinstance(index, EmbeddedIndex):
            index.prepare(kind)
