"""Timed runs of the product's own workflows: finalise, its baseline save, and the sweep."""

import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from audit.context import AuditContext
from intake.models import Intake
from intake.services import DomainValues, save_assessment
from minimisation.decide import decide, snapshot_of
from minimisation.finalising import finalise
from minimisation.policy import POLICY
from minimisation.sweep import purge


def _intakes(ids: list[int]) -> list[Intake]:
    return list(Intake.objects.filter(pk__in=ids).select_related("resident").order_by("pk"))


def save_seconds(ids: list[int]) -> float:
    """The baseline: what the edit page does on save, all 13 domains changed, with the
    UPDATE event the service writes in its transaction; no minimisation."""
    intakes = _intakes(ids)
    start = time.perf_counter()
    for intake in intakes:
        values = {
            a.domain: DomainValues(a.score, a.help_need, a.notes + ".")
            for a in intake.assessments.all()
        }
        save_assessment(
            intake, intake.version, values, context=AuditContext.for_user(intake.caseworker)
        )
    return time.perf_counter() - start


def finalise_seconds(ids: list[int]) -> float:
    """What the finalise pages do: the preview decides and shows its digest, the POST
    finalises (lock, decide again, compare the digest, destroy, record, audit)."""
    intakes = _intakes(ids)
    caseworker = get_user_model().objects.get(pk=intakes[0].caseworker_id)
    start = time.perf_counter()
    for intake in intakes:
        today = timezone.localdate()
        shown = decide(snapshot_of(intake, today), POLICY, today)
        finalise(
            intake.pk,
            digest=shown.digest,
            context=AuditContext.for_user(caseworker),
            decided_by=caseworker,
            today=today,
        )
    return time.perf_counter() - start


def purge_seconds(*, expected: int) -> float:
    """The real retention sweep (minimisation.sweep.purge, as `manage.py purge` runs it)."""
    start = time.perf_counter()
    result = purge(now=timezone.now())
    elapsed = time.perf_counter() - start
    if len(result.expired_drafts) != expected:
        raise RuntimeError(f"purge destroyed {len(result.expired_drafts)}, expected {expected}")
    return elapsed


def raw_delete_seconds(ids: list[int]) -> float:
    """The floor: plain SQL DELETEs of the same rows (permissions, assessments, intakes,
    residents and their name tokens) in one transaction, then the same VACUUM (ANALYZE) the
    sweep runs. It deletes no data keys (a key id lives inside each envelope, not in a
    column), which the sweep does: the ratio leans against the sweep."""
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE doomed ON COMMIT DROP AS "
            "SELECT id, resident_id FROM intake_intake WHERE id = ANY(%s)",
            [ids],
        )
        cursor.execute(
            "DELETE FROM intake_intakeuserobjectpermission "
            "WHERE content_object_id IN (SELECT id FROM doomed)"
        )
        cursor.execute(
            "DELETE FROM intake_domainassessment WHERE intake_id IN (SELECT id FROM doomed)"
        )
        cursor.execute("DELETE FROM intake_intake WHERE id IN (SELECT id FROM doomed)")
        cursor.execute(
            "DELETE FROM intake_residentuserobjectpermission "
            "WHERE content_object_id IN (SELECT resident_id FROM doomed)"
        )
        cursor.execute(
            "DELETE FROM intake_residentnametoken "
            "WHERE resident_id IN (SELECT resident_id FROM doomed)"
        )
        cursor.execute("DELETE FROM intake_resident WHERE id IN (SELECT resident_id FROM doomed)")
    with connection.cursor() as cursor:
        for table in ("intake_intake", "intake_domainassessment", "intake_resident"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return time.perf_counter() - start
