"""The need pages: the guided form, the public list with its filters, and the owner's actions."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from marketplace.models import Need, NeedRevision
from tests.accounts.factories import OrganizationFactory
from tests.marketplace.factories import (
    CertificationFactory,
    NeedFactory,
    ProductClassFactory,
)
from tests.marketplace.form_data import need_form_data

NEED_CREATE = reverse("needs:need_create")
NEED_LIST = reverse("needs:need_list")


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _field_block(html: str, name: str) -> str:
    """The rendered markup of one field: from its wrapper to the next field's wrapper."""
    start = html.index(f'id="id_{name}_field"')
    following = html.find('<div class="field', start)
    return html[start : following if following != -1 else len(html)]


def test_demand_user_posts_a_need_and_it_is_published_for_an_approved_institution(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    # given
    product_class = ProductClassFactory.create(code="daily_living", name_zh="生活辅助")
    certification = CertificationFactory.create(name="CR 机器人认证")
    data = need_form_data(
        taxonomy, product_classes=[product_class.pk], required_certifications=[certification.pk]
    )

    # when
    response = _client(alice).post(NEED_CREATE, data, follow=True)

    # then
    need = Need.objects.get()
    assert response.redirect_chain == [(need.get_absolute_url(), 302)]
    assert need.organization == alice.organization
    assert need.created_by == alice
    assert need.status == Need.Status.PUBLISHED
    assert need.title == "颐和苑三餐送餐机器人"
    assert need.site_has_elevator is True
    assert (need.site_floors, need.site_area_m2, need.quantity) == (3, 2400, 2)
    assert (need.budget_min_cny, need.budget_max_cny) == (100000, 300000)
    assert need.wanted_by.isoformat() == "2027-03-01"
    assert list(need.categories.all()) == [taxonomy["delivery"]]
    assert list(need.product_classes.all()) == [product_class]
    assert list(need.required_certifications.all()) == [certification]
    assert need.expires_at is not None
    assert "需求已发布，供应方现在可以看到它。" in response.content.decode()
    assert Need.objects.published().filter(pk=need.pk).exists()


def test_saving_a_draft_keeps_the_need_out_of_the_public_list(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    # when
    _client(alice).post(NEED_CREATE, need_form_data(taxonomy, action="draft"))

    # then
    need = Need.objects.get()
    assert need.status == Need.Status.DRAFT
    assert need.published_at is None
    assert need.title not in _client().get(NEED_LIST).content.decode()


def test_a_pending_institution_submits_a_need_that_waits_for_review(
    nina: User, taxonomy: dict[str, Any]
) -> None:
    # when
    response = _client(nina).post(NEED_CREATE, need_form_data(taxonomy), follow=True)

    # then
    need = Need.objects.get()
    assert need.status == Need.Status.PENDING_REVIEW
    assert need.published_at is None
    assert "需求已提交。您的机构通过审核后，需求将自动公开。" in response.content.decode()
    assert _client().get(need.get_absolute_url()).status_code == 404


def test_budget_minimum_above_maximum_shows_a_chinese_error_next_to_the_field(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    # given
    data = need_form_data(taxonomy, budget_min_cny="500000", budget_max_cny="100000")

    # when
    response = _client(alice).post(NEED_CREATE, data)

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {"budget_max_cny": ["预算上限不能低于预算下限。"]}
    block = _field_block(response.content.decode(), "budget_max_cny")
    assert re.search(
        r'<small class="field-error" id="id_budget_max_cny_error" role="alert">'
        r"预算上限不能低于预算下限。</small>",
        block,
    )
    assert 'aria-invalid="true"' in block
    assert "请修正下面标出的问题后再提交。" in response.content.decode()
    assert Need.objects.count() == 0


def test_a_category_from_another_domain_is_refused_and_nothing_is_saved(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    # given: 物资配送 belongs to 民政, not to 医疗康养
    data = need_form_data(taxonomy, domain=taxonomy["health"].pk)

    # when
    response = _client(alice).post(NEED_CREATE, data)

    # then
    assert response.context["form"].errors == {"categories": ["服务类别“物资配送”不属于所选领域。"]}
    assert Need.objects.count() == 0


def test_required_fields_are_reported_in_chinese(alice: User, taxonomy: dict[str, Any]) -> None:
    # when
    response = _client(alice).post(NEED_CREATE, {"action": "submit"})

    # then
    errors = response.context["form"].errors
    assert set(errors) == {"title", "description", "domain", "region"}
    assert errors["title"] == ["请填写标题。"]
    assert errors["domain"] == ["请选择领域。"]
    assert Need.objects.count() == 0


def test_a_vendor_cannot_open_or_post_the_need_form(bob: User, taxonomy: dict[str, Any]) -> None:
    # when
    page = _client(bob).get(NEED_CREATE)
    post = _client(bob).post(NEED_CREATE, need_form_data(taxonomy))

    # then
    assert page.status_code == 403
    assert "只有需求方机构（养老机构、企业等）和组织方可以发布和管理需求。" in page.content.decode()
    assert post.status_code == 403
    assert Need.objects.count() == 0


def test_an_organiser_posts_a_need_on_behalf_of_an_institution(
    olga: User, alice: User, taxonomy: dict[str, Any]
) -> None:
    # when
    response = _client(olga).post(
        NEED_CREATE, need_form_data(taxonomy, organization=alice.organization.pk)
    )

    # then
    need = Need.objects.get()
    assert response.status_code == 302
    assert need.organization == alice.organization
    assert need.created_by == olga
    assert need.status == Need.Status.PUBLISHED


def test_the_organiser_form_cannot_post_for_a_vendor(
    olga: User, bob: User, taxonomy: dict[str, Any]
) -> None:
    # when
    response = _client(olga).post(
        NEED_CREATE, need_form_data(taxonomy, organization=bob.organization.pk)
    )

    # then
    assert "organization" in response.context["form"].errors
    assert Need.objects.count() == 0


def test_editing_a_published_need_keeps_the_previous_version(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    # given
    need = NeedFactory.create(
        organization=alice.organization,
        title="旧标题",
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
    )

    # when
    response = _client(alice).post(
        reverse("needs:need_edit", args=[need.pk]),
        need_form_data(taxonomy, title="新标题", action="save"),
    )

    # then
    need.refresh_from_db()
    assert response.status_code == 302
    assert need.title == "新标题"
    assert need.status == Need.Status.PUBLISHED
    revision = NeedRevision.objects.get(need=need)
    assert revision.snapshot["title"] == "旧标题"
    assert revision.edited_by == alice


def test_another_institution_cannot_edit_a_need(
    alice: User, taxonomy: dict[str, Any], db: None
) -> None:
    # given
    need = NeedFactory.create(organization=alice.organization, title="颐和苑的需求")
    other = OrganizationFactory.create(name="海景养老院", kind="demand", sub_type="elder_care")
    dora = User.objects.create_user("dora@haijing.example.com", "x", organization=other)

    # when
    response = _client(dora).post(
        reverse("needs:need_edit", args=[need.pk]), need_form_data(taxonomy, title="改掉")
    )

    # then
    need.refresh_from_db()
    assert response.status_code == 404
    assert need.title == "颐和苑的需求"
    assert NeedRevision.objects.count() == 0


def test_owner_submits_a_draft_from_its_page(alice: User) -> None:
    # given
    need = NeedFactory.create(organization=alice.organization, status=Need.Status.DRAFT)

    # when
    response = _client(alice).post(reverse("needs:need_submit", args=[need.pk]))

    # then
    need.refresh_from_db()
    assert response.status_code == 302
    assert need.status == Need.Status.PUBLISHED


def test_owner_renews_an_expired_need(alice: User) -> None:
    # given
    need = NeedFactory.create(
        organization=alice.organization,
        status=Need.Status.EXPIRED,
        expires_at=timezone.now() - timedelta(days=1),
    )

    # when
    response = _client(alice).post(reverse("needs:need_renew", args=[need.pk]), follow=True)

    # then
    need.refresh_from_db()
    assert need.status == Need.Status.PUBLISHED
    assert need.expires_at is not None
    assert need.expires_at > timezone.now() + timedelta(days=179)
    assert "已续期，新的到期日为" in response.content.decode()


def test_owner_marks_a_need_in_talks_and_an_impossible_move_is_explained(alice: User) -> None:
    # given
    need = NeedFactory.create(organization=alice.organization, status=Need.Status.PUBLISHED)
    url = reverse("needs:need_status", args=[need.pk])

    # when
    _client(alice).post(url, {"status": "in_talks"})
    need.refresh_from_db()
    in_talks = need.status
    refused = _client(alice).post(url, {"status": "draft"}, follow=True)

    # then
    need.refresh_from_db()
    assert in_talks == Need.Status.IN_TALKS
    assert need.status == Need.Status.IN_TALKS
    assert "不能从“洽谈中”改为该状态。" in refused.content.decode()


def test_the_status_change_page_refuses_get(alice: User) -> None:
    need = NeedFactory.create(organization=alice.organization)

    response = _client(alice).get(reverse("needs:need_status", args=[need.pk]))

    assert response.status_code == 405


# --- The list ------------------------------------------------------------------------------


@pytest.fixture
def listed(alice: User, nina: User, taxonomy: dict[str, Any]) -> dict[str, Need]:
    qingdao, shenzhen = taxonomy["regions"]["青岛市"], taxonomy["regions"]["深圳市"]
    delivery = NeedFactory.create(
        organization=alice.organization,
        title="送餐机器人",
        description="三餐送到房间",
        domain=taxonomy["civil"],
        region=qingdao,
    )
    delivery.categories.set([taxonomy["delivery"]])
    rehab = NeedFactory.create(
        organization=alice.organization,
        title="康复训练设备",
        description="下肢康复",
        domain=taxonomy["health"],
        region=shenzhen,
    )
    fulfilled = NeedFactory.create(
        organization=alice.organization,
        title="已达成的陪伴机器人",
        domain=taxonomy["civil"],
        region=qingdao,
        status=Need.Status.FULFILLED,
    )
    draft = NeedFactory.create(
        organization=alice.organization,
        title="颐和苑草稿",
        domain=taxonomy["civil"],
        region=qingdao,
        status=Need.Status.DRAFT,
    )
    pending_org = NeedFactory.create(
        organization=nina.organization,
        title="待审核机构的需求",
        domain=taxonomy["civil"],
        region=qingdao,
    )
    Need.objects.filter(pk=rehab.pk).update(updated_at=timezone.now() - timedelta(days=30))
    return {
        "delivery": delivery,
        "rehab": rehab,
        "fulfilled": fulfilled,
        "draft": draft,
        "pending_org": pending_org,
    }


def _titles(response: Any) -> list[str]:
    return [need.title for need in response.context["page"].object_list]


def test_the_public_list_shows_only_listed_needs_of_approved_organisations(
    listed: dict[str, Need],
) -> None:
    response = _client().get(NEED_LIST)

    assert sorted(_titles(response)) == sorted(["送餐机器人", "康复训练设备", "已达成的陪伴机器人"])
    assert "status" not in response.context["filter"].form.fields


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "送餐"}, ["送餐机器人"]),
        ({"q": "下肢"}, ["康复训练设备"]),
        ({"q": "机器人 陪伴"}, ["已达成的陪伴机器人"]),
        ({"domain": "healthcare"}, ["康复训练设备"]),
        ({"category": "material_delivery"}, ["送餐机器人"]),
        ({"domain": "civil_affairs", "q": "送餐"}, ["送餐机器人"]),
    ],
)
def test_the_list_filters_by_text_domain_and_category(
    listed: dict[str, Need], query: dict[str, str], expected: list[str]
) -> None:
    assert _titles(_client().get(NEED_LIST, query)) == expected


def test_the_list_filters_by_region_and_update_date(
    listed: dict[str, Need], taxonomy: dict[str, Any]
) -> None:
    by_region = _client().get(NEED_LIST, {"region": taxonomy["regions"]["深圳市"].pk})
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    recent = _client().get(NEED_LIST, {"updated_since": since})

    assert _titles(by_region) == ["康复训练设备"]
    assert "康复训练设备" not in _titles(recent)
    assert sorted(_titles(recent)) == sorted(["送餐机器人", "已达成的陪伴机器人"])


def test_a_status_filter_is_ignored_for_the_public_and_offered_to_organisers(
    listed: dict[str, Need], olga: User
) -> None:
    public = _client().get(NEED_LIST, {"status": "draft"})
    organiser = _client(olga).get(NEED_LIST, {"status": "draft"})

    assert "颐和苑草稿" not in _titles(public)
    assert _titles(organiser) == ["颐和苑草稿"]


def test_my_needs_lists_the_drafts_of_ones_own_organisation_only(
    listed: dict[str, Need], alice: User
) -> None:
    response = _client(alice).get(reverse("needs:my_needs"), {"status": "draft"})

    assert _titles(response) == ["颐和苑草稿"]


def test_the_list_is_paginated_and_keeps_the_filters_in_page_links(
    alice: User, taxonomy: dict[str, Any], settings: Any
) -> None:
    # given
    settings.MARKETPLACE_PAGE_SIZE = 2
    for number in range(5):
        NeedFactory.create(
            organization=alice.organization,
            title=f"送餐需求{number}",
            domain=taxonomy["civil"],
            region=taxonomy["regions"]["青岛市"],
        )

    # when
    first = _client().get(NEED_LIST, {"domain": "civil_affairs"})
    last = _client().get(NEED_LIST, {"domain": "civil_affairs", "page": "3"})
    beyond = _client().get(NEED_LIST, {"domain": "civil_affairs", "page": "99"})

    # then
    assert len(_titles(first)) == 2
    assert first.context["page"].paginator.count == 5
    assert "?domain=civil_affairs&amp;page=2" in first.content.decode()
    assert "第 1 / 3 页" in first.content.decode()
    assert len(_titles(last)) == 1
    assert beyond.context["page"].number == 3


def test_the_form_asks_whether_the_budget_is_per_unit_or_in_total(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    # given the form
    html = _client(alice).get(NEED_CREATE).content.decode()
    block = _field_block(html, "budget_basis")
    assert "预算口径" in block
    assert 'value="per_unit"' in block and 'value="total"' in block
    assert re.search(r'value="per_unit"[^>]*checked', block)  # per unit unless changed
    assert "是单价还是总价" in _field_block(html, "budget_max_cny")

    # when the institution says its budget is for the whole quantity
    response = _client(alice).post(
        NEED_CREATE, need_form_data(taxonomy, budget_basis="total"), follow=True
    )

    # then it is saved and shown with the budget
    need = Need.objects.get()
    assert need.budget_basis == Need.BudgetBasis.TOTAL
    assert "按总价（全部数量）" in response.content.decode()


def test_a_form_posted_without_a_basis_budgets_per_unit(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    data = need_form_data(taxonomy)
    data.pop("budget_basis", None)
    _client(alice).post(NEED_CREATE, data)
    assert Need.objects.get().budget_basis == Need.BudgetBasis.PER_UNIT
