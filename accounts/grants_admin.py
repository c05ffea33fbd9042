"""Pending role grants in the admin: the second person approves or rejects them here.

The changelist shows every grant (pending first by filter); approving and rejecting are
actions, each grant decided by accounts.grants under a row lock, which checks again that
it is still pending, that the approver is neither its proposer nor the user it is for, and
that the approver may approve it. Nothing here can be added, edited or deleted by hand:
proposals come from the user's change form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.grants import GrantRefusedError, do_approve_grant, do_reject_grant
from accounts.models import RoleGrant
from accounts.roles import APP_ADMIN, PRIVACY_OFFICER
from audit.admin import AuditedAdminMixin
from audit.context import AuditContext


class RoleGrantAdmin(AuditedAdminMixin, admin.ModelAdmin[RoleGrant]):
    list_display = (
        "user",
        "role",
        "status",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status",)
    list_select_related = ("user", "group", "proposed_by", "decided_by")
    readonly_fields = (
        "user",
        "role",
        "status",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
    )
    fields = readonly_fields
    actions = ["approve", "reject"]

    @admin.display(description=gettext_lazy("rol of groep"))
    def role(self, grant: RoleGrant) -> str:
        return grant.role_name

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_decide_permission(self, request: HttpRequest) -> bool:
        """Who sees the actions; each grant is checked again when it is decided."""
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and user.groups.filter(name__in=(APP_ADMIN, PRIVACY_OFFICER)).exists()
        )

    @admin.action(description=gettext_lazy("Goedkeuren (tweede persoon)"), permissions=["decide"])
    def approve(self, request: HttpRequest, queryset: QuerySet[RoleGrant]) -> None:
        self._decide(request, queryset, do_approve_grant, "approver", _("Goedgekeurd: %(grant)s."))

    @admin.action(description=gettext_lazy("Afwijzen"), permissions=["decide"])
    def reject(self, request: HttpRequest, queryset: QuerySet[RoleGrant]) -> None:
        self._decide(request, queryset, do_reject_grant, "actor", _("Afgewezen: %(grant)s."))

    def _decide(
        self,
        request: HttpRequest,
        queryset: QuerySet[RoleGrant],
        decide: Any,
        who: str,
        done: str,
    ) -> None:
        context = AuditContext.for_request(request)
        for grant in queryset:
            try:
                decide(grant.pk, **{who: request.user}, context=context)
            except GrantRefusedError as refused:
                messages.error(request, f"{grant}: {refused}")
            else:
                messages.success(request, done % {"grant": grant})
