"""The cipher: AES-256-GCM over one value, under that value's own data key.

A stored value is an envelope: a version marker, the data key's id, a 96-bit random
nonce and the ciphertext with its 128-bit tag. The associated data binds the value to its
table, its row, its field and its key id, so a ciphertext copied into another row, another
column or next to another key fails authentication instead of decrypting there.

The identity transform (marker b"Z0", plaintext inside) exists for `make bench` only, to
measure what encryption costs; a system check refuses it outside the benchmark's settings
(vault/checks.py), and the sealed fields never write it unless that setting is on.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SEALED = b"Z1"  # AES-256-GCM envelope
IDENTITY = b"Z0"  # benchmark only: the plaintext, unencrypted
MARKERS = (SEALED, IDENTITY)
_KEY_ID = struct.Struct(">Q")
NONCE_BYTES = 12
HEADER_BYTES = len(SEALED) + _KEY_ID.size + NONCE_BYTES


class Unreadable(Exception):  # noqa: N818 - reads as the outcome
    """A stored value that cannot be read back. Never carries the value."""


class KeyDestroyed(Unreadable):
    """The value's data key no longer exists (destroyed, or its key-encryption key is)."""


class Tampered(Unreadable):
    """The ciphertext does not authenticate here: altered, or moved from elsewhere."""


@dataclass(frozen=True)
class Binding:
    """Where a value lives: table, row (a stable natural key) and field."""

    table: str
    row: str
    field: str

    def associated_data(self, key_id: int) -> bytes:
        return f"{self.table}\x1f{self.row}\x1f{self.field}\x1f{key_id}".encode()


def is_envelope(raw: bytes) -> bool:
    return raw[:2] in MARKERS


def key_id_of(raw: bytes) -> int | None:
    """The data key id an envelope names (None for the identity transform)."""
    if raw[:2] != SEALED:
        return None
    return int(_KEY_ID.unpack_from(raw, 2)[0])


def seal(plaintext: bytes, *, key: bytes, key_id: int, binding: Binding) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    body = AESGCM(key).encrypt(nonce, plaintext, binding.associated_data(key_id))
    return SEALED + _KEY_ID.pack(key_id) + nonce + body


def open_sealed(raw: bytes, *, key: bytes, binding: Binding) -> bytes:
    key_id = key_id_of(raw)
    if key_id is None:
        raise Tampered("not an AES-GCM envelope")
    nonce = raw[2 + _KEY_ID.size : HEADER_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, raw[HEADER_BYTES:], binding.associated_data(key_id))
    except InvalidTag:
        raise Tampered(f"{binding.table}.{binding.field}: authentication failed") from None


def identity(plaintext: bytes) -> bytes:
    return IDENTITY + plaintext


def open_identity(raw: bytes) -> bytes:
    return raw[2:]
