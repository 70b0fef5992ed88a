from django.urls import path

from marketplace.imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.import_upload, name="import_upload"),
    path("imports/template.xlsx", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status.json", views.import_status_json, name="import_status_json"),
]
