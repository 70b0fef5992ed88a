"""Reads of the stored matches, as pages and the API show them: no ranking, no model.

A read leaves out what changed since the list was ranked and needs no ranking to know: profiles
no longer published and pairs either side has suppressed (declined, or marked 不合适)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from marketplace.capabilities.models import published_profile
from marketplace.matches.models import MatchList, StoredMatch
from marketplace.matches.ranking import lists_version
from marketplace.models import Capability, Lead, Need
from matching.engine import RankedMatch, encoder_name, match_from_data


class MatchesState(StrEnum):
    READY = "ready"  # ranked from the need as it is now
    UPDATING = "updating"  # ranked from an earlier save; the worker is ranking it again
    PENDING = "pending"  # not ranked yet: the need waits for its vector


@dataclass(frozen=True)
class StoredMatches:
    state: MatchesState
    matches: list[RankedMatch]
    # The list read (None while pending), for what else the page shows of it: its reading.
    match_list: MatchList | None = None
    # The matched profiles by id, with what pages and the API name them by: title, ref and
    # organisation name (other fields are deferred).
    profiles: dict[int, Capability] = field(default_factory=dict)

    @property
    def is_pending(self) -> bool:
        return self.state == MatchesState.PENDING

    @property
    def is_updating(self) -> bool:
        return self.state == MatchesState.UPDATING


# Stored matches read back, kept per process by what they hold (the row's values and its detail
# as the database's JSON text, read as text: ``_with_detail_text``): the same stored match is
# decoded into phrases once, not on every read. Bounded by starting afresh when full.
RANKED_KEPT = 4096
_ranked_kept: dict[tuple[int, int, float, bool, str], RankedMatch] = {}
DETAIL_TEXT = "detail_text"


def _with_detail_text(entries: QuerySet[StoredMatch]) -> QuerySet[StoredMatch]:
    """The entries without their decoded detail, with its JSON text instead: a read whose
    matches this process keeps decodes no JSON."""
    return entries.defer("detail").annotate(**{DETAIL_TEXT: Cast("detail", TextField())})


def _ranked(entry: StoredMatch, need_id: int) -> RankedMatch:
    text: str = getattr(entry, DETAIL_TEXT)
    key = (need_id, entry.capability_id, entry.score, entry.eligible, text)
    match = _ranked_kept.get(key)
    if match is None:
        if len(_ranked_kept) >= RANKED_KEPT:
            _ranked_kept.clear()
        match = _ranked_kept[key] = match_from_data(
            need_id=need_id,
            capability_id=entry.capability_id,
            score=entry.score,
            eligible=entry.eligible,
            data=json.loads(text),
        )
    return match


def need_match_list(need: Need) -> MatchList | None:
    """The need's stored list of the current model, if the worker has made one."""
    # At most one list per need and model (match_list_one_per_model); first() would sort them.
    return next(iter(MatchList.objects.of_model(encoder_name()).filter(need=need)), None)


def need_matches_read(
    need: Need, *, top: int, leads: Sequence[Lead] | None = None
) -> StoredMatches:
    """The need's best ``top`` profiles as last ranked, and whether that ranking is current.

    ``leads``: every lead of the need, when the caller has read them all (the owner's match
    page): the pairs they suppress are taken from them rather than read again."""
    # The entries and their list in one query; the list alone when no entry is left to show.
    entries = StoredMatch.objects.filter(
        published_profile("capability__"),
        match_list__need=need,
        match_list__model_name=encoder_name(),
    )
    if leads is None:
        entries = entries.exclude(
            capability_id__in=Lead.objects.suppressed().filter(need=need).values("capability_id")
        )
    else:
        entries = entries.exclude(
            capability_id__in=[lead.capability_id for lead in leads if lead.is_suppressed]
        )
    read = list(
        _with_detail_text(
            entries.select_related("match_list", "capability__organization").only(*_ENTRY_FIELDS)
        ).order_by("position")[:top]
    )
    match_list = read[0].match_list if read else need_match_list(need)
    if match_list is None:
        return StoredMatches(MatchesState.PENDING, [])
    current = match_list.is_current_for(need, lists_version())
    return StoredMatches(
        MatchesState.READY if current else MatchesState.UPDATING,
        [_ranked(entry, need.pk) for entry in read],
        match_list,
        {entry.capability_id: entry.capability for entry in read},
    )


_ENTRY_FIELDS = (
    "match_list",
    "capability_id",
    "position",
    "score",
    "eligible",
    "capability__ref",
    "capability__title",
    "capability__organization__name",
)


def capability_matches_read(capability: Capability, *, top: int) -> list[RankedMatch]:
    """The published needs whose stored lists hold this profile, best first: eligible pairs
    first, then by score."""
    entries = (
        StoredMatch.objects.filter(
            capability=capability,
            match_list__model_name=encoder_name(),
            match_list__need__in=Need.objects.published(),
        )
        .exclude(
            match_list__need__in=Lead.objects.suppressed()
            .filter(capability=capability)
            .values("need_id")
        )
        .select_related("match_list")
    )
    read = _with_detail_text(entries).order_by("-eligible", "-score", "match_list__need_id")[:top]
    return [_ranked(entry, entry.match_list.need_id) for entry in read]
