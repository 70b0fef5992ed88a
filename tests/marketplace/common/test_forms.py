"""Form rules that do not need a request: upload checks, grouping and the organiser's field."""

from __future__ import annotations

import io
from typing import Any, cast

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from marketplace.capabilities.forms import CapabilityForm
from marketplace.common.forms import validate_image_upload, validate_pdf_upload
from marketplace.models import Region
from marketplace.needs.forms import NeedForm


def _image(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("image_format", "stored_name"),
    [("PNG", "image.png"), ("JPEG", "image.jpg"), ("WEBP", "image.webp")],
)
def test_images_are_recognised_by_content_and_renamed_to_match(
    image_format: str, stored_name: str
) -> None:
    upload = SimpleUploadedFile("whatever.exe", _image(image_format))

    checked = validate_image_upload(upload)

    assert checked.name == stored_name
    assert checked.read() == _image(image_format)  # rewound for storage


@pytest.mark.parametrize(
    "content",
    [b"", b"GIF89a but broken", b"%PDF-1.4 pretending", _image("PNG")[:20]],
    ids=["empty", "broken-gif", "pdf", "truncated-png"],
)
def test_content_that_is_not_a_whole_image_is_refused(content: bytes) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_image_upload(SimpleUploadedFile("photo.png", content))

    assert raised.value.messages == ["图片无法识别：请上传 JPEG、PNG 或 WebP 格式的图片文件。"]


def test_a_pdf_is_recognised_by_its_header_whatever_its_name() -> None:
    checked = validate_pdf_upload(SimpleUploadedFile("spec.html", b"%PDF-1.5\n..."))

    assert checked.name == "spec-sheet.pdf"
    assert checked.read() == b"%PDF-1.5\n..."


def test_a_file_without_the_pdf_header_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        validate_pdf_upload(SimpleUploadedFile("spec.pdf", b"PK\x03\x04 a zip"))

    assert raised.value.messages == ["规格书必须是 PDF 文件（文件内容不是 PDF）。"]


def test_categories_are_grouped_under_their_domain_and_tagged_for_the_script(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    html = str(NeedForm(user=alice)["categories"])

    civil = taxonomy["civil"].pk
    assert "<label>民政</label>" in html
    assert f'data-domain="{civil}"' in html
    assert html.index("<label>民政</label>") < html.index("物资配送") < html.index("康复训练")


def test_the_need_form_is_shown_in_four_sections(alice: User, taxonomy: dict[str, Any]) -> None:
    sections = NeedForm(user=alice).fieldsets()

    assert [str(legend) for legend, _fields in sections] == [
        "基本信息",
        "场地条件",
        "数量与预算",
        "资质与时间",
    ]
    assert [field.name for field in sections[0][1]] == [
        "title",
        "description",
        "domain",
        "categories",
        "product_classes",
    ]


def test_only_organisers_choose_the_organisation_and_only_among_the_right_kind(
    alice: User, bob: User, olga: User, nina: User, taxonomy: dict[str, Any]
) -> None:
    organiser_need_form = NeedForm(user=olga)
    organiser_capability_form = CapabilityForm(user=olga)

    assert "organization" not in NeedForm(user=alice).fields
    assert "organization" not in CapabilityForm(user=bob).fields
    need_owner = cast(forms.ModelChoiceField, organiser_need_form.fields["organization"])
    capability_owner = cast(
        forms.ModelChoiceField, organiser_capability_form.fields["organization"]
    )
    assert set(need_owner.queryset) == {alice.organization, nina.organization}
    assert set(capability_owner.queryset) == {bob.organization}


def test_quantity_must_be_at_least_one(alice: User, taxonomy: dict[str, Any]) -> None:
    form = NeedForm(
        {
            "title": "t",
            "description": "d",
            "domain": taxonomy["civil"].pk,
            "region": taxonomy["regions"]["青岛市"].pk,
            "quantity": "0",
        },
        user=alice,
    )

    assert form.errors == {"quantity": ["需求数量至少为 1。"]}


def _groups(field: forms.BoundField) -> list[tuple[str | None, list[str]]]:
    return [
        (label, [option["label"] for option in options])
        for label, options, _index in field.field.widget.optgroups(field.html_name, [])
    ]


def test_the_need_region_menu_is_grouped_by_province_with_qingdao_first(
    taxonomy: dict[str, Any], alice: User
) -> None:
    form = NeedForm(user=alice)

    groups = _groups(form["region"])

    assert groups == [
        (None, ["---------"]),
        ("山东省", ["青岛市", "山东省全境"]),
        ("全国、直辖市与特别行政区", ["全国"]),
        ("广东省", ["广东省全境", "深圳市"]),
    ]
    assert form["region"].field.widget.attrs["data-region-picker"] == ""


def test_qingdao_s_districts_follow_it_at_the_top(taxonomy: dict[str, Any], alice: User) -> None:
    # given a district below 青岛市 and another city below 山东省
    qingdao = taxonomy["regions"]["青岛市"]
    jinan = Region.objects.create(
        name="济南市", level=Region.Level.CITY, parent=taxonomy["regions"]["山东省"]
    )
    Region.objects.create(name="历下区", level=Region.Level.CITY, parent=jinan)
    Region.objects.create(name="崂山区", level=Region.Level.CITY, parent=qingdao)

    # when
    groups = _groups(NeedForm(user=alice)["region"])

    # then
    assert groups[1] == ("山东省", ["青岛市", "崂山区", "山东省全境", "济南市", "历下区"])


def test_the_service_region_menu_is_grouped_the_same_way(
    taxonomy: dict[str, Any], bob: User
) -> None:
    form = CapabilityForm(user=bob)

    groups = _groups(form["service_regions"])

    assert groups[0] == ("山东省", ["青岛市", "山东省全境"])
    assert [label for label, _options in groups] == [
        "山东省",
        "全国、直辖市与特别行政区",
        "广东省",
    ]


def test_the_region_groups_read_in_english(taxonomy: dict[str, Any], alice: User) -> None:
    from django.utils import translation

    with translation.override("en"):
        groups = _groups(NeedForm(user=alice)["region"])

    assert groups[1] == ("山东省", ["青岛市", "All of 山东省"])
    assert groups[2][0] == "Nationwide, municipalities and special administrative regions"


def test_a_chosen_region_is_kept_as_the_field_value(taxonomy: dict[str, Any], alice: User) -> None:
    from tests.marketplace.form_data import need_form_data

    shenzhen = taxonomy["regions"]["深圳市"]
    form = NeedForm(need_form_data(taxonomy, region=shenzhen.pk), user=alice)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"] == shenzhen
    assert f'value="{shenzhen.pk}" selected' in str(form["region"])
