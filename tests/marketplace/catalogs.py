"""Catalogues that the import tests upload."""

from __future__ import annotations

from typing import Any

# Two new organisations (an institution and a vendor), a need of the one and a profile of the other.
CATALOG: dict[str, Any] = {
    "organizations": [
        {"ref": "inst-01", "name": "颐和苑分院", "kind": "demand", "sub_type": "elder_care"},
        {"ref": "v-01", "name": "海尔康养机器人", "kind": "vendor"},
    ],
    "needs": [
        {
            "ref": "n-01",
            "organization": "inst-01",
            "title": "送餐机器人",
            "description": "三餐从厨房送到各楼层。",
            "domain": "civil_affairs",
            "categories": ["material_delivery"],
            "region": "青岛市",
        }
    ],
    "capabilities": [
        {
            "ref": "c-01",
            "organization": "v-01",
            "title": "康复外骨骼",
            "description": "下肢康复训练。",
            "domains": ["healthcare"],
            "robot_type": "exoskeleton",
            "service_regions": ["全国"],
            "maturity": "mass_production",
        }
    ],
}
