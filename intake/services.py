"""The intake app's public write API: every write that changes a resident's data.

Each function is one transaction that enforces its invariant (version, status, lock) and
writes its own audit event inside that transaction, so a write that is rolled back takes
its event with it and an event never describes a write that did not happen. Callers pass
an explicit `AuditContext` (who acts, in which role, from where), never an HttpRequest.
Views call these functions and audit only what they read and search.

Exports:
- `create_intake(resident, caseworker, *, framework, instrument_version, previous, context)`:
  a new draft (and the resident, when it is not stored yet), granted to its caseworker.
- `start_reassessment(previous, caseworker, *, context)`: a new draft linked to `previous`,
  at most one open per caseworker.
- `save_assessment(intake, expected_version, values, *, context)`: the caseworker's
  domain values, under optimistic locking; a `SaveResult` says what happened.
- `reassign(intake, to_user, *, context)`: the team lead hands the intake to another
  caseworker of the team; `eligible_caseworkers(intake)` lists who may take it.
- `correct(resident, corrections, *, reason, context)`: the privacy officer's correction
  (GDPR art. 16) of stored fields, under the same version check as a save.
- Values and errors: `DomainValues`, `SaveOutcome`, `SaveResult`, `Correction`,
  `VersionConflict`, `ReassignmentError`, `DuplicateResident` (one BSN, one resident).

Optimistic locking: an intake's data change only through `_claim_version()`, which
writes only if the caller's version is still current and then bumps it. A caseworker's
form carries the version it was built from, so a save over a correction (or over another
tab's save) is refused instead of silently undoing it.

Lock order. Every writer of an intake's data takes its locks in this one order, so two
writers never each hold what the other waits for (a deadlock, which PostgreSQL ends by
failing one of them: a 500 for the user, a dead batch for a sweep):
1. the intake row, first (`intake.locking.lock_intake()`); several intakes in id order
   (`correct()`, erasure);
2. its children: the domain assessment rows, the intake's permission rows, the decision
   record and its kept fields. They are written only by a writer that holds step 1, so
   the intake lock already decides who waits for them;
3. the resident row (`lock_residents()`), and then its permission rows. A writer that
   inserts a row naming the resident (a new intake, a reassessment, a permission) locks
   the resident first even when it does not change it: PostgreSQL checks that foreign
   key at commit with a share lock on the resident, which must never wait behind step 4;
4. the audit chain: `audit.events.append()` takes the chain lock last, at the end of the
   transaction, and holds it until commit, so it is held as briefly as possible.

Who follows it: `save_assessment()` (1, 2, 4), `start_reassessment()` (1 on the previous
intake, 3, then the new intake's rows, 4), `create_intake()` (3, new rows, 4),
`reassign()` (1, 2, 3, 4), `correct()` (1 for each intake in id order, 2, 3, 4), and
outside this module `minimisation.finalising.finalise()` (1, 3, then 2 as it destroys,
which the intake lock covers, 4) and `privacy.resident_requests.erase()` (1 for every
intake of the resident in id order, 3, 4). The one exception is the retention sweep
(`minimisation.sweep`): it takes a resident and then every intake of it, but only with
SKIP LOCKED, so it never waits for a row and can never be part of a cycle; a resident it
cannot take whole it leaves for its next pass. tests/intake/test_lock_order.py races
every pair of these writers at a held lock.

A writer that waited for an intake the sweep or an erasure destroyed meanwhile gets
`IntakeGone` (a save: the outcome GONE) instead of a database error.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.roles import CONSULENT, teams_of
from audit.context import AuditContext
from audit.events import Event, append
from audit.models import Action
from intake.access import VIEW_RESIDENT, grant_caseworker, may_reassign
from intake.locking import IntakeGone, ResidentGone, lock_intake, lock_residents
from intake.models import (
    DomainAssessment,
    HelpNeed,
    Intake,
    IntakeStatus,
    IntakeUserObjectPermission,
    Resident,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User  # the AUTH_USER_MODEL

__all__ = [
    "Correction",
    "DomainValues",
    "DuplicateResident",
    "IntakeGone",
    "ReassignmentError",
    "ResidentGone",
    "SaveOutcome",
    "SaveResult",
    "VersionConflict",
    "correct",
    "create_intake",
    "eligible_caseworkers",
    "reassign",
    "save_assessment",
    "start_reassessment",
]


@dataclass(frozen=True)
class DomainValues:
    score: int | None
    help_need: str
    notes: str


class SaveOutcome(enum.StrEnum):
    SAVED = "saved"  # written, version bumped
    UNCHANGED = "unchanged"  # what was submitted is what is stored: nothing to write
    CONFLICT = "conflict"  # someone saved (or corrected) first; nothing written
    FINALISED = "finalised"  # the intake is no longer a draft; nothing written
    GONE = "gone"  # destroyed (sweep, erasure) while the save waited; nothing written


@dataclass(frozen=True)
class SaveResult:
    outcome: SaveOutcome
    changed_domains: list[str] = field(default_factory=list)  # written, or in conflict
    version: int = 0  # the intake's current version after the call


class VersionConflict(Exception):  # noqa: N818 - reads as a sentence
    """An intake changed (or was destroyed) since its version was read; nothing was
    written."""

    def __init__(self, intake_id: int) -> None:
        super().__init__(f"intake {intake_id} changed since it was read")
        self.intake_id = intake_id


class DuplicateResident(Exception):  # noqa: N818 - reads as a sentence
    """A new resident's BSN belongs to a stored resident already; nothing was written."""

    def __init__(self, existing: Resident) -> None:
        super().__init__("a resident with this BSN exists")
        self.existing = existing


