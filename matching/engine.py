"""The engine's public face: the one module marketplace imports from matching.

Five jobs, each with typed inputs and outputs:

- **embed**: the encoder chosen by settings (``get_encoder``), the name its vectors are stored
  under (``encoder_name``) and the stored vectors (``Embedding``);
- **search**: the vector index in use, embedded or Elasticsearch (``index_in_use``,
  ``backend_search``), and the writes that keep it in step with the stored vectors;
- **rank and explain**: ``rank_capabilities`` and ``explain_pair`` turn features and retrieval
  hits into ``RankedMatch`` objects whose reasons are ``Aspect`` verdicts with ``Phrase`` texts,
  stored with ``match_to_data`` and read back with ``match_from_data``;
- **read a need**: ``read_need`` suggests categories, robot type and product class for free text
  (keywords, and the model's vectors when given), ``clarifying_question`` the one unstated
  requirement that splits the top matches;
- **plan an event**: ``scheduling`` (``shortlist``, ``schedule``, ``validate_move``), pure.

Everything behind it (``matching.encoders``, ``index``, ``ranking``, ``scheduling``, ``store``)
may change shape; ``lint-imports`` keeps marketplace on this side of it.
"""

from __future__ import annotations

from matching import scheduling
from matching.encoders import Encoder, Role, encoder_name, get_encoder
from matching.index.base import Hit, IndexItem, SearchIndex
from matching.index.embedded import EmbeddedIndex
from matching.models import Embedding
from matching.ranking.clarify import Question, clarifying_question, unstated
from matching.ranking.explanations import (
    STATUS_MARK,
    reason_lines,
    reason_objects,
    wording_revision,
)
from matching.ranking.phrases import Phrase, phrase_from_data, phrase_to_data, source_text, yuan
from matching.ranking.ranker import explain_pair, rank_capabilities, ranker_version
from matching.ranking.reading import (
    NeedReading,
    TaxonomyTerm,
    TermVectors,
    read_need,
    taxonomy_terms,
)
from matching.ranking.scoring import rescale
from matching.ranking.serialize import match_from_data, match_to_data
from matching.ranking.types import (
    Aspect,
    BudgetBasis,
    CapabilityFeatures,
    NeedFeatures,
    RankedMatch,
    Signals,
)
from matching.ranking.vocabulary import ROBOT_TYPE_SYNONYMS, Vocabulary
from matching.store import (
    backend_search,
    index_in_use,
    index_item,
    index_publish,
    index_withdraw,
    remote_index,
)

__all__ = [
    "ROBOT_TYPE_SYNONYMS",
    "STATUS_MARK",
    "Aspect",
    "BudgetBasis",
    "CapabilityFeatures",
    "EmbeddedIndex",
    "Embedding",
    "Encoder",
    "Hit",
    "IndexItem",
    "NeedFeatures",
    "NeedReading",
    "Phrase",
    "Question",
    "RankedMatch",
    "Role",
    "SearchIndex",
    "Signals",
    "TaxonomyTerm",
    "TermVectors",
    "Vocabulary",
    "backend_search",
    "clarifying_question",
    "encoder_name",
    "explain_pair",
    "get_encoder",
    "index_in_use",
    "index_item",
    "index_publish",
    "index_withdraw",
    "match_from_data",
    "match_to_data",
    "phrase_from_data",
    "phrase_to_data",
    "rank_capabilities",
    "ranker_version",
    "read_need",
    "reason_lines",
    "reason_objects",
    "remote_index",
    "rescale",
    "scheduling",
    "source_text",
    "taxonomy_terms",
    "unstated",
    "wording_revision",
    "yuan",
]
