"""The team lead's pages (namespace team), kept apart from intake/urls.py."""

from django.urls import path

from intake import views_team

app_name = "team"

urlpatterns = [
    path("team/intakes/", views_team.team_intakes, name="intakes"),
    path("intakes/<int:pk>/toewijzen/", views_team.reassign_intake, name="reassign"),
]
