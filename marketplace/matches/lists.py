"""The worker's side of the stored matches: rank a need and store its list, and find the lists
that are missing or out of date.

A list is out of date when the need changed since it was ranked, when the taxonomy moved, or
when a profile it holds (or should now hold) changed. Suppressed pairs and profiles no longer
published stay in the list and are left out when it is read (marketplace.matches.selectors), so
an answer or an unpublished profile shows at once, without ranking again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from marketplace.matches.fragments import WARM, fragments_warm
from marketplace.matches.models import MatchList, StoredMatch
from marketplace.matches.ranking import MatchContext, rank_capability, rank_need
from marketplace.matches.reading import reading_data
from marketplace.matches.selectors import need_matches_read
from marketplace.models import Capability, Need
from matching.engine import Embedding, encoder_name, match_to_data

# How many profiles a need's list keeps: the most the API returns (``top`` up to 100).
STORED_MATCHES = 100


@dataclass(frozen=True)
class ListsReport:
    needs: int = 0
    profiles: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"needs": self.needs, "profiles": self.profiles}


def match_list_store(need: Need, *, context: MatchContext | None = None) -> MatchList:
    """Rank the need against every published profile and store its best ``STORED_MATCHES``,
    suppressed pairs included (reads leave them out). Replaces the list of this model."""
    context = context or MatchContext.load()
    matches = rank_need(need, top=STORED_MATCHES, context=context, include_suppressed=True)
    reading = reading_data(need, matches, context)
    with transaction.atomic():
        match_list, _ = MatchList.objects.update_or_create(
            need=need,
            model_name=encoder_name(),
            defaults={
                "need_updated_at": need.updated_at,
                "taxonomy_version": context.version,
                "ranked_at": timezone.now(),
                "reading": reading,
            },
        )
        match_list.entries.all().delete()
        StoredMatch.objects.bulk_create(
            StoredMatch(
                match_list=match_list,
                capability_id=match.capability_id,
                position=position,
                score=match.score,
                eligible=match.eligible,
                detail=match_to_data(match),
            )
            for position, match in enumerate(matches, start=1)
        )
    # What pages and the API will read first, as they read it, rendered for them now.
    fragments_warm(need_matches_read(need, top=WARM).matches)
    return match_list


def needs_without_current_list(version: str) -> QuerySet[Need]:
    """Needs whose current text is embedded with the current model but whose list is missing or
    was ranked from an earlier save of the need or another taxonomy version."""
    model_name = encoder_name()
    current = MatchList.objects.filter(
        need=OuterRef("pk"),
        model_name=model_name,
        need_updated_at=OuterRef("updated_at"),
        taxonomy_version=version,
    )
    embedded = Embedding.objects.filter(
        kind=Embedding.Kind.NEED, object_id=OuterRef("pk"), model_name=model_name
    )
    return (
        Need.objects.filter(embedding_dirty=False)
        .filter(Exists(embedded))
        .exclude(Exists(current))
        .order_by("updated_at", "pk")
    )


def needs_touched_by(capabilities: Iterable[Capability], context: MatchContext) -> set[int]:
    """The needs whose lists a changed profile enters or leaves: those it is ranked for now
    (from the need's side), and those whose stored list holds it."""
    touched: set[int] = set()
    model_name = encoder_name()
    for capability in capabilities:
        touched.update(
            match.need_id
            for match in rank_capability(
                capability, top=STORED_MATCHES, context=context, include_suppressed=True
            )
        )
        touched.update(
            StoredMatch.objects.filter(
                capability=capability, match_list__model_name=model_name
            ).values_list("match_list__need_id", flat=True)
        )
    return touched


def match_lists_refresh_due(limit: int = 500) -> ListsReport:
    """Store the lists that are missing or out of date, and re-rank those a changed profile
    enters or leaves. Run by the worker after each embedding pass, before the leads are made."""
    context = MatchContext.load()
    due = list(needs_without_current_list(context.version)[:limit])
    profiles = list(
        Capability.objects.due_for_match_lists()
        .filter(embedding_dirty=False)
        .order_by("updated_at")[:limit]
    )
    ids = {need.pk for need in due} | needs_touched_by(profiles, context)
    needs = Need.objects.filter(pk__in=ids, embedding_dirty=False).order_by("pk")
    started = timezone.now()
    stored = 0
    for need in needs:
        match_list_store(need, context=context)
        stored += 1
    # Only those not edited again meanwhile: an edit during the pass is seen by the next one.
    Capability.objects.filter(
        pk__in=[profile.pk for profile in profiles], updated_at__lt=started
    ).update(match_lists_refreshed_at=started)
    return ListsReport(needs=stored, profiles=len(profiles))
