"""Sealed model fields: the attribute holds the plaintext, the column only ciphertext.

`SealedCharField`, `SealedTextField`, `SealedEmailField`, `SealedDateField` and
`SealedSmallIntegerField` behave like their Django parents in Python (forms, validators,
choices, `get_FOO_display()`), but store an AES-256-GCM envelope (vault/cipher.py) under a
data key of its own in a binary column. Reading decrypts on first access; the data keys of
a whole result set come with one query (`SealedQuerySet`). Writing seals in `pre_save()`:
every new value gets a new key and the replaced value's key is deleted in the same
transaction (`SealedModel.save()`). An empty value (None, "", the field's default) is
stored as NULL and has no key.

The column refuses plaintext: `update(name="x")` or `bulk_update()` with a value raise
`PlaintextRefused` (blanking with an empty value is allowed), and no lookup but `isnull`
exists on a sealed field (search goes through the blind index, vault/blind.py). A value
whose key is gone reads as empty and is listed by `unreadable_fields()`; it never raises.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models.query_utils import DeferredAttribute

from vault import cipher, keys
from vault.cipher import Binding, Unreadable

logger = logging.getLogger(__name__)

_raw_access: contextvars.ContextVar[bool] = contextvars.ContextVar("vault_raw", default=False)


class PlaintextRefused(ValueError):  # noqa: N818 - reads as the outcome
    """A plaintext value was about to be written to a sealed column without its key."""


class SealedValue:
    """A stored envelope, opened at most once."""

    __slots__ = ("_plain", "batch", "key_id", "raw")

    def __init__(self, raw: bytes, batch: keys.KeyBatch | None = None) -> None:
        self.raw = raw
        self.key_id = cipher.key_id_of(raw)
        self.batch = batch
        self._plain: bytes | None = None

    def open(self, binding: Binding) -> bytes:
        if self._plain is None:
            if self.key_id is None:
                self._plain = cipher.open_identity(self.raw)
            else:
                batch = self.batch or keys.KeyBatch({self.key_id})
                key = batch.key(self.key_id)
                self._plain = cipher.open_sealed(self.raw, key=key, binding=binding)
        return self._plain

    def __repr__(self) -> str:  # never the value
        return f"<SealedValue key {self.key_id}>"

    def __eq__(self, other: object) -> bool:  # the same stored envelope
        return isinstance(other, SealedValue) and other.raw == self.raw

    def __hash__(self) -> int:
        return hash(self.raw)


@contextlib.contextmanager
def raw_access() -> Iterator[None]:
    """Attribute reads return the stored SealedValue instead of the plaintext."""
    token = _raw_access.set(True)
    try:
        yield
    finally:
        _raw_access.reset(token)


def _stored(instance: models.Model) -> dict[str, SealedValue | None]:
    stored: dict[str, SealedValue | None] = instance.__dict__.setdefault("_vault_stored", {})
    return stored


class SealedAttribute(DeferredAttribute):
    """A data descriptor: every read goes through it, so a SealedValue is never seen."""

    field: SealedMixin

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        name = self.field.attname
        if name not in instance.__dict__:
            super().__get__(instance, cls)  # a deferred field: loads it
        value = instance.__dict__[name]
        if isinstance(value, SealedValue) and not _raw_access.get():
            return self.field.open_value(instance, value)
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        name = self.field.attname
        if isinstance(value, SealedValue):
            instance.__dict__[name] = value
            _stored(instance)[name] = value
            return
        current = instance.__dict__.get(name)
        if (
            isinstance(current, SealedValue)
            and self.field.open_value(instance, current) == value
            and self.field.name not in unreadable_fields(instance)
        ):
            return  # the same value again: keep its envelope and its key
        instance.__dict__[name] = value


def unreadable_fields(instance: models.Model) -> set[str]:
    """Fields of this instance whose stored value could not be read (key destroyed)."""
    found: set[str] = instance.__dict__.setdefault("_vault_unreadable", set())
    return found


def identity_cipher() -> bool:
    # Both: the benchmark's settings set them together, and checks.py refuses the first
    # without the second.
    return bool(
        getattr(settings, "VAULT_IDENTITY_CIPHER", False)
        and getattr(settings, "BENCH_SETTINGS", False)
    )


class SealedMixin(models.Field):  # type: ignore[type-arg]
    descriptor_class = SealedAttribute

    def db_type(self, connection: Any) -> str:
        return "bytea" if connection.vendor == "postgresql" else "blob"

    def get_internal_type(self) -> str:
        # What the backends see: bytes (no date or number converters on ciphertext).
        return "BinaryField"

    def db_check(self, connection: Any) -> None:
        return None  # no range check can hold on ciphertext

    def cast_db_type(self, connection: Any) -> str:
        return self.db_type(connection)

    def get_lookup(self, lookup_name: str) -> Any:
        # No lookup on ciphertext makes sense; search goes through the blind index.
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, name: str) -> Any:
        return None

    # -- plaintext <-> bytes ------------------------------------------------------------

    def to_bytes(self, value: Any) -> bytes:
        return str(value).encode()

    def from_bytes(self, data: bytes) -> Any:
        return self.to_python(data.decode())

    def empty_value(self) -> Any:
        return self.get_default() if self.has_default() else (None if self.null else "")

    def is_empty(self, value: Any) -> bool:
        return value is None or value == "" or (self.has_default() and value == self.get_default())

    # -- reading ------------------------------------------------------------------------

    def binding(self, instance: Any) -> Binding:
        return Binding(instance._meta.db_table, instance.vault_row_id(), self.name)

    def open_value(self, instance: Any, value: SealedValue) -> Any:
        try:
            return self.from_bytes(value.open(self.binding(instance)))
        except Unreadable as exc:
            unreadable_fields(instance).add(self.name)
            # The reason and where, never the value (there is none to give).
            logger.warning(
                "%s.%s of %s unreadable: %s",
                instance._meta.db_table,
                self.name,
                instance.pk,
                type(exc).__name__,
            )
            return self.empty_value()

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or len(value) == 0:
            return self.empty_value()
        if isinstance(value, str):  # SQLite, a value from before encryption
            return self.to_python(value)
        raw = bytes(value)
        if cipher.is_envelope(raw):
            return SealedValue(raw)
        return self.from_bytes(raw)  # a plaintext value from before encryption

    # -- writing ------------------------------------------------------------------------

    def seal(self, instance: Any, value: Any) -> SealedValue:
        if identity_cipher():
            return SealedValue(cipher.identity(self.to_bytes(value)))
        key_id, key = keys.new_key()
        raw = cipher.seal(
            self.to_bytes(value), key=key, key_id=key_id, binding=self.binding(instance)
        )
        sealed = SealedValue(raw)
        sealed._plain = self.to_bytes(value)
        return sealed

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        name = self.attname
        value = model_instance.__dict__.get(name)
        if isinstance(value, SealedValue):
            return value
        stored = _stored(model_instance)
        old = stored.get(name)
        if old is not None:
            keys.forget(old.key_id)
            stored[name] = None
        if self.is_empty(value):
            return self.empty_value()
        sealed = self.seal(model_instance, value)
        model_instance.__dict__[name] = sealed
        stored[name] = sealed
        return sealed

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if isinstance(value, SealedValue):
            return value.raw
        if self.is_empty(value):
            return None if self.null else b""
        raise PlaintextRefused(
            f"{self.model._meta.db_table}.{self.name}: a value is written only through "
            "save() or create(), which seal it"
        )

    def value_to_string(self, obj: Any) -> str:
        return ""  # a serialisation (dumpdata) never carries the plaintext


class SealedCharField(SealedMixin, models.CharField):  # type: ignore[type-arg]
    pass


class SealedTextField(SealedMixin, models.TextField):  # type: ignore[type-arg]
    pass


class SealedEmailField(SealedMixin, models.EmailField):  # type: ignore[type-arg]
    pass


class SealedDateField(SealedMixin, models.DateField):  # type: ignore[type-arg]
    def to_bytes(self, value: Any) -> bytes:
        return value.isoformat().encode() if isinstance(value, dt.date) else str(value).encode()

    def from_bytes(self, data: bytes) -> Any:
        return dt.date.fromisoformat(data.decode())


class SealedSmallIntegerField(SealedMixin, models.PositiveSmallIntegerField):  # type: ignore[type-arg]
    # The backend's integer range does not apply to a binary column; choices bound it.
    validators = models.Field.validators

    def from_bytes(self, data: bytes) -> Any:
        return int(data.decode())


def sealed_fields(model: type[models.Model]) -> list[SealedMixin]:
    return [f for f in model._meta.concrete_fields if isinstance(f, SealedMixin)]


def attach_batch(instances: Iterable[models.Model]) -> None:
    """Give every SealedValue of these instances (and of the related objects loaded with
    them) one KeyBatch: their keys then come with one query."""
    values: list[SealedValue] = []
    seen: set[int] = set()

    def collect(obj: models.Model) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        for value in obj.__dict__.values():
            if isinstance(value, SealedValue) and value.key_id is not None:
                values.append(value)
        for related in obj._state.fields_cache.values():
            if isinstance(related, models.Model):
                collect(related)

    for instance in instances:
        if isinstance(instance, models.Model):
            collect(instance)
    if values:
        batch = keys.KeyBatch({v.key_id for v in values if v.key_id is not None})
        for value in values:
            value.batch = batch


_M = TypeVar("_M", bound=models.Model)


class SealedQuerySet(models.QuerySet[_M]):
    """Batches the key fetch of each result set; writes through bulk_create store their
    keys in the same transaction."""

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._result_cache:
            attach_batch(self._result_cache)

    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        with transaction.atomic(using=self.db):
            keys.writer_lock()
            try:
                created = super().bulk_create(objs, *args, **kwargs)
                keys.flush()
            except BaseException:
                keys.discard_pending()
                raise
        return created


class SealedModel(models.Model):
    """A model with sealed fields. `vault_row_id()` names the row in the associated data:
    a natural key that is known before the row is inserted and never changes."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic(using=kwargs.get("using")):
            keys.writer_lock()
            try:
                super().save(*args, **kwargs)
                keys.flush()
            except BaseException:
                keys.discard_pending()
                raise

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        # Copy the envelopes, not the plaintext, so the instance knows the stored keys.
        self.__dict__.pop("_vault_unreadable", None)
        with raw_access():
            super().refresh_from_db(*args, **kwargs)

    def vault_row_id(self) -> str:
        raise NotImplementedError

    def unreadable_fields(self) -> set[str]:
        return unreadable_fields(self)

    def plaintext_fields(self) -> list[str]:
        """Sealed fields holding a value that is not stored encrypted yet."""
        return [
            f.attname
            for f in sealed_fields(type(self))
            if f.attname in self.__dict__
            and not isinstance(self.__dict__[f.attname], SealedValue)
            and not f.is_empty(self.__dict__[f.attname])
        ]

    def stored_key_ids(self) -> list[int]:
        """The data keys of this instance's stored values."""
        return [v.key_id for v in _stored(self).values() if v is not None and v.key_id is not None]


def key_ids_of(queryset: models.QuerySet[Any], fields: Iterable[str] | None = None) -> list[int]:
    """The data keys of the stored values of these rows (one query, nothing decrypted)."""
    names = list(fields) if fields is not None else [f.name for f in sealed_fields(queryset.model)]
    if not names:
        return []
    found = []
    for row in queryset.order_by().values_list(*names):
        for value in row:
            if isinstance(value, SealedValue) and value.key_id is not None:
                found.append(value.key_id)
    return found


def destroy_keys_of(queryset: models.QuerySet[Any], fields: Iterable[str] | None = None) -> int:
    """Destroy the data keys of these rows' stored values (all sealed fields, or `fields`):
    call it in the transaction that deletes or blanks them."""
    return keys.destroy(key_ids_of(queryset, fields))


def referenced_key_ids() -> list[int]:
    """Every data key a stored value names, in every sealed column of every model: the
    keys that must exist (a DataKey outside this list is an orphan: a leak)."""
    from django.apps import apps  # noqa: PLC0415

    found: list[int] = []
    for model in apps.get_models():
        if sealed_fields(model):
            found += key_ids_of(model._base_manager.all())
    return found
