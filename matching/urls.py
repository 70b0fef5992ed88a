from django.urls import path

from matching import views

app_name = "matching"
urlpatterns = [
    path("needs/<int:pk>/matches/", views.need_matches, name="need_matches"),
    path("capabilities/<int:pk>/leads/", views.capability_leads, name="capability_leads"),
    path("leads/", views.lead_inbox, name="lead_inbox"),
]
