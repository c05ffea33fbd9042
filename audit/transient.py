"""Transient database errors, and running a unit of work again when one occurs.

A deadlock, a serialisation failure, a lock timeout, a server restart or a dropped
connection says nothing about the data: the same transaction, run again a moment later,
normally succeeds. Scheduled commands (the sweep's batches, pruning, verification,
export) wrap each transaction they own in `retrying()`, so a passing fault costs a
retry and a log line instead of a failed cron job. Here, in the bottom layer, because
every layer's commands need it; it knows nothing of what the work does.

Only the error's class and SQLSTATE are logged, never its message: PostgreSQL's
message for a failed statement can quote the row it failed on.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)

T = TypeVar("T")

# serialization_failure, deadlock_detected, lock_not_available, admin/crash shutdown,
# cannot_connect_now, too_many_connections; and class 08 (connection exceptions).
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57P01", "57P02", "57P03", "53300"})
ATTEMPTS = 4
FIRST_WAIT_SECONDS = 0.2


def sqlstate_of(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error (psycopg keeps it on the cause Django wraps)."""
    for err in (exc, exc.__cause__):
        state = getattr(err, "sqlstate", None)
        if isinstance(state, str):
            return state
    return None


def is_transient(exc: BaseException) -> bool:
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    state = sqlstate_of(exc)
    if state is None:
        cause = exc.__cause__
        if isinstance(cause, sqlite3.Error):  # only a busy file passes; a bad query stays
            return "locked" in str(cause) or "busy" in str(cause)
        # No SQLSTATE from PostgreSQL: the connection itself failed (server gone, network).
        return True
    return state in TRANSIENT_SQLSTATES or state.startswith("08")


def retrying(
    work: Callable[[], T],
    *,
    what: str,
    attempts: int = ATTEMPTS,
    first_wait: float = FIRST_WAIT_SECONDS,
) -> T:
    """`work()`, run again (up to `attempts` times in all, waiting longer each time) while
    it fails with a transient database error. `work` owns its transaction: inside an
    outer one a retry could not undo what went before, so there the error is raised."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except (OperationalError, InterfaceError) as exc:
            if attempt == attempts or connection.in_atomic_block or not is_transient(exc):
                raise
            wait = first_wait * 2 ** (attempt - 1) * (1 + random.random())  # noqa: S311
            logger.warning(
                "%s: transient database error %s (SQLSTATE %s), attempt %d of %d; again in %.1f s",
                what,
                type(exc.__cause__ or exc).__name__,
                sqlstate_of(exc) or "-",
                attempt,
                attempts,
                wait,
            )
            connection.close_if_unusable_or_obsolete()  # a lost connection opens anew
            time.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


# Exit codes every scheduled command shares (README, "Bedrijfsvoering").
EXIT_DATABASE_UNAVAILABLE = 3


def scheduled(work: Callable[[], T], *, what: str) -> T:
    """A scheduled command's whole run: `work()` retried over transient database errors
    (it must be idempotent: run again, it finishes what the failed run left). Still
    failing after the last attempt, or failing with any other database error, it ends
    the command with one line on stderr and exit code 3, no traceback in the cron mail."""
    from django.core.management.base import CommandError
    from django.db import DatabaseError

    try:
        return retrying(work, what=what)
    except DatabaseError as exc:
        raise CommandError(
            f"{what}: database error {type(exc.__cause__ or exc).__name__} "
            f"(SQLSTATE {sqlstate_of(exc) or '-'}); nothing more was done, run it again.",
            returncode=EXIT_DATABASE_UNAVAILABLE,
        ) from None
