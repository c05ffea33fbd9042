from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", views.intake_list, name="list"),
    path("nieuw/", views.intake_new, name="new"),
    path("<str:pk>/", views.intake_detail, name="detail"),
    path("<str:pk>/bewerken/", views.intake_edit, name="edit"),
    path("<str:pk>/automatisch-opslaan/", views.intake_autosave, name="autosave"),
    path("<str:pk>/nieuwe-meting/", views.intake_reassess, name="reassess"),
]
