from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as accounts_views
from accounts.activation import ActivationView
from config import views

# The admin carries the product's name, as the caseworker's pages do
# (templates/admin/base_site.html).
admin.site.site_header = _("ZRM-intake: beheer")
admin.site.site_title = _("ZRM-intake beheer")
admin.site.index_title = _("Beheer")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "aanmelden/",
        accounts_views.SignInView.as_view(),
        name="login",
    ),
    path("afmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("activeren/<uidb64>/<token>/", ActivationView.as_view(), name="activate"),
    path("sessie/verlengen/", accounts_views.keep_alive, name="keep_alive"),
    path("intakes/", include("intake.urls")),
    path("beheer/", admin.site.urls),
    path("", include("minimisation.urls")),
    path("audit/", include("privacy.urls_audit")),
    path("privacy/", include("privacy.urls")),
    path("tweestapsverificatie/", include("accounts.urls")),
    path("", include("intake.urls_team")),
]
