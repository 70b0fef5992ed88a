from django.urls import path

from marketplace.capabilities import views

app_name = "capabilities"

urlpatterns = [
    path("capabilities/", views.capability_list, name="capability_list"),
    path("capabilities/new/", views.capability_create, name="capability_create"),
    path("capabilities/mine/", views.my_capabilities, name="my_capabilities"),
    path("capabilities/<int:pk>/", views.capability_detail, name="capability_detail"),
    path("capabilities/<int:pk>/edit/", views.capability_edit, name="capability_edit"),
    path("capabilities/<int:pk>/status/", views.capability_status, name="capability_status"),
]
