from django.urls import path

from marketplace.needs import reading, views

app_name = "needs"

urlpatterns = [
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/mine/", views.my_needs, name="my_needs"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/submit/", views.need_submit, name="need_submit"),
    path("needs/<int:pk>/renew/", views.need_renew, name="need_renew"),
    path("needs/<int:pk>/status/", views.need_status, name="need_status"),
    path("needs/reading/", reading.need_reading, name="need_reading"),
    path(
        "needs/<int:pk>/reading/confirm/",
        reading.need_reading_confirm,
        name="need_reading_confirm",
    ),
    path("needs/<int:pk>/clarify/", reading.need_clarify, name="need_clarify"),
]
