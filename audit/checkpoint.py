"""Signed checkpoints: the chain's head, signed with a key the database never sees.

Someone who can rewrite the audit table can rebuild a valid chain from an edit on; a
checkpoint copied off the host earlier still names the old head, so `verify_audit
--checkpoint` finds the rewrite. The text is a C2SP tlog-checkpoint inside a C2SP
signed note (https://c2sp.org/tlog-checkpoint, https://c2sp.org/signed-note), so that
standard tools and witnesses can read and check it:

    <origin>\\n                       AUDIT_INSTALLATION_NAME
    <tree size>\\n                    events in the chain up to the checkpoint event,
                                     pruned events included (decimal, no leading zeros)
    <root hash>\\n                    the checkpoint event's hash, base64 (RFC 4648 §4)
    last-event <id> <time>\\n         an extension line: the event id and its time (UTC)
    \\n
    — <key name> <base64(key hash || Ed25519 signature)>\\n

The signature covers the note text (the four lines, final newline included). The key
name is the origin; the key hash is the first 4 bytes of SHA-256(key name || 0x0A ||
0x01 || 32-byte public key), as signed-note recommends for Ed25519. The root hash is
the head of our hash chain, not a Merkle tree root: a witness can check signatures and
that sizes grow, but consistency proofs are ours (verify_audit walks the chain).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction

from audit.chain import canonical_ts
from audit.context import AuditContext
from audit.events import lock_chain, record
from audit.models import Action
from audit.partitions import ensure_ahead
from audit.prune import chain_size

SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space start every signature line
ED25519_TYPE = b"\x01"
EXTENSION = "last-event"


class CheckpointError(Exception):
    """A checkpoint or a key that cannot be used; the message says why."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    head_hash: str  # hex, as the chain stores it
    event_id: int
    ts: dt.datetime

    def body(self) -> str:
        """The note text that is signed."""
        root = base64.b64encode(bytes.fromhex(self.head_hash)).decode()
        return (
            f"{self.origin}\n{self.size}\n{root}\n"
            f"{EXTENSION} {self.event_id} {canonical_ts(self.ts)}\n"
        )


def key_hash(name: str, public_key: Ed25519PublicKey) -> bytes:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(name.encode() + b"\n" + ED25519_TYPE + raw).digest()[:4]


def sign(checkpoint: Checkpoint, private_key: Ed25519PrivateKey) -> str:
    """The signed note: the body, a blank line, one signature line named after the origin."""
    body = checkpoint.body()
    _check_key_name(checkpoint.origin)
    signature = private_key.sign(body.encode())
    blob = base64.b64encode(key_hash(checkpoint.origin, private_key.public_key()) + signature)
    return f"{body}\n{SIGNATURE_PREFIX}{checkpoint.origin} {blob.decode()}\n"


def open_note(text: str, public_key: Ed25519PublicKey) -> Checkpoint:
    """Check the signature by `public_key` and parse the checkpoint; CheckpointError if not."""
    body, sep, signatures = text.rpartition("\n\n")
    if not sep or not body:
        raise CheckpointError("not a signed note: no blank line before the signatures")
    body += "\n"
    lines = body.split("\n")[:-1]
    if len(lines) < 3:
        raise CheckpointError("not a checkpoint: origin, size and root hash are required")
    origin = lines[0]
    for line in signatures.removesuffix("\n").split("\n"):
        if not line.startswith(SIGNATURE_PREFIX):
            raise CheckpointError("a signature line does not start with an em dash and a space")
        name, _, blob_text = line[len(SIGNATURE_PREFIX) :].partition(" ")
        try:
            blob = base64.b64decode(blob_text, validate=True)
        except ValueError:
            raise CheckpointError("a signature is not valid base64") from None
        if name != origin or blob[:4] != key_hash(name, public_key):
            continue  # another signer's (a witness's): not ours to check
        try:
            public_key.verify(blob[4:], body.encode())
        except InvalidSignature:
            raise CheckpointError("the signature does not match the checkpoint") from None
        return _parse(lines)
    raise CheckpointError(f"no signature by this public key for the origin {origin!r}")


def _parse(lines: list[str]) -> Checkpoint:
    origin, size_text, root = lines[:3]
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise CheckpointError("the tree size is not a decimal number")
    try:
        head = base64.b64decode(root, validate=True).hex()
    except ValueError:
        raise CheckpointError("the root hash is not valid base64") from None
    for line in lines[3:]:
        parts = line.split(" ")
        if parts[0] == EXTENSION and len(parts) == 3 and parts[1].isdigit():
            try:
                ts = dt.datetime.fromisoformat(parts[2])
            except ValueError:
                raise CheckpointError("the last-event time is not ISO 8601") from None
            return Checkpoint(origin, int(size_text), head, int(parts[1]), ts)
    raise CheckpointError(f"no {EXTENSION!r} extension line")


def _check_key_name(name: str) -> None:
    if not name or "+" in name or any(c.isspace() for c in name):
        raise CheckpointError(
            "AUDIT_INSTALLATION_NAME must be non-empty, without spaces or '+' (a key name)"
        )


def load_private_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """The PEM file AUDIT_CHECKPOINT_KEY names, refused if anyone but its owner may read it."""
    if not path:
        raise CheckpointError("AUDIT_CHECKPOINT_KEY is not set (the path of an Ed25519 PEM key)")
    file = Path(path)
    try:
        mode = file.stat().st_mode
    except OSError as exc:
        raise CheckpointError(f"cannot read the checkpoint key {file}: {exc.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CheckpointError(
            f"the checkpoint key {file} is readable by group or others "
            f"(mode {stat.S_IMODE(mode):o}); chmod 600 it"
        )
    key = serialization.load_pem_private_key(file.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"the checkpoint key {file} is not an Ed25519 key")
    return key


def load_public_key(path: str | os.PathLike[str]) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"cannot read the public key {path}: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError(f"the public key {path} is not an Ed25519 key")
    return key


def take_checkpoint(context: AuditContext) -> tuple[Checkpoint, str]:
    """Append a CHECKPOINT event and return it as a checkpoint and as the signed note.

    The key is loaded first: without a usable key no event is written. The event is the
    checkpoint's head, so the log itself says when each checkpoint was taken."""
    private_key = load_private_key(settings.AUDIT_CHECKPOINT_KEY)
    origin = settings.AUDIT_INSTALLATION_NAME
    _check_key_name(origin)
    public = private_key.public_key()
    with transaction.atomic():
        # Under the chain lock, the event knows its own tree size: later sizes (and a
        # prune's) count on from it instead of counting the whole table.
        head_id = lock_chain()
        size = (chain_size(through_id=head_id) if head_id else 0) + 1
        event = record(
            Action.CHECKPOINT,
            context,
            detail={"origin": origin, "key_hash": key_hash(origin, public).hex(), "size": size},
        )
    ensure_ahead()  # hourly, so next month's partition exists long before it is needed
    checkpoint = Checkpoint(origin, size, event.hash, event.pk, event.ts)
    return checkpoint, sign(checkpoint, private_key)
