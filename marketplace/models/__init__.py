from marketplace.models.audit import AuditEntry, AuditEntryQuerySet
from marketplace.models.capabilities import Capability, CapabilityQuerySet
from marketplace.models.events import (
    Event,
    EventParticipant,
    EventQuerySet,
    EventTable,
    Meeting,
    ShortlistEntry,
    Slot,
)
from marketplace.models.imports import ImportJob
from marketplace.models.leads import Lead, LeadAlertPreference, LeadQuerySet, Notification
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
    "AuditEntry",
    "AuditEntryQuerySet",
    "Capability",
    "CapabilityQuerySet",
    "Certification",
    "Domain",
    "Event",
    "EventParticipant",
    "EventQuerySet",
    "EventTable",
    "ImportJob",
    "Lead",
    "LeadAlertPreference",
    "LeadQuerySet",
    "Meeting",
    "Need",
    "NeedQuerySet",
    "NeedRevision",
    "Notification",
    "ProductClass",
    "Region",
    "RobotType",
    "ServiceCategory",
    "ShortlistEntry",
    "Slot",
]