class ReassignmentError(ValueError):
    """The reassignment is not allowed; the message is Dutch and fit for the form."""


# --- The version check: the one way into an intake's data ---------------------------


def _claim_version(intake: Intake, expected_version: int) -> bool:
    """Bump the locked intake's version if it is still `expected_version`; else False.

    Every write to an intake's domain data calls this first and writes only on True.
    """
    if intake.version != expected_version:
        return False
    now = timezone.now()
    Intake.objects.filter(pk=intake.pk).update(version=F("version") + 1, updated_at=now)
    intake.version, intake.updated_at = expected_version + 1, now
    return True


def _update_event(intake: Intake, context: AuditContext, detail: Mapping[str, Any]) -> Event:
    return Event(action=Action.UPDATE, context=context, **intake.audit_subject(), detail=detail)


# --- Create ---------------------------------------------------------------------------


def create_intake(
    resident: Resident,
    caseworker: User,
    *,
    framework: str,
    instrument_version: str,
    previous: Intake | None = None,
    context: AuditContext,
) -> Intake:
    """A new draft with one "niet besproken" row per domain, granted to its caseworker.

    `resident` is stored, or new and not saved yet (`ResidentForm.save(commit=False)`):
    then it is created here, with its own CREATE event before the intake's.
    """
    if resident._state.adding and resident.bsn:
        existing = Resident.objects.with_bsn(resident.bsn).first()
        if existing is not None:
            raise DuplicateResident(existing)
    try:
        return _create_intake(
            resident,
            caseworker,
            framework=framework,
            instrument_version=instrument_version,
            previous=previous,
            context=context,
        )
    except IntegrityError:
        # Two caseworkers typed the same BSN at once: the constraint decided.
        existing = Resident.objects.with_bsn(resident.bsn).first() if resident.bsn else None
        if existing is None:
            raise
        raise DuplicateResident(existing) from None


def _create_intake(
    resident: Resident,
    caseworker: User,
    *,
    framework: str,
    instrument_version: str,
    previous: Intake | None,
    context: AuditContext,
) -> Intake:
    with transaction.atomic():
        events: list[Event] = []
        if not resident._state.adding and not lock_residents([resident.pk]):
            raise ResidentGone(resident.pk)
        if resident._state.adding:
            resident.save()
            events.append(
                Event(
                    action=Action.CREATE,
                    context=context,
                    **resident.audit_subject(),
                )
            )
        intake = Intake.objects.create(
            resident=resident,
            caseworker=caseworker,
            team=teams_of(caseworker).order_by("name").first(),
            framework=framework,
            instrument_version=instrument_version,
            previous=previous,
        )
        DomainAssessment.objects.bulk_create(
            DomainAssessment(intake=intake, domain=code, help_need=HelpNeed.UNKNOWN)
            for code in intake.instrument.domain_codes
        )
        grant_caseworker(intake)
        events.append(
            Event(
                action=Action.CREATE,
                context=context,
                **intake.audit_subject(),
                detail={
                    "instrument_version": intake.instrument_version,
                    "reassessment": previous is not None,
                },
            )
        )
        append(events)
    return intake


