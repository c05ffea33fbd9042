"""Typed work is never lost: autosave, the session warning's keep-alive, a save that
arrives after the session ended, and a second save after a conflict."""

import time

import pytest
from django.db import connection
from django.test import Client

from accounts.middleware import LAST_SEEN_KEY
from audit.models import Action, AuditEvent
from intake.models import DomainAssessment, ParkedSave
from tests.factories import finalise_now
from tests.intake.conftest import form_data
from vault.fields import referenced_key_ids
from vault.models import DataKey


def edit_url(intake) -> str:
    return f"/intakes/{intake.pk}/bewerken/"


def autosave_url(intake) -> str:
    return f"/intakes/{intake.pk}/automatisch-opslaan/"


def note(intake, domain: str = "financien") -> str:
    return DomainAssessment.objects.get(intake=intake, domain=domain).notes


def expire(client: Client) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 16 * 60
    session.save()


def sign_in_again(client: Client) -> None:
    response = client.post("/aanmelden/", {"username": "consulent", "password": "zrm-demo"})
    assert response.status_code == 302


# ---- autosave: the same service, the same audit ------------------------------------


def test_an_autosave_saves_the_draft_through_the_same_service_and_audits_it(signed_in, make_intake):
    intake = make_intake()
    client = signed_in("consulent")
    data = form_data(intake, financien=(2, "confirmed", "Huurachterstand van 3 maanden"))
    response = client.post(autosave_url(intake), data, HTTP_X_ZRM_SCRIPT="1")
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "saved" and body["version"] == intake.version + 1
    assert note(intake) == "Huurachterstand van 3 maanden"
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(intake.pk)).get()
    assert event.detail == {"domains_changed": ["financien"]}
    assert "Huurachterstand" not in str(event.detail)


def test_an_autosave_on_a_stale_version_writes_nothing_and_says_conflict(signed_in, make_intake):
    intake = make_intake()
    client = signed_in("consulent")
    client.post(autosave_url(intake), form_data(intake, financien=(2, "none", "tab B")))
    stale = form_data(intake, financien=(3, "none", "tab A"))  # still the old version
    response = client.post(autosave_url(intake), stale)
    assert response.status_code == 409 and response.json()["outcome"] == "conflict"
    assert note(intake) == "tab B"


def test_an_autosave_with_invalid_input_writes_nothing(signed_in, make_intake):
    intake = make_intake()
    response = signed_in("consulent").post(
        autosave_url(intake), form_data(intake, financien=("9", "none", "x"))
    )
    assert response.status_code == 400
    assert note(intake) == ""


# ---- the session warning's "blijf aangemeld" ---------------------------------------


def test_keep_alive_restarts_the_idle_clock(demo_users, client: Client, settings):
    settings.AXES_ENABLED = False
    sign_in_again(client)
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 14 * 60  # one minute left
    session.save()
    response = client.post("/sessie/verlengen/")
    assert response.status_code == 200
    assert response.json()["seconds_left"] > 14 * 60
    assert time.time() - client.session[LAST_SEEN_KEY] < 5


def test_every_signed_in_page_carries_the_session_warning_with_the_time_left(signed_in):
    page = signed_in("consulent").get("/intakes/").content.decode()
    assert 'id="session-warning"' in page and "Blijf aangemeld" in page
    assert 'data-seconds-left="9' in page or 'data-seconds-left="8' in page  # ~900 s


# ---- a save after the session ended --------------------------------------------------


@pytest.fixture
def caseworker(demo_users, settings) -> Client:
    settings.AXES_ENABLED = False
    client = Client()
    sign_in_again(client)
    return client


def test_a_save_after_the_session_ended_is_parked_and_applied_after_signing_in(
    caseworker: Client, make_intake
):
    intake = make_intake()
    typed = ("1.500 tekens over de schulden " * 10).strip()
    expire(caseworker)
    response = caseworker.post(edit_url(intake), form_data(intake, financien=(2, "none", typed)))
    # Signed out, sent to sign in with the way back; nothing saved yet, but parked.
    assert response.status_code == 302
    assert response["Location"] == f"/aanmelden/?next=%2Fintakes%2F{intake.pk}%2Fbewerken%2F"
    assert note(intake) == ""
    assert ParkedSave.objects.filter(intake=intake, user__username="consulent").count() == 1
    assert AuditEvent.objects.filter(action=Action.UPDATE, detail__parked=True).count() == 1

    sign_in_again(caseworker)
    response = caseworker.get(edit_url(intake), follow=True)
    assert "alsnog opgeslagen" in response.content.decode()
    assert note(intake) == typed
    assert not ParkedSave.objects.exists()


def test_a_late_autosave_is_parked_and_answered_with_json(caseworker: Client, make_intake):
    intake = make_intake()
    expire(caseworker)
    response = caseworker.post(
        autosave_url(intake),
        form_data(intake, financien=(2, "none", "laat")),
        HTTP_X_ZRM_SCRIPT="1",
    )
    assert response.status_code == 401
    assert response.json() == {"expired": True, "parked": True}
    assert ParkedSave.objects.get(intake=intake).fields()["financien-notes"] == "laat"


