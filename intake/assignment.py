"""Reassigning an intake to another caseworker of the same team (the team lead's job).

The caseworker's object permissions move with the intake in one transaction: the old
caseworker loses sight of it (need to know), the new one gets exactly what the old one
held. The move is audited, with user ids only.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.roles import CONSULENT
from audit.context import AuditContext
from audit.events import record
from audit.models import Action
from intake.access import VIEW_RESIDENT, may_reassign
from intake.models import Intake, IntakeUserObjectPermission


class ReassignmentError(ValueError):
    """The reassignment is not allowed; the message is Dutch and fit for the form."""


def eligible_caseworkers(intake: Intake) -> QuerySet:
    """Active caseworkers of the intake's team, other than the current one."""
    if intake.team_id is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(is_active=True, groups=intake.team_id)
        .filter(groups__name=CONSULENT)
        .exclude(pk=intake.caseworker_id)
        .distinct()
        .order_by("username")
    )


def reassign(
    intake: Intake,
    to_user: AbstractBaseUser,
    by_user: AbstractBaseUser,
    *,
    context: AuditContext,
) -> Intake:
    """Make `to_user` the intake's caseworker, moving the permissions from the old one."""
    with transaction.atomic():
        # Lock the row: two leads reassigning at once must not both move permissions.
        intake = Intake.objects.select_for_update().select_related("resident").get(pk=intake.pk)
        if not may_reassign(by_user, intake):
            raise ReassignmentError(_("U mag deze intake niet toewijzen."))
        if not eligible_caseworkers(intake).filter(pk=to_user.pk).exists():
            raise ReassignmentError(
                _("Kies een andere actieve consulent uit het team van deze intake.")
            )
        old = intake.caseworker
        moved = _move_intake_permissions(intake, old, to_user)
        assign_perm(VIEW_RESIDENT, to_user, intake.resident)
        if not intake.resident.intakes.filter(caseworker=old).exclude(pk=intake.pk).exists():
            # The old caseworker has no other intake of this resident: no reason left to see it.
            remove_perm(VIEW_RESIDENT, old, intake.resident)
        intake.caseworker = to_user
        intake.save(update_fields=["caseworker", "updated_at"])
        record(
            Action.REASSIGN,
            context,
            **intake.audit_subject(),
            detail={
                "from_user_id": old.pk,
                "to_user_id": to_user.pk,
                "permissions": sorted(moved),
            },
        )
    return intake


def _move_intake_permissions(
    intake: Intake, old: AbstractBaseUser, new: AbstractBaseUser
) -> set[str]:
    rows = IntakeUserObjectPermission.objects.filter(content_object=intake, user=old)
    codenames = set(rows.values_list("permission__codename", flat=True))
    rows.delete()
    for codename in codenames:
        assign_perm(codename, new, intake)
    return codenames
