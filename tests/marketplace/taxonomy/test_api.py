"""The taxonomy programs write needs and profiles with."""

from __future__ import annotations

from typing import Any

from marketplace.models import Certification, ProductClass
from tests.conftest import ClientFor


def test_taxonomy_lists_every_code_and_name(
    taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # given
    ProductClass.objects.create(
        code="delivery_robot", name_zh="配送机器人", name_en="Delivery robot"
    )
    Certification.objects.create(name="CCC认证", name_en="CCC")

    # when
    response = client_for(None).get("/api/v1/taxonomy/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["domains"] == [
        {"code": "civil_affairs", "name": "民政", "name_zh": "民政", "name_en": "Civil affairs"},
        {"code": "healthcare", "name": "医疗康养", "name_zh": "医疗康养", "name_en": "Healthcare"},
    ]
    assert body["service_categories"] == [
        {
            "code": "material_delivery",
            "name": "物资配送",
            "name_zh": "物资配送",
            "name_en": "Delivery",
            "domain": "civil_affairs",
        },
        {
            "code": "rehab_training",
            "name": "康复训练",
            "name_zh": "康复训练",
            "name_en": "Rehab training",
            "domain": "civil_affairs",
        },
    ]
    assert body["product_classes"] == [
        {
            "code": "delivery_robot",
            "name": "配送机器人",
            "name_zh": "配送机器人",
            "name_en": "Delivery robot",
        }
    ]
    assert [row["code"] for row in body["robot_types"]] == ["care_robot", "exoskeleton"]
    assert {(row["name"], row["level"], row["parent"]) for row in body["regions"]} == {
        ("全国", "country", None),
        ("山东省", "province", "全国"),
        ("广东省", "province", "全国"),
        ("青岛市", "city", "山东省"),
        ("深圳市", "city", "广东省"),
    }
    assert body["certifications"] == [{"name": "CCC认证", "name_en": "CCC"}]


def test_names_follow_the_request_language(taxonomy: dict[str, Any], client_for: ClientFor) -> None:
    # when
    body = client_for(None, language="en").get("/api/v1/taxonomy/").json()

    # then
    assert [row["name"] for row in body["domains"]] == ["Civil affairs", "Healthcare"]
    assert [row["name"] for row in body["robot_types"]] == ["Care robot", "Exoskeleton"]
