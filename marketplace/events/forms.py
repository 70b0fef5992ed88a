"""Forms behind the event pages. They validate input; ``marketplace.events.services`` writes."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from config.forms import PlainMessagesMixin
from marketplace.events.selectors import organizations_to_register
from marketplace.events.services import (
    EVENT_FIELDS,
    Registration,
    parse_breaks,
    parse_tables,
    tables_text,
)
from marketplace.models import Capability, Event, EventParticipant, Meeting, Need

TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


def breaks_text(event: Event) -> str:
    return ", ".join(f"{start}-{end}" for start, end in event.breaks)


def _service_messages(error: ValidationError) -> list[str]:
    """A service error raised for one field, as that field's own messages."""
    return list(error.messages)


class EventForm(PlainMessagesMixin, forms.ModelForm):
    breaks = forms.CharField(
        label=_("休息时段"),
        required=False,
        max_length=500,
        help_text=_("用逗号分隔，例如：10:20-10:40, 12:00-13:00。休息时段内不安排会谈。"),
        widget=forms.TextInput(attrs={"placeholder": "10:20-10:40, 12:00-13:00"}),
    )
    tables = forms.CharField(
        label=_("洽谈桌"),
        max_length=5000,
        help_text=_(
            "每行一张桌：“1号桌”；一间可同时进行多场会谈的洽谈室写成“洽谈室A, 3”（名称, 容量）。"
        ),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("1号桌\n2号桌\n洽谈室A, 3")}),
    )

    class Meta:
        model = Event
        fields = (
            "name",
            "date",
            "venue",
            "district",
            "domains",
            "description",
            "starts_at",
            "ends_at",
            "meeting_minutes",
            "min_vendors_per_demand",
            "vendor_meeting_cap",
        )
        widgets = {
            "name": forms.TextInput(
                attrs={"placeholder": _("例如：具身智能机器人+养老 供需对接会")}
            ),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "district": forms.TextInput(attrs={"list": "qingdao-districts"}),
            "domains": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": TIME_WIDGET,
            "ends_at": TIME_WIDGET,
            "meeting_minutes": forms.NumberInput(attrs={"min": 5, "max": 240, "step": 5}),
            "min_vendors_per_demand": forms.NumberInput(attrs={"min": 0, "max": 50}),
            "vendor_meeting_cap": forms.NumberInput(attrs={"min": 1, "max": 100}),
        }
        help_texts = {
            "min_vendors_per_demand": _("推荐名单尽量为每家需求方安排至少这么多家供应商。"),
            "vendor_meeting_cap": _("每家供应商最多参加的会谈场数（可在报名时单独调低）。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["breaks"].initial = breaks_text(self.instance)
            self.fields["tables"].initial = tables_text(self.instance)

    def clean_breaks(self) -> list[list[str]]:
        try:
            return parse_breaks(self.cleaned_data.get("breaks", ""))
        except ValidationError as error:
            raise ValidationError(_service_messages(error)) from error

    def clean_tables(self) -> list[tuple[str, int]]:
        try:
            return parse_tables(self.cleaned_data.get("tables", ""))
        except ValidationError as error:
            raise ValidationError(_service_messages(error)) from error

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EVENT_FIELDS if name in self.cleaned_data}


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        assert isinstance(obj, Organization)
        return _("%(name)s（%(kind)s）") % {"name": obj.name, "kind": obj.get_kind_display()}


class ParticipantOrganizationForm(forms.Form):
    """Step one of registering for someone: which organisation."""

    organization = OrganizationChoiceField(
        label=_("参会机构"),
        queryset=Organization.objects.none(),
        help_text=_("只列出已通过审核的需求方和供应方机构。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Organization.objects.approved()
            .filter(kind__in=[Organization.Kind.DEMAND, Organization.Kind.VENDOR])
            .order_by("kind", "name")
        )


class BroughtItemsForm(forms.Form):
    """The needs (demand) or profiles (vendor) an organisation brings to an event."""

    needs = forms.ModelMultipleChoiceField(
        label=_("带来的需求"),
        queryset=Need.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    capabilities = forms.ModelMultipleChoiceField(
        label=_("展示的能力档案"),
        queryset=Capability.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ParticipantForm(BroughtItemsForm):
    """What an organisation brings: its published needs (demand) or profiles (vendor)."""

    max_meetings = forms.IntegerField(
        label=_("会谈上限"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("最多参加几场会谈；留空则按活动的默认安排。"),
        widget=forms.NumberInput(attrs={"min": 1, "max": 100}),
    )

    def __init__(
        self,
        *args: Any,
        organization: Organization,
        participant: EventParticipant | None = None,
        **kwargs: Any,
    ) -> None:
        if participant is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "needs": list(participant.needs.all()),
                "capabilities": list(participant.capabilities.all()),
                "max_meetings": participant.max_meetings,
            }
        super().__init__(*args, **kwargs)
        self.organization = organization
        needs = self.fields["needs"]
        capabilities = self.fields["capabilities"]
        assert isinstance(needs, forms.ModelMultipleChoiceField)
        assert isinstance(capabilities, forms.ModelMultipleChoiceField)
        if organization.kind == Organization.Kind.DEMAND:
            needs.queryset = Need.objects.published().filter(organization=organization)
            needs.required = True
            del self.fields["capabilities"]
        else:
            capabilities.queryset = Capability.objects.published().filter(organization=organization)
            capabilities.required = True
            del self.fields["needs"]
        for name in ("needs", "capabilities"):
            if name in self.fields:
                self.fields[name].error_messages["required"] = (
                    _("请至少选择一条带来的需求。")
                    if name == "needs"
                    else _("请至少选择一个能力档案。")
                )

    @property
    def has_choices(self) -> bool:
        field = self.fields.get("needs") or self.fields["capabilities"]
        assert isinstance(field, forms.ModelMultipleChoiceField) and field.queryset is not None
        return field.queryset.exists()

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "needs": self.cleaned_data.get("needs") or [],
            "capabilities": self.cleaned_data.get("capabilities") or [],
            "max_meetings": self.cleaned_data.get("max_meetings"),
        }


class BulkRegistrationForm(BroughtItemsForm):
    """Several organisations registered in one step, each with its published needs (demand) or
    profiles (vendor) ticked to begin with. Organisations already registered are not offered."""

    organizations = forms.ModelMultipleChoiceField(
        label=_("参会机构"),
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一家机构。")},
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = organizations_to_register(event)
        organizations = cast(forms.ModelMultipleChoiceField, self.fields["organizations"])
        needs = cast(forms.ModelMultipleChoiceField, self.fields["needs"])
        capabilities = cast(forms.ModelMultipleChoiceField, self.fields["capabilities"])
        organizations.queryset = candidates
        needs.queryset = Need.objects.published().filter(organization__in=candidates)
        capabilities.queryset = Capability.objects.published().filter(organization__in=candidates)
        # Everything each organisation has published is ticked to begin with.
        needs.initial = [need.pk for need in needs.queryset]
        capabilities.initial = [capability.pk for capability in capabilities.queryset]
        self.registrations: list[Registration] = []

    def rows(self) -> list[tuple[Organization, BoundWidget, list[BoundWidget]]]:
        """Each organisation offered: itself, its checkbox, and the checkboxes of its items."""
        needs = {str(widget.data["value"]): widget for widget in self["needs"]}
        profiles = {str(widget.data["value"]): widget for widget in self["capabilities"]}
        rows = []
        for widget in self["organizations"]:
            organization = widget.data["value"].instance
            items = [needs[str(need.pk)] for need in organization.published_needs]
            items += [profiles[str(profile.pk)] for profile in organization.published_profiles]
            rows.append((organization, widget, items))
        return rows

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        needs = cleaned.get("needs") or []
        capabilities = cleaned.get("capabilities") or []
        empty = []
        self.registrations = []
        for organization in cleaned.get("organizations") or []:
            registration = Registration(
                organization=organization,
                needs=[need for need in needs if need.organization_id == organization.pk],
                capabilities=[c for c in capabilities if c.organization_id == organization.pk],
            )
            if not registration.needs and not registration.capabilities:
                empty.append(organization.name)
            self.registrations.append(registration)
        if empty:
            self.add_error(
                "organizations",
                _("请为这些机构至少勾选一项需求或能力档案：%(names)s。")
                % {"names": _("、").join(empty)},
            )
        return cleaned


class RegistrationToggleForm(forms.Form):
    open = forms.TypedChoiceField(
        choices=[("1", _("开放报名")), ("0", _("截止报名"))], coerce=lambda value: value == "1"
    )


class MeetingOutcomeForm(PlainMessagesMixin, forms.Form):
    attendance = forms.ChoiceField(label=_("到场情况"), choices=Meeting.Attendance.choices)
    outcome = forms.ChoiceField(label=_("对接结果"), choices=Meeting.Outcome.choices)
    pilot_site = forms.CharField(
        label=_("试点地点"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("例如：颐和苑养老中心二楼护理区")}),
    )
    pilot_start = forms.DateField(
        label=_("试点开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    pilot_end = forms.DateField(
        label=_("试点结束日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("备注"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "attendance": meeting.attendance,
                "outcome": meeting.outcome,
                "pilot_site": meeting.pilot_site,
                "pilot_start": meeting.pilot_start,
                "pilot_end": meeting.pilot_end,
                "note": meeting.outcome_note,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["pilot_site"].help_text = _("选择“试点”时必填；试点和部署会保留地点与日期。")
