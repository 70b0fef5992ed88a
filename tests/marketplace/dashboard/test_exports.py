"""The needs, capabilities and organisations exports as people read them: headers and values by
their labels in the reader's language; the import layout keeps the codes and re-imports."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Organization, User
from marketplace.audit.models import AuditEntry
from marketplace.imports.loading import catalog_import
from marketplace.imports.parsing import parse_import_file
from marketplace.models import Capability, Certification, Need

pytestmark = pytest.mark.django_db

CHINESE = "zh-hans"
ENGLISH = "en"


def _table(response: Any, fmt: str) -> list[list[Any]]:
    if fmt == "csv":
        assert response.content.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == 1
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _record(table: list[list[Any]], column: str, value: str) -> dict[str, Any]:
    """The row whose ``column`` is ``value``, keyed by header."""
    header = table[0]
    for row in table[1:]:
        record = dict(zip(header, row, strict=True))
        if record[column] == value:
            return record
    raise AssertionError(f"no row with {column}={value!r} in {table}")


def _download(user: User, entity: str, fmt: str, language: str, **params: str) -> Any:
    client = Client()
    client.force_login(user)
    url = reverse("dashboard:export", kwargs={"entity": entity, "fmt": fmt})
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


@pytest.fixture
def need(alice: User, yihe: Organization, taxonomy: dict[str, Any]) -> Need:
    Organization.objects.filter(pk=yihe.pk).update(ref="inst-01")
    need = Need.objects.create(
        organization=yihe,
        title="=夜间巡查机器人",  # a formula in disguise
        description="走廊巡查。",
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
        site_environment=Need.SiteEnvironment.INDOOR,
        site_has_elevator=True,
        status=Need.Status.PUBLISHED,
        ref="n-01",
    )
    need.categories.set([taxonomy["delivery"]])
    need.required_certifications.set(
        [Certification.objects.create(name="二类医疗器械注册证", name_en="Class II device")]
    )
    return need


@pytest.fixture
def capability(bob: User, kangtu: Organization, taxonomy: dict[str, Any]) -> Capability:
    capability = Capability.objects.create(
        organization=kangtu,
        title="外骨骼康复训练",
        description="下肢康复。",
        robot_type=taxonomy["exoskeleton"],
        maturity=Capability.Maturity.PILOT,
        status=Capability.Status.PUBLISHED,
    )
    capability.domains.set([taxonomy["civil"]])
    capability.service_regions.set([taxonomy["regions"]["山东省"]])
    return capability


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            CHINESE,
            {
                "标题": "'=夜间巡查机器人",
                "发布机构": "颐和苑养老中心",
                "领域": "民政",
                "服务类别": "物资配送",
                "场地环境": "室内",
                "有无电梯": "是",
                "所在地区": "青岛市",
                "必需资质": "二类医疗器械注册证",
                "状态": "已发布",
                "导入编号": "n-01",
            },
        ),
        (
            ENGLISH,
            {
                "Title": "'=夜间巡查机器人",
                "Posted by": "颐和苑养老中心",
                "Domain": "Civil affairs",
                "Service categories": "Delivery",
                "Site environment": "Indoor",
                "Lift available": "Yes",
                "Region": "青岛市",
                "Required certifications": "Class II device",
                "Status": "Published",
                "Import reference": "n-01",
            },
        ),
    ],
)
def test_the_needs_export_names_columns_and_values_in_the_readers_language(
    need: Need, olga: User, fmt: str, language: str, expected: dict[str, str]
) -> None:
    # when
    table = _table(_download(olga, "needs", fmt, language), fmt)

    # then
    record = _record(table, next(iter(expected)), "'=夜间巡查机器人")
    assert {key: record[key] for key in expected} == expected
    assert "record_type" not in table[0] and "civil_affairs" not in str(table)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            CHINESE,
            {
                "产品/能力名称": "外骨骼康复训练",
                "供应商": "康途机器人",
                "机器人类型": "外骨骼",
                "适用领域": "民政",
                "服务地区": "山东省",
                "成熟度": "试点验证",
                "状态": "已发布",
            },
        ),
        (
            ENGLISH,
            {
                "Product / capability name": "外骨骼康复训练",
                "Vendor": "康途机器人",
                "Robot type": "Exoskeleton",
                "Domains": "Civil affairs",
                "Regions served": "山东省",
                "Maturity": "Pilot-proven",
                "Status": "Published",
            },
        ),
    ],
)
def test_the_capabilities_export_names_columns_and_values_in_the_readers_language(
    capability: Capability, bob: User, fmt: str, language: str, expected: dict[str, str]
) -> None:
    table = _table(_download(bob, "capabilities", fmt, language), fmt)

    record = _record(table, next(iter(expected)), "外骨骼康复训练")
    assert {key: record[key] for key in expected} == expected
    assert "exoskeleton" not in str(table) and "pilot" not in str(table)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            CHINESE,
            {
                "名称": "颐和苑养老中心",
                "类型": "需求方",
                "细分类型": "养老/民政服务机构",
                "审核状态": "已通过",
            },
        ),
        (
            ENGLISH,
            {
                "Name": "颐和苑养老中心",
                "Type": "Demand side",
                "Sub-type": "Elder-care / civil-affairs institution",
                "Review status": "Approved",
            },
        ),
    ],
)
def test_the_organisations_export_names_columns_and_values_in_the_readers_language(
    alice: User, olga: User, fmt: str, language: str, expected: dict[str, str]
) -> None:
    table = _table(_download(olga, "organizations", fmt, language), fmt)

    record = _record(table, next(iter(expected)), "颐和苑养老中心")
    assert {key: record[key] for key in expected} == expected


def test_the_xlsx_sheet_is_named_in_the_readers_language(capability: Capability, bob: User) -> None:
    chinese = _download(bob, "capabilities", "xlsx", CHINESE)
    english = _download(bob, "capabilities", "xlsx", ENGLISH)

    assert load_workbook(io.BytesIO(chinese.content)).sheetnames == ["能力、产品"]
    assert load_workbook(io.BytesIO(english.content)).sheetnames == ["Capabilities"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_import_layout_keeps_the_codes_and_re_imports(
    need: Need, alice: User, fmt: str
) -> None:
    # when
    response = _download(alice, "needs", fmt, ENGLISH, layout="import")

    # then
    assert "-import-" in response["Content-Disposition"]
    table = _table(response, fmt)
    header = table[0]
    record = dict(zip(header, table[1], strict=True))
    assert record["domain"] == "civil_affairs"
    assert record["status"] == "published"
    assert record["title"] == "'=夜间巡查机器人"
    result = catalog_import(
        payload=parse_import_file(content=response.content, filename=f"needs.{fmt}")
    )
    assert result.updated == {"needs": 1}
    assert AuditEntry.objects.filter(details__layout="import").count() == 1


def test_an_unknown_layout_is_not_found(need: Need, alice: User) -> None:
    client = Client()
    client.force_login(alice)
    url = reverse("dashboard:export", kwargs={"entity": "needs", "fmt": "csv"})

    assert client.get(url, {"layout": "codes"}).status_code == 404


def test_the_import_page_links_to_the_import_layout(olga: User) -> None:
    client = Client()
    client.force_login(olga)

    page = client.get(reverse("imports:import_upload")).content.decode()

    for entity in ("organizations", "needs", "capabilities"):
        url = reverse("dashboard:export", kwargs={"entity": entity, "fmt": "xlsx"})
        assert f"{url}?layout=import" in page
