from django.urls import path

from marketplace.reviews import views

app_name = "reviews"

urlpatterns = [
    path("review/", views.review_queue, name="review_queue"),
    path(
        "review/organizations/<int:pk>/approve/",
        views.review_organization_approve,
        name="review_organization_approve",
    ),
    path(
        "review/organizations/<int:pk>/reject/",
        views.review_organization_reject,
        name="review_organization_reject",
    ),
    path("review/needs/<int:pk>/publish/", views.review_need_publish, name="review_need_publish"),
]
