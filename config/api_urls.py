"""``/api/``: version 1 of the API, its OpenAPI schema and the schema's two viewers.

Swagger UI and ReDoc load their assets from drf-spectacular-sidecar's static files, not a CDN
(templates/api/redoc.html drops the web fonts drf-spectacular's ReDoc page would fetch).

Both keep the site's Content-Security-Policy on scripts: Swagger UI's start-up script is served as
a file (the "split" view) rather than inline. Both viewers style their pages from JavaScript, so
these two pages alone allow inline styles; ReDoc also runs its search in a worker started from a
blob: URL.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from accounts.api import (
    AccountApi,
    AuthTokenApi,
    OrganizationDetailApi,
    OrganizationExportApi,
    OrganizationListApi,
    OrganizationMeApi,
    OrganizationMeExportApi,
)
from config.api import not_found
from matching.api import CapabilityLeadsApi, NeedMatchesApi
from matching.event_api import (
    EventMeetingDetailApi,
    EventMeetingPlaceApi,
    EventScheduleGenerateApi,
    EventSchedulePublishApi,
    EventScheduleUnpublishApi,
    EventShortlistApi,
    EventShortlistGenerateApi,
    EventShortlistPairApi,
)

app_name = "api"

API_VIEWER_POLICY = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})

v1: list[URLPattern | URLResolver] = [
    path("auth/token/", AuthTokenApi.as_view(), name="auth_token"),
    path("organizations/", OrganizationListApi.as_view(), name="organization_list"),
    path("account/", AccountApi.as_view(), name="account"),
    path("organizations/me/", OrganizationMeApi.as_view(), name="organization_me"),
    path(
        "organizations/me/export/",
        OrganizationMeExportApi.as_view(),
        name="organization_me_export",
    ),
    path("organizations/<int:pk>/", OrganizationDetailApi.as_view(), name="organization_detail"),
    path(
        "organizations/<int:pk>/export/",
        OrganizationExportApi.as_view(),
        name="organization_export",
    ),
    path("", include("marketplace.api.urls")),
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

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        API_VIEWER_POLICY(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path(
        "redoc/",
        API_VIEWER_POLICY(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
    # Last: any other path under /api/ (an id that is not a number) is a JSON 404. Only paths
    # ending in "/", so APPEND_SLASH still redirects "/api/v1/needs" to "/api/v1/needs/".
    re_path(r"^[\s\S]*/$", not_found, name="not_found"),
]
