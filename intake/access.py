"""Object access for residents and intakes: the only place views ask "may this user?".

Access is django-guardian object permissions in direct foreign-key tables. Anything
the user may not see answers 404 (Http404), so the existence of an intake or a
resident never leaks.
"""

from typing import Any, TypeVar

from django.contrib.auth.models import AbstractUser, AnonymousUser, Group
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Concat
from django.http import Http404
from guardian.shortcuts import assign_perm

from accounts.roles import LEADS_PREFIX, leads_group_name
from audit.refs import as_uuid
from intake.models import (
    Intake,
    IntakeGroupObjectPermission,
    IntakeUserObjectPermission,
    Resident,
    ResidentGroupObjectPermission,
    ResidentUserObjectPermission,
)
from intake.querysets import IntakeQuerySet, ResidentQuerySet

VIEW_INTAKE = "view_intake"
CHANGE_INTAKE = "change_intake"
VIEW_RESIDENT = "view_resident"
REASSIGN_INTAKE = "intake.reassign_intake"

# Team leads and need to know: a team lead sees the team's intakes, the other caseworkers
# of the team do not. The team lead's sight is a group object permission (view_intake)
# held by the team's *leads group* ("Leiding Team Noord", intake/roles.py), not by the
# team group: a permission on the team group would reach every caseworker in it, and
# filtering that by role inside the query would make group permissions mean different
# things for different groups. So _permitted() stays plain guardian semantics (user row
# or any group row), list pages stay one SQL query over the permission tables, and who
# leads a team is one group membership that the application admin manages.

User = AbstractUser | AnonymousUser
_QS = TypeVar("_QS", bound=QuerySet[Any])


def _permitted_ids(
    user: User, codename: str, user_perm_model: type[Model], group_perm_model: type[Model]
) -> QuerySet[Any, Any]:
    """The ids of the objects the user holds `codename` on: user rows UNION group rows."""
    by_user = user_perm_model._default_manager.filter(
        user=user, permission__codename=codename
    ).values("content_object_id")
    by_group = group_perm_model._default_manager.filter(
        group__user=user, permission__codename=codename
    ).values("content_object_id")
    ids: QuerySet[Any, Any] = by_user.union(by_group)
    return ids


def _permitted(
    queryset: _QS,
    user: User,
    codename: str,
    user_perm_model: type[Model],
    group_perm_model: type[Model],
) -> _QS:
    """Filter `queryset` to rows the user holds `codename` on, in one SQL query.

    `pk IN (user's ids UNION group's ids)`, not `EXISTS(...) OR EXISTS(...)`: PostgreSQL
    cannot turn an OR of two EXISTS into a join, so it tested every row of the table
    (the list page's count took 0.3 s at 100k intakes, make bench). The UNION starts
    from the user's own permission rows, so the cost follows what the user may see.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    return queryset.filter(pk__in=_permitted_ids(user, codename, user_perm_model, group_perm_model))


# ---- Need to know: who sees an intake's content -------------------------------------
#
# Decided here, once. Seeing an intake (VIEW_INTAKE) is not seeing its content: a team
# lead sees the team's intakes through the team's leads group, for who has which case,
# its state, framework and deadlines, but no scores, notes or contact data. The content
# is for whoever holds VIEW_INTAKE through a user row (the assigned caseworker: see
# grant_caseworker) or through a group that is not a leads group (an intake shared with
# a group); so a lead who is also the assigned caseworker sees the content of that one.


def _content_ids(user: User) -> QuerySet[Any, Any]:
    by_user = IntakeUserObjectPermission.objects.filter(
        user=user, permission__codename=VIEW_INTAKE
    ).values("content_object_id")
    by_group = (
        IntakeGroupObjectPermission.objects.filter(
            group__user=user, permission__codename=VIEW_INTAKE
        )
        .exclude(group__name__startswith=LEADS_PREFIX)
        .values("content_object_id")
    )
    ids: QuerySet[Any, Any] = by_user.union(by_group)
    return ids


def intakes_with_content_for(user: User) -> IntakeQuerySet:
    """The intakes whose content (scores, notes, contact data) this user may see: the
    caseworker's list ("Mijn intakes")."""
    if not user.is_authenticated or not user.is_active:
        return Intake.objects.none()
    return Intake.objects.filter(pk__in=_content_ids(user))


def count_intakes_with_content(user: User) -> int:
    """len(intakes_with_content_for(user)) from the permission rows (see
    count_visible_intakes)."""
    if not user.is_authenticated or not user.is_active:
        return 0
    return _content_ids(user).count()


