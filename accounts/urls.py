"""Second-factor pages, under /tweestapsverificatie/ (namespace two_factor)."""

from django.urls import path

from accounts import two_factor

app_name = "two_factor"

urlpatterns = [
    path("", two_factor.verify, name="verify"),
    path("instellen/", two_factor.enrol, name="enrol"),
    path("reservecodes/", two_factor.backup_codes, name="backup_codes"),
]
