from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from config.text import MultiLineTextField, SingleLineCharField

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


MAX_CNY = 10**13


class NeedQuerySet(models.QuerySet["Need"]):
    def published(self) -> NeedQuerySet:
        """Needs the public may see: listed statuses, from an approved organisation."""
        return self.filter(
            status__in=Need.PUBLIC_STATUSES,
            organization__review_status=Organization.ReviewStatus.APPROVED,
        )

    def visible_to(self, user: User | AnonymousUser) -> NeedQuerySet:
        if user.is_authenticated and user.is_organizer:
            return self.all()
        visible = models.Q(
            status__in=Need.PUBLIC_STATUSES,
            organization__review_status=Organization.ReviewStatus.APPROVED,
        )
        if user.is_authenticated and user.organization_id is not None:
            visible |= models.Q(organization=user.organization)
        return self.filter(visible)

    def editable_by(self, user: User | AnonymousUser) -> NeedQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_organizer:
            return self.all()
        if user.is_demand:
            return self.filter(organization=user.organization)
        return self.none()

    def with_taxonomy_stated(self) -> NeedQuerySet:
        """Each need with ``states_categories`` and ``states_product_classes``: whether it names
        any (the owner's reading card suggests what it does not)."""
        return self.annotate(
            states_categories=models.Exists(
                Need.categories.through.objects.filter(need=models.OuterRef("pk"))
            ),
            states_product_classes=models.Exists(
                Need.product_classes.through.objects.filter(need=models.OuterRef("pk"))
            ),
        )

    def due_for_leads(self) -> NeedQuerySet:
        """Published needs not yet turned into leads since they were (re)published."""
        return self.published().filter(
            models.Q(leads_refreshed_at__isnull=True)
            | models.Q(leads_refreshed_at__lt=models.F("published_at"))
        )

    def due_to_expire(self, now: datetime.datetime | None = None) -> NeedQuerySet:
        moment = now or timezone.now()
        return self.filter(status__in=Need.EXPIRING_STATUSES, expires_at__lte=moment)


class Need(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING_REVIEW = "pending_review", _("待审核")
        PUBLISHED = "published", _("已发布")
        IN_TALKS = "in_talks", _("洽谈中")
        FULFILLED = "fulfilled", _("已达成")
        CLOSED = "closed", _("已关闭")
        EXPIRED = "expired", _("已过期")

    class SiteEnvironment(models.TextChoices):
        INDOOR = "indoor", _("室内")
        OUTDOOR = "outdoor", _("室外")
        MIXED = "mixed", _("室内外")

    class BudgetBasis(models.TextChoices):
        PER_UNIT = "per_unit", _("按单价（每台/套）")
        TOTAL = "total", _("按总价（全部数量）")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.IN_TALKS, Status.FULFILLED)
    # What the institution writes, in form order: the web form, the API's input and output
    # share it.
    EDITABLE_FIELDS: tuple[str, ...] = (
        "title",
        "description",
        "domain",
        "categories",
        "product_classes",
        "region",
        "site_environment",
        "site_floors",
        "site_has_elevator",
        "site_area_m2",
        "quantity",
        "budget_min_cny",
        "budget_max_cny",
        "budget_basis",
        "required_certifications",
        "wanted_by",
    )
    EXPIRING_STATUSES = (Status.PUBLISHED,)

    ref = models.CharField(_("导入编号"), max_length=64, unique=True, null=True, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("发布机构"), on_delete=models.CASCADE, related_name="needs"
    )
    title = SingleLineCharField(_("标题"), max_length=200)
    description = MultiLineTextField(_("需求描述"), max_length=5000)
    domain = models.ForeignKey(
        "marketplace.Domain", verbose_name=_("领域"), on_delete=models.PROTECT, related_name="needs"
    )
    categories = models.ManyToManyField(
        "marketplace.ServiceCategory", verbose_name=_("服务类别"), blank=True, related_name="needs"
    )
    product_classes = models.ManyToManyField(
        "marketplace.ProductClass", verbose_name=_("产品类别"), blank=True, related_name="needs"
    )
    site_environment = models.CharField(
        _("场地环境"), max_length=16, choices=SiteEnvironment.choices, blank=True
    )
    # Explicit upper bounds: sane limits, and the same on every database (the API schema too).
    site_floors = models.PositiveSmallIntegerField(
        _("楼层数"), null=True, blank=True, validators=[MaxValueValidator(300)]
    )
    site_has_elevator = models.BooleanField(_("有无电梯"), null=True, blank=True)
    site_area_m2 = models.PositiveIntegerField(
        _("场地面积（平方米）"), null=True, blank=True, validators=[MaxValueValidator(100_000_000)]
    )
    quantity = models.PositiveIntegerField(
        _("需求数量（台/套）"), null=True, blank=True, validators=[MaxValueValidator(1_000_000)]
    )
    budget_min_cny = models.PositiveBigIntegerField(
        _("预算下限（元）"), null=True, blank=True, validators=[MaxValueValidator(MAX_CNY)]
    )
    budget_max_cny = models.PositiveBigIntegerField(
        _("预算上限（元）"), null=True, blank=True, validators=[MaxValueValidator(MAX_CNY)]
    )
    budget_basis = models.CharField(
        _("预算口径"),
        max_length=16,
        choices=BudgetBasis.choices,
        default=BudgetBasis.PER_UNIT,
        help_text=_(
            "预算上下限指每台/套的单价（per_unit，默认），还是需求数量的总价（total）；"
            "按总价时，供应方的最低单价乘以需求数量再与预算上限比较。"
        ),
    )
    region = models.ForeignKey(
        "marketplace.Region", verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+"
    )
    required_certifications = models.ManyToManyField(
        "marketplace.Certification", verbose_name=_("必需资质"), blank=True, related_name="+"
    )
    wanted_by = models.DateField(_("期望落地日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    embedding_dirty = models.BooleanField(default=True, db_index=True)
    # When the matcher last turned this need into vendor leads (and alerted vendors).
    leads_refreshed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_min_cny__isnull=True)
                | models.Q(budget_max_cny__isnull=True)
                | models.Q(budget_min_cny__lte=models.F("budget_max_cny")),
                name="need_budget_min_lte_max",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | models.Q(quantity__gte=1),
                name="need_quantity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("needs:need_detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.budget_min_cny is not None
            and self.budget_max_cny is not None
            and self.budget_min_cny > self.budget_max_cny
        ):
            raise ValidationError({"budget_max_cny": _("预算上限不能低于预算下限。")})

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES and self.organization.is_approved


class NeedRevision(models.Model):
    """A snapshot taken before a published need is edited, so its history is kept."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="revisions")
    snapshot = models.JSONField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("需求修改记录")
        verbose_name_plural = _("需求修改记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.need_id} @ {self.created_at:%Y-%m-%d %H:%M}"
