"""A 供需对接会: its time slots and tables, participants, shortlist, meetings and outcomes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from config.text import MultiLineTextField, SingleLineCharField

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


@dataclass(frozen=True, slots=True)
class Slot:
    index: int
    start: datetime.time
    end: datetime.time

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def _time(minutes: int) -> datetime.time:
    return datetime.time(minutes // 60, minutes % 60)


def slots_between(
    start: datetime.time,
    end: datetime.time,
    meeting_minutes: int,
    breaks: list[tuple[datetime.time, datetime.time]],
) -> list[Slot]:
    """Meeting slots from start to end; a slot that would overlap a break starts after it."""
    slots: list[Slot] = []
    spans = sorted((_minutes(a), _minutes(b)) for a, b in breaks)
    cursor, stop = _minutes(start), _minutes(end)
    while cursor + meeting_minutes <= stop:
        clash = next((b for b in spans if b[0] < cursor + meeting_minutes and cursor < b[1]), None)
        if clash is not None:
            cursor = clash[1]
            continue
        slots.append(Slot(len(slots), _time(cursor), _time(cursor + meeting_minutes)))
        cursor += meeting_minutes
    return slots


class EventQuerySet(models.QuerySet["Event"]):
    def managed_by(self, user: User | AnonymousUser) -> EventQuerySet:
        if not user.is_authenticated or not user.is_organizer:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(organizer_id=user.organization_id)


class Event(models.Model):
    class ScheduleStatus(models.TextChoices):
        NONE = "none", _("未生成")
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    ref = models.CharField(_("导入编号"), max_length=64, unique=True, null=True, blank=True)
    organizer = models.ForeignKey(
        Organization, verbose_name=_("组织方"), on_delete=models.PROTECT, related_name="events"
    )
    name = SingleLineCharField(_("名称"), max_length=200)
    date = models.DateField(_("日期"))
    venue = SingleLineCharField(_("地点"), max_length=200, blank=True)
    district = SingleLineCharField(_("区/市"), max_length=64, blank=True)
    city = SingleLineCharField(_("城市"), max_length=64, default="青岛市")
    domains = models.ManyToManyField(
        "marketplace.Domain", verbose_name=_("聚焦领域"), blank=True, related_name="events"
    )
    description = MultiLineTextField(_("介绍"), max_length=5000, blank=True)
    starts_at = models.TimeField(_("会谈开始时间"), default=datetime.time(9, 0))
    ends_at = models.TimeField(_("会谈结束时间"), default=datetime.time(12, 0))
    meeting_minutes = models.PositiveSmallIntegerField(
        _("每场会谈时长（分钟）"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    # [["10:20", "10:40"], ...]: no meeting overlaps a break.
    breaks = models.JSONField(_("休息时段"), default=list, blank=True)
    registration_open = models.BooleanField(_("开放报名"), default=True)
    min_vendors_per_demand = models.PositiveSmallIntegerField(
        _("每家需求方至少对接供应商数"),
        default=3,
        validators=[MaxValueValidator(50)],
    )
    vendor_meeting_cap = models.PositiveSmallIntegerField(
        _("每家供应商会谈上限"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    schedule_status = models.CharField(
        _("日程状态"), max_length=16, choices=ScheduleStatus.choices, default=ScheduleStatus.NONE
    )
    schedule_published_at = models.DateTimeField(_("日程发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("对接活动")
        verbose_name_plural = _("对接活动")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.pk])

    def break_times(self) -> list[tuple[datetime.time, datetime.time]]:
        return [
            (datetime.time.fromisoformat(a), datetime.time.fromisoformat(b)) for a, b in self.breaks
        ]

    @property
    def slots(self) -> list[Slot]:
        return slots_between(self.starts_at, self.ends_at, self.meeting_minutes, self.break_times())

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.starts_at >= self.ends_at:
            raise ValidationError({"ends_at": _("结束时间必须晚于开始时间。")})

    def start(self) -> datetime.datetime:
        """When the first meeting starts, in the site's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.date, self.starts_at))

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.start()

    @property
    def accepts_registrations(self) -> bool:
        """Organisations may register (or withdraw) themselves: the organiser has left
        registration open and the event has not started."""
        return self.registration_open and not self.has_started()

    def slot_datetimes(self, index: int) -> tuple[datetime.datetime, datetime.datetime]:
        slot = self.slots[index]
        return (
            datetime.datetime.combine(self.date, slot.start),
            datetime.datetime.combine(self.date, slot.end),
        )


