from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


DETAIL_LABELS = {
    "file": _("文件"),
    "format": _("格式"),
    "rows": _("行数"),
    "event": _("活动"),
    "organization": _("机构"),
    "status": _("结果"),
    "summary": _("汇总"),
    "errors": _("错误数"),
}


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def visible_to(self, user: User | AnonymousUser) -> AuditEntryQuerySet:
        """Only organisers read the audit log."""
        if user.is_authenticated and user.is_organizer:
            return self.all()
        return self.none()


class AuditEntry(models.Model):
    """Who did what to which record, and when. Written by ``marketplace.audit.services`` inside
    the transaction of the change it describes; never edited or deleted afterwards."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("审核通过")
        REJECT = "reject", _("审核驳回")
        CREATE = "create", _("创建")
        EDIT = "edit", _("编辑")
        STATUS_CHANGE = "status_change", _("状态变更")
        PUBLISH = "publish", _("发布")
        DELETE = "delete", _("删除")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("上传导入")
        IMPORT_FINISH = "import_finish", _("导入结束")
        SCHEDULE_PUBLISH = "schedule_publish", _("发布日程")
        SCHEDULE_UNPUBLISH = "schedule_unpublish", _("撤回日程")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Copies, so the entry still reads right after the user or the record is deleted.
    actor_email = models.EmailField(_("操作人邮箱"), blank=True)
    action = models.CharField(_("操作"), max_length=32, choices=Action.choices)
    target_type = models.CharField(_("对象类型"), max_length=100)
    target_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True)
    target_label = models.CharField(_("对象名称"), max_length=200, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.actor_email or '—'} {self.get_action_display()} {self.target_label}"

    def _target_model(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.target_type)
        except (LookupError, ValueError):
            return None

    @property
    def target_type_display(self) -> str:
        """The target model's name in the reader's language, e.g. 需求 for marketplace.need."""
        model = self._target_model()
        return str(model._meta.verbose_name) if model else self.target_type

    def _field(self, name: str) -> models.Field[object, object] | None:
        model = self._target_model()
        try:
            return model._meta.get_field(name) if model else None  # type: ignore[return-value]
        except FieldDoesNotExist:
            return None

    def _field_label(self, name: str) -> str:
        return str(getattr(self._field(name), "verbose_name", name))

    def _status_label(self, code: str) -> str:
        return str(dict(getattr(self._field("status"), "choices", None) or ()).get(code, code))

    def detail_items(self) -> list[tuple[str, str]]:
        """The details as (label, text) pairs a person can read: field names and statuses in
        the reader's language."""
        details = dict(self.details)
        items: list[tuple[str, str]] = []
        if "fields" in details:
            names = details.pop("fields") or []
            items.append(
                (str(_("改动字段")), _("、").join(self._field_label(n) for n in names) or "—")
            )
        for name, (old, new) in (details.pop("changes", None) or {}).items():
            items.append((self._field_label(name), f"{old or '—'} → {new or '—'}"))
        if "from" in details and "to" in details:
            moved = (self._status_label(details.pop("from")), self._status_label(details.pop("to")))
            items.append((str(_("状态")), f"{moved[0]} → {moved[1]}"))
        items.extend(
            (str(DETAIL_LABELS.get(key, key)), str(value)) for key, value in details.items()
        )
        return items