def with_content_access(queryset: QuerySet[Intake], user: User, name: str) -> QuerySet[Intake]:
    """`queryset` with a boolean column `name`: may `user` see each intake's content?"""
    if not user.is_authenticated or not user.is_active:
        return queryset.annotate(**{name: Value(False, output_field=BooleanField())})
    return queryset.annotate(
        **{name: ExpressionWrapper(Q(pk__in=_content_ids(user)), output_field=BooleanField())}
    )


def visible_intakes(user: User, codename: str = VIEW_INTAKE) -> IntakeQuerySet:
    return _permitted(
        Intake.objects.all(),
        user,
        codename,
        IntakeUserObjectPermission,
        IntakeGroupObjectPermission,
    )


def with_intake_permission(
    queryset: QuerySet[Intake], user: User, codename: str, name: str
) -> QuerySet[Intake]:
    """`queryset` with a boolean column `name`: whether `user` holds `codename` on each row.

    The detail page asks "may this user also change it?" in the query that fetches the
    intake, instead of a query of its own.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.annotate(**{name: Value(False, output_field=BooleanField())})
    ids = _permitted_ids(user, codename, IntakeUserObjectPermission, IntakeGroupObjectPermission)
    return queryset.annotate(
        **{name: ExpressionWrapper(Q(pk__in=ids), output_field=BooleanField())}
    )


def count_visible_intakes(user: User, codename: str = VIEW_INTAKE) -> int:
    """len(visible_intakes(user)) from the permission rows alone.

    Every permission row points at an existing intake (a foreign key), so the distinct ids
    are the count, and PostgreSQL reads them from the permission index without visiting
    intake_intake: the unfiltered list's count stays flat as the table grows (make bench,
    100k intakes, 1,000 visible: 2,013 -> 12 buffers).
    """
    if not user.is_authenticated or not user.is_active:
        return 0
    ids = _permitted_ids(user, codename, IntakeUserObjectPermission, IntakeGroupObjectPermission)
    return ids.count()


def visible_residents(user: User, codename: str = VIEW_RESIDENT) -> ResidentQuerySet:
    return _permitted(
        Resident.objects.all(),
        user,
        codename,
        ResidentUserObjectPermission,
        ResidentGroupObjectPermission,
    )


def get_intake_for(
    user: User,
    pk: int | str,
    codename: str = VIEW_INTAKE,
    *,
    queryset: QuerySet[Intake] | None = None,
) -> Intake:
    """The intake if `user` holds `codename` on it; Http404 otherwise (also for bad ids)."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    base = queryset if queryset is not None else Intake.objects.all()
    intake: Intake | None = (
        _permitted(base, user, codename, IntakeUserObjectPermission, IntakeGroupObjectPermission)
        .filter(pk=number)
        .first()
    )
    if intake is None:
        raise Http404
    return intake


def get_resident_for(user: User, ref: object, codename: str = VIEW_RESIDENT) -> Resident:
    """The resident (by pseudonymous ref) if `user` may see it; Http404 otherwise."""
    parsed = as_uuid(ref)
    resident: Resident | None = (
        visible_residents(user, codename).filter(ref=parsed).first() if parsed else None
    )
    if resident is None:
        raise Http404
    return resident


def grant_caseworker(intake: Intake) -> None:
    """The assigned caseworker may view and change the intake and view its resident;
    the team's leads may view the intake (granted here too, so no caller forgets it)."""
    assign_perm(VIEW_INTAKE, intake.caseworker, intake)
    assign_perm(CHANGE_INTAKE, intake.caseworker, intake)
    assign_perm(VIEW_RESIDENT, intake.caseworker, intake.resident)
    grant_team_leads(intake)


def team_leads_group(team: Group) -> Group:
    group, _created = Group.objects.get_or_create(name=leads_group_name(team))
    return group


def grant_team_leads(intake: Intake) -> None:
    """The leads of the intake's team may view it (metadata and content, not change it)."""
    if intake.team is not None:
        assign_perm(VIEW_INTAKE, team_leads_group(intake.team), intake)


def team_intakes_for(user: User) -> QuerySet[Intake]:
    """The intakes a team lead sees through a leads group: one query, no id list."""
    if not user.is_authenticated or not user.is_active:
        return Intake.objects.none()
    through_leads = IntakeGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"),
        group__user=user,
        group__name=Concat(Value(LEADS_PREFIX), OuterRef("team__name")),
        permission__codename=VIEW_INTAKE,
    )
    return Intake.objects.filter(Exists(through_leads))


def may_reassign(user: User, intake: Intake) -> bool:
    """A team lead (model permission) who sees the intake through its team's leads group."""
    return bool(
        user.is_authenticated
        and user.has_perm(REASSIGN_INTAKE)
        and team_intakes_for(user).filter(pk=intake.pk).exists()
    )
