"""Audit write cost: our hash-chained record() against django-auditlog's default
LogEntry for the same model change, and our events/s with 4 concurrent writers."""

import multiprocessing
import os
import statistics
import time

from django.db import connection, transaction

from audit.context import AuditContext
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


BENCH = AuditContext.system("command:bench")


def _save_and_record_loop(intakes: list[Intake]) -> float:
    start = time.perf_counter()
    for intake in intakes:
        with transaction.atomic():
            intake.version += 1
            intake.save(update_fields=["version", "updated_at"])
            record(
                Action.UPDATE,
                BENCH,
                obj=intake,
                resident_ref="00000000-0000-4000-8000-000000000000",
                purpose=intake.framework,
                detail={"fields": ["version"]},
            )
    return time.perf_counter() - start


def per_event_costs(intake_ids: list[int], rounds: int = 5) -> dict[str, float]:
    """Seconds per logged change: plain save, save + our event, save + auditlog entry.

    The three loops take turns on slices of the intakes, round after round, and each
    figure is the median over the rounds: an event costs less than the save it logs,
    so a burst of load on this shared machine during one loop would otherwise decide
    the ratio.
    """
    from auditlog.registry import auditlog

    intakes = list(Intake.objects.filter(pk__in=intake_ids))
    size = max(1, len(intakes) // rounds)
    plain, ours, theirs = [], [], []
    for r in range(rounds):
        part = intakes[r * size : (r + 1) * size]
        plain.append(_save_loop(part) / len(part))
        ours.append(_save_and_record_loop(part) / len(part))
        auditlog.register(Intake)
        try:
            theirs.append(_save_loop(part) / len(part))
        finally:
            auditlog.unregister(Intake)
    result = {
        "plain_s": statistics.median(plain),
        "ours_s": statistics.median(ours),
        "auditlog_s": statistics.median(theirs),
    }
    ours_event = [o - p for o, p in zip(ours, plain, strict=True)]
    theirs_event = [t - p for t, p in zip(theirs, plain, strict=True)]
    return result | {
        "ours_event_s": max(statistics.median(ours_event), 1e-9),
        "auditlog_event_s": max(statistics.median(theirs_event), 1e-9),
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
