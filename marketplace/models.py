from marketplace.audit.models import AuditEntry, AuditEntryQuerySet
from marketplace.capabilities.models import Capability, CapabilityQuerySet
from marketplace.events.models import (
    Event,
    EventParticipant,
    EventQuerySet,
    EventTable,
    Meeting,
    ShortlistEntry,
    Slot,
)
from marketplace.imports.models import ImportJob
from marketplace.leads.models import Lead, LeadAlertPreference, LeadQuerySet, Notification
from marketplace.matches.models import MatchList, StoredMatch
from marketplace.needs.models import Need, NeedQuerySet, NeedRevision
from marketplace.taxonomy.models import (
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
    "MatchList",
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
    "StoredMatch",
]
