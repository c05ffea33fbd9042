"""Key rotation: a new key-encryption key, every live data key re-wrapped under it, the
old KEK destroyed in the provider.

After a rotation, every copy of a destroyed data key (a dead tuple, the WAL, a replica, a
backup) is wrapped under a KEK that no longer exists: unreadable wherever it survives.

- Resumable: each DataKey row names its KEK. A run re-wraps, batch by batch (one
  transaction each), the rows that are not under the newest KEK; killed halfway, the next
  run finds rows under the old KEK and finishes that rotation instead of starting another.
- Several hosts at once (PostgreSQL): a session advisory lock; a second run that finds it
  taken does nothing and says so, so two rotations at once give one result.
- No key is lost to a writer: writers hold the shared side of KEK_LOCK while they wrap
  (vault/keys.py); the last step takes it exclusively, re-wraps what was written under the
  old KEK meanwhile, and only then destroys the old KEKs no row uses.
- With `search_key=True` the search key rotates too: a new one, every blind-index digest
  recomputed (the reindexers the apps register), the old one destroyed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction

from vault import keys
from vault.cipher import Unreadable
from vault.models import DataKey
from vault.providers import provider

ROTATE_LOCK = 0x7A726D726F74  # "zrmrot"

# Callables that recompute every blind-index digest under the newest search key, batch by
# batch; registered by the apps that keep a blind index (intake.apps).
REINDEXERS: list[Callable[[int], int]] = []


@dataclass
class RotationResult:
    ran: bool = True
    target_kek: str = ""
    rewrapped: int = 0
    unreadable_deleted: int = 0
    keks_destroyed: list[str] = field(default_factory=list)
    search_keys_destroyed: list[str] = field(default_factory=list)
    reindexed: int = 0
    resumed: bool = False


@contextlib.contextmanager
def _only_one_rotation() -> Iterator[bool]:
    if connection.vendor != "postgresql":
        yield True  # SQLite: one host, one writer at a time
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ROTATE_LOCK])
        got = bool(cursor.fetchone()[0])
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ROTATE_LOCK])


def _rewrap_batch(target: str, batch_size: int, result: RotationResult) -> int:
    """Re-wrap up to `batch_size` rows not under `target`, in the caller's transaction."""
    rows = list(
        DataKey.objects.select_for_update(skip_locked=True)
        .exclude(kek=target)
        .order_by("id")[:batch_size]
    )
    if not rows:
        return 0
    wrapper = provider()
    lost = []
    for row in rows:
        try:
            key = keys.unwrap(row)
        except Unreadable:
            lost.append(row.id)  # under a KEK already gone: nothing left to save
            continue
        row.kek, row.wrapped = target, wrapper.wrap(target, key, keys.wrap_aad(row.id))
    _store_rewrapped([r for r in rows if r.id not in lost], target)
    if lost:
        result.unreadable_deleted += keys.destroy(lost)
    result.rewrapped += len(rows) - len(lost)
    return len(rows)


def _store_rewrapped(rows: list[DataKey], target: str) -> None:
    """One UPDATE for the batch. Not bulk_update(): its CASE WHEN per row made PostgreSQL
    compare every row with every id of the batch (make bench: ~300 keys/s at 5,000 a batch)."""
    if not rows:
        return
    table = connection.ops.quote_name(DataKey._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS d SET kek = %s, wrapped = v.wrapped "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::bytea[]) AS v(id, wrapped) WHERE d.id = v.id",
                [target, [r.id for r in rows], [bytes(r.wrapped) for r in rows]],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET kek = %s, wrapped = %s WHERE id = %s",  # noqa: S608
                [(target, bytes(r.wrapped), r.id) for r in rows],
            )


def rotate(
    *,
    batch_size: int = 1000,
    search_key: bool = False,
    after_batch: Callable[[int], None] | None = None,
) -> RotationResult:
    """One rotation (or the rest of an interrupted one). `after_batch(n)` is called after
    each committed batch (progress output; tests inject a crash there)."""
    with _only_one_rotation() as ours:
        if not ours:
            return RotationResult(ran=False)
        wrapper = provider()
        wrapper.refresh()
        result = RotationResult()
        keks = wrapper.kek_ids()
        newest = keks[-1] if keks else wrapper.create_kek()
        behind = DataKey.objects.exclude(kek=newest).exists()
        if behind:
            result.resumed, result.target_kek = True, newest  # finish the one that stopped
        else:
            result.target_kek = wrapper.create_kek()
        batches = 0
        while True:
            with transaction.atomic():
                done = _rewrap_batch(result.target_kek, batch_size, result)
            if not done:
                break
            batches += 1
            if after_batch is not None:
                after_batch(batches)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [keys.KEK_LOCK])
            while _rewrap_batch(result.target_kek, batch_size, result):
                pass
            in_use = set(DataKey.objects.values_list("kek", flat=True).distinct())
            for kek in wrapper.kek_ids():
                if kek != result.target_kek and kek not in in_use:
                    wrapper.destroy_kek(kek)
                    result.keks_destroyed.append(kek)
        if search_key:
            _rotate_search_key(result, batch_size)
        return result


def _rotate_search_key(result: RotationResult, batch_size: int) -> None:
    wrapper = provider()
    old = wrapper.search_key_ids()
    wrapper.create_search_key()
    for reindex in REINDEXERS:
        result.reindexed += reindex(batch_size)
    for key_id in old:
        wrapper.destroy_search_key(key_id)
        result.search_keys_destroyed.append(key_id)
