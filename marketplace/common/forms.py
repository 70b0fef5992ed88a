"""Form fields, widgets and upload checks the features' forms share. Forms validate input; each
feature's services do the writing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Case, Model, QuerySet, Value, When
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from marketplace.models import Certification, Region, ServiceCategory

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


def category_field(label: StrOrPromise) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=ServiceCategory.objects.select_related("domain"),
        required=False,
        widget=DomainGroupedCheckboxSelectMultiple,
    )


def certification_field(label: StrOrPromise) -> CertificationMultipleChoiceField:
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


def owner_field(user: User, kind: str, label: StrOrPromise) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Organization.objects.visible_to(user).filter(kind=kind),
        help_text=_("组织方代为录入时，请选择所属机构。"),
    )


def check_upload_size(upload: UploadedFile, limit: int) -> None:
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("文件太大（%(size)s），最大允许 %(limit)s。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


def validate_image_upload(upload: UploadedFile) -> UploadedFile:
    """Accept JPEG, PNG or WebP by what the bytes are, and store it under a matching name."""
    from PIL import Image

    check_upload_size(upload, settings.MARKETPLACE_IMAGE_MAX_BYTES)
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
    check_upload_size(upload, settings.MARKETPLACE_SPEC_SHEET_MAX_BYTES)
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(_("规格书必须是 PDF 文件（文件内容不是 PDF）。"), code="invalid_pdf")
    upload.name = "spec-sheet.pdf"
    return upload
