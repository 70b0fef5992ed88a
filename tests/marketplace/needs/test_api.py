"""Needs through the API: written by code and name, validated into one error shape, filtered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.models import Certification, Need, NeedRevision, ProductClass
from tests.conftest import ClientFor
from tests.marketplace.factories import NeedFactory

NEEDS = "/api/v1/needs/"


@pytest.fixture
def ccc(db: None) -> Certification:
    return Certification.objects.create(name="CCC认证", name_en="CCC")


@pytest.fixture
def delivery_robots(db: None) -> ProductClass:
    return ProductClass.objects.create(code="delivery_robot", name_zh="配送机器人")


def _body(**extra: Any) -> dict[str, Any]:
    return {
        "title": "三餐送餐机器人",
        "description": "三餐从一楼厨房送到各楼层房间。",
        "domain": "civil_affairs",
        "categories": ["material_delivery"],
        "region": "青岛市",
        **extra,
    }


def _need(organization: Organization, taxonomy: dict[str, Any], **fields: Any) -> Need:
    fields.setdefault("domain", taxonomy["civil"])
    fields.setdefault("region", taxonomy["regions"]["青岛市"])
    return NeedFactory.create(organization=organization, **fields)


def test_create_writes_relations_by_code_and_name_and_returns_the_need(
    alice: User,
    taxonomy: dict[str, Any],
    ccc: Certification,
    delivery_robots: ProductClass,
    client_for: ClientFor,
) -> None:
    # when
    response = client_for(alice).post(
        NEEDS,
        _body(
            product_classes=["delivery_robot"],
            required_certifications=["CCC认证"],
            quantity=2,
            budget_min_cny=30000,
            budget_max_cny=50000,
            site_has_elevator=True,
            wanted_by="2026-09-01",
        ),
        format="json",
    )

    # then
    assert response.status_code == 201
    need = Need.objects.get()
    body = response.json()
    assert body == {
        "id": need.pk,
        "organization": {"id": alice.organization_id, "name": "颐和苑养老中心", "kind": "demand"},
        "title": "三餐送餐机器人",
        "description": "三餐从一楼厨房送到各楼层房间。",
        "domain": "civil_affairs",
        "categories": ["material_delivery"],
        "product_classes": ["delivery_robot"],
        "region": "青岛市",
        "site_environment": "",
        "site_floors": None,
        "site_has_elevator": True,
        "site_area_m2": None,
        "quantity": 2,
        "budget_min_cny": 30000,
        "budget_max_cny": 50000,
        "budget_basis": "per_unit",
        "required_certifications": ["CCC认证"],
        "wanted_by": "2026-09-01",
        "status": "draft",
        "published_at": None,
        "expires_at": None,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert need.created_by == alice
    assert need.organization == alice.organization


@pytest.mark.parametrize(
    ("user_name", "status"), [("alice", "published"), ("nina", "pending_review")]
)
def test_create_and_submit_publishes_only_for_an_approved_organisation(
    user_name: str,
    status: str,
    taxonomy: dict[str, Any],
    request: pytest.FixtureRequest,
    client_for: ClientFor,
) -> None:
    # given
    user = request.getfixturevalue(user_name)

    # when
    response = client_for(user).post(NEEDS, _body(submit=True), format="json")

    # then
    assert response.status_code == 201
    assert response.json()["status"] == status
    assert Need.objects.get().status == status


def test_organiser_creates_a_need_for_a_demand_organisation(
    olga: User, yihe: Organization, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # when
    response = client_for(olga).post(NEEDS, _body(organization=yihe.pk), format="json")

    # then
    assert response.status_code == 201
    need = Need.objects.get()
    assert (need.organization, need.created_by) == (yihe, olga)


def test_organiser_cannot_post_a_need_for_a_vendor(
    olga: User, kangtu: Organization, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # when
    response = client_for(olga).post(NEEDS, _body(organization=kangtu.pk), format="json")

    # then
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"organization": ["只有需求方机构可以发布需求。"]}
    assert not Need.objects.exists()


def test_budget_min_above_max_names_budget_max(
    alice: User, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # when
    response = client_for(alice).post(
        NEEDS, _body(budget_min_cny=90000, budget_max_cny=50000), format="json"
    )

    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "无效的输入。",
            "fields": {"budget_max_cny": ["预算上限不能低于预算下限。"]},
        }
    }
    assert not Need.objects.exists()


def test_missing_and_unknown_values_are_named_per_field(
    alice: User, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # when
    response = client_for(alice).post(
        NEEDS,
        {"domain": "space_travel", "region": "火星", "quantity": 0, "categories": ["nope"]},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "title": ["该字段是必填项。"],
        "description": ["该字段是必填项。"],
        "domain": ["属性 code 为 space_travel 的对象不存在。"],
        "categories": ["属性 code 为 nope 的对象不存在。"],
        "region": ["属性 name 为 火星 的对象不存在。"],
        "quantity": ["请确保该值大于或者等于 1。"],
    }
    assert not Need.objects.exists()


def test_errors_are_in_english_when_the_request_asks_for_it(
    alice: User, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # when
    response = client_for(alice, language="en").post(
        NEEDS, {"title": "x", "domain": "space_travel"}, format="json"
    )

    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Invalid input.",
            "fields": {
                "description": ["This field is required."],
                "domain": ["Object with code=space_travel does not exist."],
                "region": ["This field is required."],
            },
        }
    }


def test_a_category_of_another_domain_is_refused(
    alice: User, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # when
    response = client_for(alice).post(NEEDS, _body(domain="healthcare"), format="json")

    # then
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "categories": ["服务类别“物资配送”不属于所选领域。"]
    }
    assert not Need.objects.exists()


def test_patching_only_the_domain_is_checked_against_the_stored_categories(
    alice: User, yihe: Organization, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # given: a need of 民政 whose category 物资配送 belongs to 民政
    need = _need(yihe, taxonomy, status=Need.Status.DRAFT)
    need.categories.set([taxonomy["delivery"]])

    # when: the domain alone moves to 医疗康养, which 物资配送 does not belong to
    response = client_for(alice).patch(
        f"{NEEDS}{need.pk}/", {"domain": "healthcare"}, format="json"
    )

    # then: refused as the same pair is on create, and nothing stored
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "categories": ["服务类别“物资配送”不属于所选领域。"]
    }
    need.refresh_from_db()
    assert need.domain == taxonomy["civil"]


def test_patch_changes_only_what_is_sent_and_keeps_a_revision_of_a_published_need(
    alice: User, yihe: Organization, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # given
    need = _need(yihe, taxonomy, title="旧标题", status=Need.Status.PUBLISHED)
    need.categories.set([taxonomy["delivery"]])

    # when
    response = client_for(alice).patch(
        f"{NEEDS}{need.pk}/", {"title": "新标题", "quantity": 3}, format="json"
    )

    # then
    assert response.status_code == 200
    need.refresh_from_db()
    assert (need.title, need.quantity, need.status) == ("新标题", 3, Need.Status.PUBLISHED)
    assert list(need.categories.values_list("code", flat=True)) == ["material_delivery"]
    revision = NeedRevision.objects.get(need=need)
    assert (revision.snapshot["title"], revision.edited_by) == ("旧标题", alice)


def test_patch_budget_below_the_stored_minimum_is_refused(
    alice: User, yihe: Organization, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # given
    need = _need(yihe, taxonomy, status=Need.Status.DRAFT, budget_min_cny=40000)

    # when
    response = client_for(alice).patch(
        f"{NEEDS}{need.pk}/", {"budget_max_cny": 10000}, format="json"
    )

    # then
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"budget_max_cny": ["预算上限不能低于预算下限。"]}
    need.refresh_from_db()
    assert need.budget_max_cny is None


def test_submit_publishes_a_draft_with_an_expiry_date(
    alice: User, yihe: Organization, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # given
    need = _need(yihe, taxonomy, status=Need.Status.DRAFT)

    # when
    response = client_for(alice).post(f"{NEEDS}{need.pk}/submit/")

    # then
    assert response.status_code == 200
    need.refresh_from_db()
    assert need.status == Need.Status.PUBLISHED
    assert need.expires_at is not None
    assert response.json()["status"] == "published"


def test_submitting_a_published_need_again_is_refused(
    alice: User, yihe: Organization, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # given
    need = _need(yihe, taxonomy, status=Need.Status.PUBLISHED)

    # when
    response = client_for(alice).post(f"{NEEDS}{need.pk}/submit/")

    # then
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"status": ["只有草稿可以提交。"]}


def test_renew_brings_an_expired_need_back(
    alice: User, yihe: Organization, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # given
    past = timezone.now() - timedelta(days=1)
    need = _need(yihe, taxonomy, status=Need.Status.EXPIRED, expires_at=past)

    # when
    response = client_for(alice).post(f"{NEEDS}{need.pk}/renew/")

    # then
    assert response.status_code == 200
    need.refresh_from_db()
    assert need.status == Need.Status.PUBLISHED
    assert need.expires_at is not None
    assert need.expires_at > timezone.now() + timedelta(days=179)


def test_status_moves_along_the_allowed_transitions_only(
    alice: User, yihe: Organization, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # given
    need = _need(yihe, taxonomy, status=Need.Status.DRAFT)
    client = client_for(alice)

    # when
    refused = client.post(f"{NEEDS}{need.pk}/status/", {"status": "fulfilled"}, format="json")
    unknown = client.post(f"{NEEDS}{need.pk}/status/", {"status": "sold"}, format="json")
    closed = client.post(f"{NEEDS}{need.pk}/status/", {"status": "closed"}, format="json")

    # then
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"status": ["不能从“草稿”改为该状态。"]}
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"] == {"status": ["“sold” 不是合法选项。"]}
    assert closed.status_code == 200
    need.refresh_from_db()
    assert need.status == Need.Status.CLOSED


# --- Listing ------------------------------------------------------------------------------------


@pytest.fixture
def listed(yihe: Organization, newcomer: Organization, taxonomy: dict[str, Any]) -> dict[str, Need]:
    shenzhen = taxonomy["regions"]["深圳市"]
    delivery = _need(yihe, taxonomy, title="送餐机器人", status=Need.Status.PUBLISHED)
    delivery.categories.set([taxonomy["delivery"]])
    rehab = _need(yihe, taxonomy, title="康复训练", status=Need.Status.IN_TALKS)
    rehab.categories.set([taxonomy["rehab"]])
    health = _need(
        yihe,
        taxonomy,
        title="医院导诊",
        domain=taxonomy["health"],
        region=shenzhen,
        status=Need.Status.PUBLISHED,
    )
    draft = _need(yihe, taxonomy, title="草稿送餐", status=Need.Status.DRAFT)
    pending = _need(newcomer, taxonomy, title="新来送餐", status=Need.Status.PUBLISHED)
    return {
        "delivery": delivery,
        "rehab": rehab,
        "health": health,
        "draft": draft,
        "pending": pending,
    }


def _titles(response: Any) -> set[str]:
    assert response.status_code == 200, response.content.decode()
    return {row["title"] for row in response.json()["results"]}


def test_anonymous_list_shows_public_needs_of_approved_organisations_only(
    listed: dict[str, Need], client_for: ClientFor
) -> None:
    # when
    response = client_for(None).get(NEEDS)

    # then
    assert _titles(response) == {"送餐机器人", "康复训练", "医院导诊"}
    assert response.json()["count"] == 3


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"domain": "healthcare"}, {"医院导诊"}),
        ({"category": "rehab_training"}, {"康复训练"}),
        ({"region": "深圳市"}, {"医院导诊"}),
        ({"status": "in_talks"}, {"康复训练"}),
        ({"status": "draft"}, {"草稿送餐"}),
        ({"q": "送餐"}, {"送餐机器人", "草稿送餐"}),
        ({"q": "送餐 草稿"}, {"草稿送餐"}),
        ({"domain": "civil_affairs", "category": "material_delivery"}, {"送餐机器人"}),
    ],
)
def test_list_filters_narrow_what_the_user_may_see(
    query: dict[str, str],
    titles: set[str],
    alice: User,
    listed: dict[str, Need],
    client_for: ClientFor,
) -> None:
    # when
    response = client_for(alice).get(NEEDS, query)

    # then
    assert _titles(response) == titles


def test_status_filter_never_widens_visibility(
    listed: dict[str, Need], bob: User, client_for: ClientFor
) -> None:
    # when
    response = client_for(bob).get(NEEDS, {"status": "draft"})

    # then
    assert _titles(response) == set()


def test_updated_since_filters_by_date(
    alice: User, listed: dict[str, Need], client_for: ClientFor
) -> None:
    # given
    long_ago = timezone.now() - timedelta(days=30)
    Need.objects.filter(pk=listed["rehab"].pk).update(updated_at=long_ago)
    since = (timezone.localdate() - timedelta(days=1)).isoformat()

    # when
    response = client_for(None).get(NEEDS, {"updated_since": since})

    # then
    assert _titles(response) == {"送餐机器人", "医院导诊"}


def test_an_unknown_filter_value_is_a_named_error(
    listed: dict[str, Need], client_for: ClientFor
) -> None:
    # when
    response = client_for(None, language="en").get(NEEDS, {"domain": "space_travel"})

    # then
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "domain": ["Select a valid choice. That choice is not one of the available choices."]
    }


def test_list_is_paginated_newest_change_first(
    yihe: Organization, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # given
    needs = [_need(yihe, taxonomy, title=f"需求{index:02d}") for index in range(25)]
    newest_first = sorted(needs, key=lambda need: (need.updated_at, need.pk), reverse=True)

    # when
    first = client_for(None).get(NEEDS).json()
    second = client_for(None).get(NEEDS, {"page": 2}).json()
    small = client_for(None).get(NEEDS, {"page_size": 5, "page": 3}).json()

    # then
    assert first["count"] == 25
    assert [row["id"] for row in first["results"]] == [need.pk for need in newest_first[:20]]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/needs/?page=2"
    assert [row["id"] for row in second["results"]] == [need.pk for need in newest_first[20:]]
    assert second["next"] is None
    assert [row["id"] for row in small["results"]] == [need.pk for need in newest_first[10:15]]


def test_a_page_past_the_end_is_not_found(listed: dict[str, Need], client_for: ClientFor) -> None:
    # when
    response = client_for(None).get(NEEDS, {"page": 9})

    # then
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("language", "budget_message", "organization_message"),
    [
        ("zh-hans", "预算上限不能低于预算下限。", "组织方代为录入时，请指定所属机构。"),
        (
            "en",
            "The maximum budget cannot be lower than the minimum budget.",
            "When an organiser enters this on someone's behalf, name the organisation.",
        ),
    ],
)
def test_service_and_api_messages_follow_accept_language(
    language: str,
    budget_message: str,
    organization_message: str,
    alice: User,
    olga: User,
    taxonomy: dict[str, Any],
    client_for: ClientFor,
) -> None:
    # when
    budget = client_for(alice, language=language).post(
        NEEDS, _body(budget_min_cny=2, budget_max_cny=1), format="json"
    )
    owner = client_for(olga, language=language).post(NEEDS, _body(), format="json")

    # then
    assert budget.json()["error"]["fields"] == {"budget_max_cny": [budget_message]}
    assert owner.json()["error"]["fields"] == {"organization": [organization_message]}
    assert not Need.objects.exists()


def test_organization_filter_lists_one_organisations_needs_and_hides_unseen_ones(
    listed: dict[str, Need],
    yihe: Organization,
    newcomer: Organization,
    client_for: ClientFor,
) -> None:
    # when
    own = client_for(None).get(NEEDS, {"organization": yihe.pk})
    pending = client_for(None, language="en").get(NEEDS, {"organization": newcomer.pk})

    # then
    assert _titles(own) == {"送餐机器人", "康复训练", "医院导诊"}
    assert pending.status_code == 400
    assert pending.json()["error"]["fields"] == {
        "organization": ["Select a valid choice. That choice is not one of the available choices."]
    }


def test_a_budget_for_the_whole_quantity_is_written_and_read_as_total(
    alice: User, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    client = client_for(alice)
    response = client.post(
        NEEDS, _body(quantity=3, budget_max_cny=300000, budget_basis="total"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["budget_basis"] == "total"
    need = Need.objects.get()
    assert (need.budget_basis, need.budget_max_cny) == (Need.BudgetBasis.TOTAL, 300000)

    # A patch leaves it alone unless it names it; an unknown value is refused by name.
    patched = client.patch(f"{NEEDS}{need.pk}/", {"quantity": 4}, format="json")
    assert patched.json()["budget_basis"] == "total"
    refused = client.patch(f"{NEEDS}{need.pk}/", {"budget_basis": "monthly"}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["budget_basis"]
    need.refresh_from_db()
    assert need.budget_basis == Need.BudgetBasis.TOTAL


def test_a_need_posted_without_a_basis_budgets_per_unit(
    alice: User, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    response = client_for(alice).post(NEEDS, _body(budget_max_cny=80000), format="json")
    assert response.status_code == 201
    assert response.json()["budget_basis"] == "per_unit"
    assert Need.objects.get().budget_basis == Need.BudgetBasis.PER_UNIT
