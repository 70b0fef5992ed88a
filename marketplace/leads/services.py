"""Writes to leads: each side's answer, the contact handshake, reminders and alert settings.

A lead is a need × capability pair. The vendor answers it (interested / declined); the
institution invites, accepts, declines or marks the vendor 不合适. Both sides agreeing puts the
pair 洽谈中, which is what opens each side's contact details to the other.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Organization, User
from marketplace.common.scores import score_percent
from marketplace.leads.proposals import proposal_check
from marketplace.models import Capability, Lead, LeadAlertPreference, Need, Notification
from marketplace.notifications.services import notify_organization
from matching.engine import Phrase, source_text


def _vendor_check(lead: Lead, user: User) -> None:
    if not (user.is_vendor and user.organization_id == lead.vendor_id):
        raise PermissionDenied(_("只有该供应商的成员可以回复这条线索。"))


def _demand_check(need: Need, user: User) -> None:
    if not (user.is_demand and user.organization_id == need.organization_id):
        raise PermissionDenied(_("只有发布该需求的机构可以处理。"))


def _live_check(lead: Lead) -> None:
    """Both organisations of the pair must be approved: a rejected, suspended or pending side
    neither answers nor is answered (``LeadQuerySet.live``)."""
    if not Lead.objects.live().filter(pk=lead.pk).exists():
        raise ValidationError(_("该对接的一方机构未通过平台审核，暂不能继续对接。"))


def _lead_url(lead: Lead) -> str:
    return reverse("leads:lead_detail", args=[lead.pk])


def _agree(lead: Lead, now: datetime.datetime) -> None:
    lead.status = Lead.Status.IN_TALKS
    lead.agreed_at = now
    Need.objects.filter(pk=lead.need_id, status=Need.Status.PUBLISHED).update(
        status=Need.Status.IN_TALKS
    )


def _locked(lead: Lead) -> Lead:
    return Lead.objects.select_for_update().select_related("need", "capability").get(pk=lead.pk)


# --------------------------------------------------------------------------- vendor side


def lead_open(lead: Lead, user: User) -> Lead:
    """The vendor opened the lead: 新线索 becomes 已查看."""
    if user.is_vendor and user.organization_id == lead.vendor_id and lead.status == "new":
        Lead.objects.filter(pk=lead.pk, status=Lead.Status.NEW).update(
            status=Lead.Status.VIEWED, viewed_at=timezone.now()
        )
        lead.refresh_from_db()
    return lead


@transaction.atomic
def lead_respond(
    lead: Lead, user: User, *, message: str, proposal: UploadedFile | None = None
) -> Lead:
    """The vendor is interested. If the institution already invited, the pair is 洽谈中."""
    _vendor_check(lead, user)
    proposal_check(proposal)
    lead = _locked(lead)
    _live_check(lead)
    if lead.demand_decision in Lead.SUPPRESSING_DEMAND_DECISIONS:
        raise ValidationError(_("需求方已结束与贵方就此需求的对接。"))
    if lead.need.status not in Need.PUBLIC_STATUSES:
        raise ValidationError(_("该需求已关闭或过期，不能再回复。"))
    if lead.status in (Lead.Status.DECLINED, Lead.Status.IN_TALKS):
        raise ValidationError(
            _("这条线索已是“%(status)s”，不能再表示意向。") % {"status": lead.get_status_display()}
        )
    if not message.strip():
        raise ValidationError({"message": _("请写一句回复留言，说明贵方能提供什么。")})
    now = timezone.now()
    lead.message = message.strip()
    if proposal is not None:
        lead.proposal = proposal
    lead.responded_at = now
    lead.viewed_at = lead.viewed_at or now
    if lead.demand_decision in (Lead.DemandDecision.INVITED, Lead.DemandDecision.ACCEPTED):
        _agree(lead, now)
    else:
        lead.status = Lead.Status.INTERESTED
    lead.save()
    verb = (
        gettext_noop("接受了洽谈邀请")
        if lead.status == Lead.Status.IN_TALKS
        else gettext_noop("表示有意向")
    )
    notify_organization(
        lead.demand_id,
        kind=Notification.Kind.RESPONSE,
        key=f"lead:{lead.pk}:response:{lead.status}",
        title=Phrase.of(
            gettext_noop("%(vendor)s %(verb)s：%(need)s"),
            vendor=lead.vendor.name,
            verb=Phrase(verb),
            need=lead.need.title,
        ),
        body=lead.message,
        url=_lead_url(lead),
    )
    return lead


@transaction.atomic
def lead_decline(lead: Lead, user: User, *, reason: str, note: str = "") -> Lead:
    """The vendor declines, with a reason; the pair is never suggested to either side again."""
    _vendor_check(lead, user)
    if reason not in Lead.DeclineReason.values:
        raise ValidationError({"decline_reason": _("请选择婉拒原因。")})
    if reason == Lead.DeclineReason.OTHER and not note.strip():
        raise ValidationError({"decline_note": _("选择“其他”时请补充说明。")})
    lead = _locked(lead)
    _live_check(lead)
    if lead.status == Lead.Status.DECLINED:
        raise ValidationError(_("这条线索已婉拒。"))
    now = timezone.now()
    lead.status = Lead.Status.DECLINED
    lead.decline_reason = reason
    lead.decline_note = note.strip()
    lead.responded_at = now
    lead.viewed_at = lead.viewed_at or now
    lead.save()
    notify_organization(
        lead.demand_id,
        kind=Notification.Kind.RESPONSE,
        key=f"lead:{lead.pk}:response:declined",
        title=Phrase.of(
            gettext_noop("%(vendor)s 婉拒了：%(need)s"),
            vendor=lead.vendor.name,
            need=lead.need.title,
        ),
        body=(
            Phrase.of(
                gettext_noop("%(reason)s — %(note)s"),
                reason=Phrase(source_text(Lead.DeclineReason(reason).label)),
                note=lead.decline_note,
            )
            if lead.decline_note
            else Phrase(source_text(Lead.DeclineReason(reason).label))
        ),
        url=_lead_url(lead),
    )
    return lead


# --------------------------------------------------------------------------- institution side


def _pair(need: Need, capability: Capability, *, source: str) -> Lead:
    lead, _created = Lead.objects.select_for_update().get_or_create(
        need=need,
        capability=capability,
        defaults={
            "demand_id": need.organization_id,
            "vendor_id": capability.organization_id,
            "source": source,
        },
    )
    return lead


@transaction.atomic
def lead_invite(need: Need, capability: Capability, user: User, *, message: str = "") -> Lead:
    """The institution invites a vendor's profile to talk about one of its needs."""
    _demand_check(need, user)
    if need.status not in Need.PUBLIC_STATUSES:
        raise ValidationError(_("需求发布后才能邀请供应商。"))
    if not Capability.objects.published().filter(pk=capability.pk).exists():
        raise ValidationError(_("该能力档案未发布，不能邀请。"))
    lead = _pair(need, capability, source=Lead.Source.INVITATION)
    _live_check(lead)
    if lead.is_suppressed:
        raise ValidationError(_("该供应商已婉拒或已被标记为不合适，不会再次对接。"))
    if lead.status == Lead.Status.IN_TALKS:
        raise ValidationError(_("双方已在洽谈中。"))
    now = timezone.now()
    lead.demand_message = message.strip()
    lead.demand_acted_at = now
    lead.invited_at = now
    if lead.status == Lead.Status.INTERESTED:
        lead.demand_decision = Lead.DemandDecision.ACCEPTED
        _agree(lead, now)
    else:
        lead.demand_decision = Lead.DemandDecision.INVITED
    lead.save()
    notify_organization(
        lead.vendor_id,
        kind=Notification.Kind.INVITATION,
        key=f"lead:{lead.pk}:invited",
        title=Phrase.of(
            gettext_noop("%(demand)s 邀请贵方洽谈：%(need)s"),
            demand=need.organization.name,
            need=need.title,
        ),
        body=lead.demand_message,
        url=_lead_url(lead),
    )
    return lead