def test_a_late_save_without_a_valid_csrf_token_is_not_parked(demo_users, make_intake, settings):
    settings.AXES_ENABLED = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_users["consulent"])
    intake = make_intake()
    expire(client)
    client.post(edit_url(intake), form_data(intake, financien=(2, "none", "vals")))
    assert not ParkedSave.objects.exists()


def test_a_parked_save_goes_when_the_draft_is_finalised_meanwhile(caseworker: Client, make_intake):
    intake = make_intake(domains={"financien": (2, "confirmed", "")})
    expire(caseworker)
    caseworker.post(edit_url(intake), form_data(intake, justitie=(3, "none", "PARKED-CANARY")))
    assert ParkedSave.objects.filter(intake=intake).exists()  # positive control
    finalise_now(intake)
    assert not ParkedSave.objects.filter(intake=intake).exists()
    sign_in_again(caseworker)
    caseworker.get(edit_url(intake))
    assert not [a for a in DomainAssessment.objects.all() if "PARKED-CANARY" in a.notes]


def test_a_parked_save_is_sealed_and_its_key_goes_with_the_draft(caseworker: Client, make_intake):
    intake = make_intake(domains={"financien": (2, "confirmed", "")})
    expire(caseworker)
    caseworker.post(edit_url(intake), form_data(intake, justitie=(3, "none", "PARKED-CANARY")))
    parked = ParkedSave.objects.get(intake=intake)
    assert parked.fields()["justitie-notes"] == "PARKED-CANARY"  # positive control
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM intake_parkedsave WHERE id = %s", [parked.pk])
        column = bytes(cursor.fetchone()[0])
    assert b"PARKED-CANARY" not in column  # the column holds only the envelope
    keys = parked.stored_key_ids()
    assert keys and DataKey.objects.filter(id__in=keys).count() == len(keys)
    finalise_now(intake)
    assert not DataKey.objects.filter(id__in=keys).exists()
    assert set(DataKey.objects.values_list("id", flat=True)) == set(referenced_key_ids())


def test_a_parked_save_that_conflicts_is_shown_not_written(caseworker: Client, make_intake):
    intake = make_intake()
    expire(caseworker)
    caseworker.post(edit_url(intake), form_data(intake, financien=(2, "none", "mijn late tekst")))
    other = Client()
    other.force_login(intake.caseworker)
    other.post(edit_url(intake), form_data(intake, financien=(3, "none", "ander tabblad")))
    sign_in_again(caseworker)
    page = caseworker.get(edit_url(intake)).content.decode()
    assert note(intake) == "ander tabblad"
    assert "mijn late tekst" in page and "ander tabblad" in page
    assert "Kies bij elk gemarkeerd domein" in page


# ---- a second save after a conflict ---------------------------------------------------


def conflict_page_data(client: Client, intake, mine: str) -> dict[str, str]:
    """Tab A saves on the old version after tab B saved: the form comes back; these are
    the fields it carries (the typed values, the new version, the domains in conflict)."""
    response = client.post(edit_url(intake), form_data(intake, financien=(2, "none", mine)))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.conflicts == ["financien"]
    data = {name: form[name].value() for name in form.fields if name != "financien-keuze"}
    return {k: "" if v is None else str(v) for k, v in data.items()}


def test_a_second_save_after_a_conflict_never_silently_overwrites_the_other_tabs_note(
    signed_in, make_intake
):
    """Fails on the code before this change: the second save overwrote tab B's note."""
    intake = make_intake()
    tab_a, tab_b = signed_in("consulent"), signed_in("consulent")
    tab_b.post(edit_url(intake), form_data(intake, financien=(3, "none", "notitie van B")))
    again = conflict_page_data(tab_a, intake, "notitie van A")
    response = tab_a.post(edit_url(intake), again)
    assert response.status_code == 200
    assert "Kies of uw invoer of de opgeslagen versie" in response.content.decode()
    assert note(intake) == "notitie van B"


def test_after_a_conflict_the_caseworker_chooses_per_domain(signed_in, make_intake):
    intake = make_intake()
    tab_a, tab_b = signed_in("consulent"), signed_in("consulent")
    tab_b.post(edit_url(intake), form_data(intake, financien=(3, "none", "notitie van B")))
    again = conflict_page_data(tab_a, intake, "notitie van A")
    tab_a.post(edit_url(intake), {**again, "financien-keuze": "opgeslagen"})
    assert note(intake) == "notitie van B"

    intake.refresh_from_db()
    seen_by_a = form_data(intake)["version"]  # tab A reloads, then B saves once more
    tab_b.post(edit_url(intake), form_data(intake, financien=(3, "none", "B, tweede keer")))
    intake.version = int(seen_by_a)
    again = conflict_page_data(tab_a, intake, "A, bewust")
    tab_a.post(edit_url(intake), {**again, "financien-keuze": "mijn"})
    assert note(intake) == "A, bewust"
