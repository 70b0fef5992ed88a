"""Reads that turn marketplace rows into the ranking's typed features (the only ORM side)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from marketplace.leads.models import answered_q, overdue_q
from marketplace.models import (
    Capability,
    Certification,
    Domain,
    Lead,
    Need,
    ProductClass,
    Region,
    RobotType,
    ServiceCategory,
)
from matching.engine import (
    ROBOT_TYPE_SYNONYMS,
    BudgetBasis,
    CapabilityFeatures,
    NeedFeatures,
    Vocabulary,
)


def vocabulary_load() -> Vocabulary:
    categories = list(ServiceCategory.objects.all())
    terms: dict[str, tuple[str, ...]] = {}
    for robot_type in RobotType.objects.all():
        names = (robot_type.name_zh, robot_type.name_en)
        terms[robot_type.code] = tuple(
            t for t in (*names, *ROBOT_TYPE_SYNONYMS.get(robot_type.code, ())) if t
        )
    return Vocabulary(
        category_names={c.code: c.name_zh for c in categories},
        category_keywords={c.code: tuple(c.keywords or ()) for c in categories},
        domain_names=dict(Domain.objects.values_list("code", "name_zh")),
        product_class_names=dict(ProductClass.objects.values_list("code", "name_zh")),
        robot_type_terms=terms,
        category_names_en={c.code: c.name_en for c in categories if c.name_en},
        domain_names_en={
            code: name for code, name in Domain.objects.values_list("code", "name_en") if name
        },
        certification_names_en={
            name: name_en
            for name, name_en in Certification.objects.values_list("name", "name_en")
            if name_en
        },
    )


def region_lineages() -> dict[int, frozenset[str]]:
    regions = {region.pk: region for region in Region.objects.all()}
    lineages: dict[int, frozenset[str]] = {}
    for pk, region in regions.items():
        names: list[str] = []
        seen: set[int] = set()
        node: Region | None = region
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            names.append(node.name)
            node = regions.get(node.parent_id) if node.parent_id else None
        lineages[pk] = frozenset(names)
    return lineages


def needs_with_relations(queryset: QuerySet[Need] | None = None) -> QuerySet[Need]:
    base = queryset if queryset is not None else Need.objects.all()
    return base.select_related("domain", "region", "organization").prefetch_related(
        "categories", "product_classes", "required_certifications"
    )


def capabilities_with_relations(
    queryset: QuerySet[Capability] | None = None,
) -> QuerySet[Capability]:
    base = queryset if queryset is not None else Capability.objects.all()
    return base.select_related("robot_type", "organization").prefetch_related(
        "domains",
        "categories",
        "product_classes",
        Prefetch("service_regions", queryset=Region.objects.only("name")),
        "certifications",
    )


def need_features(need: Need, lineages: dict[int, frozenset[str]]) -> NeedFeatures:
    return NeedFeatures(
        id=need.pk,
        ref=need.ref,
        title=need.title,
        description=need.description,
        domain=need.domain.code,
        categories=frozenset(c.code for c in need.categories.all()),
        product_classes=frozenset(p.code for p in need.product_classes.all()),
        region=need.region.name,
        region_lineage=lineages.get(need.region_id, frozenset({need.region.name})),
        required_certifications=frozenset(c.name for c in need.required_certifications.all()),
        budget_min_cny=need.budget_min_cny,
        budget_max_cny=need.budget_max_cny,
        budget_basis=BudgetBasis(need.budget_basis),
        quantity=need.quantity,
        site_environment=need.site_environment,
        site_floors=need.site_floors,
        site_has_elevator=need.site_has_elevator,
        site_area_m2=need.site_area_m2,
    )


# (answered, overdue) leads, by vendor organisation id.
Responsiveness = dict[int, tuple[int, int]]


def vendor_responsiveness(organization_ids: Iterable[int]) -> Responsiveness:
    """(answered, overdue) leads per vendor organisation; a lead is overdue when it reached the
    vendor more than LEAD_RESPONSE_DAYS ago and is still unanswered. One query."""
    cutoff = timezone.now() - timedelta(days=settings.LEAD_RESPONSE_DAYS)
    leads = Lead.objects.filter(vendor_id__in=set(organization_ids))
    rows = (
        leads.values("vendor_id")
        .annotate(answered=Count("pk", filter=answered_q()))
        .annotate(overdue=Count("pk", filter=overdue_q(cutoff)))
        .order_by()
    )
    return {row["vendor_id"]: (row["answered"], row["overdue"]) for row in rows}


def capability_features(capability: Capability) -> CapabilityFeatures:
    """The profile's features; the vendor's record (leads_answered, leads_overdue) is left at 0
    for the ranking to fill in from ``vendor_responsiveness``."""
    return CapabilityFeatures(
        id=capability.pk,
        ref=capability.ref,
        title=capability.title,
        description=capability.description,
        robot_type=capability.robot_type.code,
        organization_id=capability.organization_id,
        organization_name=capability.organization.name,
        domains=frozenset(d.code for d in capability.domains.all()),
        categories=frozenset(c.code for c in capability.categories.all()),
        product_classes=frozenset(p.code for p in capability.product_classes.all()),
        service_regions=frozenset(r.name for r in capability.service_regions.all()),
        certifications=frozenset(c.name for c in capability.certifications.all()),
        price_min_cny=capability.price_min_cny,
        price_max_cny=capability.price_max_cny,
        maturity=capability.maturity,
        pilot_capacity_per_quarter=capability.pilot_capacity_per_quarter,
        key_specs=capability.key_specs,
        reference_deployments=capability.reference_deployments,
    )


# The fields need_text and capability_text read: a change of any other field keeps the vector.
NEED_TEXT_FIELDS = frozenset({"title", "description", "domain", "categories", "product_classes"})
CAPABILITY_TEXT_FIELDS = frozenset(
    {
        "title",
        "description",
        "key_specs",
        "reference_deployments",
        "robot_type",
        "categories",
        "product_classes",
    }
)


def need_text(need: Need) -> str:
    """What the encoder reads for a need: its words, then its labels."""
    labels = [need.domain.name_zh, *(c.name_zh for c in need.categories.all())]
    labels += [p.name_zh for p in need.product_classes.all()]
    return "\n".join(part for part in (need.title, need.description, "，".join(labels)) if part)


def capability_text(capability: Capability) -> str:
    labels = [capability.robot_type.name_zh, *(c.name_zh for c in capability.categories.all())]
    labels += [p.name_zh for p in capability.product_classes.all()]
    parts: Iterable[str] = (
        capability.title,
        capability.description,
        capability.key_specs,
        capability.reference_deployments,
        "，".join(labels),
    )
    return "\n".join(part for part in parts if part)
