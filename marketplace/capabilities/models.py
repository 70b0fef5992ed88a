from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from config.text import MultiLineTextField, SingleLineCharField
from marketplace.needs.models import MAX_CNY

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def published_profile(path: str = "") -> models.Q:
    """The condition for a published profile (its own status, its organisation approved), for
    a query over profiles, or over rows that point at one through ``path`` ("capability__"):
    joined, where ``capability__in=Capability.objects.published()`` would be a subquery."""
    return models.Q(
        **{
            f"{path}status": Capability.Status.PUBLISHED,
            f"{path}organization__review_status": Organization.ReviewStatus.APPROVED,
        }
    )


class CapabilityQuerySet(models.QuerySet["Capability"]):
    def published(self) -> CapabilityQuerySet:
        return self.filter(published_profile())

    def visible_to(self, user: User | AnonymousUser) -> CapabilityQuerySet:
        if user.is_authenticated and user.is_organizer:
            return self.all()
        visible = published_profile()
        if user.is_authenticated and user.organization_id is not None:
            visible |= models.Q(organization=user.organization)
        return self.filter(visible)

    def due_for_leads(self) -> CapabilityQuerySet:
        """Published profiles not yet matched against the needs since they last changed."""
        return self.published().filter(
            models.Q(leads_refreshed_at__isnull=True)
            | models.Q(leads_refreshed_at__lt=models.F("updated_at"))
        )

    def due_for_match_lists(self) -> CapabilityQuerySet:
        """Published profiles whose change the needs' stored match lists do not reflect yet."""
        return self.published().filter(
            models.Q(match_lists_refreshed_at__isnull=True)
            | models.Q(match_lists_refreshed_at__lt=models.F("updated_at"))
        )

    def editable_by(self, user: User | AnonymousUser) -> CapabilityQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_organizer:
            return self.all()
        if user.is_vendor:
            return self.filter(organization=user.organization)
        return self.none()


def capability_upload_path(instance: Capability, filename: str) -> str:
    # Stored under a generated name: the client's file name never reaches the disk.
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:8]
    return f"capabilities/{uuid.uuid4().hex}{suffix}"


class Capability(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        ARCHIVED = "archived", _("已下架")

    class Maturity(models.TextChoices):
        PROTOTYPE = "prototype", _("样机")
        PILOT = "pilot", _("试点验证")
        MASS_PRODUCTION = "mass_production", _("量产")

    # What the owner writes, in form order: the web form, the API's input and output share it.
    EDITABLE_FIELDS: tuple[str, ...] = (
        "title",
        "description",
        "robot_type",
        "maturity",
        "domains",
        "categories",
        "product_classes",
        "service_regions",
        "key_specs",
        "price_min_cny",
        "price_max_cny",
        "pilot_capacity_per_quarter",
        "certifications",
        "reference_deployments",
    )

    ref = models.CharField(_("导入编号"), max_length=64, unique=True, null=True, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("供应商"),
        on_delete=models.CASCADE,
        related_name="capabilities",
    )
    title = SingleLineCharField(_("产品/能力名称"), max_length=200)
    description = MultiLineTextField(_("能力描述"), max_length=5000)
    robot_type = models.ForeignKey(
        "marketplace.RobotType",
        verbose_name=_("机器人类型"),
        on_delete=models.PROTECT,
        related_name="capabilities",
    )
    domains = models.ManyToManyField(
        "marketplace.Domain", verbose_name=_("适用领域"), related_name="capabilities"
    )
    categories = models.ManyToManyField(
        "marketplace.ServiceCategory",
        verbose_name=_("服务类别"),
        blank=True,
        related_name="capabilities",
    )
    product_classes = models.ManyToManyField(
        "marketplace.ProductClass",
        verbose_name=_("产品类别"),
        blank=True,
        related_name="capabilities",
    )
    key_specs = MultiLineTextField(_("关键参数"), max_length=3000, blank=True)
    price_min_cny = models.PositiveBigIntegerField(
        _("价格下限（元）"), null=True, blank=True, validators=[MaxValueValidator(MAX_CNY)]
    )
    price_max_cny = models.PositiveBigIntegerField(
        _("价格上限（元）"), null=True, blank=True, validators=[MaxValueValidator(MAX_CNY)]
    )
    service_regions = models.ManyToManyField(
        "marketplace.Region", verbose_name=_("服务地区"), related_name="+"
    )
    certifications = models.ManyToManyField(
        "marketplace.Certification", verbose_name=_("已获资质"), blank=True, related_name="+"
    )
    maturity = models.CharField(_("成熟度"), max_length=16, choices=Maturity.choices)
    reference_deployments = MultiLineTextField(_("应用案例"), max_length=3000, blank=True)
    pilot_capacity_per_quarter = models.PositiveIntegerField(
        _("每季度可承接试点数"), null=True, blank=True, validators=[MaxValueValidator(2**31 - 1)]
    )
    image = models.ImageField(
        _("产品图片"), upload_to=capability_upload_path, null=True, blank=True
    )
    spec_sheet = models.FileField(
        _("规格书（PDF）"), upload_to=capability_upload_path, null=True, blank=True
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    embedding_dirty = models.BooleanField(default=True, db_index=True)
    # When the worker last turned this profile's best needs into leads (None: not yet).
    leads_refreshed_at = models.DateTimeField(null=True, blank=True)
    # When the needs' match lists this profile enters or leaves were last ranked again.
    match_lists_refreshed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = CapabilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("能力/产品")
        verbose_name_plural = _("能力/产品")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_min_cny__isnull=True)
                | models.Q(price_max_cny__isnull=True)
                | models.Q(price_min_cny__lte=models.F("price_max_cny")),
                name="capability_price_min_lte_max",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("capabilities:capability_detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.price_min_cny is not None
            and self.price_max_cny is not None
            and self.price_min_cny > self.price_max_cny
        ):
            raise ValidationError({"price_max_cny": _("价格上限不能低于价格下限。")})
