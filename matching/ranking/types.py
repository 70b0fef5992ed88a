"""Small typed structures the ranking functions take and return. No ORM in here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext

from matching.ranking.phrases import NO_PHRASE, Phrase


class BudgetBasis(StrEnum):
    """What a need's budget bounds: the price of one unit, or of the whole quantity."""

    PER_UNIT = "per_unit"
    TOTAL = "total"


@dataclass(frozen=True, slots=True)
class NeedFeatures:
    id: int
    ref: str | None
    title: str
    description: str
    domain: str
    categories: frozenset[str] = frozenset()
    product_classes: frozenset[str] = frozenset()
    region: str = "全国"
    # The need's region and every region containing it: {"青岛市", "山东省", "全国"}.
    region_lineage: frozenset[str] = frozenset({"全国"})
    required_certifications: frozenset[str] = frozenset()
    budget_min_cny: int | None = None
    budget_max_cny: int | None = None
    budget_basis: BudgetBasis = BudgetBasis.PER_UNIT
    quantity: int | None = None
    site_environment: str = ""
    site_floors: int | None = None
    site_has_elevator: bool | None = None
    site_area_m2: int | None = None


@dataclass(frozen=True, slots=True)
class CapabilityFeatures:
    id: int
    ref: str | None
    title: str
    description: str
    robot_type: str
    organization_id: int = 0
    organization_name: str = ""
    domains: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    product_classes: frozenset[str] = frozenset()
    service_regions: frozenset[str] = frozenset()
    certifications: frozenset[str] = frozenset()
    price_min_cny: int | None = None
    price_max_cny: int | None = None
    maturity: str = "pilot"
    pilot_capacity_per_quarter: int | None = None
    key_specs: str = ""
    reference_deployments: str = ""
    # The vendor's record with leads: answered (interested, declined, in talks) and overdue
    # (known to the vendor, unanswered past the response time). Facts of the organisation.
    leads_answered: int = 0
    leads_overdue: int = 0

    @property
    def text(self) -> str:
        return "\n".join(
            part
            for part in (self.title, self.description, self.key_specs, self.reference_deployments)
            if part
        )


@dataclass(frozen=True, slots=True)
class Signals:
    """What retrieval found for one candidate: cosine of the vectors and normalised BM25."""

    dense: float = 0.0
    lexical: float = 0.0


class AspectStatus(StrEnum):
    MET = "met"
    PARTIAL = "partial"
    MISSING = "missing"
    UNKNOWN = "unknown"
    # The profile says the opposite, or a limit that rules the requirement out.
    CONTRADICTED = "contradicted"


@dataclass(frozen=True, slots=True)
class Aspect:
    """One requirement of the need, and what in the profile meets it (or does not).

    Its texts are phrases (message id and parameters); ``label``, ``wanted`` and ``evidence``
    render them in the active language each time they are read."""

    key: str
    label_phrase: Phrase
    status: AspectStatus
    wanted_phrase: Phrase
    evidence_phrase: Phrase = NO_PHRASE
    is_hard: bool = False

    @property
    def label(self) -> str:
        return str(self.label_phrase)

    @property
    def wanted(self) -> str:
        return str(self.wanted_phrase)

    @property
    def evidence(self) -> str:
        return str(self.evidence_phrase)


@dataclass(frozen=True, slots=True)
class ScoreComponent:
    name: str
    # A message id, rendered in the active language by ``label_text``.
    label: str
    value: float
    weight: float

    @property
    def label_text(self) -> str:
        return gettext(self.label)

    @property
    def contribution(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True, slots=True)
class ScoreBreakdown:
    components: tuple[ScoreComponent, ...]

    @property
    def total(self) -> float:
        return sum(component.contribution for component in self.components)


@dataclass(frozen=True, slots=True)
class RankedMatch:
    need_id: int
    capability_id: int
    score: float
    eligible: bool
    failed_requirements: tuple[str, ...]
    breakdown: ScoreBreakdown
    aspects: tuple[Aspect, ...] = field(default=())
