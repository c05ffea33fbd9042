"""The privacy officer's pages, mounted at /privacy/ (config/urls.py)."""

from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("minimalisatie/", views.minimisation_overview, name="overview"),
    path("inwoners/", views.resident_lookup, name="lookup"),
    path("inwoners/<uuid:ref>/", views.access_request, name="access"),
    path("inwoners/<uuid:ref>/corrigeren/", views.correction, name="correct"),
    path("inwoners/<uuid:ref>/wissen/", views.erasure, name="erase"),
]
