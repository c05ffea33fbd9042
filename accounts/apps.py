from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Roles, sign-in, second factor, throttling, the sessions' clock, separation of duties."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.models import User
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from accounts import dutch_labels, signals, user_admin
        from accounts.role_setup import ensure_roles

        user_admin.install()
        dutch_labels.install()
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="accounts.ensure_roles")
        user_logged_in.connect(signals.on_login, dispatch_uid="accounts.login")
        user_login_failed.connect(signals.on_login_failed, dispatch_uid="accounts.login_failed")
        user_logged_out.connect(signals.on_logout, dispatch_uid="accounts.logout")
        pre_save.connect(signals.before_user_save, sender=User, dispatch_uid="accounts.su_before")
        post_save.connect(signals.after_user_save, sender=User, dispatch_uid="accounts.su_after")
