from django.urls import path

from marketplace.events.views import admin, meetings, public, schedule

app_name = "events"

urlpatterns = [
    path("events/", public.event_list, name="event_list"),
    path("events/<int:pk>/", public.event_detail, name="event_detail"),
    path("events/new/", admin.event_create, name="event_create"),
    path("events/mine/", public.my_events, name="my_events"),
    path("events/<int:pk>/edit/", admin.event_edit, name="event_edit"),
    path("events/<int:pk>/manage/", admin.event_manage, name="event_manage"),
    path(
        "events/<int:pk>/participants/add/",
        admin.event_participant_add,
        name="event_participant_add",
    ),
    path(
        "events/<int:pk>/participants/bulk/",
        admin.event_participants_bulk,
        name="event_participants_bulk",
    ),
    path(
        "events/<int:pk>/participants/<int:participant_pk>/remove/",
        public.event_participant_remove,
        name="event_participant_remove",
    ),
    path("events/<int:pk>/registration/", admin.event_registration, name="event_registration"),
    path("events/<int:pk>/register/", public.event_register, name="event_register"),
    path(
        "events/<int:pk>/agenda/<int:participant_pk>/",
        meetings.event_agenda,
        name="event_agenda",
    ),
    path(
        "events/<int:pk>/agenda/<int:participant_pk>/calendar.ics",
        meetings.event_agenda_ics,
        name="event_agenda_ics",
    ),
    path(
        "events/<int:pk>/agenda/<int:participant_pk>/agenda.pdf",
        meetings.event_agenda_pdf,
        name="event_agenda_pdf",
    ),
    path(
        "events/<int:pk>/export/agenda.pdf",
        meetings.event_schedule_pdf,
        name="event_schedule_pdf",
    ),
    path(
        "events/<int:pk>/export/schedule.xlsx",
        meetings.event_schedule_xlsx,
        name="event_schedule_xlsx",
    ),
    path(
        "events/<int:pk>/export/shortlist.csv",
        meetings.event_shortlist_csv,
        name="event_shortlist_csv",
    ),
    path("events/<int:pk>/outcomes/", meetings.event_outcomes, name="event_outcomes"),
    path(
        "events/<int:pk>/meetings/<int:meeting_pk>/outcome/",
        meetings.meeting_outcome,
        name="meeting_outcome",
    ),
    path("events/<int:pk>/shortlist/", schedule.event_shortlist, name="event_shortlist"),
    path(
        "events/<int:pk>/shortlist/generate/",
        schedule.event_shortlist_generate,
        name="event_shortlist_generate",
    ),
    path(
        "events/<int:pk>/shortlist/pair/",
        schedule.event_shortlist_pair,
        name="event_shortlist_pair",
    ),
    path("events/<int:pk>/schedule/", schedule.event_schedule, name="event_schedule"),
    path(
        "events/<int:pk>/schedule/generate/",
        schedule.event_schedule_generate,
        name="event_schedule_generate",
    ),
    path(
        "events/<int:pk>/schedule/publish/",
        schedule.event_schedule_publish,
        name="event_schedule_publish",
    ),
    path(
        "events/<int:pk>/schedule/unpublish/",
        schedule.event_schedule_unpublish,
        name="event_schedule_unpublish",
    ),
    path(
        "events/<int:pk>/meetings/<int:meeting_pk>/move/",
        schedule.event_meeting_move,
        name="event_meeting_move",
    ),
    path(
        "events/<int:pk>/shortlist/<int:entry_pk>/place/",
        schedule.event_meeting_place,
        name="event_meeting_place",
    ),
]
