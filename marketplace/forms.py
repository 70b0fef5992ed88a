"""Forms behind the marketplace pages. They validate input; the services in
``marketplace.services`` do the writing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Case, Model, QuerySet, Value, When
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from marketplace.models import Capability, Certification, Need, Region, ServiceCategory

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ALLOWED_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PDF_MAGIC = b"%PDF-"


class DomainGroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Service categories as checkboxes grouped under their domain.

    Each checkbox carries ``data-domain`` so static/js/forms.js can show only the categories of
    the chosen domain; the form still checks that on the server.
    """

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-domain"] = str(instance.domain_id)
        return option

    def optgroups(
        self, name: str, value: list[str], attrs: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        selected_values = {str(item) for item in value}
        groups: dict[object, tuple[str | None, list[dict[str, Any]], int | None]] = {}
        for index, (option_value, option_label) in enumerate(self.choices):
            instance = getattr(option_value, "instance", None)
            domain = instance.domain if instance is not None else None
            _label, options, _first = groups.setdefault(
                domain.pk if domain else None, (str(domain) if domain else None, [], index)
            )
            options.append(
                self.create_option(
                    name,
                    option_value,
                    option_label,
                    str(option_value) in selected_values,
                    index,
                    attrs=attrs,
                )
            )
        return list(groups.values())


class CertificationMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        assert isinstance(obj, Certification)
        language = get_language() or ""
        return obj.name_en if language.startswith("en") and obj.name_en else obj.name


def _category_field(label: StrOrPromise) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=ServiceCategory.objects.select_related("domain"),
        required=False,
        widget=DomainGroupedCheckboxSelectMultiple,
    )


def _certification_field(label: StrOrPromise) -> CertificationMultipleChoiceField:
    return CertificationMultipleChoiceField(
        label=label,
        queryset=Certification.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class SectionedFormMixin:
    """A long form shown in titled sections (fieldsets) rather than one column of inputs."""

    sections: tuple[tuple[Any, tuple[str, ...]], ...] = ()

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        form: forms.BaseForm = self  # type: ignore[assignment]
        return [
            (legend, [form[name] for name in names if name in form.fields])
            for legend, names in self.sections
        ]


def regions_widest_first() -> QuerySet[Region]:
    """全国, then provinces, then cities: the order people scan a region list in."""
    rank = Case(
        When(level=Region.Level.COUNTRY, then=Value(0)),
        When(level=Region.Level.PROVINCE, then=Value(1)),
        default=Value(2),
    )
    return Region.objects.annotate(rank=rank).order_by("rank", "name")


def _owner_field(user: User, kind: str, label: StrOrPromise) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Organization.objects.visible_to(user).filter(kind=kind),
        help_text=_("组织方代为录入时，请选择所属机构。"),
    )


class NeedForm(SectionedFormMixin, forms.ModelForm):
    categories = _category_field(_("服务类别"))
    required_certifications = _certification_field(_("必需资质"))

    sections = (
        (
            _("基本信息"),
            ("organization", "title", "description", "domain", "categories", "product_classes"),
        ),
        (
            _("场地条件"),
            ("region", "site_environment", "site_floors", "site_has_elevator", "site_area_m2"),
        ),
        (_("数量与预算"), ("quantity", "budget_min_cny", "budget_max_cny")),
        (_("资质与时间"), ("required_certifications", "wanted_by")),
    )

    class Meta:
        model = Need
        fields = Need.EDITABLE_FIELDS
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
        }
        help_texts = {
            "categories": _("只能选择所选领域下的类别。"),
            "budget_max_cny": _("单位：元。不确定可留空。"),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.is_organizer and self.instance.pk is None:
            self.fields = {
                "organization": _owner_field(user, Organization.Kind.DEMAND, _("发布机构")),
                **self.fields,
            }
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions_widest_first()
        if self.instance.pk is None and not self.is_bound:
            self.fields["region"].initial = Region.objects.by_name("青岛市")
        cast(forms.ChoiceField, self.fields["site_environment"]).choices = [
            ("", _("未说明")),
            *Need.SiteEnvironment.choices,
        ]

    def clean_quantity(self) -> int | None:
        quantity = self.cleaned_data.get("quantity")
        if quantity is not None and quantity < 1:
            raise ValidationError(_("需求数量至少为 1。"), code="min_value")
        return quantity

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        domain, categories = cleaned.get("domain"), cleaned.get("categories")
        if domain and categories:
            wrong = [category for category in categories if category.domain_id != domain.pk]
            if wrong:
                self.add_error(
                    "categories",
                    _("服务类别“%(names)s”不属于所选领域。")
                    % {"names": "、".join(category.name_zh for category in wrong)},
                )
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        from marketplace.needs.services import NEED_SCALAR_FIELDS

        return {name: self.cleaned_data[name] for name in NEED_SCALAR_FIELDS}


def _check_size(upload: UploadedFile, limit: int) -> None:
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("文件太大（%(size)s），最大允许 %(limit)s。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


def validate_image_upload(upload: UploadedFile) -> UploadedFile:
    """Accept JPEG, PNG or WebP by what the bytes are, and store it under a matching name."""
    from PIL import Image

    _check_size(upload, settings.MARKETPLACE_IMAGE_MAX_BYTES)
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except Exception as error:  # Pillow raises many types for bad or hostile files
        raise ValidationError(
            _("图片无法识别：请上传 JPEG、PNG 或 WebP 格式的图片文件。"), code="invalid_image"
        ) from error
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("不支持的图片格式（%(format)s）：请上传 JPEG、PNG 或 WebP 格式的图片文件。")
            % {"format": image_format},
            code="invalid_image",
        )
    upload.name = f"image.{ALLOWED_IMAGE_FORMATS[image_format]}"
    return upload


def validate_pdf_upload(upload: UploadedFile) -> UploadedFile:
    """Accept a PDF by its header, whatever the file is called, and store it as ``.pdf``."""
    _check_size(upload, settings.MARKETPLACE_SPEC_SHEET_MAX_BYTES)
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(_("规格书必须是 PDF 文件（文件内容不是 PDF）。"), code="invalid_pdf")
    upload.name = "spec-sheet.pdf"
    return upload


class CapabilityForm(SectionedFormMixin, forms.ModelForm):
    categories = _category_field(_("服务类别"))
    certifications = _certification_field(_("已获资质"))
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
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "domains": forms.CheckboxSelectMultiple,
            "product_classes": forms.CheckboxSelectMultiple,
            "service_regions": forms.SelectMultiple(attrs={"size": 8}),
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
                "organization": _owner_field(user, Organization.Kind.VENDOR, _("供应商")),
                **self.fields,
            }
        service_regions = cast(forms.ModelMultipleChoiceField, self.fields["service_regions"])
        service_regions.queryset = regions_widest_first()
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

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        domains, categories = cleaned.get("domains"), cleaned.get("categories")
        if domains is not None and categories:
            domain_ids = {domain.pk for domain in domains}
            wrong = [category for category in categories if category.domain_id not in domain_ids]
            if wrong:
                self.add_error(
                    "categories",
                    _("服务类别“%(names)s”不属于所选领域。")
                    % {"names": "、".join(category.name_zh for category in wrong)},
                )
        return cleaned

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


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Need.Status.choices)


class CapabilityStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Capability.Status.choices)


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("驳回理由"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("可选，会展示给该机构")}),
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("导入文件"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,.json,application/json,text/csv"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("XLSX 模板、CSV 或 JSON，不超过 %(limit)s。") % {
            "limit": filesizeformat(settings.MARKETPLACE_IMPORT_MAX_BYTES)
        }