def start_reassessment(
    previous: Intake, caseworker: User, *, context: AuditContext
) -> tuple[Intake, bool]:
    """A new draft for the same resident linked to `previous`; (intake, created).

    An open draft reassessment of `previous` by the same caseworker is reused, so a
    double click on "Nieuwe meting" never makes two: the lock on `previous` makes the
    second click wait for the first and then find its draft.

    Raises IntakeGone if `previous` was destroyed while this waited for it.
    """
    with transaction.atomic():
        previous = lock_intake(previous.pk)
        existing = (
            Intake.objects.filter(
                previous=previous, caseworker=caseworker, status=IntakeStatus.DRAFT
            )
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing, False
        intake = create_intake(
            previous.resident,
            caseworker,
            framework=previous.framework,
            instrument_version=previous.instrument_version,
            previous=previous,
            context=context,
        )
        return intake, True


# --- Save -----------------------------------------------------------------------------


def _differing(rows: dict[str, DomainAssessment], values: Mapping[str, DomainValues]) -> list[str]:
    return [
        code
        for code, v in values.items()
        if code not in rows or not rows[code].same_content_as(v.score, v.help_need, v.notes)
    ]


def save_assessment(
    intake: Intake,
    expected_version: int,
    values: Mapping[str, DomainValues],
    *,
    context: AuditContext,
) -> SaveResult:
    """Write the submitted domain values if `expected_version` is still current.

    Saving what is already stored is UNCHANGED even with an old version, so a second
    identical submit (double click, browser resend) is a harmless no-op.
    """
    with transaction.atomic():
        try:
            locked = lock_intake(intake.pk)
        except IntakeGone:
            return SaveResult(SaveOutcome.GONE)
        if locked.status != IntakeStatus.DRAFT:
            return SaveResult(SaveOutcome.FINALISED, version=locked.version)
        rows = {
            row.domain: row
            for row in DomainAssessment.objects.select_for_update().filter(intake=locked)
        }
        changed = _differing(rows, values)
        if not changed:
            return SaveResult(SaveOutcome.UNCHANGED, version=locked.version)
        if not _claim_version(locked, expected_version):
            # The submitted domains that differ from what is stored now, for the message.
            return SaveResult(SaveOutcome.CONFLICT, changed, version=locked.version)
        to_create = []
        for code in changed:
            v = values[code]
            row = rows.get(code)
            if row is None:
                row = DomainAssessment(intake=locked, domain=code)
                to_create.append(row)
            row.score, row.help_need, row.notes = v.score, v.help_need, v.notes
            if row.pk is not None:
                # save(), not bulk_update(): each new value is sealed under a new data key
                # and the key of the value it replaces is destroyed (vault/fields.py).
                row.save(update_fields=["score", "help_need", "notes"])
        DomainAssessment.objects.bulk_create(to_create)
        append([_update_event(locked, context, {"domains_changed": changed})])
    return SaveResult(SaveOutcome.SAVED, changed, version=locked.version)


# --- Correct (the privacy officer, GDPR art. 16) -------------------------------------


@dataclass(frozen=True, kw_only=True)
class Correction:
    """One stored field's new value: a resident field, or a domain assessment's field
    (then with its intake and the intake's version as it was when the value was read)."""

    field: str  # "resident.address", "domainassessment.notes"
    value: Any
    assessment_id: int | None = None
    intake_id: int | None = None
    expected_version: int | None = None

    @property
    def column(self) -> str:
        return self.field.split(".", 1)[1]


def correct(
    resident: Resident,
    corrections: Sequence[Correction],
    *,
    reason: str,
    context: AuditContext,
) -> list[str]:
    """Write the corrections, bumping the version of every intake whose rows change.

    Raises VersionConflict (nothing written) if an intake changed since the corrected
    values were read. Audits which fields changed (names only) and why (a reason code).
    """
    if not corrections:
        return []
    with transaction.atomic():
        versions: dict[int, int] = {}
        for c in corrections:
            if c.assessment_id is not None:
                if c.intake_id is None or c.expected_version is None:
                    raise ValueError("a domain correction names its intake and its version")
                versions[c.intake_id] = c.expected_version
        for intake_id in sorted(versions):  # the lock order: intakes in id order
            try:
                locked = lock_intake(intake_id)
            except IntakeGone:
                raise VersionConflict(intake_id) from None
            if not _claim_version(locked, versions[intake_id]):
                raise VersionConflict(intake_id)
        rows = DomainAssessment.objects.select_for_update().in_bulk(
            [c.assessment_id for c in corrections if c.assessment_id is not None]
        )
        changed: list[str] = []
        resident_updates: dict[str, Any] = {}
        for c in corrections:
            if c.assessment_id is None:
                resident_updates[c.column] = c.value
                changed.append(c.field)
                continue
            row = rows.get(c.assessment_id)
            if row is None or row.intake_id != c.intake_id:
                raise VersionConflict(c.intake_id or 0)
            setattr(row, c.column, c.value)
            row.save(update_fields=[c.column])
            changed.append(f"{row.domain}:{c.field}")
        if not lock_residents([resident.pk]):  # erased while this waited
            raise VersionConflict(min(versions, default=0))
        if resident_updates:
            # Sealed under new keys, the replaced values' keys destroyed, the blind index
            # recomputed: all by Resident.save().
            locked_resident = Resident.objects.select_for_update().get(pk=resident.pk)
            for column, value in resident_updates.items():
                setattr(locked_resident, column, value)
            locked_resident.save(update_fields=list(resident_updates))
        append(
            [
                Event(
                    action=Action.UPDATE,
                    context=context,
                    **resident.audit_subject(),
                    detail={"gdpr": "art16", "reason": reason, "fields": changed},
                )
            ]
        )
    return changed


# --- Reassign (the team lead) --------------------------------------------------------


def eligible_caseworkers(intake: Intake) -> QuerySet[User]:
    """Active caseworkers of the intake's team, other than the current one."""
    users = get_user_model().objects.all()
    if intake.team_id is None:
        return users.none()
    return (
        users.filter(is_active=True, groups=intake.team_id)
        .filter(groups__name=CONSULENT)
        .exclude(pk=intake.caseworker_id)
        .distinct()
        .order_by("username")
    )


def reassign(intake: Intake, to_user: User, *, context: AuditContext) -> Intake:
    """Make `to_user` the intake's caseworker, moving the permissions from the old one.

    The acting team lead is the context's actor. The old caseworker loses sight of the
    intake (need to know); the new one gets exactly what the old one held.
    """
    with transaction.atomic():
        # Two leads reassigning at once must not both move permissions.
        try:
            intake = lock_intake(intake.pk)
        except IntakeGone:
            raise ReassignmentError(_("Deze intake bestaat niet meer.")) from None
        by_user = (
            get_user_model().objects.filter(pk=context.actor_id).first()
            if context.actor_id is not None
            else None
        )
        if by_user is None or not may_reassign(by_user, intake):
            raise ReassignmentError(_("U mag deze intake niet toewijzen."))
        if not eligible_caseworkers(intake).filter(pk=to_user.pk).exists():
            raise ReassignmentError(
                _("Kies een andere actieve consulent uit het team van deze intake.")
            )
        old = intake.caseworker
        moved = _move_intake_permissions(intake, old, to_user)
        lock_residents([intake.resident_id])  # before its permission rows: the lock order
        assign_perm(VIEW_RESIDENT, to_user, intake.resident)
        if not intake.resident.intakes.filter(caseworker=old).exclude(pk=intake.pk).exists():
            # The old caseworker has no other intake of this resident: no reason left to see it.
            remove_perm(VIEW_RESIDENT, old, intake.resident)
        intake.caseworker = to_user
        intake.save(update_fields=["caseworker", "updated_at"])
        append(
            [
                Event(
                    action=Action.REASSIGN,
                    context=context,
                    **intake.audit_subject(),
                    detail={
                        "from_user_id": old.pk,
                        "to_user_id": to_user.pk,
                        "permissions": sorted(moved),
                    },
                )
            ]
        )
    return intake


def _move_intake_permissions(intake: Intake, old: User, new: User) -> set[str]:
    rows = IntakeUserObjectPermission.objects.filter(content_object=intake, user=old)
    codenames = set(rows.values_list("permission__codename", flat=True))
    rows.delete()
    for codename in codenames:
        assign_perm(codename, new, intake)
    return codenames
