"""A lead is one need × capability pair, with each side's decision on it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from matching.engine import phrase_from_data

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def answered_q() -> models.Q:
    """The vendor answered: interested, declined, or in talks."""
    return models.Q(status__in=Lead.ANSWERED_STATUSES)


def overdue_q(cutoff: datetime) -> models.Q:
    """Unanswered leads of open needs that reached the vendor (alerted, invited or opened)
    before ``cutoff`` and that the institution has not ended."""
    from marketplace.needs.models import Need

    reached = (
        models.Q(vendor_notified_at__lt=cutoff)
        | models.Q(invited_at__lt=cutoff)
        | models.Q(viewed_at__lt=cutoff)
    )
    return (
        reached
        & models.Q(status__in=(Lead.Status.NEW, Lead.Status.VIEWED))
        & models.Q(need__status__in=(Need.Status.PUBLISHED, Need.Status.IN_TALKS))
        & ~models.Q(demand_decision__in=Lead.SUPPRESSING_DEMAND_DECISIONS)
    )


class LeadQuerySet(models.QuerySet["Lead"]):
    def live(self) -> LeadQuerySet:
        """Pairs whose two organisations are both approved. A lead with a pending, rejected or
        suspended side is frozen: neither side sees it or answers it, and it opens no contact
        details; organisers still see it."""
        approved = Organization.ReviewStatus.APPROVED
        return self.filter(demand__review_status=approved, vendor__review_status=approved)

    def suppressed(self) -> LeadQuerySet:
        """Pairs never suggested again: declined by either side or marked not a fit."""
        return self.filter(
            models.Q(status=Lead.Status.DECLINED)
            | models.Q(demand_decision__in=Lead.SUPPRESSING_DEMAND_DECISIONS)
        )

    def active(self) -> LeadQuerySet:
        return self.exclude(
            models.Q(status=Lead.Status.DECLINED)
            | models.Q(demand_decision__in=Lead.SUPPRESSING_DEMAND_DECISIONS)
        )

    def answered(self) -> LeadQuerySet:
        """Leads the vendor answered (``answered_q``): the one meaning of "answered" that every
        figure uses, the dashboard's response rate and funnel alike."""
        return self.filter(answered_q())

    def reached_vendor(self) -> LeadQuerySet:
        """Leads the vendor knows of: alerted, invited, opened, or answered (an answer proves the
        vendor saw the lead, even when it found it in its inbox without an alert)."""
        return self.filter(
            models.Q(vendor_notified_at__isnull=False)
            | models.Q(invited_at__isnull=False)
            | models.Q(viewed_at__isnull=False)
            | answered_q()
        )

    def in_talks(self) -> LeadQuerySet:
        """Both sides agreed and neither has since withdrawn."""
        return self.live().filter(
            status=Lead.Status.IN_TALKS,
            demand_decision__in=(Lead.DemandDecision.INVITED, Lead.DemandDecision.ACCEPTED),
        )

    def with_contact_visible(self, user: User | AnonymousUser) -> LeadQuerySet:
        """Each lead with ``contact_visible``: whether ``user`` may read the other side's contact
        details (the institution's for its vendor, the vendor's for everyone else), by the one
        rule of ``organizations_with_visible_contacts``. In the same query."""
        other = "demand_id" if user.is_authenticated and user.is_vendor else "vendor_id"
        visible = organizations_with_visible_contacts(user).filter(pk=models.OuterRef(other))
        return self.annotate(contact_visible=models.Exists(visible))

    def for_vendor(self, user: User | AnonymousUser) -> LeadQuerySet:
        if not user.is_authenticated or not user.is_vendor:
            return self.none()
        return self.live().filter(vendor_id=user.organization_id)

    def for_demand(self, user: User | AnonymousUser) -> LeadQuerySet:
        if not user.is_authenticated or not user.is_demand:
            return self.none()
        return self.live().filter(demand_id=user.organization_id)

    def visible_to(self, user: User | AnonymousUser) -> LeadQuerySet:
        """Each side sees its own live pairs (both organisations approved); organisers see
        all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_organizer:
            return self.all()
        if user.organization_id is None:
            return self.none()
        return self.live().filter(
            models.Q(vendor_id=user.organization_id) | models.Q(demand_id=user.organization_id)
        )


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read from the setting when first used (and again after it
    changes, as MEDIA_ROOT is for media)."""

    @cached_property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting: Any, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def private_storage() -> FileSystemStorage:
    """Proposals are not media: never served by URL, only through a view that checks access."""
    return PrivateStorage()


