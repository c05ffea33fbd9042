"""Sealed values for the COPY seeding, as the product stores them (vault/).

Each value becomes an AES-256-GCM envelope bound to its table, row, field and key id, and
its data key a `vault_datakey` row wrapped by the provider's current KEK; with
`identity=True` (the benchmark's identity transform) the envelope holds the plaintext and
no key. Rows the measured caseworker reads get one data key per value, as the product
writes them. To keep seeding 100,000 intakes within minutes (a PKCS#11 wrap is ~30 µs),
rows nobody reads in a measurement share one data key per row (`per_value=False`): the
DataKey table then holds fewer rows than in production, which docs/benchmarks.md notes
where it matters (the sweep deletes fewer key rows).
"""

import secrets
from collections.abc import Iterator, Mapping

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from vault import blind, cipher
from vault.cipher import Binding
from vault.keys import wrap_aad
from vault.providers import provider


class SeedSealer:
    def __init__(self, *, identity: bool = False) -> None:
        self.identity = identity
        self.keys: list[tuple[int, str, bytes]] = []
        self._kek = provider().current_kek()
        self._digests: dict[tuple[str, str], str] = {}

    def _new_key(self) -> tuple[int, bytes]:
        key = AESGCM.generate_key(bit_length=256)
        key_id = secrets.randbits(63) or 1
        wrapped = provider().wrap(self._kek, key, wrap_aad(key_id))
        self.keys.append((key_id, self._kek, wrapped))
        return key_id, key

    def row(
        self, table: str, row_id: str, values: Mapping[str, str | None], *, per_value: bool = True
    ) -> dict[str, bytes | None]:
        """Envelopes for one row's values (None or "" stays empty, without a key)."""
        sealed: dict[str, bytes | None] = {}
        shared: tuple[int, bytes] | None = None
        for field, value in values.items():
            if value is None or value == "":
                sealed[field] = None if value is None else b""
                continue
            if self.identity:
                sealed[field] = cipher.identity(value.encode())
                continue
            if per_value or shared is None:
                shared = self._new_key()
            key_id, key = shared
            sealed[field] = cipher.seal(
                value.encode(), key=key, key_id=key_id, binding=Binding(table, row_id, field)
            )
        return sealed

    def digest(self, kind: str, token: str) -> str:
        found = self._digests.get((kind, token))
        if found is None:
            found = self._digests[(kind, token)] = blind.digest(kind, token)
        return found

    def key_rows(self) -> Iterator[tuple[object, ...]]:
        yield from self.keys
        self.keys = []
