"""Registering many organisations for an event in one step (issue 18, item 8 of the organiser's
tools): the service, the form and the page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Organization, User
from marketplace.events import services as event_services
from marketplace.events.forms import BulkRegistrationForm
from marketplace.events.services import Registration
from marketplace.models import AuditEntry, Capability, EventParticipant, Need
from tests.accounts.factories import OrganizationFactory
from tests.marketplace.event_world import Fair, build_fair
from tests.marketplace.factories import CapabilityFactory, NeedFactory

pytestmark = pytest.mark.django_db

PARTICIPANT = EventParticipant._meta.label_lower


@pytest.fixture
def fair(olga: User, alice: User, bob: User, victor: User) -> Fair:
    """The event tests' fair: 颐和苑, 海景养老院, 康途 and 另一家供应商 already registered."""
    return build_fair(olga=olga, alice=alice, bob=bob, victor=victor)


@pytest.fixture
def newcomers(db: None) -> dict[str, Organization]:
    """Three organisations not yet registered: 松鹤 (two published needs and a draft), 智行
    (one published profile), 空白 (nothing published)."""
    songhe = OrganizationFactory.create(name="松鹤养老院")
    NeedFactory.create(organization=songhe, title="陪护机器人")
    NeedFactory.create(organization=songhe, title="送药机器人")
    NeedFactory.create(organization=songhe, title="草稿需求", status=Need.Status.DRAFT)
    zhixing = OrganizationFactory.create(name="智行机器人", kind="vendor", sub_type="robot_maker")
    CapabilityFactory.create(organization=zhixing, title="陪护机器人 A1")
    blank = OrganizationFactory.create(name="空白机构")
    return {"songhe": songhe, "zhixing": zhixing, "blank": blank}


def test_the_organiser_registers_several_organisations_with_what_they_bring(
    fair: Fair, olga: User, newcomers: dict[str, Organization]
) -> None:
    # given
    songhe, zhixing = newcomers["songhe"], newcomers["zhixing"]
    needs = list(Need.objects.filter(organization=songhe, status=Need.Status.PUBLISHED))
    profiles = list(Capability.objects.filter(organization=zhixing))

    # when
    participants = event_services.participants_register_many(
        fair.event,
        user=olga,
        registrations=[
            Registration(organization=songhe, needs=needs),
            Registration(organization=zhixing, capabilities=profiles),
        ],
    )

    # then
    assert [p.organization.name for p in participants] == ["松鹤养老院", "智行机器人"]
    assert {n.title for n in participants[0].needs.all()} == {"陪护机器人", "送药机器人"}
    assert [c.title for c in participants[1].capabilities.all()] == ["陪护机器人 A1"]
    assert [p.role for p in participants] == ["demand", "vendor"]
    assert all(p.on_behalf and p.registered_by == olga for p in participants)
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, target_type=PARTICIPANT)
    assert {entry.details["organization"] for entry in entries} == {"松鹤养老院", "智行机器人"}
    assert all(entry.details["event"] == fair.event.name for entry in entries)


def test_nothing_is_written_when_one_registration_is_invalid(
    fair: Fair, olga: User, newcomers: dict[str, Organization]
) -> None:
    # given 智行 brings another organisation's need
    songhe, zhixing = newcomers["songhe"], newcomers["zhixing"]
    before = EventParticipant.objects.count()

    # when
    with pytest.raises(ValidationError) as raised:
        event_services.participants_register_many(
            fair.event,
            user=olga,
            registrations=[
                Registration(organization=songhe, needs=list(songhe.needs.published())),
                Registration(organization=zhixing),
            ],
        )

    # then
    assert raised.value.messages == ["智行机器人：请至少选择一个能力档案。"]
    assert EventParticipant.objects.count() == before
    assert not EventParticipant.objects.filter(organization=songhe).exists()
    assert not AuditEntry.objects.filter(target_type=PARTICIPANT).exists()


def test_an_organisation_already_registered_is_refused(fair: Fair, olga: User) -> None:
    yihe = fair.yihe.organization
    kept = list(fair.yihe.needs.all())

    with pytest.raises(ValidationError) as raised:
        event_services.participants_register_many(
            fair.event,
            user=olga,
            registrations=[Registration(organization=yihe, needs=kept)],
        )

    assert raised.value.messages == [f"这些机构已经报名：{yihe.name}。"]
    assert list(EventParticipant.objects.get(pk=fair.yihe.pk).needs.all()) == kept


