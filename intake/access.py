"""Object access for residents and intakes: the only place views ask "may this user?".

Access is django-guardian object permissions in direct foreign-key tables. Anything
the user may not see answers 404 (Http404), so the existence of an intake or a
resident never leaks.
"""

import uuid

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import assign_perm

from intake.models import (
    Intake,
    IntakeGroupObjectPermission,
    IntakeUserObjectPermission,
    Resident,
    ResidentGroupObjectPermission,
    ResidentUserObjectPermission,
)

VIEW_INTAKE = "view_intake"
CHANGE_INTAKE = "change_intake"
VIEW_RESIDENT = "view_resident"

User = AbstractBaseUser | AnonymousUser


def _permitted(
    queryset: QuerySet,
    user: User,
    codename: str,
    user_perm_model: type,
    group_perm_model: type,
) -> QuerySet:
    """Filter `queryset` to rows the user holds `codename` on, in one SQL query.

    `pk IN (user's ids UNION group's ids)`, not `EXISTS(...) OR EXISTS(...)`: PostgreSQL
    cannot turn an OR of two EXISTS into a join, so it tested every row of the table
    (the list page's count took 0.3 s at 100k intakes, make bench). The UNION starts
    from the user's own permission rows, so the cost follows what the user may see.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    by_user = user_perm_model.objects.filter(user=user, permission__codename=codename).values(
        "content_object_id"
    )
    by_group = group_perm_model.objects.filter(
        group__user=user, permission__codename=codename
    ).values("content_object_id")
    return queryset.filter(pk__in=by_user.union(by_group))


def visible_intakes(user: User, codename: str = VIEW_INTAKE) -> QuerySet[Intake]:
    return _permitted(
        Intake.objects.all(),
        user,
        codename,
        IntakeUserObjectPermission,
        IntakeGroupObjectPermission,
    )


def visible_residents(user: User, codename: str = VIEW_RESIDENT) -> QuerySet[Resident]:
    return _permitted(
        Resident.objects.all(),
        user,
        codename,
        ResidentUserObjectPermission,
        ResidentGroupObjectPermission,
    )


def get_intake_for(
    user: User,
    pk: object,
    codename: str = VIEW_INTAKE,
    *,
    queryset: QuerySet[Intake] | None = None,
) -> Intake:
    """The intake if `user` holds `codename` on it; Http404 otherwise (also for bad ids)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    base = queryset if queryset is not None else Intake.objects.all()
    intake = (
        _permitted(base, user, codename, IntakeUserObjectPermission, IntakeGroupObjectPermission)
        .filter(pk=pk)
        .first()
    )
    if intake is None:
        raise Http404
    return intake


def get_resident_for(user: User, ref: object, codename: str = VIEW_RESIDENT) -> Resident:
    """The resident (by pseudonymous ref) if `user` may see it; Http404 otherwise."""
    resident = visible_residents(user, codename).filter(ref=_as_uuid(ref)).first()
    if resident is None:
        raise Http404
    return resident


def grant_caseworker(intake: Intake) -> None:
    """The assigned caseworker may view and change the intake and view its resident."""
    assign_perm(VIEW_INTAKE, intake.caseworker, intake)
    assign_perm(CHANGE_INTAKE, intake.caseworker, intake)
    assign_perm(VIEW_RESIDENT, intake.caseworker, intake.resident)


def _as_uuid(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None
