"""Forced interleavings on PostgreSQL, the one helper every race test uses.

`race(writers, hold=...)` starts each writer in a thread with its own database
connection while a second, plain psycopg connection holds a lock; it waits until every
writer is either blocked on a lock or done, then lets go. So the writers meet exactly at
the lock, every run, instead of by the luck of thread scheduling:

- `HOLD_INTAKE`: the intake row (FOR UPDATE). Every writer that waits for the intake
  waits at its first lock; released, they race from the same start.
- `HOLD_RESIDENT`: the resident row, where writers that lock intakes first meet.
- `HOLD_CHAIN`: the audit chain's advisory lock. Every writer takes all its row locks and
  waits at the very end of its transaction, holding them, so a second writer runs into
  the first one's rows: the case in which a cycle of waits (a deadlock) would show.

A writer returns a short label of what happened (or raises: the exception is its
result). Only PostgreSQL has row locks worth racing, so the tests using this are marked
`postgres`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from django.db import connection, connections

from audit.events import CHAIN_LOCK_KEY

HOLD_INTAKE = "SELECT 1 FROM intake_intake WHERE id = %s FOR UPDATE"
HOLD_RESIDENT = "SELECT 1 FROM intake_resident WHERE id = %s FOR UPDATE"
HOLD_CHAIN = "SELECT pg_advisory_xact_lock(%s)"
WAIT_SECONDS = 20


def chain_hold() -> tuple[str, Sequence[Any]]:
    return HOLD_CHAIN, [CHAIN_LOCK_KEY]


def intake_hold(intake_id: int) -> tuple[str, Sequence[Any]]:
    return HOLD_INTAKE, [intake_id]


def resident_hold(resident_id: int) -> tuple[str, Sequence[Any]]:
    return HOLD_RESIDENT, [resident_id]


def conninfo() -> str:
    s = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=s["NAME"],
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
    )


def race(
    writers: Sequence[Callable[[], object]],
    *,
    hold: tuple[str, Sequence[Any]],
    staggered: bool = False,
) -> list[object]:
    """Run `writers` at once against the held lock; each one's return value or exception.

    `staggered`: start each writer only once the ones before it wait (or are done), so
    they reach the lock in the order given: the first holds its rows, the next runs into
    them."""
    results: list[object] = [None] * len(writers)
    pids: list[int] = [0] * len(writers)
    done = [False] * len(writers)
    connected = threading.Barrier(len(writers) + 1, timeout=WAIT_SECONDS)
    go = [threading.Event() for _ in writers]

    def run(i: int) -> None:
        try:
            connection.ensure_connection()
            pids[i] = connection.connection.info.backend_pid
            connected.wait()
            go[i].wait(WAIT_SECONDS)
            results[i] = writers[i]()
        except BaseException as exc:  # noqa: BLE001 - the exception is the writer's result
            results[i] = exc
        finally:
            done[i] = True
            connections.close_all()

    with psycopg.connect(conninfo()) as holder:
        sql, params = hold
        holder.execute(sql, params)
        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(writers))]
        for thread in threads:
            thread.start()
        connected.wait()
        waves = [[i] for i in range(len(writers))] if staggered else [list(range(len(writers)))]
        started: list[int] = []
        for wave in waves:
            for i in wave:
                go[i].set()
            started += wave
            _wait_until_all_blocked_or_done(holder, pids, done, started)
        holder.rollback()  # lets go
    for thread in threads:
        thread.join(timeout=WAIT_SECONDS)
        assert not thread.is_alive(), "a writer still runs: a lock nobody releases"
    return results


def _wait_until_all_blocked_or_done(
    holder: psycopg.Connection[Any], pids: list[int], done: list[bool], started: list[int]
) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        blocked = {
            pid
            for (pid,) in holder.execute(
                "SELECT pid FROM unnest(%s::int[]) AS pid"
                " WHERE cardinality(pg_blocking_pids(pid)) > 0",
                [[pids[i] for i in started]],
            )
        }
        if all(done[i] or pids[i] in blocked for i in started):
            return
        time.sleep(0.02)
    raise AssertionError("the writers never all waited at the held lock")
