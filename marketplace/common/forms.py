"""Form fields, widgets and upload checks the features' forms share. Forms validate input; each
feature's services do the writing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
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


def check_categories_in_domains(
    form: forms.BaseForm, domains: Iterable[Any] | None, categories: Iterable[Any] | None
) -> None:
    """The rule of needs and capability profiles: each service category belongs to one of the
    chosen domains. Nothing to check while the domains or the categories are themselves wrong."""
    if domains is None or not categories:
        return
    domain_ids = {domain.pk for domain in domains}
    wrong = [category for category in categories if category.domain_id not in domain_ids]
    if wrong:
        form.add_error(
            "categories",
            _("服务类别“%(names)s”不属于所选领域。")
            % {"names": _("、").join(category.display_name for category in wrong)},
        )


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


HOME_REGION = "青岛市"


def region_groups(regions: Iterable[Region]) -> list[tuple[str, list[tuple[Region, str]]]]:
    """Regions as a picker groups them: the province of 青岛市 first with 青岛市 and its districts
    at its top, then 全国 with the municipalities and special regions (no cities below them),
    then each other province with its cities, each city followed by its districts. A province
    is chosen whole through its "…全境" entry. Otherwise in the seed's order (the national code
    order)."""
    regions = sorted(regions, key=lambda region: region.pk)
    children: dict[int | None, list[Region]] = defaultdict(list)
    for region in regions:
        children[region.parent_id].append(region)

    def with_districts(city: Region) -> list[tuple[Region, str]]:
        entries = [(city, city.name)]
        for district in children[city.pk]:
            entries += with_districts(district)
        return entries

    groups: list[tuple[str, list[tuple[Region, str]]]] = []
    placed: set[int] = set()
    provinces = [region for region in regions if region.level == Region.Level.PROVINCE]
    for province in provinces:
        cities = sorted(children[province.pk], key=lambda city: city.name != HOME_REGION)
        if not cities:
            continue
        entries = [(province, _("%(name)s全境") % {"name": province.name})]
        for city in cities:
            entries += with_districts(city)
        if cities[0].name == HOME_REGION:  # 青岛市 and its districts before the whole province
            home = len(with_districts(cities[0]))
            entries = [*entries[1 : home + 1], entries[0], *entries[home + 1 :]]
        groups.append((province.name, entries))
        placed.update(region.pk for region, _label in entries)
    # 全国, the municipalities, and anything whose province is missing from the list.
    wide = [(region, region.name) for region in regions if region.pk not in placed]
    home_groups = [group for group in groups if group[1][0][0].name == HOME_REGION]
    others = [group for group in groups if group not in home_groups]
    everywhere = (str(_("全国、直辖市与特别行政区")), wide)
    return [*home_groups, *([everywhere] if wide else []), *others]


class RegionChoiceIterator(ModelChoiceIterator):
    """The choices of a region field, in ``region_groups``' optgroups."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        assert self.queryset is not None
        for label, entries in region_groups(self.queryset):
            yield (
                label,
                [
                    (ModelChoiceIteratorValue(self.field.prepare_value(region), region), text)
                    for region, text in entries
                ],
            )


def _searchable(widget: forms.Widget) -> None:
    widget.attrs["data-region-picker"] = ""
    widget.attrs["data-search-placeholder"] = _("输入地区名称搜索")
    widget.attrs["data-no-results"] = _("没有匹配的地区")


class RegionChoiceField(forms.ModelChoiceField):
    """One region, grouped by province; static/js/region_picker.js makes it searchable."""

    iterator = RegionChoiceIterator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["queryset"] = Region.objects.order_by("pk")
        kwargs.setdefault("widget", forms.Select)
        super().__init__(*args, **kwargs)
        _searchable(self.widget)


class RegionMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several regions, grouped by province; searchable like ``RegionChoiceField``."""

    iterator = RegionChoiceIterator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["queryset"] = Region.objects.order_by("pk")
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": 10}))
        super().__init__(*args, **kwargs)
        _searchable(self.widget)


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
