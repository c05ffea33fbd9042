"""Finalising an intake: keep what the decision the caseworker saw keeps, destroy the rest.

One service, one transaction: lock the intake, then its resident (the lock order of
intake/services.py), check it is still a draft, decide once under the lock, compare
that decision's digest with the preview's, destroy what it discards, record the
decision and write the FINALISE and DISCARD events. A mismatch, or any exception,
destroys nothing.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.context import AuditContext
from audit.events import Event, append
from audit.models import Action
from intake.locking import IntakeGone, lock_intake
from intake.models import Intake, IntakeStatus
from minimisation.decide import Decision, IntakeNotReady, decide, snapshot_of
from minimisation.destruction import destroy_discarded, record_discarded
from minimisation.models import DecisionRecord, KeptField
from minimisation.policy import POLICY, Policy

logger = logging.getLogger(__name__)


class FinaliseError(Exception):
    """Finalising did not happen; `message` is a Dutch sentence for the caseworker."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AlreadyFinalised(FinaliseError):  # noqa: N818 - the name is the message
    pass


class IntakeChanged(FinaliseError):  # noqa: N818
    pass


def finalise(
    intake_id: int,
    *,
    digest: str,
    context: AuditContext,
    decided_by: User | None,
    today: dt.date,
    policy: Policy = POLICY,
) -> DecisionRecord:
    """Finalise the intake as the preview whose Decision.digest is `digest` showed it.

    Raises AlreadyFinalised, IntakeChanged (the decision is no longer the one shown, or
    `digest` is missing or forged) or FinaliseError (gone, or not ready), all with a
    Dutch message; then nothing has changed.
    """
    with transaction.atomic():
        # The intake, then its resident: an erasure or a sweep destroying another intake
        # of this resident holds the resident too, so either it commits first and the
        # decision below sees that intake gone, or it waits for this finalise.
        try:
            intake = lock_intake(intake_id, and_resident=True)
        except IntakeGone:
            raise FinaliseError(_("Deze intake bestaat niet meer.")) from None
        if intake.status != IntakeStatus.DRAFT:
            raise AlreadyFinalised(
                _("Deze intake is al afgerond. Er is niets gewijzigd; bekijk het besluit.")
            )
        try:
            decision = decide(snapshot_of(intake, today), policy, today)
        except IntakeNotReady as exc:
            raise FinaliseError(exc.message) from None
        # Bytes: compare_digest refuses a str with non-ASCII characters (a forged value).
        if not hmac.compare_digest(str(digest).encode(), decision.digest.encode()):
            raise IntakeChanged(
                _(
                    "De intake of wat ermee samenhangt is gewijzigd sinds het voorbeeld. "
                    "Bekijk het voorbeeld opnieuw voordat u afrondt."
                )
            )
        keys_destroyed = destroy_discarded(intake, decision)
        intake.status = IntakeStatus.FINALISED
        intake.outcome = decision.outcome
        intake.finalised_at = timezone.now()
        intake.version += 1
        intake.save(update_fields=["status", "outcome", "finalised_at", "version", "updated_at"])
        decision_record = _write_record(intake, decision, decided_by)
        record_discarded(decision_record, decision)
        append(_events(decision, intake, decision_record, context, keys_destroyed))
    logger.info(
        "intake %s finalised: %d kept, %d discarded",
        intake.pk,
        len(decision.kept),
        len(decision.discarded),
    )
    return decision_record


def _write_record(
    intake: Intake,
    decision: Decision,
    decided_by: User | None,
) -> DecisionRecord:
    decision_record = DecisionRecord.objects.create(
        intake=intake,
        resident_ref=decision.resident_ref,
        framework=decision.framework,
        outcome=decision.outcome,
        policy_version=decision.policy_version,
        decided_on=decision.decided_on,
        decided_by=decided_by,
        retention_until=decision.retention_until,
        discarded_counts=decision.discarded_counts(),
    )
    KeptField.objects.bulk_create(
        KeptField(
            decision=decision_record,
            field=f.field,
            domain=f.domain,
            rule_id=f.rule_id,
            retention_until=f.retention_until,
        )
        for f in decision.kept
    )
    return decision_record


def _events(
    decision: Decision,
    intake: Intake,
    decision_record: DecisionRecord,
    context: AuditContext,
    keys_destroyed: int,
) -> list[Event]:
    """FINALISE (what was kept, under which rule) and DISCARD (what went): names only."""
    subject = Event.subject(intake)

    def event(action: Action, detail: dict[str, object]) -> Event:
        return Event(
            action=action,
            context=context,
            object_type=subject["object_type"],
            object_id=subject["object_id"],
            resident_ref=decision.resident_ref,
            purpose=decision.framework,
            detail=detail,
        )

    events = [
        event(
            Action.FINALISE,
            {
                "outcome": decision.outcome,
                "policy_version": decision.policy_version,
                "retention_until": decision_record.retention_until.isoformat(),
                "kept": [[f.key, f.rule_id] for f in decision.kept],
            },
        )
    ]
    if decision.discarded:
        events.append(
            event(
                Action.DISCARD,
                {
                    "discarded": [[f.key, f.rule_id] for f in decision.discarded],
                    "counts": decision.discarded_counts(),
                    "keys_destroyed": keys_destroyed,
                },
            )
        )
    return events
