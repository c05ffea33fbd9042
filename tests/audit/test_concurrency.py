"""Many writers at once still produce one unbroken chain (PostgreSQL advisory lock)."""

import threading

import pytest
from django.db import connection, connections

from audit.events import Event, append, record
from audit.models import Action, AuditEvent
from tests.audit.conftest import NOBODY, verify

WRITERS = 4
EVENTS_EACH = 15


@pytest.mark.postgres
def test_concurrent_writers_build_one_chain_in_commit_order(transactional_db: None) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def write() -> None:
        try:
            start.wait()
            for i in range(EVENTS_EACH):
                record(Action.READ, NOBODY, detail={"i": i})
                append([Event(action=Action.DISCARD, context=NOBODY, detail={"i": i})] * 2)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert connection.vendor == "postgresql"
    hashes = list(AuditEvent.objects.order_by("id").values_list("prev_hash", "hash"))
    assert len(hashes) == WRITERS * EVENTS_EACH * 3
    assert all(after[0] == before[1] for before, after in zip(hashes, hashes[1:], strict=False))
    assert verify()[0] == 0
