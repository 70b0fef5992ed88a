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
from marketplace.models import Need, Region


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
