"""Stored match lists: the worker ranks and stores, pages and the API only read.

The catalogue (tests/conftest.py): 颐和苑's rehabilitation need and an English delivery need;
康途's certified exoskeleton, another vendor's uncertified one and its delivery robot."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from marketplace.capabilities.services import capability_set_status, capability_update
from marketplace.leads.selectors import need_leads
from marketplace.leads.services import lead_mark_not_fit
from marketplace.matches.lists import match_list_store, match_lists_refresh_due
from marketplace.matches.models import MatchList, StoredMatch
from marketplace.matches.ranking import rank_need
from marketplace.matches.selectors import (
    MatchesState,
    capability_matches_read,
    need_matches_read,
)
from marketplace.models import Capability, Need
from marketplace.needs.services import need_create
from matching.encoders import encoder_name

pytestmark = pytest.mark.django_db


def _pairs(matches: Any) -> list[tuple[int, float, bool]]:
    return [(m.capability_id, round(m.score, 6), m.eligible) for m in matches]


def test_a_stored_list_reads_back_exactly_what_the_ranking_returned(
    embedded: dict[str, Any],
) -> None:
    need = embedded["need"]
    ranked = rank_need(need, top=10)
    stored = need_matches_read(need, top=10)

    assert stored.state == MatchesState.READY
    assert _pairs(stored.matches) == _pairs(ranked)
    assert [m.aspects for m in stored.matches] == [m.aspects for m in ranked]
    assert [m.breakdown for m in stored.matches] == [m.breakdown for m in ranked]
    assert [m.failed_requirements for m in stored.matches] == [
        m.failed_requirements for m in ranked
    ]
    assert MatchList.objects.get(need=need).model_name == encoder_name()


def test_storing_again_replaces_the_list_and_a_second_pass_finds_nothing_to_do(
    embedded: dict[str, Any],
) -> None:
    need = embedded["need"]
    entries = StoredMatch.objects.filter(match_list__need=need).count()
    match_list_store(need)
    assert StoredMatch.objects.filter(match_list__need=need).count() == entries
    assert MatchList.objects.filter(need=need).count() == 1
    assert match_lists_refresh_due().needs == 0


def test_new_weights_make_every_stored_list_stale_until_the_worker_ranks_it_again(
    embedded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deployment that changes the weights must not leave pages on scores of the old ones."""
    from dataclasses import replace

    from matching.ranking import ranker

    need = embedded["need"]
    assert need_matches_read(need, top=10).state == MatchesState.READY
    new_weights = replace(ranker.DEFAULT_WEIGHTS, dense=ranker.DEFAULT_WEIGHTS.dense + 0.1)
    monkeypatch.setattr(ranker, "DEFAULT_WEIGHTS", new_weights)

    assert need_matches_read(need, top=10).state == MatchesState.UPDATING
    assert match_lists_refresh_due().needs >= 1
    assert need_matches_read(need, top=10).state == MatchesState.READY
    assert match_lists_refresh_due().needs == 0


def test_a_need_without_its_vector_is_pending_and_is_not_ranked(
    embedded: dict[str, Any], alice: User, taxonomy: dict[str, Any]
) -> None:
    need = need_create(
        organization=alice.organization,
        created_by=alice,
        fields={
            "title": "夜间巡查机器人",
            "description": "夜里在楼道巡视，发现老人跌倒就报警。",
            "domain": taxonomy["civil"],
            "region": taxonomy["regions"]["青岛市"],
        },
    )
    assert need_matches_read(need, top=10).state == MatchesState.PENDING
    assert match_lists_refresh_due().needs == 0  # the worker embeds it first
    assert not MatchList.objects.filter(need=need).exists()


def test_a_suppressed_pair_and_an_unpublished_profile_leave_the_read_at_once(
    embedded: dict[str, Any], alice: User, bob: User
) -> None:
    need, certified = embedded["need"], embedded["certified"]
    uncertified = embedded["uncertified"]
    shown = {m.capability_id for m in need_matches_read(need, top=10).matches}
    assert {certified.pk, uncertified.pk} <= shown

    lead_mark_not_fit(need, uncertified.organization, alice)
    capability_set_status(capability=certified, user=bob, status=Capability.Status.ARCHIVED)

    after = {m.capability_id for m in need_matches_read(need, top=10).matches}
    assert certified.pk not in after and uncertified.pk not in after
    # The match page passes the need's leads it read: the same pairs leave.
    leads = need_leads(need, alice)
    assert any(lead.is_suppressed for lead in leads)
    read_with_leads = need_matches_read(need, top=10, leads=leads)
    assert {m.capability_id for m in read_with_leads.matches} == after
    assert set(read_with_leads.profiles) == after
    # Nothing was ranked again: the list still holds both, the read leaves them out.
    assert (
        StoredMatch.objects.filter(
            match_list__need=need, capability__in=[certified, uncertified]
        ).count()
        == 2
    )


def test_a_changed_profile_is_ranked_again_in_the_lists_it_is_in(
    embedded: dict[str, Any], bob: User, regions: dict[str, Any]
) -> None:
    from marketplace.matches.embeddings import embeddings_refresh

    need, certified = embedded["need"], embedded["certified"]
    before = {m.capability_id: m for m in need_matches_read(need, top=10).matches}
    assert before[certified.pk].eligible

    # The profile stops serving the need's region: a hard requirement now fails.
    capability_update(
        capability=certified,
        user=bob,
        fields={},
        service_regions=[regions["深圳市"]],
    )
    embeddings_refresh()
    report = match_lists_refresh_due()

    assert report.profiles == 1 and report.needs >= 1
    after = {m.capability_id: m for m in need_matches_read(need, top=10).matches}
    assert not after[certified.pk].eligible
    assert match_lists_refresh_due().needs == 0


def test_a_profile_reads_the_needs_whose_lists_hold_it_best_first(
    embedded: dict[str, Any],
) -> None:
    delivery = embedded["delivery"]
    matches = capability_matches_read(delivery, top=10)
    assert {m.need_id for m in matches} <= set(
        Need.objects.published().values_list("pk", flat=True)
    )
    assert embedded["english"].pk in {m.need_id for m in matches}
    order = [(not m.eligible, -m.score) for m in matches]
    assert order == sorted(order)


def test_the_match_page_says_matching_is_under_way_and_refreshes_itself(
    embedded: dict[str, Any], alice: User
) -> None:
    need = embedded["need"]
    MatchList.objects.filter(need=need).delete()
    client = Client()
    client.force_login(alice)

    page = client.get(reverse("matches:need_matches", args=[need.pk])).content.decode()
    assert "正在匹配" in page
    assert '<meta http-equiv="refresh" content="5">' in page

    match_lists_refresh_due()
    page = client.get(reverse("matches:need_matches", args=[need.pk])).content.decode()
    assert "正在匹配" not in page and 'http-equiv="refresh"' not in page
    assert "下肢康复外骨骼" in page


def test_the_api_says_whether_the_list_is_ready(embedded: dict[str, Any], alice: User) -> None:
    need = embedded["need"]
    client = APIClient()
    client.force_authenticate(alice)
    url = reverse("api:need_matches", args=[need.pk])

    ready = client.get(url)
    assert ready.status_code == 200 and ready["X-Matching-State"] == "ready" and ready.json()

    MatchList.objects.filter(need=need).delete()
    pending = client.get(url)
    assert pending.status_code == 200
    assert pending["X-Matching-State"] == "pending" and pending.json() == []
