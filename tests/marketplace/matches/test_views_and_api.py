"""Who may read matches and leads, on the web and through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from marketplace.matches import views
from marketplace.matches.api import (
    CapabilityLeadSerializer,
    MatchedObjectSerializer,
    NeedMatchSerializer,
)

pytestmark = pytest.mark.django_db


def _web(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_institution_sees_ranked_vendors_with_reasons(
    embedded: dict[str, Any], alice: User
) -> None:
    response = _web(alice).get(reverse("matches:need_matches", args=[embedded["need"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "下肢康复外骨骼" in page
    assert "缺少：二类医疗器械注册证" in page
    assert page.index("下肢康复外骨骼") < page.index("下肢外骨骼机器人")


def test_the_match_page_shows_the_best_first_and_more_on_request(
    embedded: dict[str, Any], alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a page that shows the best two first (three published profiles in all)
    monkeypatch.setattr(views, "MATCHES_FIRST", 2)
    url = reverse("matches:need_matches", args=[embedded["need"].pk])
    client = _web(alice)

    first = client.get(url)
    more = client.get(url, {"more": 1})

    # then the first page shows two, best first, and offers more; "more" shows all three
    assert [row.position for row in first.context["rows"]] == [1, 2]
    assert "显示更多匹配" in first.content.decode()
    assert [row.match for row in more.context["rows"]][:2] == [
        row.match for row in first.context["rows"]
    ]
    assert len(more.context["rows"]) == 3
    assert "显示更多匹配" not in more.content.decode()


@pytest.mark.parametrize("who", ["bob", "victor", "nina"])
def test_others_cannot_see_a_needs_matches(
    embedded: dict[str, Any], who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    url = reverse("matches:need_matches", args=[embedded["need"].pk])
    assert _web(user).get(url).status_code == 404
    api_url = reverse("api:need_matches", args=[embedded["need"].pk])
    assert _api(user).get(api_url).status_code == 404


def test_anonymous_is_sent_to_login_and_the_api_answers_401(embedded: dict[str, Any]) -> None:
    url = reverse("matches:need_matches", args=[embedded["need"].pk])
    assert _web(None).get(url).status_code == 302
    assert (
        _api(None).get(reverse("api:need_matches", args=[embedded["need"].pk])).status_code == 401
    )


def test_the_api_returns_matches_with_eligibility_and_reasons(
    embedded: dict[str, Any], olga: User
) -> None:
    response = _api(olga).get(reverse("api:need_matches", args=[embedded["need"].pk]), {"top": 3})
    assert response.status_code == 200
    data = response.json()
    assert [item["rank"] for item in data] == [1, 2, 3]
    assert data[0]["capability"]["id"] == embedded["certified"].pk
    assert data[0]["eligible"] is True
    first_reason = data[0]["reasons"][0]
    assert first_reason["aspect"] == "certifications"
    assert first_reason["verdict"] == "met"
    assert first_reason["text"].startswith("✓ 必需资质")
    assert first_reason["evidence"]
    failed = next(item for item in data if not item["eligible"])
    assert failed["failed_requirements"] == ["certifications"]
    assert {c["name"] for c in data[0]["breakdown"]} >= {"dense", "lexical", "maturity"}


def test_the_match_payloads_have_exactly_the_documented_shape(
    embedded: dict[str, Any], olga: User
) -> None:
    # The views build the payload directly; the serializers document it (openapi.yaml).
    needs = _api(olga).get(reverse("api:need_matches", args=[embedded["need"].pk])).json()
    leads = _api(olga).get(reverse("api:capability_leads", args=[embedded["certified"].pk])).json()

    for payload, serializer in ((needs, NeedMatchSerializer), (leads, CapabilityLeadSerializer)):
        assert payload
        documented = serializer(data=payload, many=True)
        assert documented.is_valid(), documented.errors
        assert all(set(item) == set(serializer().fields) for item in payload)
        inner = "capability" if serializer is NeedMatchSerializer else "need"
        assert all(set(item[inner]) == set(MatchedObjectSerializer().fields) for item in payload)


def test_the_api_refuses_a_bad_top(embedded: dict[str, Any], alice: User) -> None:
    url = reverse("api:need_matches", args=[embedded["need"].pk])
    response = _api(alice).get(url, {"top": 0})
    assert response.status_code == 400
    assert "top" in response.json()["error"]["fields"]


def test_a_vendor_reads_leads_for_its_own_profile_only(
    embedded: dict[str, Any], bob: User, victor: User
) -> None:
    own = reverse("api:capability_leads", args=[embedded["certified"].pk])
    response = _api(bob).get(own)
    assert response.status_code == 200
    assert response.json()[0]["need"]["id"] == embedded["need"].pk
    assert _api(victor).get(own).status_code == 404
    page = _web(bob).get(reverse("matches:capability_leads", args=[embedded["certified"].pk]))
    assert page.status_code == 200
    assert "中风老人下肢康复训练设备" in page.content.decode()
