from django.urls import path

from marketplace.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
]