class EventTable(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tables")
    name = SingleLineCharField(_("桌号/洽谈室"), max_length=64)
    # How many meetings it hosts at once: a table 1, a room with three tables 3.
    capacity = models.PositiveSmallIntegerField(
        _("同时容纳会谈数"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("洽谈桌")
        verbose_name_plural = _("洽谈桌")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="event_table_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class EventParticipant(models.Model):
    class Role(models.TextChoices):
        DEMAND = "demand", _("需求方")
        VENDOR = "vendor", _("供应方")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    organization = models.ForeignKey(
        Organization, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    needs = models.ManyToManyField(
        "marketplace.Need", verbose_name=_("带来的需求"), blank=True, related_name="+"
    )
    capabilities = models.ManyToManyField(
        "marketplace.Capability", verbose_name=_("展示的能力"), blank=True, related_name="+"
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("会谈上限"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf = models.BooleanField(_("由组织方代为报名"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("参会机构")
        verbose_name_plural = _("参会机构")
        ordering = ["role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization"], name="event_participant_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.event_id}"


class ShortlistEntry(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("建议")
        PINNED = "pinned", _("已锁定")
        REMOVED = "removed", _("已移除")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="shortlist")
    demand = models.ForeignKey(EventParticipant, on_delete=models.CASCADE, related_name="+")
    vendor = models.ForeignKey(EventParticipant, on_delete=models.CASCADE, related_name="+")
    value = models.FloatField(_("匹配值"), default=0.0)
    best_need = models.ForeignKey(
        "marketplace.Need", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    best_capability = models.ForeignKey(
        "marketplace.Capability", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.PROPOSED
    )
    manual = models.BooleanField(_("手动添加"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("推荐对接名单")
        verbose_name_plural = _("推荐对接名单")
        ordering = ["demand__organization__name", "-value", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "demand", "vendor"], name="shortlist_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} × {self.vendor_id}"


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def for_organization(self, organization_id: int) -> MeetingQuerySet:
        return self.filter(
            models.Q(demand__organization_id=organization_id)
            | models.Q(vendor__organization_id=organization_id)
        )


class Meeting(models.Model):
    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("未记录")
        MET = "met", _("已会谈")
        NO_SHOW = "no_show", _("缺席")

    class Outcome(models.TextChoices):
        NONE = "none", _("未记录")
        FOLLOW_UP = "follow_up", _("后续跟进")
        PILOT = "pilot", _("试点")
        DEPLOYMENT = "deployment", _("部署")
        NO_DEAL = "no_deal", _("未达成")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    demand = models.ForeignKey(EventParticipant, on_delete=models.CASCADE, related_name="+")
    vendor = models.ForeignKey(EventParticipant, on_delete=models.CASCADE, related_name="+")
    value = models.FloatField(_("匹配值"), default=0.0)
    slot = models.PositiveSmallIntegerField(_("时段"))
    table = models.ForeignKey(EventTable, verbose_name=_("洽谈桌"), on_delete=models.PROTECT)
    attendance = models.CharField(
        _("到场"), max_length=16, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    outcome = models.CharField(
        _("结果"), max_length=16, choices=Outcome.choices, default=Outcome.NONE
    )
    pilot_site = SingleLineCharField(_("试点地点"), max_length=200, blank=True)
    pilot_start = models.DateField(_("试点开始日期"), null=True, blank=True)
    pilot_end = models.DateField(_("试点结束日期"), null=True, blank=True)
    outcome_note = SingleLineCharField(_("备注"), max_length=1000, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会谈")
        verbose_name_plural = _("会谈")
        ordering = ["slot", "table__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "demand", "vendor"], name="meeting_unique"),
            models.UniqueConstraint(fields=["event", "demand", "slot"], name="meeting_demand_slot"),
            models.UniqueConstraint(fields=["event", "vendor", "slot"], name="meeting_vendor_slot"),
            models.CheckConstraint(
                condition=models.Q(pilot_start__isnull=True)
                | models.Q(pilot_end__isnull=True)
                | models.Q(pilot_start__lte=models.F("pilot_end")),
                name="meeting_pilot_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.demand_id} × {self.vendor_id} @ {self.slot}"
