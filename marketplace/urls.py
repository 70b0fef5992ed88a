from django.urls import path

from marketplace.views import capabilities, dashboard, data, events, needs, reviews

app_name = "marketplace"

urlpatterns = [
    path("needs/", needs.need_list, name="need_list"),
    path("needs/new/", needs.need_create, name="need_create"),
    path("needs/mine/", needs.my_needs, name="my_needs"),
    path("needs/<int:pk>/", needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", needs.need_edit, name="need_edit"),
    path("needs/<int:pk>/submit/", needs.need_submit, name="need_submit"),
    path("needs/<int:pk>/renew/", needs.need_renew, name="need_renew"),
    path("needs/<int:pk>/status/", needs.need_status, name="need_status"),
    path("capabilities/", capabilities.capability_list, name="capability_list"),
    path("capabilities/new/", capabilities.capability_create, name="capability_create"),
    path("capabilities/mine/", capabilities.my_capabilities, name="my_capabilities"),
    path("capabilities/<int:pk>/", capabilities.capability_detail, name="capability_detail"),
    path("capabilities/<int:pk>/edit/", capabilities.capability_edit, name="capability_edit"),
    path("capabilities/<int:pk>/status/", capabilities.capability_status, name="capability_status"),
    path("review/", reviews.review_queue, name="review_queue"),
    path(
        "review/organizations/<int:pk>/approve/",
        reviews.review_organization_approve,
        name="review_organization_approve",
    ),
    path(
        "review/organizations/<int:pk>/reject/",
        reviews.review_organization_reject,
        name="review_organization_reject",
    ),
    path("review/needs/<int:pk>/publish/", reviews.review_need_publish, name="review_need_publish"),
    path("events/", events.event_list, name="event_list"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("imports/", data.import_upload, name="import_upload"),
    path("imports/template.xlsx", data.import_template, name="import_template"),
    path("imports/<int:pk>/", data.import_detail, name="import_detail"),
    path("imports/<int:pk>/status.json", data.import_status_json, name="import_status_json"),
    path("export/<str:entity>/<str:fmt>/", data.export, name="export"),
    path("stats/", data.stats, name="stats"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
]
