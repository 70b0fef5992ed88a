"""The capability profile form and its status form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from config.forms import PlainMessagesMixin
from marketplace.common.forms import (
    RegionMultipleChoiceField,
    SectionedFormMixin,
    category_field,
    certification_field,
    check_categories_in_domains,
    owner_field,
    validate_image_upload,
    validate_pdf_upload,
)
from marketplace.models import Capability


class CapabilityRules(forms.ModelForm):
    """What a capability profile's input must keep beyond its model's own rules (lengths, price
    range), on every way in: the web form and an imported row."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        check_categories_in_domains(
            self, self.cleaned_data.get("domains"), self.cleaned_data.get("categories")
        )
        return self.cleaned_data


class CapabilityForm(PlainMessagesMixin, SectionedFormMixin, CapabilityRules):
    categories = category_field(_("服务类别"))
    certifications = certification_field(_("已获资质"))
    image = forms.FileField(
        label=_("产品图片"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    spec_sheet = forms.FileField(
        label=_("规格书（PDF）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    sections = (
        (
            _("基本信息"),
            ("organization", "title", "description", "robot_type", "maturity"),
        ),
        (_("适用场景"), ("domains", "categories", "product_classes", "service_regions")),
        (
            _("参数与价格"),
            ("key_specs", "price_min_cny", "price_max_cny", "pilot_capacity_per_quarter"),
        ),
        (
            _("资质与案例"),
            ("certifications", "reference_deployments", "image", "spec_sheet"),
        ),
    )

    class Meta:
        model = Capability
        fields = Capability.EDITABLE_FIELDS
        field_classes = {"service_regions": RegionMultipleChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "domains": forms.CheckboxSelectMultiple,
            "product_classes": forms.CheckboxSelectMultiple,
            "service_regions": forms.SelectMultiple(attrs={"size": 10}),
            "key_specs": forms.Textarea(
                attrs={"rows": 4, "placeholder": _("例如：续航 8 小时；载重 30 公斤；自主乘梯")}
            ),
            "reference_deployments": forms.Textarea(attrs={"rows": 4}),
            "price_min_cny": forms.NumberInput(attrs={"min": 0, "step": 1000}),
            "price_max_cny": forms.NumberInput(attrs={"min": 0, "step": 1000}),
            "pilot_capacity_per_quarter": forms.NumberInput(attrs={"min": 0}),
        }
        help_texts = {
            "service_regions": _("按住 Ctrl（Mac 上为 ⌘）可多选；服务全国请选“全国”。"),
            "categories": _("只能选择所选领域下的类别。"),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.is_organizer and self.instance.pk is None:
            self.fields = {
                "organization": owner_field(user, Organization.Kind.VENDOR, _("供应商")),
                **self.fields,
            }
        self.fields["image"].help_text = _("JPEG、PNG 或 WebP，不超过 %(limit)s。") % {
            "limit": filesizeformat(settings.MARKETPLACE_IMAGE_MAX_BYTES)
        }
        self.fields["spec_sheet"].help_text = _("PDF，不超过 %(limit)s。") % {
            "limit": filesizeformat(settings.MARKETPLACE_SPEC_SHEET_MAX_BYTES)
        }
        if self.instance.pk:
            self.fields["image"].initial = self.instance.image or None
            self.fields["spec_sheet"].initial = self.instance.spec_sheet or None

    def clean_image(self) -> UploadedFile | bool | None:
        upload = self.cleaned_data.get("image")
        if isinstance(upload, UploadedFile):
            return validate_image_upload(upload)
        return upload

    def clean_spec_sheet(self) -> UploadedFile | bool | None:
        upload = self.cleaned_data.get("spec_sheet")
        if isinstance(upload, UploadedFile):
            return validate_pdf_upload(upload)
        return upload

    def service_fields(self) -> dict[str, Any]:
        from marketplace.capabilities.services import CAPABILITY_SCALAR_FIELDS

        fields = {
            name: self.cleaned_data[name]
            for name in CAPABILITY_SCALAR_FIELDS
            if name not in ("image", "spec_sheet")
        }
        for name in ("image", "spec_sheet"):
            value = self.cleaned_data.get(name)
            if value is False:  # "clear" ticked
                fields[name] = None
            elif isinstance(value, UploadedFile):
                fields[name] = value
        return fields

    def relations(self) -> dict[str, Iterable[Any]]:
        return {
            name: self.cleaned_data[name]
            for name in (
                "domains",
                "categories",
                "product_classes",
                "service_regions",
                "certifications",
            )
        }


class CapabilityStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Capability.Status.choices)