def test_only_the_event_s_organiser_registers_in_bulk(
    fair: Fair, alice: User, newcomers: dict[str, Organization]
) -> None:
    songhe = newcomers["songhe"]

    with pytest.raises(PermissionDenied):
        event_services.participants_register_many(
            fair.event,
            user=alice,
            registrations=[Registration(organization=songhe, needs=list(songhe.needs.all()))],
        )

    assert not EventParticipant.objects.filter(organization=songhe).exists()


def test_the_picker_leaves_out_registered_organisations_and_ticks_published_items(
    fair: Fair, newcomers: dict[str, Organization]
) -> None:
    # when
    form = BulkRegistrationForm(event=fair.event)

    # then only the unregistered organisations with something published are offered
    rows = form.rows()
    assert [organization.name for organization, _box, _items in rows] == [
        "松鹤养老院",
        "智行机器人",
    ]
    songhe_items = [item.choice_label for item in rows[0][2]]
    assert sorted(songhe_items) == ["送药机器人", "陪护机器人"]
    # each published need and profile is ticked, no organisation is
    html = str(form["needs"]) + str(form["capabilities"])
    assert html.count("checked") == 3
    assert "checked" not in str(form["organizations"])


def test_an_organisation_ticked_without_any_item_is_named(
    fair: Fair, newcomers: dict[str, Organization]
) -> None:
    songhe = newcomers["songhe"]

    form = BulkRegistrationForm({"organizations": [songhe.pk]}, event=fair.event)

    assert not form.is_valid()
    assert form.errors["organizations"] == ["请为这些机构至少勾选一项需求或能力档案：松鹤养老院。"]


def test_the_page_registers_the_ticked_organisations(
    fair: Fair, olga: User, newcomers: dict[str, Organization]
) -> None:
    # given
    client = Client()
    client.force_login(olga)
    url = reverse("events:event_participants_bulk", args=[fair.event.pk])
    songhe, zhixing = newcomers["songhe"], newcomers["zhixing"]
    page = client.get(url)
    one_need = Need.objects.get(title="陪护机器人")
    profile = Capability.objects.get(title="陪护机器人 A1")

    # when she ticks both and unticks 送药机器人
    response = client.post(
        url,
        {
            "organizations": [songhe.pk, zhixing.pk],
            "needs": [one_need.pk],
            "capabilities": [profile.pk],
        },
    )

    # then
    assert page.status_code == 200
    assert "松鹤养老院" in page.content.decode() and "空白机构" not in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:event_manage", args=[fair.event.pk])
    registered = EventParticipant.objects.get(event=fair.event, organization=songhe)
    assert list(registered.needs.all()) == [one_need]
    assert EventParticipant.objects.filter(event=fair.event, organization=zhixing).exists()
    after = client.get(url).content.decode()
    assert "松鹤养老院" not in after and "智行机器人" not in after


def test_the_page_refuses_an_organisation_registered_meanwhile(
    fair: Fair, olga: User, newcomers: dict[str, Organization]
) -> None:
    client = Client()
    client.force_login(olga)
    url = reverse("events:event_participants_bulk", args=[fair.event.pk])
    songhe = newcomers["songhe"]
    need = Need.objects.get(title="陪护机器人")

    response = client.post(
        url, {"organizations": [songhe.pk, fair.yihe.organization_id], "needs": [need.pk]}
    )

    assert response.status_code == 200
    assert "organizations" in response.context["form"].errors
    assert not EventParticipant.objects.filter(organization=songhe).exists()


def test_others_cannot_open_the_bulk_page(fair: Fair, alice: User) -> None:
    client = Client()
    client.force_login(alice)

    response = client.get(reverse("events:event_participants_bulk", args=[fair.event.pk]))

    assert response.status_code in (403, 404)


def test_the_bulk_messages_read_in_english(
    fair: Fair, olga: User, newcomers: dict[str, Organization]
) -> None:
    from django.utils import translation

    songhe = newcomers["songhe"]
    with translation.override("en"):
        form = BulkRegistrationForm({"organizations": [songhe.pk]}, event=fair.event)
        assert not form.is_valid()
        errors = list(form.errors["organizations"])
        with pytest.raises(ValidationError) as raised:
            event_services.participants_register_many(
                fair.event,
                user=olga,
                registrations=[Registration(organization=fair.yihe.organization)],
            )

    assert errors == ["Tick at least one need or capability profile for: 松鹤养老院."]
    assert raised.value.messages == ["Already registered: 颐和苑养老中心."]
