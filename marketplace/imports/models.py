from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.text import SingleLineCharField
from marketplace.leads.models import private_storage


def import_upload_path(instance: ImportJob, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    return f"imports/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:8]}"


class ImportJob(models.Model):
    """One upload of organisations, needs and profiles, loaded by a Celery task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    # Private, as proposals are: organisations' unpublished data, never served under MEDIA_URL.
    file = models.FileField(_("文件"), upload_to=import_upload_path, storage=private_storage)
    original_name = SingleLineCharField(_("原文件名"), max_length=255)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(
        _("总行数"), default=0, validators=[MaxValueValidator(2**31 - 1)]
    )
    processed_rows = models.PositiveIntegerField(
        _("已处理行数"), default=0, validators=[MaxValueValidator(2**31 - 1)]
    )
    errors = models.JSONField(_("错误"), default=list, blank=True)
    summary = models.JSONField(_("结果"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("imports:import_detail", args=[self.pk])

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total_rows:
            return 0
        return min(100, int(100 * self.processed_rows / self.total_rows))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
