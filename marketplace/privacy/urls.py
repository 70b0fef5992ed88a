from django.urls import path

from marketplace.privacy import views

app_name = "privacy"

urlpatterns = [
    path("organizations/<int:pk>/export/", views.organization_export, name="organization_export"),
    path("account/delete/", views.account_delete, name="account_delete"),
]
