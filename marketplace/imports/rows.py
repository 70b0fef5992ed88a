"""Check each imported row with a form of its kind, naming the row and field of every error.

The row forms are model forms: the model's own rules (lengths, ranges, the budget and price
ranges) and those the web form keeps for the same object (``NeedRules``, ``CapabilityRules``)
check a row as they check a page; the fields of ``marketplace.imports.fields`` read the cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization
from marketplace.capabilities.forms import CapabilityRules
from marketplace.capabilities.serializers import CAPABILITY_RELATIONS
from marketplace.capabilities.services import CAPABILITY_SCALAR_FIELDS
from marketplace.imports import fields as cells
from marketplace.imports.parsing import ImportPayload, SourceRow
from marketplace.imports.template import COLUMNS
from marketplace.models import (
    Capability,
    Domain,
    Event,
    Need,
    ProductClass,
    RobotType,
    ServiceCategory,
)
from marketplace.needs.forms import NeedRules
from marketplace.needs.serializers import NEED_RELATIONS
from marketplace.needs.services import NEED_SCALAR_FIELDS


@dataclass(frozen=True)
class RowError:
    section: str
    row: int
    ref: str | None
    field: str
    message: str

    def __str__(self) -> str:
        ref = f" ref={self.ref}" if self.ref else ""
        return f"{self.section} 第{self.row}行{ref} [{self.field}]: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "row": self.row,
            "ref": self.ref,
            "field": self.field,
            "message": self.message,
        }


class ImportValidationError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class CleanRow:
    source: SourceRow
    ref: str
    values: dict[str, Any] = field(default_factory=dict)
    relations: dict[str, list[Any]] = field(default_factory=dict)


def row_formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """The cell field for a model field; limits (``max_length``) come from the model."""
    options: dict[str, Any] = {
        "label": capfirst(db_field.verbose_name),
        "required": not (db_field.blank or db_field.has_default()),
    }
    if db_field.choices:
        return cells.ChineseChoiceField(choices=db_field.choices, **options)
    if isinstance(db_field, models.BooleanField):
        return cells.ChineseBooleanField(**options)
    if isinstance(db_field, models.DateField):
        return cells.ChineseDateField(**options)
    if isinstance(db_field, models.IntegerField):
        return cells.ChineseIntegerField(**options)
    if isinstance(db_field, models.CharField | models.TextField):
        return cells.RowTextField(max_length=db_field.max_length, **options)
    return db_field.formfield(**kwargs)  # relations: each row form declares its own


class RowForm(forms.ModelForm):
    """One row of an import file. Blank cells count as absent, so a column left empty keeps a
    model default; ``owner`` names the field holding the owning organisation's ref."""

    ref = cells.RefField()
    owner: ClassVar[str] = ""
    value_names: ClassVar[tuple[str, ...]] = ()  # what the writer sets on the object
    relation_names: ClassVar[tuple[str, ...]] = ()  # lists: taxonomy entries, regions, names
    field_order = ["ref"]

    class Meta:
        formfield_callback = row_formfield

    def __init__(self, row: SourceRow, taxonomy: cells.Taxonomy) -> None:
        super().__init__(data={k: v for k, v in row.data.items() if not cells.is_blank(v)})
        self.row = row
        raw_ref = row.data.get("ref")
        self.row_ref = cells.normalise(raw_ref) if raw_ref is not None else ""
        ref_field = self.fields["ref"]
        assert isinstance(ref_field, cells.RefField)
        ref_field.max_length = self._meta.model._meta.get_field("ref").max_length
        for form_field in self.fields.values():
            if isinstance(form_field, cells.LookupMixin):
                form_field.taxonomy = taxonomy

    def validate_unique(self) -> None:
        """Not here: a row with a stored ref updates that row (``loading``)."""

    def row_errors(self) -> list[RowError]:
        return [
            RowError(self.row.section, self.row.number, self.row_ref or None, name, str(message))
            for name, errors in self.errors.as_data().items()
            for error in errors
            for message in error.messages
        ]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.value_names}

    def relations(self) -> dict[str, list[Any]]:
        relations = {name: self.cleaned_data.get(name, []) for name in self.relation_names}
        if self.owner:
            relations[self.owner] = [self.cleaned_data.get(self.owner, "")]
        return relations

    def clean_row(self) -> CleanRow:
        """The row's values; of a row with errors, what could be read."""
        self.is_valid()
        return CleanRow(
            source=self.row, ref=self.row_ref, values=self.values(), relations=self.relations()
        )


def owner_ref_field() -> cells.RowTextField:
    return cells.RowTextField(required=True)


DEFAULT_SUB_TYPE = {
    Organization.Kind.DEMAND: Organization.SubType.ENTERPRISE,
    Organization.Kind.VENDOR: Organization.SubType.ROBOT_MAKER,
    Organization.Kind.ORGANIZER: Organization.SubType.EVENT_ORGANIZER,
}
# The columns an organisation row may leave empty, keeping what is stored.
ORGANIZATION_OPTIONAL = (
    *(name for name in COLUMNS["organizations"] if name not in ("ref", "name", "kind", "sub_type")),
    "is_demo",
)


