"""Forms behind the lead pages: each side's answer, and the vendor's alert settings.

Field names follow the keys of the services' ValidationErrors (``message``, ``proposal``,
``decline_reason``, ``decline_note``), so ``add_service_errors`` puts them beside the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from config.forms import PlainMessagesMixin
from marketplace.common.scores import score_percent
from marketplace.leads.proposals import proposal_check
from marketplace.models import Capability, Lead, LeadAlertPreference


class LeadRespondForm(PlainMessagesMixin, forms.Form):
    message = forms.CharField(
        label=_("回复留言"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请写一句回复留言，说明贵方能提供什么。")},
        help_text=_("需求方会看到这段话：贵方能提供什么、大致报价或试点安排。"),
    )
    proposal = forms.FileField(
        label=_("方案附件"),
        required=False,
        help_text=_("可选：PDF、Word、PPT、Excel、PNG 或 JPG，不超过 10 MB。"),
    )

    def clean_message(self) -> str:
        message: str = self.cleaned_data["message"].strip()
        if not message:
            raise ValidationError(_("请写一句回复留言，说明贵方能提供什么。"))
        return message

    def clean_proposal(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("proposal")
        try:
            proposal_check(upload)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return upload


class LeadDeclineForm(PlainMessagesMixin, forms.Form):
    decline_reason = forms.ChoiceField(
        label=_("婉拒原因"),
        choices=[("", _("请选择")), *Lead.DeclineReason.choices],
        error_messages={
            "required": _("请选择婉拒原因。"),
            "invalid_choice": _("请选择婉拒原因。"),
        },
    )
    decline_note = forms.CharField(
        label=_("补充说明"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("选择“其他”时必填。"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        note = cleaned.get("decline_note", "").strip()
        if cleaned.get("decline_reason") == Lead.DeclineReason.OTHER and not note:
            self.add_error("decline_note", _("选择“其他”时请补充说明。"))
        cleaned["decline_note"] = note
        return cleaned


class LeadDecisionForm(PlainMessagesMixin, forms.Form):
    """The institution's accept or decline, with an optional word to the vendor."""

    message = forms.CharField(
        label=_("给供应商的留言"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LeadInviteForm(LeadDecisionForm):
    capability = forms.ModelChoiceField(
        queryset=Capability.objects.published(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("请选择要邀请的能力档案。"),
            "invalid_choice": _("该能力档案不存在或未发布，不能邀请。"),
        },
    )


class LeadNotFitForm(forms.Form):
    vendor = forms.ModelChoiceField(
        queryset=Organization.objects.filter(kind=Organization.Kind.VENDOR),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("请选择供应商。"),
            "invalid_choice": _("只能把供应商标记为不合适。"),
        },
    )


class LeadAlertForm(forms.Form):
    enabled = forms.BooleanField(label=_("接收新线索提醒"), required=False)
    # Typed on the 0–100 scale every page shows scores on; stored, like the score, as 0–1.
    min_score = forms.IntegerField(
        label=_("提醒门槛（匹配分）"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": "1", "inputmode": "numeric"}),
        help_text=_("匹配分达到此值的新需求才会提醒（0–100），例如 60。"),
        error_messages={
            "required": _("请填写提醒门槛。"),
            "invalid": _("提醒门槛须是 0 到 100 之间的整数，例如 60。"),
            "min_value": _("提醒门槛不能小于 0。"),
            "max_value": _("提醒门槛不能大于 100。"),
        },
    )
    daily_limit = forms.IntegerField(
        label=_("每日提醒上限"),
        min_value=1,
        max_value=200,
        help_text=_("每天最多提醒几条新线索（1–200）。"),
        error_messages={
            "required": _("请填写每日提醒上限。"),
            "invalid": _("每日提醒上限须是 1 到 200 之间的整数。"),
            "min_value": _("每日提醒上限至少为 1。"),
            "max_value": _("每日提醒上限不能超过 200。"),
        },
    )

    @classmethod
    def for_preference(cls, preference: LeadAlertPreference) -> LeadAlertForm:
        return cls(
            initial={
                "enabled": preference.enabled,
                "min_score": score_percent(preference.min_score),
                "daily_limit": preference.daily_limit,
            }
        )

    def clean_min_score(self) -> float:
        """The threshold on the engine's 0–1 scale, as the service and the API take it."""
        return int(self.cleaned_data["min_score"]) / 100
