"""Lead pages: one lead with each side's actions, the proposal download, the institution's
responses across its needs, and the vendor's alert settings. (The vendor's inbox calls the
matcher, so it lives in ``marketplace.matches.views``.)

A lead one may not see answers 404; an action of one side answers 403 to everyone else who may
see the lead (organisers look, never answer), before the input is read. The services check the
state and write; their errors leave the lead as it was and are shown beside the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import add_service_errors
from accounts.models import User
from accounts.typing import AuthenticatedHttpRequest
from marketplace.common.views import demand_required, local_url, paginate, vendor_required
from marketplace.leads import services as lead_services
from marketplace.leads.forms import (
    LeadAlertForm,
    LeadDecisionForm,
    LeadDeclineForm,
    LeadInviteForm,
    LeadNotFitForm,
    LeadRespondForm,
)
from marketplace.leads.proposals import proposal_response
from marketplace.leads.selectors import (
    DEMAND,
    RESPONSE_TABS,
    VENDOR,
    inbox_tab,
    lead_actions,
    lead_alert_preference_read,
    lead_contacts,
    lead_list_for_vendor,
    lead_response_tabs_for_demand,
    lead_responses_for_demand,
    lead_side,
    lead_tabs_for_vendor,
    need_decided_by,
    response_tab,
)
from marketplace.matches.features import vendor_responsiveness
from marketplace.matches.ranking import lead_reasons
from marketplace.matches.reasons import marked
from marketplace.models import Lead, Need
from matching.engine import Aspect

DETAIL_TEMPLATE = "marketplace/lead_detail.html"

# The same sentences the services give, said before the input is read.
REFUSALS = {
    VENDOR: gettext_lazy("只有该供应商的成员可以回复这条线索。"),
    DEMAND: gettext_lazy("只有发布该需求的机构可以处理。"),
}


def _visible(user: User) -> QuerySet[Lead]:
    return Lead.objects.visible_to(user).select_related(
        "need",
        "need__organization",
        "need__region",
        "need__domain",
        "capability",
        "capability__organization",
        "capability__robot_type",
        "demand",
        "vendor",
    )


def _lead_for(request: AuthenticatedHttpRequest, pk: int, side: str) -> Lead:
    """A lead the user may see (else 404) and acts for as ``side`` (else 403)."""
    lead = get_object_or_404(_visible(request.user), pk=pk)
    if lead_side(lead, request.user) != side:
        raise PermissionDenied(REFUSALS[side])
    return lead


def _need_for(request: AuthenticatedHttpRequest, pk: int) -> Need:
    """A need the user may see (else 404) and whose institution they belong to (else 403)."""
    need = get_object_or_404(Need.objects.visible_to(request.user), pk=pk)
    if not need_decided_by(need, request.user):
        raise PermissionDenied(REFUSALS[DEMAND])
    return need


def _back(request: HttpRequest, default: str) -> HttpResponse:
    return redirect(local_url(request, request.POST.get("next")) or default)


def _check(form: forms.Form) -> None:
    """A small action form's errors, raised like a service's, to be shown as messages."""
    if not form.is_valid():
        raise ValidationError([message for errors in form.errors.values() for message in errors])


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _refused(request: HttpRequest, lead: Lead, error: ValidationError) -> HttpResponse:
    """The lead's state forbids the answer (the other side moved first): say so on the lead."""
    _errors(request, error)
    return redirect("leads:lead_detail", pk=lead.pk)


def _detail_context(
    request: AuthenticatedHttpRequest,
    lead: Lead,
    *,
    respond_form: LeadRespondForm | None = None,
    decline_form: LeadDeclineForm | None = None,
) -> dict[str, Any]:
    side = lead_side(lead, request.user)
    return {
        "lead": lead,
        "need": lead.need,
        "capability": lead.capability,
        "side": side,
        "actions": lead_actions(lead, side),
        "contacts": lead_contacts(lead, request.user),
        "respond_form": respond_form or LeadRespondForm(initial={"message": lead.message}),
        "decline_form": decline_form or LeadDeclineForm(),
        "decision_form": LeadDecisionForm(),
    }


@login_required
def lead_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(_visible(request.user), pk=pk)
    lead = lead_services.lead_open(lead, request.user)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, lead))


@login_required
def lead_proposal(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The vendor's proposal, for the two sides and organisers only: never a public media URL."""
    return proposal_response(get_object_or_404(Lead.objects.visible_to(request.user), pk=pk))


# --------------------------------------------------------------------------- vendor side


@login_required
@require_POST
def lead_respond(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, VENDOR)
    form = LeadRespondForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            lead = lead_services.lead_respond(
                lead,
                request.user,
                message=form.cleaned_data["message"],
                proposal=form.cleaned_data["proposal"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, lead, error)
            add_service_errors(form, error)
        else:
            if lead.status == Lead.Status.IN_TALKS:
                messages.success(request, _("双方已同意洽谈，联系方式现已互相可见。"))
            else:
                messages.success(request, _("已告知需求方贵方有意向，请等待对方回复。"))
            return redirect("leads:lead_detail", pk=lead.pk)
    lead = get_object_or_404(_visible(request.user), pk=pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, lead, respond_form=form))


@login_required
@require_POST
def lead_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, VENDOR)
    form = LeadDeclineForm(request.POST)
    if form.is_valid():
        try:
            lead_services.lead_decline(
                lead,
                request.user,
                reason=form.cleaned_data["decline_reason"],
                note=form.cleaned_data["decline_note"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, lead, error)
            add_service_errors(form, error)
        else:
            messages.success(request, _("已婉拒。这条需求不会再推荐给贵方。"))
            return redirect("leads:lead_detail", pk=lead.pk)
    lead = get_object_or_404(_visible(request.user), pk=pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, lead, decline_form=form))


