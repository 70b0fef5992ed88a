"""The list pages' filter menus are rendered once per distinct query and kept; a taxonomy change
shows at once, the values asked for stay selected, and an unknown value is still refused."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.models import Region
from marketplace.taxonomy.version import taxonomy_version

pytestmark = pytest.mark.django_db

NEEDS = reverse("needs:need_list")
CAPABILITIES = reverse("capabilities:capability_list")


def _region_options(html: str) -> dict[str, bool]:
    """Each option of the region menu: its label, and whether it is selected."""
    menu = re.search(r'<select name="region"[^>]*>(.*?)</select>', html, re.S)
    assert menu is not None
    return {
        label.strip(): "selected" in attributes
        for attributes, label in re.findall(r"<option([^>]*)>([^<]*)</option>", menu.group(1))
    }


def test_a_region_added_after_the_menu_was_kept_is_offered_at_once(
    taxonomy: dict[str, Any],
) -> None:
    client = Client()
    before = _region_options(client.get(NEEDS).content.decode())
    assert "青岛市" in before and "崂山区" not in before

    Region.objects.create(
        name="崂山区", level=Region.Level.CITY, parent=taxonomy["regions"]["青岛市"]
    )

    assert "崂山区" in _region_options(client.get(NEEDS).content.decode())
    assert "崂山区" in _region_options(client.get(CAPABILITIES).content.decode())


def test_each_query_keeps_its_own_selection(taxonomy: dict[str, Any]) -> None:
    client = Client()
    qingdao, shenzhen = taxonomy["regions"]["青岛市"], taxonomy["regions"]["深圳市"]

    first = _region_options(client.get(NEEDS, {"region": qingdao.pk}).content.decode())
    second = _region_options(client.get(NEEDS, {"region": shenzhen.pk}).content.decode())
    again = _region_options(client.get(NEEDS, {"region": qingdao.pk}).content.decode())

    assert [label for label, selected in first.items() if selected] == ["青岛市"]
    assert [label for label, selected in second.items() if selected] == ["深圳市"]
    assert again == first


def test_an_unknown_value_is_refused_every_time(taxonomy: dict[str, Any]) -> None:
    client = Client()
    for _attempt in range(2):
        page = client.get(NEEDS, {"region": 999999}).content.decode()
        assert "选择一个有效的选项" in page


def test_the_taxonomy_version_moves_with_every_save_and_delete(
    taxonomy: dict[str, Any],
) -> None:
    first = taxonomy_version()
    assert taxonomy_version() == first

    region = Region.objects.create(name="黄岛区", level=Region.Level.CITY)
    created = taxonomy_version()
    region.delete()

    assert len({first, created, taxonomy_version()}) == 3
