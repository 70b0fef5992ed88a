"""The need form and its status form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from config.forms import PlainMessagesMixin
from marketplace.common.forms import (
    RegionChoiceField,
    SectionedFormMixin,
    category_field,
    certification_field,
    check_categories_in_domains,
    owner_field,
)
from marketplace.models import Need, ProductClass, Region, ServiceCategory
from marketplace.needs.models import MAX_CNY
from matching.engine import Question


class NeedRules(forms.ModelForm):
    """What a need's input must keep beyond its model's own rules (lengths, budget range), on
    every way in: the web form and an imported row."""

    def clean_budget_basis(self) -> str:
        # Optional (an older page or client, a file without the column): per unit by default.
        return self.cleaned_data.get("budget_basis") or Need.BudgetBasis.PER_UNIT

    def clean_quantity(self) -> int | None:
        quantity = self.cleaned_data.get("quantity")
        if quantity is not None and quantity < 1:
            raise ValidationError(_("需求数量至少为 1。"), code="min_value")
        return quantity

    def clean(self) -> dict[str, Any]:
        super().clean()
        domain = self.cleaned_data.get("domain")
        check_categories_in_domains(
            self, [domain] if domain else None, self.cleaned_data.get("categories")
        )
        return self.cleaned_data


class NeedForm(PlainMessagesMixin, SectionedFormMixin, NeedRules):
    categories = category_field(_("服务类别"))
    required_certifications = certification_field(_("必需资质"))

    sections = (
        (
            _("基本信息"),
            ("organization", "title", "description", "domain", "categories", "product_classes"),
        ),
        (
            _("场地条件"),
            ("region", "site_environment", "site_floors", "site_has_elevator", "site_area_m2"),
        ),
        (_("数量与预算"), ("quantity", "budget_min_cny", "budget_max_cny", "budget_basis")),
        (_("资质与时间"), ("required_certifications", "wanted_by")),
    )

    class Meta:
        model = Need
        fields = Need.EDITABLE_FIELDS
        field_classes = {"region": RegionChoiceField}
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": _("例如：养老院三餐送餐机器人")}),
            "description": forms.Textarea(
                attrs={
                    "rows": 6,
                    "placeholder": _("描述要解决的问题、使用场景、服务对象和期望效果。"),
                }
            ),
            "product_classes": forms.CheckboxSelectMultiple,
            "wanted_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "site_floors": forms.NumberInput(attrs={"min": 0}),
            "site_area_m2": forms.NumberInput(attrs={"min": 0}),
            "quantity": forms.NumberInput(attrs={"min": 1}),
            "budget_min_cny": forms.NumberInput(attrs={"min": 0, "step": 1000}),
            "budget_max_cny": forms.NumberInput(attrs={"min": 0, "step": 1000}),
            "budget_basis": forms.RadioSelect,
        }
        help_texts = {
            "categories": _("只能选择所选领域下的类别。"),
            "budget_max_cny": _("单位：元。不确定可留空。是单价还是总价，在下面选择。"),
            "budget_basis": _(
                "按单价：预算是每台/套的价格；按总价：预算是需求数量全部的总额，"
                "匹配时用供应方单价乘以数量来比较。"
            ),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.is_organizer and self.instance.pk is None:
            self.fields = {
                "organization": owner_field(user, Organization.Kind.DEMAND, _("发布机构")),
                **self.fields,
            }
        if self.instance.pk is None and not self.is_bound:
            self.fields["region"].initial = Region.objects.by_name("青岛市")
        self.fields["budget_basis"].required = False
        cast(forms.ChoiceField, self.fields["site_environment"]).choices = [
            ("", _("未说明")),
            *Need.SiteEnvironment.choices,
        ]

    def service_fields(self) -> dict[str, Any]:
        from marketplace.needs.services import NEED_SCALAR_FIELDS

        return {name: self.cleaned_data[name] for name in NEED_SCALAR_FIELDS}


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Need.Status.choices)


class NeedReadingConfirmForm(forms.Form):
    """The suggestions of the reading the institution keeps (all ticked at first)."""

    categories = forms.ModelMultipleChoiceField(
        label=_("服务类别"),
        queryset=ServiceCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    product_classes = forms.ModelMultipleChoiceField(
        label=_("产品类别"),
        queryset=ProductClass.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("categories") and not cleaned.get("product_classes"):
            raise ValidationError(_("请至少勾选一项建议。"), code="empty")
        return cleaned


class NeedClarifyForm(forms.Form):
    """The answer to one clarifying question; only that question's fields are asked."""

    FIELDS: dict[str, tuple[str, ...]] = {
        Question.BUDGET: ("budget_max_cny",),
        Question.FLOORS: ("site_floors", "site_has_elevator"),
        Question.CERTIFICATION: ("required_certifications",),
        Question.REGION: ("region",),
    }

    budget_max_cny = forms.IntegerField(
        label=_("预算上限（元，每台/套）"), min_value=0, max_value=MAX_CNY, required=False
    )
    site_floors = forms.IntegerField(label=_("楼层数"), min_value=0, max_value=300, required=False)
    site_has_elevator = forms.TypedChoiceField(
        label=_("有无电梯"),
        choices=[("", _("未说明")), ("yes", _("有")), ("no", _("无"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )
    required_certifications = certification_field(_("必需资质"))
    region = RegionChoiceField(label=_("所在地区"), required=False)

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        kept = self.FIELDS[question]
        self.fields = {name: field for name, field in self.fields.items() if name in kept}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answered = [
            value
            for name in self.fields
            if (value := cleaned.get(name)) is not None
            and value != ""
            and (not hasattr(value, "__len__") or len(value))
        ]
        if not answered and not self.errors:
            raise ValidationError(_("请填写答案，或直接跳过这个问题。"), code="empty")
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name != "required_certifications" and self.cleaned_data.get(name) is not None
        }