# --------------------------------------------------------------------------- institution side


def _decide(
    request: AuthenticatedHttpRequest, pk: int, service: Callable[..., Lead], done: str
) -> HttpResponse:
    """The institution's decision on a vendor's answer: ``service`` writes it, ``done`` says so."""
    lead = _lead_for(request, pk, DEMAND)
    form = LeadDecisionForm(request.POST)
    try:
        _check(form)
        service(lead, request.user, message=form.cleaned_data["message"])
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, done)
    return _back(request, reverse("leads:lead_detail", args=[lead.pk]))


@login_required
@require_POST
def lead_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, lead_services.lead_accept, _("已接受，双方联系方式现已互相可见。"))


@login_required
@require_POST
def lead_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        lead_services.lead_reject,
        _("已婉拒。该供应商的这项能力不会再推荐给此需求。"),
    )


@login_required
@require_POST
def need_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Invite a published profile to talk about the need; the pair becomes a lead if new."""
    need = _need_for(request, pk)
    form = LeadInviteForm(request.POST)
    try:
        _check(form)
        lead = lead_services.lead_invite(
            need,
            form.cleaned_data["capability"],
            request.user,
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        _errors(request, error)
        return _back(request, need.get_absolute_url())
    if lead.status == Lead.Status.IN_TALKS:
        messages.success(request, _("对方已表示有意向，双方现已进入洽谈，联系方式互相可见。"))
    else:
        messages.success(request, _("已邀请，供应商回复后会通知您。"))
    return _back(request, reverse("leads:lead_detail", args=[lead.pk]))


@login_required
@require_POST
def need_not_fit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """不合适: none of the vendor's profiles is suggested for this need again."""
    need = _need_for(request, pk)
    form = LeadNotFitForm(request.POST)
    try:
        _check(form)
        vendor = form.cleaned_data["vendor"]
        lead_services.lead_mark_not_fit(need, vendor, request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("已将“%(vendor)s”标记为不合适，不会再为此需求推荐它。") % {"vendor": vendor.name},
        )
    return _back(request, need.get_absolute_url())


@demand_required
def lead_responses(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Vendors' answers across the institution's needs, with the same actions as on a lead."""
    tab = response_tab(request.GET.get("tab"))
    page = paginate(request, lead_responses_for_demand(request.user, tab=tab))
    return render(
        request,
        "marketplace/lead_responses.html",
        {
            "tab": tab,
            "tabs": lead_response_tabs_for_demand(request.user),
            "tab_labels": dict(RESPONSE_TABS),
            "page": page,
            "rows": [(lead, lead_actions(lead, DEMAND)) for lead in page],
        },
    )


# --------------------------------------------------------------------------- alert settings


@vendor_required
@require_http_methods(["GET", "POST"])
def lead_alerts(request: AuthenticatedHttpRequest) -> HttpResponse:
    organization = request.user.organization
    assert organization is not None  # vendor_required: a vendor member has an organisation
    if request.method == "POST":
        form = LeadAlertForm(request.POST)
        if form.is_valid():
            try:
                lead_services.lead_alert_update(organization, request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("提醒设置已保存。"))
                return redirect("leads:lead_alerts")
    else:
        form = LeadAlertForm.for_preference(lead_alert_preference_read(organization))
    return render(request, "marketplace/lead_alerts.html", {"form": form})


@vendor_required
def lead_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The vendor organisation's leads across its profiles, each with the reasons of its pair.

    The worker makes the leads (after a need or profile is published or changed); opening the
    page only reads them."""
    organization = request.user.organization
    assert organization is not None  # vendor_required: a vendor member has an organisation
    tab = inbox_tab(request.GET.get("tab"))
    page = paginate(request, lead_list_for_vendor(request.user, tab=tab))
    records = vendor_responsiveness([organization.pk])
    answered, overdue = records.get(organization.pk, (0, 0))
    # Every lead here is the organisation's own: its record serves the reasons too.
    reasons = lead_reasons(list(page), records=records)
    return render(
        request,
        "marketplace/matches/lead_inbox.html",
        {
            "overdue": overdue,
            "answered": answered,
            "response_days": settings.LEAD_RESPONSE_DAYS,
            "tab": tab,
            "tabs": lead_tabs_for_vendor(request.user),
            "page": page,
            "rows": [LeadRow(lead, reasons[lead.pk]) for lead in page],
        },
    )


@dataclass(frozen=True)
class LeadRow:
    """A lead in the vendor's inbox, with the requirement-level reasons of its pair."""

    lead: Lead
    aspects: tuple[Aspect, ...]

    @property
    def hard_aspects(self) -> list[tuple[str, Aspect, SafeString]]:
        return marked(self.aspects, hard=True)

    @property
    def soft_aspects(self) -> list[tuple[str, Aspect, SafeString]]:
        return marked(self.aspects, hard=False)
