"""``/api/v1/`` routes of the marketplace, included by ``config.api_urls``."""

from django.urls import path

from marketplace.audit.api import AuditEntryListApi
from marketplace.capabilities.api import (
    CapabilityDetailApi,
    CapabilityListCreateApi,
    CapabilityStatusApi,
)
from marketplace.dashboard.api import StatisticsApi
from marketplace.events.api.events import (
    EventDetailApi,
    EventListCreateApi,
    EventMeetingListApi,
    EventParticipantDetailApi,
    EventParticipantListApi,
    EventRegistrationApi,
    EventScheduleXlsxApi,
    EventShortlistCsvApi,
    MeetingOutcomeApi,
    ParticipantCalendarApi,
)
from marketplace.events.api.schedule import (
    EventMeetingDetailApi,
    EventMeetingPlaceApi,
    EventScheduleGenerateApi,
    EventSchedulePublishApi,
    EventScheduleUnpublishApi,
    EventShortlistApi,
    EventShortlistGenerateApi,
    EventShortlistPairApi,
)
from marketplace.imports.api import ImportJobCreateApi, ImportJobDetailApi
from marketplace.leads.api import (
    LeadAcceptApi,
    LeadAlertsApi,
    LeadDeclineApi,
    LeadDetailApi,
    LeadListApi,
    LeadProposalApi,
    LeadRejectApi,
    LeadRespondApi,
    NeedInviteApi,
    NeedNotFitApi,
)
from marketplace.matches.api import CapabilityLeadsApi, NeedMatchesApi
from marketplace.needs.api import (
    NeedDetailApi,
    NeedListCreateApi,
    NeedRenewApi,
    NeedStatusApi,
    NeedSubmitApi,
)
from marketplace.notifications.api import NotificationListApi, NotificationReadApi
from marketplace.organizations.api import (
    OrganizationDetailApi,
    OrganizationListApi,
    OrganizationMeApi,
)
from marketplace.privacy.api import AccountApi, OrganizationExportApi, OrganizationMeExportApi
from marketplace.reviews.api import OrganizationApproveApi, OrganizationRejectApi
from marketplace.taxonomy.api import TaxonomyApi

