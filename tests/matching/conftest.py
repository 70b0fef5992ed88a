"""Matching tests run the real default model, built from its PyPI packages by `make test`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from marketplace.capabilities.services import capability_create
from marketplace.models import Capability, Certification, Need
from marketplace.needs.services import need_create


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The built model; built here if `make test` did not do it already (idempotent)."""
    from matching.model_build import build_e5_small

    target = Path(settings.MATCHING_MODEL)
    build_e5_small(target, verify=False)
    return target


@pytest.fixture
def catalog(taxonomy: dict[str, Any], alice: Any, bob: Any, victor: Any) -> dict[str, Any]:
    """A need for rehab exoskeletons, and profiles that fit it, nearly fit it, or do not."""
    certificate = Certification.objects.create(name="二类医疗器械注册证")
    regions = taxonomy["regions"]
    need = need_create(
        organization=alice.organization,
        created_by=alice,
        fields={
            "title": "中风老人下肢康复训练设备",
            "description": "康复室里偏瘫老人多，希望有外骨骼帮助他们重新练习走路。",
            "domain": taxonomy["civil"],
            "region": regions["青岛市"],
            "budget_max_cny": 300000,
        },
        categories=[taxonomy["rehab"]],
        required_certifications=[certificate],
        submit=True,
    )
    english = need_create(
        organization=alice.organization,
        created_by=alice,
        fields={
            "title": "Meal delivery robot",
            "description": "A robot that carries meal trays to residents' rooms on five floors.",
            "domain": taxonomy["civil"],
            "region": regions["青岛市"],
        },
        submit=True,
    )

    def profile(owner: Any, title: str, description: str, **extra: Any) -> Capability:
        fields = {
            "title": title,
            "description": description,
            "robot_type": extra.pop("robot_type", taxonomy["exoskeleton"]),
            "maturity": Capability.Maturity.MASS_PRODUCTION,
            "price_min_cny": extra.pop("price_min_cny", 150000),
            "price_max_cny": extra.pop("price_max_cny", 250000),
        }
        return capability_create(
            organization=owner.organization,
            created_by=owner,
            fields=fields,
            domains=[taxonomy["civil"], taxonomy["health"]],
            service_regions=[extra.pop("region", regions["全国"])],
            categories=extra.pop("categories", [taxonomy["rehab"]]),
            certifications=extra.pop("certifications", [certificate]),
            publish=True,
        )

    certified = profile(
        bob, "下肢康复外骨骼", "帮助偏瘫患者进行步行训练，可调节步态，适合康复科和养老机构。"
    )
    uncertified = profile(
        victor, "下肢外骨骼机器人", "偏瘫患者步行康复训练外骨骼，步态可调。", certifications=[]
    )
    delivery = profile(
        victor,
        "送餐机器人",
        "自主乘电梯，把饭菜和药品送到养老院各楼层房间。",
        robot_type=taxonomy["care_robot"],
        categories=[taxonomy["delivery"]],
        certifications=[],
        price_min_cny=30000,
        price_max_cny=50000,
    )
    return {
        "need": need,
        "english": english,
        "certified": certified,
        "uncertified": uncertified,
        "delivery": delivery,
    }


@pytest.fixture
def embedded(catalog: dict[str, Any], model_path: Path) -> dict[str, Any]:
    from marketplace.matches.embeddings import embeddings_refresh

    embeddings_refresh()
    assert not Need.objects.filter(embedding_dirty=True).exists()
    return catalog
