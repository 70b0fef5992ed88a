from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.text import MultiLineTextField, SingleLineCharField

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def approved(self) -> OrganizationQuerySet:
        return self.filter(review_status=Organization.ReviewStatus.APPROVED)

    def pending_review(self) -> OrganizationQuerySet:
        return self.filter(review_status=Organization.ReviewStatus.PENDING)

    def visible_to(self, user: User | AnonymousUser) -> OrganizationQuerySet:
        """Approved organisations for everyone; every organisation for organisers; one's own."""
        if user.is_authenticated and user.is_organizer:
            return self.all()
        visible = models.Q(review_status=Organization.ReviewStatus.APPROVED)
        if user.is_authenticated and user.organization_id:
            visible |= models.Q(pk=user.organization_id)
        return self.filter(visible)

    def exportable_by(self, user: User | AnonymousUser) -> OrganizationQuerySet:
        """Members export their own organisation's data; organisers any organisation's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_organizer:
            return self.all()
        return self.filter(pk=user.organization_id) if user.organization_id else self.none()


class Organization(models.Model):
    # Private until both sides of a lead agreed to talk (the marketplace decides who may read them).
    CONTACT_FIELDS = ("contact_person", "phone", "email")

    class Kind(models.TextChoices):
        DEMAND = "demand", _("需求方")
        VENDOR = "vendor", _("供应方")
        ORGANIZER = "organizer", _("组织方")

    class SubType(models.TextChoices):
        ELDER_CARE = "elder_care", _("养老/民政服务机构")
        ENTERPRISE = "enterprise", _("企业")
        HOSPITAL = "hospital", _("医院")
        PUBLIC_BODY = "public_body", _("公共机构")
        ROBOT_MAKER = "robot_maker", _("机器人整机厂商")
        COMPONENT_SUPPLIER = "component_supplier", _("零部件供应商")
        INTEGRATOR = "integrator", _("系统集成商")
        SERVICE_PROVIDER = "service_provider", _("服务提供商")
        EVENT_ORGANIZER = "event_organizer", _("活动组织方")
        CITY_OFFICE = "city_office", _("政府部门")

    class ReviewStatus(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    SUB_TYPES_BY_KIND: dict[str, tuple[str, ...]] = {
        Kind.DEMAND: (
            SubType.ELDER_CARE,
            SubType.ENTERPRISE,
            SubType.HOSPITAL,
            SubType.PUBLIC_BODY,
        ),
        Kind.VENDOR: (
            SubType.ROBOT_MAKER,
            SubType.COMPONENT_SUPPLIER,
            SubType.INTEGRATOR,
            SubType.SERVICE_PROVIDER,
        ),
        Kind.ORGANIZER: (SubType.EVENT_ORGANIZER, SubType.CITY_OFFICE),
    }

    ref = models.CharField(_("导入编号"), max_length=64, unique=True, null=True, blank=True)
    name = SingleLineCharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    sub_type = models.CharField(_("细分类型"), max_length=32, choices=SubType.choices)
    district = SingleLineCharField(_("区/市"), max_length=64, blank=True)
    city = SingleLineCharField(_("城市"), max_length=64, default="青岛市")
    contact_person = SingleLineCharField(_("联系人"), max_length=64, blank=True)
    phone = SingleLineCharField(_("电话"), max_length=32, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    introduction = MultiLineTextField(_("简介"), max_length=2000, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    review_status = models.CharField(
        _("审核状态"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = SingleLineCharField(_("审核意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["demand", "vendor", "organizer"]),
                name="organization_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:organization_detail", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.review_status == self.ReviewStatus.APPROVED


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment, misc]
    email = models.EmailField(_("邮箱"), unique=True)
    full_name = SingleLineCharField(_("姓名"), max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()  # type: ignore[misc, assignment]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.email

    @property
    def kind(self) -> str | None:
        return self.organization.kind if self.organization_id and self.organization else None

    @property
    def is_awaiting_confirmation(self) -> bool:
        """Signed up and not yet confirmed the e-mail: inactive and never logged in (an account
        an administrator switched off has logged in before)."""
        return not self.is_active and self.last_login is None

    @property
    def is_organizer(self) -> bool:
        return self.is_superuser or self.kind == Organization.Kind.ORGANIZER

    @property
    def is_demand(self) -> bool:
        return self.kind == Organization.Kind.DEMAND

    @property
    def is_vendor(self) -> bool:
        return self.kind == Organization.Kind.VENDOR
