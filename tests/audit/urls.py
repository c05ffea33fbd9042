"""The project's URLs plus a stand-in resident-data view (the real intake pages are
another issue's): it goes through intake/access.py exactly as they will."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from intake.access import get_intake_for


@login_required
def intake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    intake = get_intake_for(request.user, pk)
    return HttpResponse(f"intake {intake.pk}")


urlpatterns = [
    *project_urlpatterns,
    path("intakes/<int:pk>/", intake_detail, name="test-intake-detail"),
]
