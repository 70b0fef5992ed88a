from django.urls import path

from marketplace.matches import views as matches_views

app_name = "matches"

urlpatterns = [
    path("needs/<int:pk>/matches/", matches_views.need_matches, name="need_matches"),
    path("capabilities/<int:pk>/leads/", matches_views.capability_leads, name="capability_leads"),
]