@transaction.atomic
def lead_accept(lead: Lead, user: User, *, message: str = "") -> Lead:
    """The institution accepts a vendor's response: the pair is 洽谈中."""
    _demand_check(lead.need, user)
    lead = _locked(lead)
    _live_check(lead)
    if lead.status != Lead.Status.INTERESTED or lead.is_suppressed:
        raise ValidationError(_("只能接受供应商“有意向”的回复。"))
    now = timezone.now()
    lead.demand_decision = Lead.DemandDecision.ACCEPTED
    lead.demand_message = message.strip() or lead.demand_message
    lead.demand_acted_at = now
    _agree(lead, now)
    lead.save()
    notify_organization(
        lead.vendor_id,
        kind=Notification.Kind.DECISION,
        key=f"lead:{lead.pk}:accepted",
        title=Phrase.of(
            gettext_noop("%(demand)s 接受了贵方的回复：%(need)s"),
            demand=lead.demand.name,
            need=lead.need.title,
        ),
        body=Phrase(gettext_noop("双方联系方式已互相可见。")),
        url=_lead_url(lead),
    )
    return lead


@transaction.atomic
def lead_reject(lead: Lead, user: User, *, message: str = "") -> Lead:
    """The institution declines a response (or withdraws); never suggested again."""
    _demand_check(lead.need, user)
    lead = _locked(lead)
    _live_check(lead)
    if lead.is_suppressed:
        raise ValidationError(_("该对接已经结束。"))
    lead.demand_decision = Lead.DemandDecision.DECLINED
    lead.demand_message = message.strip() or lead.demand_message
    lead.demand_acted_at = timezone.now()
    lead.save()
    if lead.status != Lead.Status.NEW:  # the vendor has seen it; tell them it ended
        notify_organization(
            lead.vendor_id,
            kind=Notification.Kind.DECISION,
            key=f"lead:{lead.pk}:declined",
            title=Phrase.of(
                gettext_noop("%(demand)s 婉拒了：%(need)s"),
                demand=lead.demand.name,
                need=lead.need.title,
            ),
            body=lead.demand_message,
            url=_lead_url(lead),
        )
    return lead


