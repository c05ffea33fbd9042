"""User and group admin for the application admin (functioneel beheerder).

The application admin manages accounts, teams and roles but must not be able to raise
anyone's rights past the roles, their own included: otherwise "cannot see intake
content" would hold only until they tick "superuser". So for a non-superuser the admin
hides superuser accounts, and makes the superuser flag, direct user permissions and the
permissions of groups read-only (roles get their permissions from migrations).
Loaded from AccountsConfig.ready(), after django.contrib.auth registered its own admin.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from audit.admin import RightBeforeObjectMixin

M = TypeVar("M", bound=Model)

SUPERUSER_ONLY_USER_FIELDS = ("is_superuser", "user_permissions")


class AccountAdmin(UserAdmin[User]):
    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return (*fields, *SUPERUSER_ONLY_USER_FIELDS, "last_login", "date_joined")


class TeamAndRoleAdmin(GroupAdmin):
    def get_readonly_fields(
        self, request: HttpRequest, obj: Group | None = None
    ) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else (*fields, "permissions")


def install() -> None:
    _replace(User, AccountAdmin)
    _replace(Group, TeamAndRoleAdmin)
    _right_before_object_everywhere()


def _right_before_object_everywhere() -> None:
    """Every registered ModelAdmin, other apps' included, checks the right before it looks
    an object up on its history page (audit.admin.RightBeforeObjectMixin)."""
    for model, model_admin in list(admin.site._registry.items()):
        cls = type(model_admin)
        if not issubclass(cls, RightBeforeObjectMixin):
            _replace(model, type(cls.__name__, (RightBeforeObjectMixin, cls), {}))


def _replace(model: type[M], model_admin: type[admin.ModelAdmin[M]]) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
