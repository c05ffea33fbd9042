"""Every captured value is ciphertext in the database, under a data key of its own; the
application reads it back; a ciphertext moved elsewhere does not decrypt there."""

import datetime as dt

import pytest
from django.db import connection

from intake.models import DomainAssessment, Intake, Resident
from tests.factories import ResidentFactory
from vault import cipher
from vault.cipher import Binding, Tampered
from vault.fields import PlaintextRefused, referenced_key_ids
from vault.models import DataKey

RESIDENT_SEALED = ("name", "date_of_birth", "bsn", "address", "phone", "email")


def raw_columns(table: str, pk: int, columns: tuple[str, ...]) -> dict[str, bytes | None]:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(q(c) for c in columns)} FROM {q(table)} WHERE id = %s",  # noqa: S608
            [pk],
        )
        row = cursor.fetchone()
    return {c: (bytes(v) if v is not None else None) for c, v in zip(columns, row, strict=True)}


@pytest.mark.django_db
def test_every_resident_field_is_stored_as_an_envelope_under_its_own_key(make_intake):
    intake = make_intake(
        name="Zegel Jansen",
        date_of_birth=dt.date(1980, 2, 3),
        bsn="123456782",
        address="Kerkstraat 1",
        phone="0612345678",
        email="zegel@example.org",
    )
    raw = raw_columns("intake_resident", intake.resident_id, RESIDENT_SEALED)
    assert all(cipher.is_envelope(v) for v in raw.values()), raw
    assert b"Zegel" not in b"".join(raw.values())
    key_ids = {cipher.key_id_of(v) for v in raw.values()}
    assert len(key_ids) == 6  # one data key per value
    assert set(DataKey.objects.filter(id__in=key_ids).values_list("id", flat=True)) == key_ids
    # ... and the application reads every one of them back.
    resident = Resident.objects.get(pk=intake.resident_id)
    assert (resident.name, resident.date_of_birth, resident.bsn) == (
        "Zegel Jansen",
        dt.date(1980, 2, 3),
        "123456782",
    )
    assert (resident.address, resident.phone, resident.email) == (
        "Kerkstraat 1",
        "0612345678",
        "zegel@example.org",
    )


@pytest.mark.django_db
def test_score_help_need_and_notes_are_envelopes_and_a_new_value_gets_a_new_key(make_intake):
    intake = make_intake(domains={"financien": (2, "confirmed", "schulden bij de bank")})
    row = DomainAssessment.objects.get(intake=intake, domain="financien")
    raw = raw_columns("intake_domainassessment", row.pk, ("score", "help_need", "notes"))
    assert all(cipher.is_envelope(v) for v in raw.values())
    old_key = cipher.key_id_of(raw["notes"])
    row.notes = "een andere toelichting"
    row.save()
    new_raw = raw_columns("intake_domainassessment", row.pk, ("notes",))["notes"]
    assert cipher.key_id_of(new_raw) != old_key
    assert not DataKey.objects.filter(id=old_key).exists()  # the replaced value's key went
    assert DataKey.objects.filter(id=cipher.key_id_of(raw["score"])).exists()  # unchanged
    assert set(DataKey.objects.values_list("id", flat=True)) == set(referenced_key_ids())


@pytest.mark.django_db
def test_a_value_not_discussed_is_stored_empty_without_a_key(make_intake):
    intake = make_intake()
    row = DomainAssessment.objects.get(intake=intake, domain="financien")
    raw = raw_columns("intake_domainassessment", row.pk, ("score", "help_need", "notes"))
    assert raw["score"] is None and raw["help_need"] == b"" and raw["notes"] == b""
    assert (row.score, row.help_need, row.notes) == (None, "unknown", "")


@pytest.mark.django_db
def test_a_ciphertext_moved_to_another_row_fails_authentication(make_intake):
    one = make_intake(name="Eerste Persoon").resident
    other = ResidentFactory(name="Tweede Persoon")
    stolen = raw_columns("intake_resident", one.pk, ("name",))["name"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE intake_resident SET name = %s WHERE id = %s", [stolen, other.pk])
    moved = Resident.objects.get(pk=other.pk)
    # Read through the app: no value and no error page, the field is marked unreadable.
    assert moved.name == ""
    assert moved.unreadable_fields() == {"name"}
    # Directly: the cipher refuses, because the row is part of the associated data.
    key = DataKey.objects.get(id=cipher.key_id_of(stolen))
    from vault.keys import unwrap

    binding = Binding("intake_resident", str(other.ref), "name")
    with pytest.raises(Tampered):
        cipher.open_sealed(stolen, key=unwrap(key), binding=binding)
    # The positive control: in its own row it decrypts.
    own = Binding("intake_resident", str(one.ref), "name")
    assert cipher.open_sealed(stolen, key=unwrap(key), binding=own) == b"Eerste Persoon"


@pytest.mark.django_db
def test_plaintext_never_reaches_a_sealed_column_through_update():
    from django.db import transaction

    resident = ResidentFactory()
    with pytest.raises(PlaintextRefused), transaction.atomic():
        Resident.objects.filter(pk=resident.pk).update(name="Leesbaar")
    Resident.objects.filter(pk=resident.pk).update(address="")  # blanking is allowed


@pytest.mark.django_db
def test_search_finds_whole_name_words_bsn_and_birth_date_through_the_blind_index(make_intake):
    intake = make_intake(
        name="Anne-Marie Öztürk", bsn="123456782", date_of_birth=dt.date(1990, 1, 2)
    )
    resident = intake.resident
    for term in ("anne", "ÖZTÜRK", "ozturk marie", "123456782", "02-01-1990"):
        assert list(Resident.objects.matching(term)) == [resident], term
    assert list(Intake.objects.search("Marie")) == [intake]
    # No infix: part of a word finds nothing (the index holds whole words only).
    assert not Resident.objects.matching("Öztü").exists()
    assert not Resident.objects.matching("Anne Jansen").exists()  # every word must match
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest FROM intake_residentnametoken")
        digests = [r[0] for r in cursor.fetchall()]
    assert len(digests) == 3 and all(len(d) == 64 for d in digests)


@pytest.mark.django_db
def test_one_resident_per_bsn_through_the_blind_index(make_intake):
    from django.db import IntegrityError, transaction

    make_intake(bsn="123456782")
    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentFactory(bsn="123456782")
    assert Resident.objects.with_bsn("123456782").count() == 1