@transaction.atomic
def lead_mark_not_fit(need: Need, vendor: Organization, user: User) -> list[Lead]:
    """不合适: every profile of this vendor, for this need, is never suggested again."""
    _demand_check(need, user)
    if vendor.kind != Organization.Kind.VENDOR:
        raise ValidationError(_("只能把供应商标记为不合适。"))
    now = timezone.now()
    leads = []
    for capability in Capability.objects.filter(organization=vendor):
        lead = _pair(need, capability, source=Lead.Source.MATCHER)
        lead.demand_decision = Lead.DemandDecision.NOT_FIT
        lead.demand_acted_at = now
        lead.save()
        leads.append(lead)
    return leads


def lead_alert_preference(organization: Organization) -> LeadAlertPreference:
    preference, _created = LeadAlertPreference.objects.get_or_create(organization=organization)
    return preference


def lead_alert_update(
    organization: Organization, user: User, *, enabled: bool, min_score: float, daily_limit: int
) -> LeadAlertPreference:
    if not (user.is_organizer or (user.is_vendor and user.organization_id == organization.pk)):
        raise PermissionDenied(_("只能修改本机构的提醒设置。"))
    preference = lead_alert_preference(organization)
    preference.enabled = enabled
    preference.min_score = min_score
    preference.daily_limit = daily_limit
    preference.full_clean()
    preference.save()
    return preference


