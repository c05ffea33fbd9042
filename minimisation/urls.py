from django.urls import path

from minimisation import views

app_name = "minimisation"

urlpatterns = [
    path("intakes/<int:pk>/afronden/", views.preview, name="preview"),
    path("intakes/<int:pk>/afronden/bevestigen/", views.confirm, name="confirm"),
    path("intakes/<int:pk>/besluit/", views.decision_detail, name="decision"),
    path("privacy/verwerkingsregister/", views.processing_register, name="register"),
]
