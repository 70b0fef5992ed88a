from django.urls import path

from marketplace.leads import views

app_name = "leads"

urlpatterns = [
    path("needs/<int:pk>/invite/", views.need_invite, name="need_invite"),
    path("needs/<int:pk>/not-fit/", views.need_not_fit, name="need_not_fit"),
    path("leads/sent/", views.lead_responses, name="lead_responses"),
    path("leads/alerts/", views.lead_alerts, name="lead_alerts"),
    path("leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/proposal/", views.lead_proposal, name="lead_proposal"),
    path("leads/<int:pk>/respond/", views.lead_respond, name="lead_respond"),
    path("leads/<int:pk>/decline/", views.lead_decline, name="lead_decline"),
    path("leads/<int:pk>/accept/", views.lead_accept, name="lead_accept"),
    path("leads/<int:pk>/reject/", views.lead_reject, name="lead_reject"),
    path("leads/", views.lead_inbox, name="lead_inbox"),
]