class OrganizationRowForm(RowForm):
    sub_type = cells.ChineseChoiceField(
        label=gettext_lazy("细分类型"), choices=Organization.SubType.choices
    )

    class Meta(RowForm.Meta):
        model = Organization
        fields = ("ref", "name", "kind", "sub_type", *ORGANIZATION_OPTIONAL)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        kind, sub_type = cleaned.get("kind"), cleaned.get("sub_type")
        if kind and not sub_type and "sub_type" not in self.errors:
            cleaned["sub_type"] = sub_type = DEFAULT_SUB_TYPE[Organization.Kind(kind)]
        if kind and sub_type and sub_type not in Organization.SUB_TYPES_BY_KIND[kind]:
            self.add_error(
                "sub_type",
                _("细分类型“%(sub)s”与机构类型“%(kind)s”不符。") % {"sub": sub_type, "kind": kind},
            )
        return cleaned

    def values(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        values = {name: cleaned.get(name, "") for name in ("name", "kind", "sub_type")}
        # A column left empty keeps what is stored.
        values.update(
            {name: cleaned.get(name) for name in ORGANIZATION_OPTIONAL if name in self.data}
        )
        return values


class NeedRowForm(NeedRules, RowForm):
    owner = "organization"
    value_names = NEED_SCALAR_FIELDS
    relation_names = NEED_RELATIONS
    organization = owner_ref_field()
    domain = cells.TaxonomyChoiceField(Domain, required=True)
    categories = cells.TaxonomyMultipleChoiceField(ServiceCategory)
    product_classes = cells.TaxonomyMultipleChoiceField(ProductClass)
    region = cells.RegionField(required=True)
    required_certifications = cells.ListField()
    budget_basis = cells.BudgetBasisField()

    class Meta(RowForm.Meta):
        model = Need
        fields = ("ref", *Need.EDITABLE_FIELDS)


class CapabilityRowForm(CapabilityRules, RowForm):
    owner = "organization"
    value_names = tuple(
        name for name in CAPABILITY_SCALAR_FIELDS if name not in ("image", "spec_sheet")
    )
    relation_names = CAPABILITY_RELATIONS
    organization = owner_ref_field()
    robot_type = cells.TaxonomyChoiceField(RobotType, required=True)
    domains = cells.TaxonomyMultipleChoiceField(
        Domain,
        required=True,
        error_messages={"required": gettext_lazy("必填字段：至少一个领域代码。")},
    )
    categories = cells.TaxonomyMultipleChoiceField(ServiceCategory)
    product_classes = cells.TaxonomyMultipleChoiceField(ProductClass)
    service_regions = cells.RegionListField(
        required=True,
        error_messages={"required": gettext_lazy("必填字段：至少一个服务地区（可填“全国”）。")},
    )
    certifications = cells.ListField()

    class Meta(RowForm.Meta):
        model = Capability
        fields = ("ref", *Capability.EDITABLE_FIELDS)


EVENT_FIELDS = ("name", "date", "venue", "district", "city", "description")


class EventRowForm(RowForm):
    owner = "organizer"
    value_names = EVENT_FIELDS
    relation_names = ("domains",)
    organizer = owner_ref_field()
    domains = cells.TaxonomyMultipleChoiceField(Domain)

    class Meta(RowForm.Meta):
        model = Event
        fields = ("ref", *EVENT_FIELDS)

    def values(self) -> dict[str, Any]:
        values = super().values()
        values["city"] = values["city"] or Event._meta.get_field("city").default
        return values


ROW_FORMS: dict[str, type[RowForm]] = {
    "organizations": OrganizationRowForm,
    "needs": NeedRowForm,
    "capabilities": CapabilityRowForm,
    "events": EventRowForm,
}


def clean_payload(payload: ImportPayload) -> tuple[dict[str, list[CleanRow]], list[RowError]]:
    """Check every row; duplicate refs within a section are errors too."""
    errors: list[RowError] = []
    taxonomy = cells.Taxonomy()
    cleaned: dict[str, list[CleanRow]] = {}
    for section, form_class in ROW_FORMS.items():
        cleaned[section] = []
        for source in payload.rows[section]:
            form = form_class(source, taxonomy)
            cleaned[section].append(form.clean_row())
            errors.extend(form.row_errors())
    for section, rows in cleaned.items():
        seen: dict[str, int] = {}
        for row in rows:
            if row.ref and row.ref in seen:
                errors.append(
                    RowError(
                        section,
                        row.source.number,
                        row.ref,
                        "ref",
                        _("编号重复：与第 %(first)s 行相同。") % {"first": seen[row.ref]},
                    )
                )
            seen.setdefault(row.ref, row.source.number)
    return cleaned, errors
