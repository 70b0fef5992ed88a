from django.urls import path

from marketplace.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("export/<str:entity>/<str:fmt>/", views.export, name="export"),
    path("stats/", views.stats, name="stats"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
