from marketplace.models.capabilities import Capability, CapabilityQuerySet
from marketplace.models.events import Event
from marketplace.models.imports import ImportJob
from marketplace.models.needs import Need, NeedQuerySet, NeedRevision
from marketplace.models.taxonomy import (
    Certification,
    Domain,
    ProductClass,
    Region,
    RobotType,
    ServiceCategory,
)

__all__ = [
    "Capability",
    "CapabilityQuerySet",
    "Certification",
    "Domain",
    "Event",
    "ImportJob",
    "Need",
    "NeedQuerySet",
    "NeedRevision",
    "ProductClass",
    "Region",
    "RobotType",
    "ServiceCategory",
]
