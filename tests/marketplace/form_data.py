"""What the web forms' tests post: a good need, a good sign-up, each with fields replaced."""

from __future__ import annotations

from typing import Any


def need_form_data(taxonomy: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A need of 颐和苑's that the need form accepts and submits (from the ``taxonomy`` fixture)."""
    data = {
        "title": "颐和苑三餐送餐机器人",
        "description": "每天三餐把饭菜从一楼厨房送到三层楼的 120 个房间。",
        "domain": taxonomy["civil"].pk,
        "categories": [taxonomy["delivery"].pk],
        "region": taxonomy["regions"]["青岛市"].pk,
        "site_environment": "indoor",
        "site_floors": "3",
        "site_has_elevator": "true",
        "site_area_m2": "2400",
        "quantity": "2",
        "budget_min_cny": "100000",
        "budget_max_cny": "300000",
        "wanted_by": "2027-03-01",
        "action": "submit",
    }
    data.update(overrides)
    return data


def signup_form_data(**overrides: str) -> dict[str, str]:
    """A new elder-care home's director signing up, which the sign-up form accepts."""
    data = {
        "email": "Director@Haijing.example.com",
        "password1": "sea-view-care-2026",
        "password2": "sea-view-care-2026",
        "full_name": "王主任",
        "organization_name": "海景养老院",
        "kind": "demand",
        "sub_type": "elder_care",
        "district": "市南区",
        "city": "青岛市",
        "contact_person": "",
        "phone": "0532-81234567",
        "website": "haijing.example.com",
        "introduction": "床位 200 张。",
    }
    data.update(overrides)
    return data
