from django.urls import path

from privacy import views_audit as views

app_name = "audit"

urlpatterns = [
    path("export/", views.export, name="export"),
]
