from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Auditlog")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from audit import signals

        user_logged_in.connect(signals.on_login, dispatch_uid="audit.login")
        user_login_failed.connect(signals.on_login_failed, dispatch_uid="audit.login_failed")
        user_logged_out.connect(signals.on_logout, dispatch_uid="audit.logout")