def proposal_upload_path(instance: Lead, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:8]
    return f"proposals/{uuid.uuid4().hex}{suffix}"


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    """What Django's ``get_FOO_display()`` returns: the label in the active language, or the
    value itself when it is not one of the choices."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class Lead(models.Model):
    class Status(models.TextChoices):
        """The vendor's side, as the leads inbox shows it."""

        NEW = "new", _("新线索")
        VIEWED = "viewed", _("已查看")
        INTERESTED = "interested", _("有意向")
        DECLINED = "declined", _("已婉拒")
        IN_TALKS = "in_talks", _("洽谈中")

    class DemandDecision(models.TextChoices):
        """The institution's side."""

        NONE = "none", _("未处理")
        INVITED = "invited", _("已邀请洽谈")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("已婉拒")
        NOT_FIT = "not_fit", _("不合适")

    class DeclineReason(models.TextChoices):
        OUT_OF_REGION = "out_of_region", _("不在服务区域")
        NOT_APPLICABLE = "not_applicable", _("产品不适用")
        AT_CAPACITY = "at_capacity", _("产能已满")
        BUDGET = "budget", _("预算不匹配")
        TIMING = "timing", _("交付时间不合适")
        OTHER = "other", _("其他")

    class Source(models.TextChoices):
        MATCHER = "matcher", _("匹配推荐")
        INVITATION = "invitation", _("需求方邀请")

    SUPPRESSING_DEMAND_DECISIONS = (DemandDecision.DECLINED, DemandDecision.NOT_FIT)
    ANSWERED_STATUSES = (Status.INTERESTED, Status.DECLINED, Status.IN_TALKS)

    need = models.ForeignKey(
        "marketplace.Need", verbose_name=_("需求"), on_delete=models.CASCADE, related_name="leads"
    )
    capability = models.ForeignKey(
        "marketplace.Capability",
        verbose_name=_("能力档案"),
        on_delete=models.CASCADE,
        related_name="leads",
    )
    # Copies of need.organization and capability.organization, for the per-side queries.
    demand = models.ForeignKey(
        Organization, verbose_name=_("需求方"), on_delete=models.CASCADE, related_name="+"
    )
    vendor = models.ForeignKey(
        Organization, verbose_name=_("供应方"), on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(
        _("来源"), max_length=16, choices=Source.choices, default=Source.MATCHER
    )
    score = models.FloatField(_("匹配分"), default=0.0)
    eligible = models.BooleanField(_("满足硬性要求"), default=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    demand_decision = models.CharField(
        _("需求方处理"),
        max_length=16,
        choices=DemandDecision.choices,
        default=DemandDecision.NONE,
        db_index=True,
    )
    message = models.TextField(_("回复留言"), max_length=2000, blank=True)
    proposal = models.FileField(
        _("方案附件"), upload_to=proposal_upload_path, storage=private_storage, blank=True
    )
    decline_reason = models.CharField(
        _("婉拒原因"), max_length=32, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.CharField(_("补充说明"), max_length=500, blank=True)
    demand_message = models.TextField(_("需求方留言"), max_length=2000, blank=True)
    viewed_at = models.DateTimeField(_("查看时间"), null=True, blank=True)
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    invited_at = models.DateTimeField(_("邀请时间"), null=True, blank=True)
    demand_acted_at = models.DateTimeField(_("需求方处理时间"), null=True, blank=True)
    agreed_at = models.DateTimeField(_("进入洽谈时间"), null=True, blank=True)
    vendor_notified_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = _("线索")
        verbose_name_plural = _("线索")
        ordering = ["-score", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "capability"], name="lead_unique_pair"),
        ]
        indexes = [models.Index(fields=["vendor", "status"]), models.Index(fields=["demand"])]

    def __str__(self) -> str:
        return f"{self.need_id} × {self.capability_id}"

    # Django's get_FOO_display() builds a hashable copy of the field's choices on every call;
    # every lead badge calls two of them, and a page shows a badge per lead.
    def get_status_display(self) -> str:  # type: ignore[no-redef]  # django-stubs adds one
        return _choice_label(self.Status, self.status)

    def get_demand_decision_display(self) -> str:  # type: ignore[no-redef]
        return _choice_label(self.DemandDecision, self.demand_decision)

    def get_decline_reason_display(self) -> str:  # type: ignore[no-redef]
        return _choice_label(self.DeclineReason, self.decline_reason)

    @property
    def is_suppressed(self) -> bool:
        return (
            self.status == self.Status.DECLINED
            or self.demand_decision in self.SUPPRESSING_DEMAND_DECISIONS
        )

    @property
    def is_answered(self) -> bool:
        return self.status in self.ANSWERED_STATUSES


class LeadAlertPreference(models.Model):
    """A vendor's own rule for which new leads reach it, and how many a day."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="lead_alerts"
    )
    enabled = models.BooleanField(_("接收新线索提醒"), default=True)
    min_score = models.FloatField(
        _("提醒门槛（匹配分）"),
        default=0.6,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("匹配分达到此值的新需求才会提醒（0–1）。"),
    )
    daily_limit = models.PositiveSmallIntegerField(
        _("每日提醒上限"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("线索提醒设置")
        verbose_name_plural = _("线索提醒设置")

    def __str__(self) -> str:
        return str(self.organization)


class Notification(models.Model):
    """One message to one user: shown in the site inbox and sent by email once."""

    class Kind(models.TextChoices):
        NEW_LEAD = "new_lead", _("新线索")
        RESPONSE = "response", _("供应商回复")
        INVITATION = "invitation", _("洽谈邀请")
        DECISION = "decision", _("需求方处理结果")
        REMINDER = "reminder", _("待回复提醒")
        SCHEDULE = "schedule", _("会谈日程发布")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    # Unique per user: creating the same notification twice (a retried task) makes one.
    key = models.CharField(max_length=120)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), max_length=4000, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The title and body as message ids with parameters ({"title": ..., "body": ...}, see
    # matching.ranking.phrases), rendered in the reader's language; ``title`` and ``body`` keep
    # the text in the platform's language (and are all a row made before this field has).
    message = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_unique_key"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_text(self) -> str:
        """The title in the active language."""
        return self._rendered("title", self.title)

    @property
    def body_text(self) -> str:
        return self._rendered("body", self.body)

    def _rendered(self, part: str, fallback: str) -> str:
        if not isinstance(self.message, dict) or part not in self.message:
            return fallback
        return str(phrase_from_data(self.message[part]))


def organizations_with_visible_contacts(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Organisations whose contact details ``user`` may read: their own, any for organisers,
    and the other side of a live pair that both sides agreed to talk about (a lead 洽谈中)."""
    organizations = Organization.objects.all()
    if not user.is_authenticated:
        return organizations.none()
    if user.is_organizer:
        return organizations
    own = user.organization_id
    if own is None:
        return organizations.none()
    talking = Lead.objects.in_talks()
    return organizations.filter(
        models.Q(pk=own)
        | models.Q(pk__in=talking.filter(vendor_id=own).values("demand_id"))
        | models.Q(pk__in=talking.filter(demand_id=own).values("vendor_id"))
    )


def contact_visible(organization: Organization, user: User | AnonymousUser) -> bool:
    """Whether ``user`` may read the organisation's contact details (the rule above)."""
    return organizations_with_visible_contacts(user).filter(pk=organization.pk).exists()
