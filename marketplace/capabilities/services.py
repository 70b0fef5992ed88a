"""Writes to capability profiles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from marketplace.audit.services import Action, audit_record, changed_fields
from marketplace.matches.features import CAPABILITY_TEXT_FIELDS
from marketplace.matches.indexing import embedding_refresh_request
from marketplace.models import (
    Capability,
    Certification,
    Domain,
    ProductClass,
    Region,
    ServiceCategory,
)

CAPABILITY_SCALAR_FIELDS = (
    "title",
    "description",
    "robot_type",
    "key_specs",
    "price_min_cny",
    "price_max_cny",
    "maturity",
    "reference_deployments",
    "pilot_capacity_per_quarter",
    "image",
    "spec_sheet",
)


def _check_relations(
    domains: list[Domain] | None, categories: list[ServiceCategory] | None
) -> None:
    if domains is not None and not domains:
        raise ValidationError({"domains": _("请至少选择一个适用领域。")})
    if domains is not None and categories is not None:
        domain_ids = {domain.pk for domain in domains}
        wrong = [category for category in categories if category.domain_id not in domain_ids]
        if wrong:
            raise ValidationError(
                {
                    "categories": _("服务类别“%(names)s”不属于所选领域。")
                    % {"names": _("、").join(category.display_name for category in wrong)}
                }
            )


def _apply(
    capability: Capability,
    fields: dict[str, Any],
    *,
    domains: Iterable[Domain] | None,
    categories: Iterable[ServiceCategory] | None,
    product_classes: Iterable[ProductClass] | None,
    service_regions: Iterable[Region] | None,
    certifications: Iterable[Certification] | None,
    text_changed: bool,
) -> None:
    unknown = set(fields) - set(CAPABILITY_SCALAR_FIELDS)
    if unknown:
        raise ValueError(f"Unknown capability fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(capability, name, value)
    # Only a change of what the encoder reads needs a new vector; any change re-ranks.
    if text_changed:
        capability.embedding_dirty = True
    capability.full_clean()
    domain_list = list(domains) if domains is not None else None
    category_list = list(categories) if categories is not None else None
    region_list = list(service_regions) if service_regions is not None else None
    if region_list is not None and not region_list:
        raise ValidationError({"service_regions": _("请至少选择一个服务地区（可选“全国”）。")})
    if domain_list is not None or category_list is not None:
        # A partial edit is checked against what is stored for the relation it leaves out.
        stored = capability.pk is not None
        _check_relations(
            domain_list
            if domain_list is not None
            else (list(capability.domains.all()) if stored else []),
            category_list
            if category_list is not None
            else (list(capability.categories.all()) if stored else None),
        )
    capability.save()
    if domain_list is not None:
        capability.domains.set(domain_list)
    if category_list is not None:
        capability.categories.set(category_list)
    if product_classes is not None:
        capability.product_classes.set(list(product_classes))
    if region_list is not None:
        capability.service_regions.set(region_list)
    if certifications is not None:
        capability.certifications.set(list(certifications))
    embedding_refresh_request()


@transaction.atomic
def capability_create(
    *,
    organization: Organization,
    created_by: User | None,
    fields: dict[str, Any],
    domains: Iterable[Domain],
    service_regions: Iterable[Region],
    categories: Iterable[ServiceCategory] = (),
    product_classes: Iterable[ProductClass] = (),
    certifications: Iterable[Certification] = (),
    publish: bool = False,
) -> Capability:
    if organization.kind != Organization.Kind.VENDOR:
        raise ValidationError({"organization": _("只有供应方机构可以发布能力。")})
    capability = Capability(organization=organization, created_by=created_by)
    if publish:
        capability.status = Capability.Status.PUBLISHED
    _apply(
        capability,
        fields,
        domains=domains,
        categories=categories,
        product_classes=product_classes,
        service_regions=service_regions,
        certifications=certifications,
        text_changed=True,
    )
    audit_record(actor=created_by, action=Action.CREATE, target=capability)
    return capability


@transaction.atomic
def capability_update(
    *,
    capability: Capability,
    user: User | None,
    fields: dict[str, Any],
    domains: Iterable[Domain] | None = None,
    categories: Iterable[ServiceCategory] | None = None,
    product_classes: Iterable[ProductClass] | None = None,
    service_regions: Iterable[Region] | None = None,
    certifications: Iterable[Certification] | None = None,
) -> Capability:
    if (
        user is not None
        and not Capability.objects.editable_by(user).filter(pk=capability.pk).exists()
    ):
        raise PermissionDenied
    relations = {
        "domains": domains,
        "categories": categories,
        "product_classes": product_classes,
        "service_regions": service_regions,
        "certifications": certifications,
    }
    changed = changed_fields(capability, fields, relations)
    if not changed:
        return capability  # nothing to save, audit or re-embed
    _apply(
        capability,
        fields,
        domains=domains,
        categories=categories,
        product_classes=product_classes,
        service_regions=service_regions,
        certifications=certifications,
        text_changed=bool(CAPABILITY_TEXT_FIELDS.intersection(changed)),
    )
    audit_record(actor=user, action=Action.EDIT, target=capability, details={"fields": changed})
    return capability


@transaction.atomic
def capability_set_status(*, capability: Capability, user: User, status: str) -> Capability:
    if not Capability.objects.editable_by(user).filter(pk=capability.pk).exists():
        raise PermissionDenied
    if status not in Capability.Status.values:
        raise ValidationError({"status": _("未知状态。")})
    moved = {"from": capability.status, "to": status}
    capability.status = status
    capability.embedding_dirty = True
    capability.save(update_fields=["status", "embedding_dirty", "updated_at"])
    audit_record(actor=user, action=Action.STATUS_CHANGE, target=capability, details=moved)
    return capability
