"""Separation of duties: who may give whom which role, and how (four eyes).

Every change to a user's roles goes through the functions here; each runs in one
transaction, enforces its rule under a row lock and writes its own audit events (who, what,
for whom; never a password), in the manner of zulip's do_* actions.

- Nobody changes their own groups or staff flag (do_change_roles refuses it).
- A role group (accounts.roles.ROLES), a team's leads group or the staff flag is never
  given at once: it becomes a pending RoleGrant. It takes effect when a second, different
  authorised user approves it (do_approve_grant): not the proposer, not the user it is for.
  Every role needs it: consulent, teamleider's leads group and privacyfunctionaris reveal
  residents' data, staff opens the admin, and functioneel beheerder is the power to grant.
- Who may approve: an active staff user in the group "functioneel beheerder", for every
  grant; for the privacyfunctionaris role also an active privacy officer (who knows best
  whether a colleague needs the role). A superuser flag alone does not make an approver.
- Team groups ("Team Noord") are given at once: a team alone shows no intake.
- Revoking (removing a group, clearing the staff flag) takes effect at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.activation import awaits_activation
from accounts.models import STAFF_LABEL, GrantStatus, RoleGrant
from accounts.roles import APP_ADMIN, LEADS_PREFIX, PRIVACY_OFFICER, ROLES
from audit.context import AuditContext
from audit.events import Event, append
from audit.models import Action

STAFF = "staff"  # the name the audit log gives the staff flag


class GrantRefusedError(Exception):
    """A change of rights that the rules do not allow; the message is for the user (Dutch)."""


def needs_second_person(group: Group) -> bool:
    """Roles and leads groups are granted by four eyes; teams are not."""
    return group.name in ROLES or group.name.startswith(LEADS_PREFIX)


def is_approver(user: User, grant: RoleGrant) -> bool:
    """May `user` decide on `grant` (whoever proposed it)?"""
    if not (user.is_active and user.is_staff):
        return False
    names = set(user.groups.values_list("name", flat=True))
    if APP_ADMIN in names:
        return True
    return (
        grant.group is not None
        and grant.group.name == PRIVACY_OFFICER
        and (PRIVACY_OFFICER in names)
    )


@dataclass
class RoleChange:
    """What do_change_roles did, by group name (for the admin's message)."""

    added: list[str] = field(default_factory=list)
    proposed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _event(action: Action, context: AuditContext, user: User, role: str, **detail: object) -> Event:
    return Event(
        action=action,
        context=context,
        object_type="user",
        object_id=str(user.pk),
        detail={"role": role, **detail},
    )


def _refuse_own(actor: User, user: User) -> None:
    if actor.pk == user.pk:
        raise GrantRefusedError(_("U kunt uw eigen rollen, groepen en rechten niet wijzigen."))


@transaction.atomic
def do_change_roles(
    user: User, *, groups: Iterable[Group], staff: bool, actor: User, context: AuditContext
) -> RoleChange:
    """Make `user`'s groups and staff flag what `actor` asked for: removals at once, teams at
    once, roles, leads groups and staff as pending grants. Never for oneself."""
    _refuse_own(actor, user)
    locked = User.objects.select_for_update().get(pk=user.pk)  # one change per user at a time
    current = set(locked.groups.all())
    wanted = set(groups)
    change = RoleChange()
    events: list[Event] = []
    for group in sorted(current - wanted, key=lambda g: g.name):
        locked.groups.remove(group)
        change.removed.append(group.name)
        action = Action.ROLE_REVOKED if needs_second_person(group) else Action.UPDATE
        events.append(_event(action, context, locked, group.name, change="removed"))
    for group in sorted(wanted - current, key=lambda g: g.name):
        if needs_second_person(group):
            event = _propose(locked, group, actor, context)
            if event is not None:
                events.append(event)
            change.proposed.append(group.name)
        else:
            locked.groups.add(group)
            change.added.append(group.name)
            events.append(_event(Action.UPDATE, context, locked, group.name, change="added"))
    if staff and not locked.is_staff:
        event = _propose(locked, None, actor, context)
        if event is not None:
            events.append(event)
        change.proposed.append(str(STAFF_LABEL))
    elif not staff and locked.is_staff:
        locked.is_staff = False
        locked.save(update_fields=["is_staff"])
        change.removed.append(str(STAFF_LABEL))
        events.append(_event(Action.ROLE_REVOKED, context, locked, STAFF, change="removed"))
    user.is_staff = locked.is_staff
    append(events)
    return change


def _propose(user: User, group: Group | None, actor: User, context: AuditContext) -> Event | None:
    """A pending grant (none if one is already pending: the proposal stands)."""
    pending = RoleGrant.objects.pending().filter(user=user, group=group)
    if pending.exists():
        return None
    grant = RoleGrant.objects.create(user=user, group=group, proposed_by=actor)
    return _event(
        Action.ROLE_PROPOSED,
        context,
        user,
        group.name if group is not None else STAFF,
        grant=grant.pk,
    )


def _lock_grant(grant_id: int) -> RoleGrant:
    """The grantee's row first (as do_change_roles), then the grant; re-read under the lock."""
    user_id = RoleGrant.objects.values_list("user_id", flat=True).get(pk=grant_id)
    User.objects.select_for_update().get(pk=user_id)
    return (
        RoleGrant.objects.select_for_update(of=("self",))
        .select_related("user", "group")
        .get(pk=grant_id)
    )


def approval_refusal(grant: RoleGrant, approver: User) -> str:
    """Why `approver` may not approve `grant` now ("" if they may)."""
    if not grant.is_pending:
        return _("Over deze toekenning is al besloten.")
    if approver.pk == grant.proposed_by_id:
        return _("U kunt uw eigen voorstel niet goedkeuren: dat doet een tweede persoon.")
    if approver.pk == grant.user_id:
        return _("U kunt geen rol voor uzelf goedkeuren.")
    if not is_approver(approver, grant):
        return _("U mag deze toekenning niet goedkeuren.")
    if not grant.user.is_active:
        return _("Dit account is niet actief.")
    if awaits_activation(grant.user):
        # Until its owner chose a password, an account's e-mail address decides who gets in
        # (a new activation link goes there): no role before that.
        return _(
            "Dit account is nog niet geactiveerd. Keur de rol goed nadat de gebruiker zelf "
            "een wachtwoord heeft gekozen."
        )
    return ""


@transaction.atomic
def do_approve_grant(grant_id: int, *, approver: User, context: AuditContext) -> RoleGrant:
    """The second person says yes: the role takes effect now."""
    grant = _lock_grant(grant_id)
    reason = approval_refusal(grant, approver)
    if reason:
        raise GrantRefusedError(reason)
    if grant.group is not None:
        grant.user.groups.add(grant.group)
    else:
        grant.user.is_staff = True
        grant.user.save(update_fields=["is_staff"])
    _decide(grant, GrantStatus.APPROVED, approver)
    append([_decision_event(Action.ROLE_APPROVED, grant, context)])
    return grant


@transaction.atomic
def do_reject_grant(grant_id: int, *, actor: User, context: AuditContext) -> RoleGrant:
    """An approver (the proposer too: a withdrawal) says no: nothing changes for the user."""
    grant = _lock_grant(grant_id)
    if not grant.is_pending:
        raise GrantRefusedError(_("Over deze toekenning is al besloten."))
    if actor.pk != grant.proposed_by_id and not is_approver(actor, grant):
        raise GrantRefusedError(_("U mag deze toekenning niet afwijzen."))
    _decide(grant, GrantStatus.REJECTED, actor)
    append([_decision_event(Action.ROLE_REJECTED, grant, context)])
    return grant


def _decide(grant: RoleGrant, status: GrantStatus, by: User) -> None:
    grant.status = status
    grant.decided_by = by
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])


def _decision_event(action: Action, grant: RoleGrant, context: AuditContext) -> Event:
    role = grant.group.name if grant.group is not None else STAFF
    return _event(
        action, context, grant.user, role, grant=grant.pk, proposed_by=grant.proposed_by_id
    )
