"""Audit write cost: our hash-chained record() against django-auditlog's default
LogEntry for the same model change, and our events/s with 4 concurrent writers."""

import multiprocessing
import os
import time

from django.db import connection, transaction

from audit.events import record
from audit.models import Action
from bench.writer import write_events
from intake.models import Intake


def _save_loop(intakes: list[Intake]) -> float:
    start = time.perf_counter()
    for intake in intakes:
        with transaction.atomic():
            intake.version += 1
            intake.save(update_fields=["version", "updated_at"])
    return time.perf_counter() - start


def _save_and_record_loop(intakes: list[Intake]) -> float:
    start = time.perf_counter()
    for intake in intakes:
        with transaction.atomic():
            intake.version += 1
            intake.save(update_fields=["version", "updated_at"])
            record(
                Action.UPDATE,
                obj=intake,
                resident_ref="00000000-0000-4000-8000-000000000000",
                purpose=intake.framework,
                detail={"fields": ["version"]},
            )
    return time.perf_counter() - start


def per_event_costs(intake_ids: list[int]) -> dict[str, float]:
    """Seconds per logged change: plain save, save + our event, save + auditlog entry."""
    from auditlog.registry import auditlog

    intakes = list(Intake.objects.filter(pk__in=intake_ids))
    n = len(intakes)
    plain = _save_loop(intakes) / n
    ours = _save_and_record_loop(intakes) / n
    auditlog.register(Intake)
    try:
        theirs = _save_loop(intakes) / n
    finally:
        auditlog.unregister(Intake)
    return {
        "plain_s": plain,
        "ours_s": ours,
        "auditlog_s": theirs,
        "ours_event_s": max(ours - plain, 1e-9),
        "auditlog_event_s": max(theirs - plain, 1e-9),
    }


def concurrent_events_per_second(writers: int = 4, per_writer: int = 500) -> float:
    connection.close()
    ctx = multiprocessing.get_context("spawn")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    start = time.perf_counter()
    procs = [ctx.Process(target=write_events, args=(per_writer,)) for _ in range(writers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        if p.exitcode != 0:
            raise RuntimeError("an audit writer process failed")
    return writers * per_writer / (time.perf_counter() - start)
