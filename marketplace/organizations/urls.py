from django.urls import path

from marketplace.organizations import views

app_name = "organizations"

urlpatterns = [
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organization/edit/", views.organization_edit, name="edit"),
]
