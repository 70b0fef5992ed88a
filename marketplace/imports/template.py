"""The downloadable XLSX template: one sheet per record type, plus an instructions sheet."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from marketplace.common.spreadsheets import xlsx_append

COLUMNS: dict[str, list[str]] = {
    "organizations": [
        "ref",
        "name",
        "kind",
        "sub_type",
        "district",
        "city",
        "contact_person",
        "phone",
        "email",
        "website",
        "introduction",
    ],
    "needs": [
        "ref",
        "organization",
        "title",
        "description",
        "domain",
        "categories",
        "product_classes",
        "site_environment",
        "site_floors",
        "site_has_elevator",
        "site_area_m2",
        "quantity",
        "budget_min_cny",
        "budget_max_cny",
        "budget_basis",
        "region",
        "required_certifications",
        "wanted_by",
    ],
    "capabilities": [
        "ref",
        "organization",
        "title",
        "description",
        "robot_type",
        "domains",
        "categories",
        "product_classes",
        "key_specs",
        "price_min_cny",
        "price_max_cny",
        "service_regions",
        "certifications",
        "maturity",
        "reference_deployments",
        "pilot_capacity_per_quarter",
    ],
}

EXAMPLES: dict[str, list[object]] = {
    "organizations": [
        "inst-01",
        "示例养老服务中心",
        "demand",
        "elder_care",
        "崂山区",
        "青岛市",
        "王主任",
        "0532-80000000",
        "contact@example.com",
        "",
        "一家有 120 张床位的养老机构。",
    ],
    "needs": [
        "n-01",
        "inst-01",
        "夜间巡查机器人",
        "夜里护工少，希望有机器人在走廊巡查并发现老人跌倒。",
        "civil_affairs",
        "inspection_patrol",
        "health_management",
        "indoor",
        5,
        "是",
        3000,
        2,
        20000,
        80000,
        "per_unit",
        "青岛市",
        "",
        "2026-12-31",
    ],
    "capabilities": [
        "c-01",
        "v-01",
        "室内巡检机器人",
        "自主导航，夜间红外巡查，跌倒识别后通知值班人员。",
        "wheeled",
        "civil_affairs",
        "inspection_patrol",
        "health_management",
        "续航 8 小时；可乘电梯",
        30000,
        60000,
        "山东省；广东省",
        "CCC认证",
        "pilot",
        "两家养老院试点",
        3,
    ],
}

INSTRUCTIONS = [
    "填写说明 / How to fill in",
    "每个工作表一种记录：organizations（机构）、needs（需求）、capabilities（能力/产品）。",
    "ref 是您自己的编号；再次导入同一 ref 会更新原记录，不会重复创建。",
    "多个值用分号“；”或顿号“、”分隔，例如：山东省；北京市。",
    "kind：demand（需求方）/ vendor（供应方）/ organizer（组织方）。",
    "domain(s)：civil_affairs, smart_home, manufacturing, smart_city, rail_transit, "
    "smart_port, ocean_survey, healthcare, other（也可填中文名，如“民政”）。",
    "maturity：prototype（样机）/ pilot（试点验证）/ mass_production（量产）。",
    "地区可填城市（青岛市）、省份（山东省）或“全国”。金额单位为元，不知道可留空。",
    "budget_basis（可选）：per_unit（按单价，每台/套，默认）/ total（按总价，全部数量）；"
    "也可填“单价”“总价”。",
    "任何一行有错，整个文件都不会导入，并列出每个错误的行号和字段。",
]


def import_template_xlsx() -> bytes:
    workbook = Workbook()
    guide = workbook.active
    assert guide is not None
    guide.title = "说明"
    for line in INSTRUCTIONS:
        xlsx_append(guide, [line])
    guide["A1"].font = Font(bold=True)
    guide.column_dimensions["A"].width = 110
    for section, columns in COLUMNS.items():
        sheet = workbook.create_sheet(section)
        xlsx_append(sheet, columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        xlsx_append(sheet, EXAMPLES[section])
        for index in range(1, len(columns) + 1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