urlpatterns = [
    path("organizations/", OrganizationListApi.as_view(), name="organization_list"),
    path("organizations/me/", OrganizationMeApi.as_view(), name="organization_me"),
    path("organizations/<int:pk>/", OrganizationDetailApi.as_view(), name="organization_detail"),
    path("taxonomy/", TaxonomyApi.as_view(), name="taxonomy"),
    path("needs/", NeedListCreateApi.as_view(), name="need_list"),
    path("needs/<int:pk>/", NeedDetailApi.as_view(), name="need_detail"),
    path("needs/<int:pk>/submit/", NeedSubmitApi.as_view(), name="need_submit"),
    path("needs/<int:pk>/renew/", NeedRenewApi.as_view(), name="need_renew"),
    path("needs/<int:pk>/status/", NeedStatusApi.as_view(), name="need_status"),
    path("needs/<int:pk>/invite/", NeedInviteApi.as_view(), name="need_invite"),
    path("needs/<int:pk>/not-fit/", NeedNotFitApi.as_view(), name="need_not_fit"),
    path("capabilities/", CapabilityListCreateApi.as_view(), name="capability_list"),
    path("capabilities/<int:pk>/", CapabilityDetailApi.as_view(), name="capability_detail"),
    path("capabilities/<int:pk>/status/", CapabilityStatusApi.as_view(), name="capability_status"),
    path(
        "organizations/<int:pk>/approve/",
        OrganizationApproveApi.as_view(),
        name="organization_approve",
    ),
    path(
        "organizations/<int:pk>/reject/",
        OrganizationRejectApi.as_view(),
        name="organization_reject",
    ),
    path("imports/", ImportJobCreateApi.as_view(), name="import_create"),
    path("imports/<int:pk>/", ImportJobDetailApi.as_view(), name="import_detail"),
    path("stats/", StatisticsApi.as_view(), name="stats"),
    path("audit/", AuditEntryListApi.as_view(), name="audit_list"),
    path("leads/", LeadListApi.as_view(), name="lead_list"),
    path("leads/<int:pk>/", LeadDetailApi.as_view(), name="lead_detail"),
    path("leads/<int:pk>/respond/", LeadRespondApi.as_view(), name="lead_respond"),
    path("leads/<int:pk>/decline/", LeadDeclineApi.as_view(), name="lead_decline"),
    path("leads/<int:pk>/accept/", LeadAcceptApi.as_view(), name="lead_accept"),
    path("leads/<int:pk>/reject/", LeadRejectApi.as_view(), name="lead_reject"),
    path("leads/<int:pk>/proposal/", LeadProposalApi.as_view(), name="lead_proposal"),
    path("lead-alerts/", LeadAlertsApi.as_view(), name="lead_alerts"),
    path("notifications/", NotificationListApi.as_view(), name="notification_list"),
    path("notifications/read/", NotificationReadApi.as_view(), name="notification_read"),
    path("events/", EventListCreateApi.as_view(), name="event_list"),
    path("events/<int:pk>/", EventDetailApi.as_view(), name="event_detail"),
    path(
        "events/<int:pk>/registration/",
        EventRegistrationApi.as_view(),
        name="event_registration",
    ),
    path(
        "events/<int:pk>/participants/",
        EventParticipantListApi.as_view(),
        name="event_participant_list",
    ),
    path(
        "events/<int:pk>/participants/<int:participant_id>/",
        EventParticipantDetailApi.as_view(),
        name="event_participant_detail",
    ),
    path(
        "events/<int:pk>/participants/<int:participant_id>/calendar.ics",
        ParticipantCalendarApi.as_view(),
        name="event_participant_calendar",
    ),
    path("events/<int:pk>/meetings/", EventMeetingListApi.as_view(), name="event_meeting_list"),
    path(
        "events/<int:pk>/meetings/<int:meeting_id>/outcome/",
        MeetingOutcomeApi.as_view(),
        name="event_meeting_outcome",
    ),
    path(
        "events/<int:pk>/schedule.xlsx", EventScheduleXlsxApi.as_view(), name="event_schedule_xlsx"
    ),
    path(
        "events/<int:pk>/shortlist.csv", EventShortlistCsvApi.as_view(), name="event_shortlist_csv"
    ),
    path("account/", AccountApi.as_view(), name="account"),
    path(
        "organizations/me/export/",
        OrganizationMeExportApi.as_view(),
        name="organization_me_export",
    ),
    path(
        "organizations/<int:pk>/export/",
        OrganizationExportApi.as_view(),
        name="organization_export",
    ),
    path("needs/<int:pk>/matches/", NeedMatchesApi.as_view(), name="need_matches"),
    path("capabilities/<int:pk>/leads/", CapabilityLeadsApi.as_view(), name="capability_leads"),
    path("events/<int:pk>/shortlist/", EventShortlistApi.as_view(), name="event_shortlist"),
    path(
        "events/<int:pk>/shortlist/generate/",
        EventShortlistGenerateApi.as_view(),
        name="event_shortlist_generate",
    ),
    path(
        "events/<int:pk>/shortlist/pairs/",
        EventShortlistPairApi.as_view(),
        name="event_shortlist_pair",
    ),
    path(
        "events/<int:pk>/shortlist/pairs/<int:entry_id>/place/",
        EventMeetingPlaceApi.as_view(),
        name="event_meeting_place",
    ),
    path(
        "events/<int:pk>/schedule/generate/",
        EventScheduleGenerateApi.as_view(),
        name="event_schedule_generate",
    ),
    path(
        "events/<int:pk>/schedule/publish/",
        EventSchedulePublishApi.as_view(),
        name="event_schedule_publish",
    ),
    path(
        "events/<int:pk>/schedule/unpublish/",
        EventScheduleUnpublishApi.as_view(),
        name="event_schedule_unpublish",
    ),
    path(
        "events/<int:pk>/meetings/<int:meeting_id>/",
        EventMeetingDetailApi.as_view(),
        name="event_meeting_detail",
    ),
]
