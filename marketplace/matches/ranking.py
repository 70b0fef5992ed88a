"""Both directions: the profiles for a need ("匹配供应商") and the needs for a profile (leads)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from marketplace.matches.features import (
    Responsiveness,
    capabilities_with_relations,
    capability_features,
    capability_text,
    region_lineages,
    vendor_responsiveness,
    vocabulary_load,
)
from marketplace.matches.features_kept import (
    need_features_kept,
    need_kept,
    profile_features_kept,
    vector_kept,
)
from marketplace.models import Capability, Lead, Need
from marketplace.taxonomy.version import taxonomy_version
from matching.engine import (
    Aspect,
    CapabilityFeatures,
    Embedding,
    Hit,
    RankedMatch,
    Signals,
    Vocabulary,
    backend_search,
    encoder_name,
    explain_pair,
    rank_capabilities,
    ranker_version,
    rescale,
)

# How many candidates retrieval hands to the ranker from each signal.
RETRIEVAL_LIMIT = 200


@dataclass(frozen=True)
class MatchContext:
    """What the ranking reads from the taxonomy: names, keywords and region lineages."""

    version: str  # the taxonomy and ranker versions it was built for (see lists_version)
    vocabulary: Vocabulary
    lineages: dict[int, frozenset[str]]

    @classmethod
    def load(cls) -> MatchContext:
        """This process's context for the current taxonomy version, built once per version."""
        return _context(lists_version())


def lists_version() -> str:
    """What a stored match list must have been ranked under to be current: the taxonomy's
    version and the ranker's (its rules, components and weights)."""
    return f"{taxonomy_version()}:{ranker_version()}"


@lru_cache(maxsize=1)
def _context(version: str) -> MatchContext:
    return MatchContext(version, vocabulary_load(), region_lineages())


class _NoVector(Exception):
    """The object's current text has no stored vector of the current model yet."""


def _vector(kind: str, object_id: int, text: str) -> np.ndarray | None:
    """The stored vector of the object's current text, or None until the worker has embedded
    it: ranking never runs the model, so no web process loads it."""
    model_name = encoder_name()

    def read() -> np.ndarray:
        stored = (
            Embedding.objects.of_kind(kind).filter(model_name=model_name, object_id=object_id)
        ).first()
        if stored is None or stored.text != text:
            raise _NoVector
        return stored.as_array()

    try:
        return vector_kept(kind, object_id, (model_name, text), read)
    except _NoVector:
        return None


def _retrieve(source_kind: str, source_id: int, text: str, target_kind: str) -> list[Hit]:
    """Candidates of ``target_kind`` for one need or profile, from both retrieval signals;
    none while its vector is not stored."""
    vector = _vector(source_kind, source_id, text)
    if vector is None:
        return []
    return backend_search(
        target_kind, model_name=encoder_name(), vector=vector, text=text, limit=RETRIEVAL_LIMIT
    )


def _with_record(
    profiles: dict[int, CapabilityFeatures], records: Responsiveness | None = None
) -> dict[int, CapabilityFeatures]:
    """Each profile's features with its vendor's responsiveness record (one query for all,
    unless the caller has ``records`` already)."""
    if records is None:
        records = vendor_responsiveness({p.organization_id for p in profiles.values()})
    with_record = {}
    for pk, profile in profiles.items():
        answered, overdue = records.get(profile.organization_id, (0, 0))
        if (answered, overdue) == (profile.leads_answered, profile.leads_overdue):
            with_record[pk] = profile  # most vendors: no record yet, as kept
        else:
            with_record[pk] = replace(profile, leads_answered=answered, leads_overdue=overdue)
    return with_record


def rank_need(
    need: Need,
    *,
    top: int = 20,
    context: MatchContext | None = None,
    include_suppressed: bool = False,
) -> list[RankedMatch]:
    """Published profiles for one need, eligible first, each with its reasons.

    ``need`` as read: its ``updated_at`` says whether the features kept for it are current.
    Pairs declined by either side or marked 不合适 are left out unless ``include_suppressed``."""
    context = context or MatchContext.load()
    kept = need_kept(need, context)
    if kept is None:
        raise Need.DoesNotExist(f"Need {need.pk} no longer exists.")
    hits = _retrieve(Embedding.Kind.NEED, need.pk, kept.text, Embedding.Kind.CAPABILITY)
    # Only published profiles are suggested; the index holds drafts too, filtered out here.
    published = Capability.objects.published().filter(pk__in=[hit.object_id for hit in hits])
    if not include_suppressed:
        published = published.exclude(
            pk__in=Lead.objects.suppressed().filter(need=need).values("capability_id")
        )
    by_id = _with_record(profile_features_kept(published, context))
    candidates = [
        (by_id[hit.object_id], Signals(dense=hit.dense, lexical=hit.lexical))
        for hit in hits
        if hit.object_id in by_id
    ]
    return rank_capabilities(kept.features, candidates, vocabulary=context.vocabulary, top=top)


def rank_capability(
    capability: Capability,
    *,
    top: int = 20,
    context: MatchContext | None = None,
    include_suppressed: bool = False,
) -> list[RankedMatch]:
    """Published needs for one profile (a vendor's leads), scored from each need's side.

    Pairs declined by either side or marked 不合适 are left out unless ``include_suppressed``."""
    context = context or MatchContext.load()
    capability = capabilities_with_relations(Capability.objects.filter(pk=capability.pk)).get()
    text = capability_text(capability)
    hits = _retrieve(Embedding.Kind.CAPABILITY, capability.pk, text, Embedding.Kind.NEED)
    published = Need.objects.published().filter(pk__in=[hit.object_id for hit in hits])
    if not include_suppressed:
        published = published.exclude(
            pk__in=Lead.objects.suppressed().filter(capability=capability).values("need_id")
        )
    needs = need_features_kept(published, context)
    features = _with_record({capability.pk: capability_features(capability)})[capability.pk]
    pool = [hit for hit in hits if hit.object_id in needs]
    # The same need-side ranker scores each pair; signals are rescaled over this pool of needs.
    dense = rescale([hit.dense for hit in pool])
    lexical = rescale([hit.lexical for hit in pool])
    matches: list[RankedMatch] = []
    for hit, d, lx in zip(pool, dense, lexical, strict=True):
        matches.extend(
            rank_capabilities(
                needs[hit.object_id].features,
                [(features, Signals(dense=d, lexical=lx))],
                vocabulary=context.vocabulary,
                prescaled=True,
            )
        )
    matches.sort(key=lambda match: (not match.eligible, -match.score, match.need_id))
    return matches[:top]


def lead_reasons(
    leads: Sequence[Lead],
    *,
    context: MatchContext | None = None,
    records: Responsiveness | None = None,
) -> dict[int, tuple[Aspect, ...]]:
    """Each stored lead's requirement-level reasons, by lead id, from both sides as they are now.

    For a page of leads: two reads of the needs and profiles, no retrieval and no re-ranking.
    ``records``: the vendors' responsiveness, when the caller has read it already."""
    if not leads:
        return {}
    context = context or MatchContext.load()
    needs = Need.objects.filter(pk__in={lead.need_id for lead in leads})
    profiles = Capability.objects.filter(pk__in={lead.capability_id for lead in leads})
    need_by_id = need_features_kept(needs, context)
    profile_by_id = _with_record(profile_features_kept(profiles, context), records)
    return {
        lead.pk: explain_pair(
            need_by_id[lead.need_id].features,
            profile_by_id[lead.capability_id],
            context.vocabulary,
        )
        for lead in leads
    }
