"""Features kept between rankings are read again whenever what they were built from changed:
the row (a save through the services, relations included), the organisation's name, or the
taxonomy (a renamed region)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.capabilities.services import capability_update
from marketplace.matches.features_kept import (
    need_features_kept,
    need_kept,
    profile_features_kept,
    vector_kept,
)
from marketplace.matches.ranking import MatchContext, rank_need
from marketplace.models import Capability, Need
from marketplace.needs.services import need_update

pytestmark = pytest.mark.django_db


def _profiles(pk: int) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        features = profile_features_kept(Capability.objects.filter(pk=pk), MatchContext.load())[pk]
    return features, len(queries)


def test_a_profile_is_read_in_full_once_then_only_its_stamp(catalog: dict[str, Any]) -> None:
    pk = catalog["certified"].pk
    first, first_queries = _profiles(pk)
    again, again_queries = _profiles(pk)

    assert again == first
    assert first.title == "下肢康复外骨骼"
    # The stamp alone, against the row, the organisation and five relations.
    assert again_queries == 1
    assert first_queries > again_queries


def test_a_profile_saved_through_the_service_is_read_again_with_its_relations(
    catalog: dict[str, Any], taxonomy: dict[str, Any], bob: Any
) -> None:
    profile = catalog["certified"]
    before, _ = _profiles(profile.pk)
    assert before.categories == {"rehab_training"}

    capability_update(
        capability=profile,
        user=bob,
        fields={"title": "下肢康复外骨骼 二代"},
        categories=[taxonomy["rehab"], taxonomy["delivery"]],
    )

    after, queries = _profiles(profile.pk)
    assert after.title == "下肢康复外骨骼 二代"
    assert after.categories == {"rehab_training", "material_delivery"}
    assert queries > 1


def test_a_renamed_organisation_is_read_again(catalog: dict[str, Any]) -> None:
    profile = catalog["certified"]
    _profiles(profile.pk)
    organization = profile.organization
    organization.name = "康途智能"
    organization.save()

    assert _profiles(profile.pk)[0].organization_name == "康途智能"


def test_a_taxonomy_change_reads_every_profile_and_the_context_again(
    catalog: dict[str, Any], taxonomy: dict[str, Any]
) -> None:
    profile = catalog["certified"]
    context = MatchContext.load()
    assert MatchContext.load() is context  # kept while the taxonomy stays
    assert _profiles(profile.pk)[0].service_regions == {"全国"}

    nationwide = taxonomy["regions"]["全国"]
    nationwide.name = "全国范围"
    nationwide.save()

    assert _profiles(profile.pk)[0].service_regions == {"全国范围"}
    fresh = MatchContext.load()
    assert fresh is not context
    assert "全国范围" in fresh.lineages[taxonomy["regions"]["青岛市"].pk]


def test_a_need_edited_through_the_service_is_read_again(
    catalog: dict[str, Any], taxonomy: dict[str, Any], alice: Any
) -> None:
    need = catalog["english"]
    context = MatchContext.load()
    first = need_features_kept(Need.objects.filter(pk=need.pk), context)[need.pk]
    assert first.features.categories == frozenset()
    assert "Meal delivery robot" in first.text

    need_update(
        need=need,
        user=alice,
        fields={"title": "Meal and medicine delivery robot"},
        categories=[taxonomy["delivery"]],
    )

    again = need_features_kept(Need.objects.filter(pk=need.pk), context)[need.pk]
    assert again.features.categories == {"material_delivery"}
    assert again.features.title == "Meal and medicine delivery robot"
    assert "物资配送" in again.text


def test_a_need_as_read_needs_no_query_once_kept(
    catalog: dict[str, Any], taxonomy: dict[str, Any], alice: Any
) -> None:
    need = catalog["english"]
    context = MatchContext.load()
    first = need_kept(need, context)
    with CaptureQueriesContext(connection) as queries:
        again = need_kept(need, context)
    assert again == first
    assert len(queries) == 0

    need_update(need=need, user=alice, fields={}, categories=[taxonomy["delivery"]])

    edited = need_kept(need, context)
    assert edited is not None
    assert edited.features.categories == {"material_delivery"}


def test_a_need_deleted_since_it_was_read_is_none(catalog: dict[str, Any]) -> None:
    need = Need.objects.get(pk=catalog["english"].pk)
    Need.objects.filter(pk=need.pk).delete()

    assert need_kept(need, MatchContext.load()) is None


def test_a_vector_is_read_once_per_model_and_text_and_kind() -> None:
    reads: list[str] = []

    def reader(name: str) -> Any:
        def read() -> np.ndarray:
            reads.append(name)
            return np.full(3, len(reads), dtype=np.float32)

        return read

    first = vector_kept("need", 7, ("m", "送餐"), reader("first"))
    again = vector_kept("need", 7, ("m", "送餐"), reader("again"))
    other_kind = vector_kept("capability", 7, ("m", "送餐"), reader("profile"))
    new_text = vector_kept("need", 7, ("m", "送药"), reader("new text"))
    new_model = vector_kept("need", 7, ("m2", "送药"), reader("new model"))

    assert reads == ["first", "profile", "new text", "new model"]
    assert again is first
    assert [v[0] for v in (first, other_kind, new_text, new_model)] == [1, 2, 3, 4]


def test_ranking_a_need_again_reads_no_vector(embedded: dict[str, Any]) -> None:
    need = embedded["need"]
    first = rank_need(need)
    with CaptureQueriesContext(connection) as queries:
        again = rank_need(need)

    assert [m.capability_id for m in again] == [m.capability_id for m in first]
    assert first  # the catalogue has profiles to rank
    # Vectors (the need's, the index's) are neither read nor loaded again: the index only
    # checks how many rows it holds and how recent they are.
    assert not [q for q in queries if '"matching_embedding"."vector"' in q["sql"]]
