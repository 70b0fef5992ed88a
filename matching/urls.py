from django.urls import path

from matching import event_views, views

app_name = "matching"
urlpatterns = [
    path("needs/<int:pk>/matches/", views.need_matches, name="need_matches"),
    path("capabilities/<int:pk>/leads/", views.capability_leads, name="capability_leads"),
    path("leads/", views.lead_inbox, name="lead_inbox"),
    path("events/<int:pk>/shortlist/", event_views.event_shortlist, name="event_shortlist"),
    path(
        "events/<int:pk>/shortlist/generate/",
        event_views.event_shortlist_generate,
        name="event_shortlist_generate",
    ),
    path(
        "events/<int:pk>/shortlist/pair/",
        event_views.event_shortlist_pair,
        name="event_shortlist_pair",
    ),
    path("events/<int:pk>/schedule/", event_views.event_schedule, name="event_schedule"),
    path(
        "events/<int:pk>/schedule/generate/",
        event_views.event_schedule_generate,
        name="event_schedule_generate",
    ),
    path(
        "events/<int:pk>/schedule/publish/",
        event_views.event_schedule_publish,
        name="event_schedule_publish",
    ),
    path(
        "events/<int:pk>/schedule/unpublish/",
        event_views.event_schedule_unpublish,
        name="event_schedule_unpublish",
    ),
    path(
        "events/<int:pk>/meetings/<int:meeting_pk>/move/",
        event_views.event_meeting_move,
        name="event_meeting_move",
    ),
    path(
        "events/<int:pk>/shortlist/<int:entry_pk>/place/",
        event_views.event_meeting_place,
        name="event_meeting_place",
    ),
]
