from __future__ import annotations

import factory

from marketplace.models import (
    Capability,
    Certification,
    Domain,
    Lead,
    Need,
    ProductClass,
    Region,
    RobotType,
    ServiceCategory,
)
from tests.accounts.factories import OrganizationFactory


class DomainFactory(factory.django.DjangoModelFactory[Domain]):
    class Meta:
        model = Domain
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"domain_{n}")
    name_zh = factory.Sequence(lambda n: f"领域{n}")
    name_en = factory.Sequence(lambda n: f"Domain {n}")


class ServiceCategoryFactory(factory.django.DjangoModelFactory[ServiceCategory]):
    class Meta:
        model = ServiceCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category_{n}")
    domain = factory.SubFactory(DomainFactory)
    name_zh = factory.Sequence(lambda n: f"类别{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class ProductClassFactory(factory.django.DjangoModelFactory[ProductClass]):
    class Meta:
        model = ProductClass
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"class_{n}")
    name_zh = factory.Sequence(lambda n: f"产品类{n}")


class RobotTypeFactory(factory.django.DjangoModelFactory[RobotType]):
    class Meta:
        model = RobotType
        django_get_or_create = ("code",)

    code = "care_robot"
    name_zh = "护理机器人"
    name_en = "Care robot"


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"地区{n}")
    level = Region.Level.CITY


class CertificationFactory(factory.django.DjangoModelFactory[Certification]):
    class Meta:
        model = Certification
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"认证{n}")


class NeedFactory(factory.django.DjangoModelFactory[Need]):
    class Meta:
        model = Need

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"需求{n}：养老院送餐机器人")
    description = "每天三餐需要把饭菜从一楼厨房送到各楼层房间。"
    domain = factory.SubFactory(DomainFactory, code="civil_affairs", name_zh="民政")
    region = factory.SubFactory(RegionFactory, name="青岛市")
    status = Need.Status.PUBLISHED


class CapabilityFactory(factory.django.DjangoModelFactory[Capability]):
    class Meta:
        model = Capability

    organization = factory.SubFactory(OrganizationFactory, kind="vendor", sub_type="robot_maker")
    title = factory.Sequence(lambda n: f"能力{n}：室内配送机器人")
    description = "自主乘梯，多层楼宇送餐送药。"
    robot_type = factory.SubFactory(RobotTypeFactory)
    maturity = Capability.Maturity.MASS_PRODUCTION
    status = Capability.Status.PUBLISHED


class LeadFactory(factory.django.DjangoModelFactory[Lead]):
    """A need × capability pair as the matcher leaves it: new, nobody has acted."""

    class Meta:
        model = Lead

    need = factory.SubFactory(NeedFactory)
    capability = factory.SubFactory(CapabilityFactory)
    demand = factory.LazyAttribute(lambda lead: lead.need.organization)
    vendor = factory.LazyAttribute(lambda lead: lead.capability.organization)
    score = 0.8
