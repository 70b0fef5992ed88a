"""The organisers' review queue."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accounts.models import Organization, User
from marketplace.models import Need
from tests.marketplace.factories import NeedFactory

REVIEW_QUEUE = reverse("reviews:review_queue")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_queue_lists_pending_organisations_and_needs(olga: User, nina: User) -> None:
    # given
    need = NeedFactory.create(
        organization=nina.organization,
        title="新来养老院的巡查需求",
        status=Need.Status.PENDING_REVIEW,
    )

    # when
    response = _client(olga).get(REVIEW_QUEUE)

    # then
    assert list(response.context["organizations"]) == [nina.organization]
    assert list(response.context["needs"]) == [need]
    assert "新来养老院的巡查需求" in response.content.decode()


def test_approving_an_organisation_publishes_its_waiting_needs(olga: User, nina: User) -> None:
    # given
    need = NeedFactory.create(organization=nina.organization, status=Need.Status.PENDING_REVIEW)

    # when
    response = _client(olga).post(
        reverse("reviews:review_organization_approve", args=[nina.organization_id]),
        follow=True,
    )

    # then
    nina.organization.refresh_from_db()
    need.refresh_from_db()
    assert response.redirect_chain == [(REVIEW_QUEUE, 302)]
    assert nina.organization.review_status == Organization.ReviewStatus.APPROVED
    assert nina.organization.reviewed_by == olga
    assert need.status == Need.Status.PUBLISHED
    assert "已通过“新来养老院”的审核。" in response.content.decode()
    assert list(response.context["organizations"]) == []


def test_rejecting_an_organisation_records_the_note(olga: User, nina: User) -> None:
    # when
    _client(olga).post(
        reverse("reviews:review_organization_reject", args=[nina.organization_id]),
        {"note": "请补充营业执照信息"},
    )

    # then
    nina.organization.refresh_from_db()
    assert nina.organization.review_status == Organization.ReviewStatus.REJECTED
    assert nina.organization.review_note == "请补充营业执照信息"


def test_a_rejected_institution_sees_why_on_every_page(olga: User, nina: User) -> None:
    _client(olga).post(
        reverse("reviews:review_organization_reject", args=[nina.organization_id]),
        {"note": "请补充营业执照信息"},
    )

    page = _client(nina).get(reverse("home")).content.decode()

    assert "您的机构未通过审核" in page
    assert "请补充营业执照信息" in page


def test_an_organiser_publishes_a_single_pending_need(olga: User, alice: User) -> None:
    need = NeedFactory.create(organization=alice.organization, status=Need.Status.PENDING_REVIEW)

    _client(olga).post(reverse("reviews:review_need_publish", args=[need.pk]))

    need.refresh_from_db()
    assert need.status == Need.Status.PUBLISHED


def test_an_organiser_closes_a_pending_need_from_the_queue(olga: User, nina: User) -> None:
    need = NeedFactory.create(organization=nina.organization, status=Need.Status.PENDING_REVIEW)

    response = _client(olga).post(
        reverse("needs:need_status", args=[need.pk]),
        {"status": "closed", "next_page": "review"},
    )

    need.refresh_from_db()
    assert response["Location"] == REVIEW_QUEUE
    assert need.status == Need.Status.CLOSED


def test_approval_is_post_only(olga: User, nina: User) -> None:
    response = _client(olga).get(
        reverse("reviews:review_organization_approve", args=[nina.organization_id])
    )

    nina.organization.refresh_from_db()
    assert response.status_code == 405
    assert nina.organization.review_status == Organization.ReviewStatus.PENDING
