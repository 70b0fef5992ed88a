"""Capability profiles through the API: created by code and name, validated, filtered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.models import Capability
from tests.conftest import ClientFor
from tests.marketplace.factories import CapabilityFactory

CAPABILITIES = "/api/v1/capabilities/"


def _body(**extra: Any) -> dict[str, Any]:
    return {
        "title": "护理机器人 X1",
        "description": "协助翻身、转移与夜间巡视。",
        "robot_type": "care_robot",
        "maturity": "pilot",
        "domains": ["civil_affairs"],
        "categories": ["rehab_training"],
        "service_regions": ["山东省"],
        **extra,
    }


def _capability(
    organization: Organization, taxonomy: dict[str, Any], *, regions: tuple[str, ...], **fields: Any
) -> Capability:
    fields.setdefault("robot_type", taxonomy["care_robot"])
    capability = CapabilityFactory.create(organization=organization, **fields)
    capability.domains.set([taxonomy["civil"]])
    capability.service_regions.set([taxonomy["regions"][name] for name in regions])
    return capability


def test_create_writes_relations_and_returns_the_profile(
    bob: User, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # when
    response = client_for(bob).post(
        CAPABILITIES, _body(price_min_cny=100000, price_max_cny=200000), format="json"
    )

    # then
    assert response.status_code == 201
    capability = Capability.objects.get()
    body = response.json()
    assert body == {
        "id": capability.pk,
        "organization": {"id": bob.organization_id, "name": "康途机器人", "kind": "vendor"},
        "title": "护理机器人 X1",
        "description": "协助翻身、转移与夜间巡视。",
        "robot_type": "care_robot",
        "maturity": "pilot",
        "domains": ["civil_affairs"],
        "categories": ["rehab_training"],
        "product_classes": [],
        "service_regions": ["山东省"],
        "key_specs": "",
        "price_min_cny": 100000,
        "price_max_cny": 200000,
        "pilot_capacity_per_quarter": None,
        "certifications": [],
        "reference_deployments": "",
        "image": None,
        "spec_sheet": None,
        "status": "draft",
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert (capability.created_by, capability.embedding_dirty) == (bob, True)


def test_create_and_publish(bob: User, taxonomy: dict[str, Any], client_for: ClientFor) -> None:
    # when
    response = client_for(bob).post(CAPABILITIES, _body(publish=True), format="json")

    # then
    assert response.status_code == 201
    assert Capability.objects.get().status == Capability.Status.PUBLISHED
    assert client_for(None).get(f"{CAPABILITIES}{response.json()['id']}/").status_code == 200


def test_price_min_above_max_names_price_max(
    bob: User, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # when
    response = client_for(bob).post(
        CAPABILITIES, _body(price_min_cny=300000, price_max_cny=200000), format="json"
    )

    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "无效的输入。",
            "fields": {"price_max_cny": ["价格上限不能低于价格下限。"]},
        }
    }
    assert not Capability.objects.exists()


def test_domains_and_service_regions_are_required_on_create(
    bob: User, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # when
    response = client_for(bob).post(
        CAPABILITIES, _body(domains=[], service_regions=None), format="json"
    )

    # then
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"service_regions": ["该字段不能为 null。"]}
    missing = client_for(bob).post(CAPABILITIES, _body(domains=[]), format="json")
    assert missing.json()["error"]["fields"] == {"domains": ["请至少选择一个适用领域。"]}
    assert not Capability.objects.exists()


def test_patch_replaces_only_the_relations_sent(
    bob: User, kangtu: Organization, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # given
    capability = _capability(kangtu, taxonomy, regions=("青岛市",))

    # when
    response = client_for(bob).patch(
        f"{CAPABILITIES}{capability.pk}/",
        {"service_regions": ["全国", "深圳市"], "maturity": "mass_production"},
        format="json",
    )

    # then
    assert response.status_code == 200
    capability.refresh_from_db()
    assert capability.maturity == "mass_production"
    assert set(capability.service_regions.values_list("name", flat=True)) == {"全国", "深圳市"}
    assert list(capability.domains.values_list("code", flat=True)) == ["civil_affairs"]


def test_patching_only_the_domains_is_checked_against_the_stored_categories(
    bob: User, kangtu: Organization, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # given: a profile of 民政 offering 康复训练, a category of 民政
    capability = _capability(kangtu, taxonomy, regions=("青岛市",))
    capability.categories.set([taxonomy["rehab"]])

    # when: the domains alone become 医疗康养
    response = client_for(bob).patch(
        f"{CAPABILITIES}{capability.pk}/", {"domains": ["healthcare"]}, format="json"
    )

    # then: refused as on create; the stored domains are kept
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "categories": ["服务类别“康复训练”不属于所选领域。"]
    }
    assert list(capability.domains.values_list("code", flat=True)) == ["civil_affairs"]


def test_status_archives_a_profile_out_of_public_view(
    bob: User, kangtu: Organization, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # given
    capability = _capability(kangtu, taxonomy, regions=("全国",))

    # when
    response = client_for(bob).post(
        f"{CAPABILITIES}{capability.pk}/status/", {"status": "archived"}, format="json"
    )

    # then
    assert response.status_code == 200
    capability.refresh_from_db()
    assert capability.status == Capability.Status.ARCHIVED
    assert client_for(None).get(f"{CAPABILITIES}{capability.pk}/").status_code == 404


@pytest.fixture
def listed(
    kangtu: Organization, rival: Organization, taxonomy: dict[str, Any]
) -> dict[str, Capability]:
    nationwide = _capability(kangtu, taxonomy, title="全国护理", regions=("全国",))
    qingdao = _capability(
        kangtu,
        taxonomy,
        title="青岛外骨骼",
        regions=("青岛市",),
        robot_type=taxonomy["exoskeleton"],
        maturity=Capability.Maturity.PILOT,
    )
    shenzhen = _capability(rival, taxonomy, title="深圳护理", regions=("深圳市",))
    shenzhen.categories.set([taxonomy["delivery"]])
    draft = _capability(
        rival, taxonomy, title="草稿护理", regions=("全国",), status=Capability.Status.DRAFT
    )
    return {"nationwide": nationwide, "qingdao": qingdao, "shenzhen": shenzhen, "draft": draft}


def _titles(response: Any) -> set[str]:
    assert response.status_code == 200, response.content.decode()
    return {row["title"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({}, {"全国护理", "青岛外骨骼", "深圳护理"}),
        ({"region": "青岛市"}, {"全国护理", "青岛外骨骼"}),
        ({"region": "深圳市"}, {"全国护理", "深圳护理"}),
        ({"robot_type": "exoskeleton"}, {"青岛外骨骼"}),
        ({"maturity": "pilot"}, {"青岛外骨骼"}),
        ({"domain": "civil_affairs"}, {"全国护理", "青岛外骨骼", "深圳护理"}),
        ({"domain": "healthcare"}, set()),
        ({"category": "material_delivery"}, {"深圳护理"}),
        ({"q": "护理"}, {"全国护理", "深圳护理"}),
    ],
)
def test_list_filters(
    query: dict[str, str],
    titles: set[str],
    listed: dict[str, Capability],
    client_for: ClientFor,
) -> None:
    # when
    response = client_for(None).get(CAPABILITIES, query)

    # then
    assert _titles(response) == titles


def test_updated_since_filters_profiles_by_date(
    listed: dict[str, Capability], client_for: ClientFor
) -> None:
    # given
    Capability.objects.filter(pk=listed["nationwide"].pk).update(
        updated_at=timezone.now() - timedelta(days=30)
    )
    since = (timezone.localdate() - timedelta(days=1)).isoformat()

    # when
    response = client_for(None).get(CAPABILITIES, {"updated_since": since})

    # then
    assert _titles(response) == {"青岛外骨骼", "深圳护理"}


def test_vendors_see_their_own_drafts_in_the_list(
    listed: dict[str, Capability], victor: User, client_for: ClientFor
) -> None:
    # when
    response = client_for(victor).get(CAPABILITIES, {"status": "draft"})

    # then
    assert _titles(response) == {"草稿护理"}
