"""``/api/v1/`` routes of the marketplace, included by ``config.api_urls``."""

from django.urls import path

from marketplace.api.views.capabilities import (
    CapabilityDetailApi,
    CapabilityListCreateApi,
    CapabilityStatusApi,
)
from marketplace.api.views.data import ImportJobCreateApi, ImportJobDetailApi, StatisticsApi
from marketplace.api.views.needs import (
    NeedDetailApi,
    NeedListCreateApi,
    NeedRenewApi,
    NeedStatusApi,
    NeedSubmitApi,
)
from marketplace.api.views.reviews import OrganizationApproveApi, OrganizationRejectApi
from marketplace.api.views.taxonomy import TaxonomyApi

urlpatterns = [
    path("taxonomy/", TaxonomyApi.as_view(), name="taxonomy"),
    path("needs/", NeedListCreateApi.as_view(), name="need_list"),
    path("needs/<int:pk>/", NeedDetailApi.as_view(), name="need_detail"),
    path("needs/<int:pk>/submit/", NeedSubmitApi.as_view(), name="need_submit"),
    path("needs/<int:pk>/renew/", NeedRenewApi.as_view(), name="need_renew"),
    path("needs/<int:pk>/status/", NeedStatusApi.as_view(), name="need_status"),
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
]
