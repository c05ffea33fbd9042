"""Data keys: made, stored, unwrapped in batches and destroyed.

A new key is made in Python (32 random bytes, a random 63-bit id), wrapped by the
provider's current KEK, and kept pending until the write that uses it flushes the pending
keys with one INSERT (`SealedModel.save()`, `SealedQuerySet.bulk_create()`), inside the same
transaction as the row; keys of replaced values are deleted by the same flush. Reading
fetches the wrapped keys of a whole result set with one query (`KeyBatch`).

On PostgreSQL every write that wraps keys first takes a shared transaction-level advisory
lock; a rotation takes it exclusively before it destroys an old KEK, so no key wrapped
under that KEK can commit after the rotation looked for the last ones.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connection

from vault.cipher import KeyDestroyed, Unreadable
from vault.models import DataKey
from vault.providers import provider

# pg_advisory_xact_lock_shared(KEK_LOCK) by writers, exclusive by rotate_keys' last step.
KEK_LOCK = 0x7A726D6B656B  # "zrmkek"


def wrap_aad(key_id: int) -> bytes:
    return f"zrm-datakey\x1f{key_id}".encode()


@dataclass
class _Pending:
    new: list[DataKey] = field(default_factory=list)
    doomed: set[int] = field(default_factory=set)


_local = threading.local()


def _pending() -> _Pending:
    pending: _Pending | None = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = _Pending()
    return pending


def writer_lock() -> None:
    """The shared side of the rotation lock, until the transaction ends (PostgreSQL)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [KEK_LOCK])


def wrap_new(key: bytes, key_id: int) -> DataKey:
    """The key wrapped under the current KEK; once more with a fresh list of KEKs when the
    one this process knew as current was destroyed meanwhile (a rotation elsewhere)."""
    keys = provider()
    for attempt in (1, 2):
        kek = keys.current_kek()
        try:
            return DataKey(id=key_id, kek=kek, wrapped=keys.wrap(kek, key, wrap_aad(key_id)))
        except KeyDestroyed:
            if attempt == 2:
                raise
            keys.refresh()
    raise AssertionError("unreachable")


def new_key() -> tuple[int, bytes]:
    """A fresh data key and its id; stored by the next flush()."""
    key = AESGCM.generate_key(bit_length=256)
    key_id = secrets.randbits(63) or 1
    _pending().new.append(wrap_new(key, key_id))
    return key_id, key


def forget(key_id: int | None) -> None:
    """Delete this key with the next flush() (its value was replaced or blanked)."""
    if key_id is not None:
        _pending().doomed.add(key_id)


def flush() -> None:
    pending = _pending()
    if pending.new:
        DataKey.objects.bulk_create(pending.new)
    if pending.doomed:
        destroy(pending.doomed)
    _local.pending = _Pending()


def discard_pending() -> None:
    _local.pending = _Pending()


def destroy(key_ids: Iterable[int | None]) -> int:
    """Delete these data keys now: their values can never be read again."""
    ids = sorted({k for k in key_ids if k is not None})
    deleted = 0
    for start in range(0, len(ids), 5000):
        deleted += DataKey.objects.filter(id__in=ids[start : start + 5000]).delete()[0]
    return deleted


def unwrap(row: DataKey) -> bytes:
    return provider().unwrap(row.kek, bytes(row.wrapped), wrap_aad(row.id))


class KeyBatch:
    """The data keys of one result set: fetched with one query on first use, each
    unwrapped when first needed."""

    def __init__(self, key_ids: set[int]) -> None:
        self.key_ids = key_ids
        self._rows: dict[int, DataKey] | None = None
        self._keys: dict[int, bytes] = {}

    def key(self, key_id: int) -> bytes:
        found = self._keys.get(key_id)
        if found is not None:
            return found
        if self._rows is None:
            self._rows = DataKey.objects.in_bulk(sorted(self.key_ids | {key_id}))
        row = self._rows.get(key_id)
        if row is None:
            row = DataKey.objects.filter(id=key_id).first()
        if row is None:
            raise KeyDestroyed(f"data key {key_id} was destroyed")
        key = unwrap(row)
        self._keys[key_id] = key
        return key


def single_key(key_id: int) -> bytes:
    return KeyBatch({key_id}).key(key_id)


__all__ = [
    "KEK_LOCK",
    "KeyBatch",
    "Unreadable",
    "destroy",
    "discard_pending",
    "flush",
    "forget",
    "new_key",
    "single_key",
    "unwrap",
    "wrap_aad",
    "writer_lock",
]
