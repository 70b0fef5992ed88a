"""The capability pages: the vendor's form with uploads checked by content, the list and status."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.models import User
from marketplace.models import Capability
from tests.marketplace.factories import CapabilityFactory

CAPABILITY_CREATE = reverse("capabilities:capability_create")
CAPABILITY_LIST = reverse("capabilities:capability_list")


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def _form_data(taxonomy: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "康途送餐机器人 K2",
        "description": "自主乘梯，多层楼宇送餐送药，适合养老院。",
        "robot_type": taxonomy["care_robot"].pk,
        "maturity": "mass_production",
        "domains": [taxonomy["civil"].pk],
        "categories": [taxonomy["delivery"].pk],
        "service_regions": [taxonomy["regions"]["山东省"].pk],
        "key_specs": "续航 8 小时；载重 30 公斤",
        "price_min_cny": "50000",
        "price_max_cny": "80000",
        "pilot_capacity_per_quarter": "3",
        "action": "publish",
    }
    data.update(overrides)
    return data


def test_a_vendor_publishes_a_capability_with_an_image_and_a_spec_sheet(
    bob: User, taxonomy: dict[str, Any], media_root: Path
) -> None:
    # given
    data = _form_data(
        taxonomy,
        image=SimpleUploadedFile("照片.PNG", image_bytes("PNG"), content_type="image/png"),
        spec_sheet=SimpleUploadedFile("规格.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf"),
    )

    # when
    response = _client(bob).post(CAPABILITY_CREATE, data)

    # then
    capability = Capability.objects.get()
    assert response.status_code == 302
    assert response["Location"] == capability.get_absolute_url()
    assert capability.organization == bob.organization
    assert capability.status == Capability.Status.PUBLISHED
    assert list(capability.domains.all()) == [taxonomy["civil"]]
    assert list(capability.categories.all()) == [taxonomy["delivery"]]
    assert list(capability.service_regions.all()) == [taxonomy["regions"]["山东省"]]
    assert capability.image.name.endswith(".png")
    assert capability.spec_sheet.name.endswith(".pdf")
    assert (media_root / capability.image.name).read_bytes() == image_bytes("PNG")


def test_an_image_named_png_that_holds_text_is_refused_and_nothing_is_saved(
    bob: User, taxonomy: dict[str, Any], media_root: Path
) -> None:
    # given
    fake = SimpleUploadedFile("photo.png", b"this is not an image at all", "image/png")

    # when
    response = _client(bob).post(CAPABILITY_CREATE, _form_data(taxonomy, image=fake))

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "image": ["图片无法识别：请上传 JPEG、PNG 或 WebP 格式的图片文件。"]
    }
    assert "图片无法识别：请上传 JPEG、PNG 或 WebP 格式的图片文件。" in response.content.decode()
    assert Capability.objects.count() == 0
    assert list(media_root.rglob("*")) == []


def test_a_jpeg_named_png_is_accepted_and_stored_as_jpeg(
    bob: User, taxonomy: dict[str, Any]
) -> None:
    upload = SimpleUploadedFile("photo.png", image_bytes("JPEG"), "image/png")

    _client(bob).post(CAPABILITY_CREATE, _form_data(taxonomy, image=upload))

    assert Capability.objects.get().image.name.endswith(".jpg")


def test_a_gif_is_refused_because_only_jpeg_png_and_webp_are_allowed(
    bob: User, taxonomy: dict[str, Any]
) -> None:
    upload = SimpleUploadedFile("photo.gif", image_bytes("GIF"), "image/gif")

    response = _client(bob).post(CAPABILITY_CREATE, _form_data(taxonomy, image=upload))

    assert response.context["form"].errors == {
        "image": ["不支持的图片格式（GIF）：请上传 JPEG、PNG 或 WebP 格式的图片文件。"]
    }
    assert Capability.objects.count() == 0


def test_a_spec_sheet_named_pdf_without_pdf_content_is_refused(
    bob: User, taxonomy: dict[str, Any]
) -> None:
    upload = SimpleUploadedFile("spec.pdf", b"<html>not a pdf</html>", "application/pdf")

    response = _client(bob).post(CAPABILITY_CREATE, _form_data(taxonomy, spec_sheet=upload))

    assert response.context["form"].errors == {
        "spec_sheet": ["规格书必须是 PDF 文件（文件内容不是 PDF）。"]
    }
    assert Capability.objects.count() == 0


def test_an_image_over_the_size_limit_is_refused(
    bob: User, taxonomy: dict[str, Any], settings: Any
) -> None:
    settings.MARKETPLACE_IMAGE_MAX_BYTES = 100
    upload = SimpleUploadedFile("photo.png", image_bytes("PNG") + b"\0" * 200, "image/png")

    response = _client(bob).post(CAPABILITY_CREATE, _form_data(taxonomy, image=upload))

    # filesizeformat puts a no-break space between number and unit
    assert response.context["form"].errors == {
        "image": ["文件太大（277\xa0字节），最大允许 100\xa0字节。"]
    }
    assert Capability.objects.count() == 0


def test_price_minimum_above_maximum_is_reported_next_to_the_maximum(
    bob: User, taxonomy: dict[str, Any]
) -> None:
    response = _client(bob).post(
        CAPABILITY_CREATE, _form_data(taxonomy, price_min_cny="90000", price_max_cny="10000")
    )

    assert response.context["form"].errors == {"price_max_cny": ["价格上限不能低于价格下限。"]}
    assert Capability.objects.count() == 0


def test_a_demand_user_cannot_open_the_capability_form(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    page = _client(alice).get(CAPABILITY_CREATE)
    post = _client(alice).post(CAPABILITY_CREATE, _form_data(taxonomy))

    assert page.status_code == 403
    assert post.status_code == 403
    assert Capability.objects.count() == 0


def test_a_vendor_edits_and_archives_its_capability_but_not_a_rivals(
    bob: User, victor: User, taxonomy: dict[str, Any]
) -> None:
    # given
    own = CapabilityFactory.create(organization=bob.organization, robot_type=taxonomy["care_robot"])
    rival = CapabilityFactory.create(
        organization=victor.organization, robot_type=taxonomy["care_robot"]
    )
    client = _client(bob)

    # when
    edited = client.post(
        reverse("capabilities:capability_edit", args=[own.pk]),
        _form_data(taxonomy, title="新名称", action="save"),
    )
    archived = client.post(
        reverse("capabilities:capability_status", args=[own.pk]), {"status": "archived"}
    )
    refused = client.post(
        reverse("capabilities:capability_status", args=[rival.pk]), {"status": "archived"}
    )

    # then
    own.refresh_from_db()
    rival.refresh_from_db()
    assert (edited.status_code, archived.status_code, refused.status_code) == (302, 302, 404)
    assert own.title == "新名称"
    assert own.status == Capability.Status.ARCHIVED
    assert rival.status == Capability.Status.PUBLISHED


def test_the_list_filters_by_region_served_including_wider_regions(
    bob: User, victor: User, taxonomy: dict[str, Any]
) -> None:
    # given
    regions = taxonomy["regions"]
    shandong = CapabilityFactory.create(
        organization=bob.organization, title="山东全省服务", robot_type=taxonomy["care_robot"]
    )
    shandong.service_regions.set([regions["山东省"]])
    nationwide = CapabilityFactory.create(
        organization=victor.organization,
        title="全国服务外骨骼",
        robot_type=taxonomy["exoskeleton"],
        maturity=Capability.Maturity.PILOT,
    )
    nationwide.service_regions.set([regions["全国"]])
    shenzhen = CapabilityFactory.create(
        organization=victor.organization, title="只服务深圳", robot_type=taxonomy["care_robot"]
    )
    shenzhen.service_regions.set([regions["深圳市"]])
    CapabilityFactory.create(
        organization=bob.organization,
        title="康途草稿",
        robot_type=taxonomy["care_robot"],
        status=Capability.Status.DRAFT,
    )

    def titles(query: dict[str, Any]) -> list[str]:
        response = _client().get(CAPABILITY_LIST, query)
        return sorted(item.title for item in response.context["page"].object_list)

    # then
    assert titles({}) == sorted(["山东全省服务", "全国服务外骨骼", "只服务深圳"])
    assert titles({"region": regions["青岛市"].pk}) == sorted(["山东全省服务", "全国服务外骨骼"])
    assert titles({"robot_type": "exoskeleton"}) == ["全国服务外骨骼"]
    assert titles({"maturity": "pilot"}) == ["全国服务外骨骼"]
    assert titles({"q": "深圳"}) == ["只服务深圳"]
