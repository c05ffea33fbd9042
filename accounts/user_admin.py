"""User, group and role-grant admin for the application admin (functioneel beheerder).

Separation of duties (accounts/grants.py says the rules, README "Separation of duties"):
- Nobody changes their own groups, staff flag or active flag here: on one's own account
  those fields are read-only, and a group one belongs to is read-only.
- Nobody gets a role, a leads group or the staff flag from this form at once: ticking one
  proposes a grant that a second person approves under "Roltoekenningen".
- Nobody sets a superuser flag or direct permissions here (superusers come from
  `manage.py createsuperuser` only, audited in accounts/signals.py), nor a role's
  permissions (migrations give them).
- Nobody sets a password for someone else: a new account gets an activation link by
  e-mail (accounts/activation.py); the admin's "change password" page of a user is gone.
- A role group or a leads group is neither renamed nor deleted here, and no group is
  renamed into one (a rename would hand its members the role without a second person).
Loaded from AccountsConfig.ready(), after django.contrib.auth registered its own admin.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.activation import awaits_activation, do_create_account, do_send_new_activation_link
from accounts.grants import GrantRefusedError, do_change_roles, needs_second_person
from accounts.models import RoleGrant
from audit.admin import RightBeforeObjectMixin
from audit.context import AuditContext

M = TypeVar("M", bound=Model)

# What no one changes about their own account.
OWN_ACCOUNT_READ_ONLY = ("groups", "is_staff", "is_active")


class NewAccountForm(forms.ModelForm[User]):
    """A new account: who it is for and where the activation link goes; no password."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = gettext_lazy(
            "Het werkadres van de gebruiker zelf: daar komt de activeringslink."
        )


class AccountAdmin(UserAdmin[User]):
    add_form = NewAccountForm
    add_fieldsets = ((None, {"fields": ("username", "first_name", "last_name", "email")}),)
    fieldsets = (
        (None, {"fields": ("username", "account_status")}),
        (gettext_lazy("Persoonlijke gegevens"), {"fields": ("first_name", "last_name", "email")}),
        (
            gettext_lazy("Rollen en toegang"),
            {
                "fields": ("is_active", "is_staff", "groups", "pending_grants", "is_superuser"),
                "description": gettext_lazy(
                    "Een rol, een leidinggroep of toegang tot het beheer gaat pas in als een "
                    "tweede beheerder de toekenning goedkeurt (Roltoekenningen). Intrekken "
                    "gaat meteen."
                ),
            },
        ),
        (gettext_lazy("Belangrijke datums"), {"fields": ("last_login", "date_joined")}),
    )
    list_display = ("username", "first_name", "last_name", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")
    actions = ["send_new_activation_link"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        fields = (
            *super().get_readonly_fields(request, obj),
            "account_status",
            "pending_grants",
            "is_superuser",
            "last_login",
            "date_joined",
        )
        if obj is not None and obj.pk == request.user.pk:
            return (*fields, *OWN_ACCOUNT_READ_ONLY)
        return fields

    @admin.display(description=gettext_lazy("account"))
    def account_status(self, user: User) -> str:
        if awaits_activation(user):
            return _("nog niet geactiveerd: de gebruiker kiest zelf een wachtwoord via de link")
        return _("geactiveerd")

    @admin.display(description=gettext_lazy("wacht op goedkeuring"))
    def pending_grants(self, user: User) -> str:
        pending = RoleGrant.objects.pending().filter(user=user).select_related("group")
        return ", ".join(grant.role_name for grant in pending) or "–"

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """Gone: nobody sets someone else's password (their own: the admin's own page)."""
        raise PermissionDenied

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:
            do_create_account(
                obj,
                context=AuditContext.for_request(request),
                site_url=request.build_absolute_uri("/"),
            )
            messages.info(
                request,
                _("Er is een activeringslink gestuurd naar %(email)s.") % {"email": obj.email},
            )
            return
        # The staff flag is not the form's to save: do_change_roles decides (save_related),
        # from what the form asked for (form.cleaned_data).
        obj.is_staff = User.objects.values_list("is_staff", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        wanted_groups = form.cleaned_data.pop("groups", None)
        super().save_related(request, form, formsets, change)
        user = form.instance
        if not change or wanted_groups is None:
            return  # a new account has no roles; one's own groups are read-only
        try:
            result = do_change_roles(
                user,
                groups=wanted_groups,
                staff=form.cleaned_data.get("is_staff", user.is_staff),
                actor=_acting_user(request),
                context=AuditContext.for_request(request),
            )
        except GrantRefusedError as refused:
            messages.error(request, str(refused))
            return
        if result.proposed:
            messages.warning(
                request,
                _(
                    "Voorgesteld, nog niet toegekend: %(roles)s. Een tweede beheerder keurt "
                    "dit goed onder Roltoekenningen."
                )
                % {"roles": ", ".join(result.proposed)},
            )

    @admin.action(description=gettext_lazy("Stuur een nieuwe activeringslink"))
    def send_new_activation_link(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        context = AuditContext.for_request(request)
        site_url = request.build_absolute_uri("/")
        sent = sum(
            do_send_new_activation_link(user, context=context, site_url=site_url)
            for user in queryset
        )
        messages.info(
            request,
            _("Nieuwe activeringslink gestuurd aan %(count)d account(s) dat nog niet actief is.")
            % {"count": sent},
        )


class GroupForm(forms.ModelForm[Group]):
    class Meta:
        model = Group
        fields = ("name",)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        old = self.instance.name if self.instance.pk else None
        renamed = old is not None and old != name
        if renamed and (
            needs_second_person(self.instance) or needs_second_person(Group(name=name))
        ):
            raise forms.ValidationError(
                _(
                    "Een rol of leidinggroep krijgt geen andere naam, en geen groep wordt "
                    "een rol of leidinggroep door een nieuwe naam: de leden zouden de rol "
                    "krijgen zonder tweede persoon."
                )
            )
        return name


class TeamAndRoleAdmin(GroupAdmin):
    form = GroupForm

    def get_readonly_fields(
        self, request: HttpRequest, obj: Group | None = None
    ) -> tuple[str, ...]:
        return (*super().get_readonly_fields(request, obj), "permissions")

    def has_change_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        if obj is not None and request.user.groups.filter(pk=obj.pk).exists():
            return False  # one's own groups: view only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        if obj is not None and (
            needs_second_person(obj) or request.user.groups.filter(pk=obj.pk).exists()
        ):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Bulk delete would skip the per-group check above: delete groups one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Group]) -> None:
        for group in queryset:
            if not self.has_delete_permission(request, group):
                raise PermissionDenied
        super().delete_queryset(request, queryset)


def _acting_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # the admin lets only signed-in staff this far
        raise PermissionDenied
    return user


def install() -> None:
    from accounts.grants_admin import RoleGrantAdmin

    _replace(User, AccountAdmin)
    _replace(Group, TeamAndRoleAdmin)
    _replace(RoleGrant, RoleGrantAdmin)
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
