from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization


class Event(models.Model):
    """A 供需对接会. Participants, shortlists and schedules arrive with the workflow issue."""

    ref = models.CharField(_("导入编号"), max_length=64, unique=True, null=True, blank=True)
    organizer = models.ForeignKey(
        Organization, verbose_name=_("组织方"), on_delete=models.PROTECT, related_name="events"
    )
    name = models.CharField(_("名称"), max_length=200)
    date = models.DateField(_("日期"))
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    district = models.CharField(_("区/市"), max_length=64, blank=True)
    city = models.CharField(_("城市"), max_length=64, default="青岛市")
    domains = models.ManyToManyField(
        "marketplace.Domain", verbose_name=_("聚焦领域"), blank=True, related_name="events"
    )
    description = models.TextField(_("介绍"), max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("对接活动")
        verbose_name_plural = _("对接活动")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("marketplace:event_detail", args=[self.pk])
