"""Signed checkpoints: evidence of the chain's head that a rewrite of the table cannot fake."""

import base64
import datetime as dt
import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import connection

from audit.chain import event_hash
from audit.models import Action, AuditEvent
from tests.audit.conftest import verify

LONG_AGO = dt.datetime(2015, 3, 1, 12, 0, tzinfo=dt.UTC)
ORIGIN = "zrm.gemeente.example/audit"


@pytest.fixture
def keys(tmp_path: Path, settings) -> tuple[Path, Path]:
    """A private key file readable by its owner only (named by the setting) and its public half."""
    private = Ed25519PrivateKey.generate()
    key_file = tmp_path / "checkpoint.pem"
    key_file.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    public_file = tmp_path / "checkpoint.pub.pem"
    public_file.write_bytes(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    settings.AUDIT_CHECKPOINT_KEY = str(key_file)
    settings.AUDIT_INSTALLATION_NAME = ORIGIN
    return key_file, public_file


def checkpoint(tmp_path: Path, name: str = "checkpoint.txt") -> Path:
    target = tmp_path / name
    call_command("checkpoint_audit", "--output", str(target), stderr=io.StringIO())
    return target


def verify_with(note: Path, public_key: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "verify_audit",
            "--checkpoint",
            str(note),
            "--public-key",
            str(public_key),
            stdout=out,
            stderr=err,
        )
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def rewrite_from(event_id: int, **changes: object) -> None:
    """What an insider with the table owner's rights can do: edit an event with the
    append-only triggers disabled and rebuild every later hash, so the chain is valid."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        rows = list(AuditEvent.objects.filter(id__gte=event_id).order_by("id").values())
        prev = rows[0]["prev_hash"]
        for row in rows:
            if row["id"] == event_id:
                row.update(changes)
            row["prev_hash"] = prev
            row["hash"] = prev = event_hash(row)
            assignments = ", ".join(
                f"{name} = {'%s::jsonb' if name == 'detail' and postgres else '%s'}"
                for name in [*changes, "prev_hash", "hash"]
            )
            values = [json.dumps(row[n]) if n == "detail" else row[n] for n in changes]
            cursor.execute(
                f"UPDATE audit_auditevent SET {assignments} WHERE id = %s",  # noqa: S608
                [*values, row["prev_hash"], row["hash"], row["id"]],
            )
        if postgres:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def test_a_checkpoint_is_a_signed_note_in_the_tlog_checkpoint_format(
    keys, write_events, tmp_path
) -> None:
    write_events(3)
    note = checkpoint(tmp_path).read_text(encoding="utf-8")
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == Action.CHECKPOINT
    body, blank, signature_line = note.rpartition("\n\n")
    origin, size, root, extension = body.split("\n")
    assert (origin, size) == (ORIGIN, "4")
    assert base64.b64decode(root).hex() == event.hash
    assert extension == f"last-event {event.pk} {event.ts.isoformat(timespec='microseconds')}"
    # The signature line as signed-note specifies it, checked by hand.
    dash, name, blob = signature_line.rstrip("\n").split(" ")
    assert (dash, name) == ("\u2014", ORIGIN)
    public = serialization.load_pem_public_key(keys[1].read_bytes())
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    decoded = base64.b64decode(blob)
    assert decoded[:4] == hashlib.sha256(ORIGIN.encode() + b"\n\x01" + raw).digest()[:4]
    public.verify(decoded[4:], (body + "\n").encode())  # raises if it does not verify
    assert event.detail["origin"] == ORIGIN


def test_a_chain_rebuilt_after_an_edit_passes_alone_but_not_against_a_checkpoint(
    keys, write_events, tmp_path
) -> None:
    events = write_events(5)
    note = checkpoint(tmp_path)
    write_events(2)
    assert verify_with(note, keys[1])[0] == 0  # positive control: the untouched chain
    rewrite_from(events[1].pk, action="create")
    assert AuditEvent.objects.get(pk=events[1].pk).action == "create"
    assert verify()[0] == 0  # the rewrite is a valid chain: the chain alone cannot tell
    code, _, err = verify_with(note, keys[1])
    checkpoint_event = AuditEvent.objects.get(action=Action.CHECKPOINT)
    assert code == 1
    assert f"first bad event id {checkpoint_event.pk}" in err
    assert "not the checkpoint's head hash" in err


def test_a_chain_that_goes_on_validly_after_the_checkpoint_is_verified(
    keys, write_events, tmp_path
) -> None:
    write_events(2)
    note = checkpoint(tmp_path)
    later = write_events(3)
    code, out, _ = verify_with(note, keys[1])
    assert code == 0
    assert "OK: 6 events verified." in out
    assert "matches" in out
    # An edit after the checkpoint is still caught by the chain itself.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE audit_auditevent SET action = 'create' WHERE id = %s", [later[1].pk])
    code, _, err = verify_with(note, keys[1])
    assert code == 1
    assert f"first bad event id {later[1].pk}" in err


def test_events_removed_from_the_end_are_found_by_the_checkpoint(
    keys, write_events, tmp_path
) -> None:
    write_events(3)
    note = checkpoint(tmp_path)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL zrm.audit_prune = 'on'")
        cursor.execute("DELETE FROM audit_auditevent WHERE action = 'checkpoint'")
    assert verify()[0] == 0
    code, _, err = verify_with(note, keys[1])
    assert code == 1
    assert "ends before the checkpoint's event" in err


def test_a_changed_checkpoint_or_another_key_does_not_verify(keys, write_events, tmp_path) -> None:
    write_events(2)
    note = checkpoint(tmp_path)
    lines = note.read_text(encoding="utf-8").split("\n")
    lines[1] = "2"  # a smaller tree size
    forged = tmp_path / "forged.txt"
    forged.write_text("\n".join(lines), encoding="utf-8")
    code, _, err = verify_with(forged, keys[1])
    assert (code, "signature does not match" in err) == (1, True)
    other = tmp_path / "other.pub.pem"
    other.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    code, _, err = verify_with(note, other)
    assert (code, "no signature by this public key" in err) == (1, True)
    assert verify_with(note, keys[1])[0] == 0


def test_a_key_file_others_can_read_is_refused_and_no_event_is_written(
    keys, write_events, tmp_path
) -> None:
    keys[0].chmod(0o640)
    with pytest.raises(CommandError, match="readable by group or others"):
        checkpoint(tmp_path)
    assert not AuditEvent.objects.filter(action=Action.CHECKPOINT).exists()
    keys[0].chmod(0o600)
    checkpoint(tmp_path)
    assert AuditEvent.objects.filter(action=Action.CHECKPOINT).count() == 1


def test_a_checkpoint_of_another_installation_is_refused(
    keys, write_events, tmp_path, settings
) -> None:
    write_events(1)
    note = checkpoint(tmp_path)
    settings.AUDIT_INSTALLATION_NAME = "elders.example/audit"
    code, _, err = verify_with(note, keys[1])
    assert (code, "not this installation's" in err) == (1, True)


def test_a_pruned_checkpoint_stays_verifiable_against_the_prune_event(
    keys, write_events, tmp_path
) -> None:
    from unittest import mock

    write_events(3, at=LONG_AGO)
    with mock.patch("audit.events._now", return_value=LONG_AGO + dt.timedelta(hours=1)):
        old_note = checkpoint(tmp_path, "old.txt")
    write_events(2, at=LONG_AGO + dt.timedelta(hours=2))
    write_events(2)
    call_command("prune_audit", "--before", "2016-01-01", stdout=io.StringIO())
    assert not AuditEvent.objects.filter(action=Action.CHECKPOINT).exists()
    new_note = checkpoint(tmp_path, "new.txt")
    assert new_note.read_text().split("\n")[1] == str(6 + 2 + 1 + 1)  # pruned ones counted
    assert verify_with(old_note, keys[1])[0] == 0
    assert verify_with(new_note, keys[1])[0] == 0
    # The prune event's record is what the old checkpoint is held against.
    prune = AuditEvent.objects.get(action=Action.PRUNE)
    (recorded,) = prune.detail["checkpoints"]
    assert recorded[1] == 4
    rewrite_from(prune.pk, detail={**prune.detail, "checkpoints": [[recorded[0], 4, "0" * 64]]})
    assert verify()[0] == 0
    code, _, err = verify_with(old_note, keys[1])
    assert (code, "as the prune event recorded it" in err) == (1, True)


def test_checkpoint_without_a_key_setting_exits_1_and_writes_nothing(
    write_events, tmp_path, settings
) -> None:
    settings.AUDIT_CHECKPOINT_KEY = ""
    with pytest.raises(CommandError, match="AUDIT_CHECKPOINT_KEY"):
        checkpoint(tmp_path)
    assert not AuditEvent.objects.exists()
    assert os.listdir(tmp_path) == []
