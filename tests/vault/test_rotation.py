"""rotate_keys: every live data key re-wrapped under a new KEK, the old KEK destroyed; a
crash halfway is finished by the next run; two runs at once give one result; a destroyed
value stays destroyed."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from intake.models import DomainAssessment, Resident
from tests.factories import ResidentFactory
from vault.models import DataKey
from vault.providers import provider
from vault.rotation import rotate


def make_residents(n: int) -> list[Resident]:
    return [ResidentFactory(name=f"Roteer Persoon{i}") for i in range(n)]


def names_read_back(residents: list[Resident]) -> list[str]:
    return [Resident.objects.get(pk=r.pk).name for r in residents]


@pytest.mark.django_db(transaction=True)
def test_a_rotation_rewraps_every_key_and_destroys_the_old_kek():
    residents = make_residents(3)
    old = set(DataKey.objects.values_list("kek", flat=True))
    assert len(old) == 1
    result = rotate(batch_size=4)
    assert result.rewrapped == DataKey.objects.count() == 18
    assert set(DataKey.objects.values_list("kek", flat=True)) == {result.target_kek}
    assert old.isdisjoint(provider().kek_ids())  # gone from the provider
    assert result.keks_destroyed == sorted(old)
    assert names_read_back(residents) == [f"Roteer Persoon{i}" for i in range(3)]


@pytest.mark.django_db(transaction=True)
def test_a_rotation_that_crashed_halfway_is_finished_by_the_next_run():
    residents = make_residents(4)  # 24 keys
    first_kek = DataKey.objects.values_list("kek", flat=True).first()

    def crash(batches: int) -> None:
        if batches == 2:
            raise KeyboardInterrupt("killed")

    with pytest.raises(KeyboardInterrupt):
        rotate(batch_size=5, after_batch=crash)
    keks = set(DataKey.objects.values_list("kek", flat=True))
    assert len(keks) == 2 and first_kek in keks  # some rows old, some new
    # Halfway, every value is still readable: both KEKs exist.
    assert names_read_back(residents) == [f"Roteer Persoon{i}" for i in range(4)]
    again = rotate(batch_size=5)
    assert again.resumed
    assert set(DataKey.objects.values_list("kek", flat=True)) == {again.target_kek}
    assert first_kek not in provider().kek_ids()
    assert names_read_back(residents) == [f"Roteer Persoon{i}" for i in range(4)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_rotations_at_once_give_one_result():
    make_residents(5)
    results = []
    started = threading.Barrier(2)

    def run() -> None:
        started.wait()
        try:
            results.append(rotate(batch_size=2, after_batch=lambda n: None))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ran = [r for r in results if r.ran]
    # Either one ran and the other found the lock taken, or they ran one after the other;
    # in both cases one KEK is left and every key is under it.
    assert ran
    assert len(set(DataKey.objects.values_list("kek", flat=True))) == 1
    assert DataKey.objects.values_list("kek", flat=True).first() in provider().kek_ids()
    assert len(provider().kek_ids()) == 1


@pytest.mark.django_db(transaction=True)
def test_rotate_keys_command_writes_counts_to_the_audit_log(capsys):
    make_residents(1)
    call_command("rotate_keys", "--search-key")
    out = capsys.readouterr().out
    assert "6 data keys re-wrapped" in out and "1 residents reindexed" in out
    from audit.models import Action, AuditEvent

    event = AuditEvent.objects.get(action=Action.ROTATE_KEYS)
    assert event.detail["rewrapped"] == 6 and event.detail["keks_destroyed"] == 1
    # After the search key rotated, search still finds the resident.
    assert Resident.objects.matching("Persoon0").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_destroyed_value_stays_destroyed_and_the_others_stay_readable_after_rotation(
    make_intake,
):
    intake = make_intake(
        domains={"financien": (2, "confirmed", "blijft"), "justitie": (3, "none", "weg")}
    )
    gone = DomainAssessment.objects.get(intake=intake, domain="justitie")
    gone_key = [k for k in gone.stored_key_ids()]
    from vault.keys import destroy

    destroy(gone_key)
    rotate(batch_size=10)
    kept = DomainAssessment.objects.get(intake=intake, domain="financien")
    assert kept.notes == "blijft"
    again = DomainAssessment.objects.get(intake=intake, domain="justitie")
    assert again.notes == "" and "notes" in again.unreadable_fields()


@pytest.mark.django_db
def test_a_kek_destroyed_by_another_process_is_noticed_at_the_next_write():
    from django.conf import settings

    from vault.providers import make_provider

    if settings.KEY_PROVIDER != "pkcs11":
        pytest.skip("a PKCS#11 session of its own is what this is about")
    ResidentFactory()  # this process now knows the current KEK and holds its handle
    elsewhere = make_provider()  # another session, as another host's rotation would have
    old = elsewhere.kek_ids()[-1]
    elsewhere.create_kek()
    elsewhere.destroy_kek(old)
    resident = ResidentFactory(name="Na Rotatie")  # wraps under the new KEK, no error
    assert Resident.objects.get(pk=resident.pk).name == "Na Rotatie"
    assert DataKey.objects.filter(kek=old).exclude(id__in=resident.stored_key_ids()).exists()