@transaction.atomic
def leads_alert_vendors(leads: Iterable[Lead], now: datetime.datetime | None = None) -> int:
    """Tell vendors about new high-ranking leads, within each vendor's threshold and daily cap."""
    moment = now or timezone.now()
    # The day is the site's (TIME_ZONE, Asia/Shanghai), not UTC's: the cap resets at local midnight.
    day_start = timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    candidates = [
        lead
        for lead in sorted(leads, key=lambda item: -item.score)
        if lead.vendor_notified_at is None
        and lead.eligible
        and not lead.is_suppressed
        and lead.status == Lead.Status.NEW
    ]
    # Each vendor's settings and today's count are read once, then counted here as alerts go.
    preferences = {
        preference.organization_id: preference
        for preference in LeadAlertPreference.objects.filter(
            organization_id__in={lead.vendor_id for lead in candidates}
        )
    }
    alerted_today: dict[int, int] = {}
    sent = 0
    for lead in candidates:
        if lead.vendor_id not in preferences:
            preferences[lead.vendor_id] = lead_alert_preference(lead.vendor)
        preference = preferences[lead.vendor_id]
        # Compared as the vendor set it and reads it: on the 0–100 scale (0.566 reads 57, and
        # passes a threshold of 57).
        if not preference.enabled or score_percent(lead.score) < score_percent(
            preference.min_score
        ):
            continue
        if lead.vendor_id not in alerted_today:
            alerted_today[lead.vendor_id] = Lead.objects.filter(
                vendor_id=lead.vendor_id, vendor_notified_at__gte=day_start
            ).count()
        if alerted_today[lead.vendor_id] >= preference.daily_limit:
            continue
        Lead.objects.filter(pk=lead.pk).update(vendor_notified_at=moment)
        lead.vendor_notified_at = moment
        alerted_today[lead.vendor_id] += 1
        notify_organization(
            lead.vendor_id,
            kind=Notification.Kind.NEW_LEAD,
            key=f"lead:{lead.pk}:new",
            title=Phrase.of(
                gettext_noop("新线索：%(need)s（匹配分 %(score)s）"),
                need=lead.need.title,
                score=str(score_percent(lead.score)),
            ),
            body=Phrase.of(
                gettext_noop("%(demand)s 发布的需求与贵方“%(capability)s”高度匹配。"),
                demand=lead.demand.name,
                capability=lead.capability.title,
            ),
            url=_lead_url(lead),
        )
        sent += 1
    return sent


def _remind(
    leads: QuerySet[Lead],
    moment: datetime.datetime,
    *,
    about: str,
    recipient: Callable[[Lead], int],
    title: Callable[[Lead], Phrase],
) -> int:
    """Remind the recipient organisation about each lead once, then mark the leads reminded."""
    sent = 0
    for lead in leads:
        notify_organization(
            recipient(lead),
            kind=Notification.Kind.REMINDER,
            key=f"lead:{lead.pk}:reminder:{about}",
            title=title(lead),
            url=_lead_url(lead),
        )
        sent += 1
    leads.update(reminded_at=moment)
    return sent


@transaction.atomic
def lead_reminders_send(now: datetime.datetime | None = None) -> int:
    """Remind once about requests left unanswered for LEAD_REMINDER_AFTER_HOURS."""
    moment = now or timezone.now()
    cutoff = moment - datetime.timedelta(hours=settings.LEAD_REMINDER_AFTER_HOURS)
    # Only live pairs: a reminder would name a rejected organisation to the other side.
    invitations = (
        Lead.objects.live()
        .select_for_update(of=("self",))
        .filter(
            demand_decision=Lead.DemandDecision.INVITED,
            status__in=(Lead.Status.NEW, Lead.Status.VIEWED),
            invited_at__lte=cutoff,
            reminded_at__isnull=True,
        )
    )
    sent = _remind(
        invitations.select_related("need", "demand"),
        moment,
        about="invitation",
        recipient=lambda lead: lead.vendor_id,
        title=lambda lead: Phrase.of(
            gettext_noop("待回复：%(demand)s 的洽谈邀请（%(need)s）"),
            demand=lead.demand.name,
            need=lead.need.title,
        ),
    )
    responses = (
        Lead.objects.live()
        .select_for_update(of=("self",))
        .filter(
            status=Lead.Status.INTERESTED,
            demand_decision=Lead.DemandDecision.NONE,
            responded_at__lte=cutoff,
            reminded_at__isnull=True,
        )
    )
    sent += _remind(
        responses.select_related("need", "vendor"),
        moment,
        about="response",
        recipient=lambda lead: lead.demand_id,
        title=lambda lead: Phrase.of(
            gettext_noop("待处理：%(vendor)s 对“%(need)s”的回复"),
            vendor=lead.vendor.name,
            need=lead.need.title,
        ),
    )
    return sent
