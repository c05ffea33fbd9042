"""Production refuses the key file and the identity transform exists only in the
benchmark's settings; plaintext stored before encryption is sealed by encrypt_plaintext."""

import pytest
from django.core.management import call_command
from django.db import connection

from intake.models import Resident
from tests.factories import ResidentFactory
from vault import cipher
from vault.checks import IDENTITY_OUTSIDE_BENCH, KEY_FILE_IN_PRODUCTION, check_key_provider
from vault.fields import destroy_keys_of, referenced_key_ids
from vault.models import DataKey


def test_production_refuses_the_key_file(settings):
    settings.PRODUCTION, settings.KEY_PROVIDER = True, "keyfile"
    assert [e.id for e in check_key_provider()] == [KEY_FILE_IN_PRODUCTION]
    settings.KEY_PROVIDER = "pkcs11"
    assert check_key_provider() == []


def test_the_identity_transform_is_refused_outside_the_benchmark_settings(settings):
    settings.VAULT_IDENTITY_CIPHER = True
    assert [e.id for e in check_key_provider()] == [IDENTITY_OUTSIDE_BENCH]
    settings.BENCH_SETTINGS = True
    assert check_key_provider() == []


@pytest.mark.django_db
def test_the_identity_transform_is_not_written_outside_the_benchmark_settings(settings):
    settings.VAULT_IDENTITY_CIPHER = True  # without BENCH_SETTINGS: still encrypted
    resident = ResidentFactory(name="Niet Leesbaar")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM intake_resident WHERE id = %s", [resident.pk])
        raw = bytes(cursor.fetchone()[0])
    assert raw.startswith(cipher.SEALED) and b"Leesbaar" not in raw


@pytest.mark.django_db(transaction=True)
def test_encrypt_plaintext_seals_values_stored_before_encryption(capsys):
    resident = ResidentFactory(name="Oud Bestand", bsn="123456782")
    # As migration 0005 leaves a value written before it: its UTF-8 plaintext, no index,
    # no data key.
    destroy_keys_of(Resident.objects.filter(pk=resident.pk), ["name", "bsn"])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE intake_resident SET name = %s, bsn = %s, bsn_index = NULL WHERE id = %s",
            [b"Oud Bestand", b"123456782", resident.pk],
        )
        cursor.execute("DELETE FROM intake_residentnametoken")
    assert Resident.objects.get(pk=resident.pk).name == "Oud Bestand"  # read meanwhile
    assert not Resident.objects.matching("Bestand").exists()
    call_command("encrypt_plaintext", "--batch-size", "1")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, bsn FROM intake_resident WHERE id = %s", [resident.pk])
        name, bsn = (bytes(v) for v in cursor.fetchone())
    assert name.startswith(cipher.SEALED) and bsn.startswith(cipher.SEALED)
    assert Resident.objects.get(pk=resident.pk).name == "Oud Bestand"
    assert Resident.objects.matching("Bestand").get().pk == resident.pk
    assert Resident.objects.with_bsn("123456782").get().pk == resident.pk
    assert set(DataKey.objects.values_list("id", flat=True)) == set(referenced_key_ids())
    call_command("encrypt_plaintext")  # again: nothing left to do
    assert "0 rows sealed" in capsys.readouterr().out.splitlines()[-1]
