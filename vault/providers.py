"""Key providers: where the key-encryption keys (KEKs) and the search keys live.

One small interface, two implementations:
- `Pkcs11Provider`: a PKCS#11 token through python-pkcs11. SoftHSM2 in development, tests
  and CI; the municipality's HSM in production, through the same code. The keys are
  generated in the token, marked sensitive and not extractable: they never leave it, and
  wrapping (AES-256-GCM) and the blind index's HMAC-SHA256 happen inside it.
- `KeyFileProvider`: the same operations over keys in a JSON file outside the database,
  for `make run` on a machine without SoftHSM. Production refuses it (vault/checks.py).

Key ids are labels that sort by creation time (`zrm-kek-20261201T121500123456-1a2b`), so the
newest KEK is the one new data keys are wrapped under, and the newest search key the one the
blind index is written under.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from vault.cipher import NONCE_BYTES, KeyDestroyed, Tampered

KEK_PREFIX = "zrm-kek-"
SEARCH_PREFIX = "zrm-search-"


def new_label(prefix: str) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{prefix}{now}-{secrets.token_hex(2)}"


class ProviderError(Exception):
    """The key provider cannot be used (not configured, token missing, wrong PIN)."""


class KeyProvider(ABC):
    """Wraps data keys and computes the blind index; creates and destroys its own keys."""

    name: str

    @abstractmethod
    def kek_ids(self) -> list[str]:
        """Every KEK the provider holds, oldest first."""

    @abstractmethod
    def create_kek(self) -> str: ...

    @abstractmethod
    def destroy_kek(self, kek_id: str) -> None: ...

    @abstractmethod
    def wrap(self, kek_id: str, key: bytes, aad: bytes) -> bytes: ...

    @abstractmethod
    def unwrap(self, kek_id: str, wrapped: bytes, aad: bytes) -> bytes:
        """The data key; KeyDestroyed when the KEK is gone, Tampered when it does not
        authenticate."""

    @abstractmethod
    def search_key_ids(self) -> list[str]: ...

    @abstractmethod
    def create_search_key(self) -> str: ...

    @abstractmethod
    def destroy_search_key(self, key_id: str) -> None: ...

    @abstractmethod
    def hmac(self, key_id: str, data: bytes) -> bytes: ...

    def refresh(self) -> None:  # noqa: B027 - a provider without a cache has nothing to do
        """Forget what this process cached about which keys exist."""

    def current_kek(self) -> str:
        ids = self.kek_ids()
        return ids[-1] if ids else self.create_kek()

    def current_search_keys(self) -> list[str]:
        ids = self.search_key_ids()
        return ids or [self.create_search_key()]


# ---- Key file ---------------------------------------------------------------------------


class KeyFileProvider(KeyProvider):
    """Keys in a JSON file (mode 0600) outside the database; created when missing."""

    name = "keyfile"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: tuple[float, dict[str, Any]] | None = None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = self.path.with_suffix(".lock")
        with open(lock, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            data = self._read(fresh=True)
            yield data
            tmp = self.path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                json.dump(data, out, indent=1, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
            self._cache = None

    def _read(self, *, fresh: bool = False) -> dict[str, Any]:
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            return {"format": "zrm-keys/1", "keks": {}, "search_keys": {}}
        if not fresh and self._cache is not None and self._cache[0] == mtime:
            return self._cache[1]
        data: dict[str, Any] = json.loads(self.path.read_text())
        self._cache = (mtime, data)
        return data

    def _key(self, kind: str, key_id: str) -> bytes:
        value = self._read()[kind].get(key_id)
        if value is None:
            raise KeyDestroyed(f"{key_id} does not exist")
        return base64.b64decode(value)

    def _create(self, kind: str, prefix: str) -> str:
        with self._locked() as data:
            label = new_label(prefix)
            data[kind][label] = base64.b64encode(secrets.token_bytes(32)).decode()
        return label

    def _destroy(self, kind: str, key_id: str) -> None:
        with self._locked() as data:
            data[kind].pop(key_id, None)

    def kek_ids(self) -> list[str]:
        return sorted(self._read()["keks"])

    def create_kek(self) -> str:
        return self._create("keks", KEK_PREFIX)

    def destroy_kek(self, kek_id: str) -> None:
        self._destroy("keks", kek_id)

    def wrap(self, kek_id: str, key: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(self._key("keks", kek_id)).encrypt(nonce, key, aad)

    def unwrap(self, kek_id: str, wrapped: bytes, aad: bytes) -> bytes:
        kek = self._key("keks", kek_id)
        try:
            return AESGCM(kek).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], aad)
        except InvalidTag:
            raise Tampered("wrapped data key does not authenticate") from None

    def search_key_ids(self) -> list[str]:
        return sorted(self._read()["search_keys"])

    def create_search_key(self) -> str:
        return self._create("search_keys", SEARCH_PREFIX)

    def destroy_search_key(self, key_id: str) -> None:
        self._destroy("search_keys", key_id)

    def hmac(self, key_id: str, data: bytes) -> bytes:
        return hmac.new(self._key("search_keys", key_id), data, hashlib.sha256).digest()

    def refresh(self) -> None:
        self._cache = None


# ---- PKCS#11 ----------------------------------------------------------------------------


class Pkcs11Provider(KeyProvider):
    """Keys in a PKCS#11 token. One session per process (a forked worker opens its own),
    one operation at a time on it; key handles cached per label, the label lists for a
    few seconds (a rotation elsewhere is noticed at the latest then, or at the first
    failed use of a destroyed key)."""

    name = "pkcs11"
    LIST_TTL = 5.0

    def __init__(self, module: str, token_label: str, pin: str) -> None:
        self.module, self.token_label, self.pin = module, token_label, pin
        self._lock = threading.RLock()
        self._pid = 0
        self._session: Any = None
        self._handles: dict[str, Any] = {}
        self._lists: dict[str, tuple[float, list[str]]] = {}

    def _open(self) -> Any:
        if self._session is not None and self._pid == os.getpid():
            return self._session
        import pkcs11  # noqa: PLC0415 - loaded only when this provider is used
        from pkcs11.exceptions import UserAlreadyLoggedIn  # noqa: PLC0415

        try:
            lib = pkcs11.lib(self.module)
            token = lib.get_token(token_label=self.token_label)
            try:
                self._session = token.open(user_pin=self.pin, rw=True)
            except UserAlreadyLoggedIn:  # PKCS#11 logs in per process: a second session
                self._session = token.open(rw=True)
        except Exception as exc:  # noqa: BLE001 - every library error means "unusable"
            raise ProviderError(
                f"PKCS#11 token {self.token_label!r} via {self.module} cannot be opened: "
                f"{type(exc).__name__}"
            ) from None
        self._pid, self._handles, self._lists = os.getpid(), {}, {}
        return self._session

    def _find(self, label: str) -> Any:
        from pkcs11 import Attribute, ObjectClass  # noqa: PLC0415

        handle = self._handles.get(label)
        if handle is not None:
            return handle
        found = list(
            self._open().get_objects(
                {Attribute.CLASS: ObjectClass.SECRET_KEY, Attribute.LABEL: label}
            )
        )
        if not found:
            raise KeyDestroyed(f"{label} does not exist in the token")
        self._handles[label] = found[0]
        return found[0]

    def _use(self, label: str, operation: Any) -> Any:
        """operation(key handle), once more with a fresh handle when the cached one went
        stale (the key was destroyed by another process: then KeyDestroyed)."""
        from pkcs11.exceptions import KeyHandleInvalid, ObjectHandleInvalid  # noqa: PLC0415

        with self._lock:
            try:
                return operation(self._find(label))
            except (ObjectHandleInvalid, KeyHandleInvalid):
                self._handles.pop(label, None)
                self._lists = {}
                return operation(self._find(label))

    def _labels(self, prefix: str) -> list[str]:
        from pkcs11 import Attribute, ObjectClass  # noqa: PLC0415

        with self._lock:
            session = self._open()
            cached = self._lists.get(prefix)
            if cached is not None and time.monotonic() - cached[0] < self.LIST_TTL:
                return cached[1]
            labels = sorted(
                {
                    str(o.label)
                    for o in session.get_objects({Attribute.CLASS: ObjectClass.SECRET_KEY})
                    if str(o.label).startswith(prefix)
                }
            )
            self._lists[prefix] = (time.monotonic(), labels)
            return labels

    def _generate(self, prefix: str, *, hmac_key: bool) -> str:
        from pkcs11 import Attribute, KeyType, Mechanism  # noqa: PLC0415

        label = new_label(prefix)
        template = {
            Attribute.EXTRACTABLE: False,
            Attribute.SENSITIVE: True,
            Attribute.TOKEN: True,
            Attribute.PRIVATE: True,
        }
        with self._lock:
            session = self._open()
            if hmac_key:
                session.generate_key(
                    KeyType.GENERIC_SECRET,
                    256,
                    label=label,
                    store=True,
                    mechanism=Mechanism.GENERIC_SECRET_KEY_GEN,
                    template={**template, Attribute.SIGN: True, Attribute.VERIFY: True},
                )
            else:
                session.generate_key(KeyType.AES, 256, label=label, store=True, template=template)
            self._lists.pop(prefix, None)
        return label

    def _destroy(self, prefix: str, label: str) -> None:
        with self._lock:
            try:
                handle = self._find(label)
            except KeyDestroyed:
                return
            handle.destroy()
            self._handles.pop(label, None)
            self._lists.pop(prefix, None)

    def kek_ids(self) -> list[str]:
        return self._labels(KEK_PREFIX)

    def create_kek(self) -> str:
        return self._generate(KEK_PREFIX, hmac_key=False)

    def destroy_kek(self, kek_id: str) -> None:
        self._destroy(KEK_PREFIX, kek_id)

    def wrap(self, kek_id: str, key: bytes, aad: bytes) -> bytes:
        from pkcs11 import Mechanism  # noqa: PLC0415
        from pkcs11.mechanisms import GCMParams  # noqa: PLC0415

        nonce = os.urandom(NONCE_BYTES)
        body = self._use(
            kek_id,
            lambda kek: kek.encrypt(
                key, mechanism=Mechanism.AES_GCM, mechanism_param=GCMParams(nonce, aad, 128)
            ),
        )
        return nonce + bytes(body)

    def unwrap(self, kek_id: str, wrapped: bytes, aad: bytes) -> bytes:
        from pkcs11 import Mechanism  # noqa: PLC0415
        from pkcs11.exceptions import EncryptedDataInvalid, GeneralError  # noqa: PLC0415
        from pkcs11.mechanisms import GCMParams  # noqa: PLC0415

        def decrypt(kek: Any) -> Any:
            try:
                return kek.decrypt(
                    wrapped[NONCE_BYTES:],
                    mechanism=Mechanism.AES_GCM,
                    mechanism_param=GCMParams(wrapped[:NONCE_BYTES], aad, 128),
                )
            except (GeneralError, EncryptedDataInvalid):  # SoftHSM2: a failed GCM tag
                raise Tampered("wrapped data key does not authenticate") from None

        return bytes(self._use(kek_id, decrypt))

    def search_key_ids(self) -> list[str]:
        return self._labels(SEARCH_PREFIX)

    def create_search_key(self) -> str:
        return self._generate(SEARCH_PREFIX, hmac_key=True)

    def destroy_search_key(self, key_id: str) -> None:
        self._destroy(SEARCH_PREFIX, key_id)

    def hmac(self, key_id: str, data: bytes) -> bytes:
        from pkcs11 import Mechanism  # noqa: PLC0415

        return bytes(self._use(key_id, lambda key: key.sign(data, mechanism=Mechanism.SHA256_HMAC)))

    def refresh(self) -> None:
        with self._lock:
            self._handles, self._lists = {}, {}


# ---- The configured provider -----------------------------------------------------------

_provider: KeyProvider | None = None
_provider_lock = threading.Lock()


def provider() -> KeyProvider:
    """The provider the settings name (KEY_PROVIDER), made once per process."""
    global _provider  # noqa: PLW0603 - one provider per process, made on first use
    with _provider_lock:
        if _provider is None:
            _provider = make_provider()
        return _provider


def make_provider() -> KeyProvider:
    kind = settings.KEY_PROVIDER
    if kind == "pkcs11":
        if not settings.PKCS11_PIN:
            raise ProviderError("KEY_PROVIDER=pkcs11 needs PKCS11_PIN (and PKCS11_TOKEN_LABEL).")
        return Pkcs11Provider(
            settings.PKCS11_MODULE, settings.PKCS11_TOKEN_LABEL, settings.PKCS11_PIN
        )
    if kind == "keyfile":
        return KeyFileProvider(Path(settings.KEY_FILE))
    raise ProviderError(f"KEY_PROVIDER={kind!r} is not a key provider (pkcs11, keyfile).")


def reset_provider() -> None:
    """Forget the provider (tests that switch providers or tokens)."""
    global _provider  # noqa: PLW0603
    with _provider_lock:
        _provider = None
