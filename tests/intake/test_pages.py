"""The caseworker pages: list, new intake, detail, reassessment, access."""

import datetime as dt
import json
import re

import pytest

from audit.context import AuditContext
from audit.models import Action, AuditEvent
from intake.models import DomainAssessment, Intake, IntakeStatus, Resident
from intake.services import DomainValues, save_assessment
from tests.intake.conftest import CANARY_NAME, form_data

TEST_CONTEXT = AuditContext.system("test")


def new_resident_post(**overrides: str) -> dict[str, str]:
    data = {
        "name": CANARY_NAME,
        "date_of_birth": "1980-05-01",
        "bsn": "111222333",
        "address": "",
        "phone": "",
        "email": "",
        "framework": "wmo",
        "instrument_version": "zrm2017",
        "token": "5d0c7f0e-1b7c-4a57-9d3e-3b1f3f6f7a11",
    }
    data.update(overrides)
    return data


# --- Mijn intakes -------------------------------------------------------------------


def test_the_list_shows_only_the_users_own_intakes_newest_change_first(signed_in, make_intake):
    older = make_intake(name="Oudere Intake")
    newer = make_intake(name="Nieuwere Intake")
    make_intake("consulent2", name="Van Een Ander")
    Intake.objects.filter(pk=older.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    page = signed_in("consulent").get("/intakes/").content.decode()
    assert page.index("Nieuwere Intake") < page.index("Oudere Intake")
    assert "Van Een Ander" not in page
    assert newer.resident.name in page


def test_the_list_searches_by_name_or_reference_and_filters(signed_in, make_intake):
    wmo = make_intake(name="Anna Zoekbaar")
    make_intake(name="Bert Anders", framework="jeugdwet")
    client = signed_in("consulent")
    by_name = client.post("/intakes/", {"q": "zoekbaar"}).content.decode()
    assert "Anna Zoekbaar" in by_name and "Bert Anders" not in by_name
    by_ref = client.post("/intakes/", {"q": str(wmo.resident.ref)}).content.decode()
    assert "Anna Zoekbaar" in by_ref and "Bert Anders" not in by_ref
    by_framework = client.post("/intakes/", {"framework": "jeugdwet"}).content.decode()
    assert "Bert Anders" in by_framework and "Anna Zoekbaar" not in by_framework
    finalised = client.post("/intakes/", {"status": "finalised"}).content.decode()
    assert "Geen intakes gevonden" in finalised


def test_search_terms_are_posted_never_put_in_a_url(signed_in, make_intake):
    make_intake(name="Anna Zoekbaar")
    make_intake(name="Bert Anders")
    client = signed_in("consulent")
    listing = client.get("/intakes/", {"q": "zoekbaar"}).content.decode()
    assert "Bert Anders" in listing  # a search in the query string is ignored
    assert 'id="intake-filter"' in listing and 'method="post"' in listing
    assert 'method="post"' in client.get("/intakes/nieuw/").content.decode()


def test_search_results_page_by_posting_the_search_again(signed_in, make_intake):
    for n in range(23):
        make_intake(name=f"Zoek {n:02d}")
    make_intake(name="Niet Gevonden")
    client = signed_in("consulent")
    first = client.post("/intakes/", {"q": "zoek"}).content.decode()
    assert 'form="intake-filter" name="pagina" value="2"' in first
    second = client.post("/intakes/", {"q": "zoek", "pagina": "2"}).content.decode()
    assert second.count('/">Zoek ') == 3  # result links, href="/intakes/<pk>/"
    assert "Niet Gevonden" not in second


def test_the_list_is_paginated(signed_in, make_intake):
    for n in range(22):
        make_intake(name=f"Persoon {n:02d}")
    client = signed_in("consulent")
    first = client.get("/intakes/").content.decode()
    second = client.get("/intakes/", {"pagina": 2}).content.decode()
    assert "Pagina 1 van 2" in first and "Pagina 2 van 2" in second
    assert first.count('">Persoon ') == 20
    assert second.count('">Persoon ') == 2


def test_a_search_is_audited_without_the_search_term(signed_in, make_intake):
    make_intake(name=CANARY_NAME)
    signed_in("consulent").post("/intakes/", {"q": CANARY_NAME, "status": "draft"})
    event = AuditEvent.objects.filter(action=Action.SEARCH).latest("id")
    assert event.detail["searched"] is True
    assert event.detail["filters"] == ["status"]
    assert CANARY_NAME not in json.dumps(event.detail)


def test_an_invalid_filter_value_is_not_a_500(signed_in):
    response = signed_in("consulent").post("/intakes/", {"status": "<script>", "pagina": "x"})
    assert response.status_code == 200
    main = response.content.decode().split("<main")[1]
    assert "<script>" not in main
    # The invalid choice is marked for assistive technology and tied to its message.
    assert 'aria-invalid="true"' in main and 'aria-describedby="id_status_error"' in main
    assert 'id="id_status_error"' in main


# --- Nieuwe intake -------------------------------------------------------------------


def test_a_caseworker_creates_a_resident_and_an_intake(signed_in, demo_users):
    response = signed_in("consulent").post("/intakes/nieuw/", new_resident_post())
    intake = Intake.objects.search(CANARY_NAME).get()
    assert response.status_code == 302
    assert response["Location"] == f"/intakes/{intake.pk}/bewerken/"
    assert intake.caseworker == demo_users["consulent"]
    assert intake.team.name == "Team Noord"
    assert intake.assessments.count() == 13
    assert all(a.score is None for a in intake.assessments.all())
    assert demo_users["consulent"].has_perm("change_intake", intake)
    actions = list(
        AuditEvent.objects.filter(action=Action.CREATE).values_list("object_type", flat=True)
    )
    assert actions[-2:] == ["resident", "intake"]
    assert CANARY_NAME not in json.dumps(list(AuditEvent.objects.values()), default=str)


def test_a_double_submitted_new_intake_form_creates_one_intake(signed_in):
    client = signed_in("consulent")
    first = client.post("/intakes/nieuw/", new_resident_post())
    second = client.post("/intakes/nieuw/", new_resident_post())
    assert Intake.objects.search(CANARY_NAME).count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bsn", "123456789", "11-proef"),
        ("date_of_birth", "2999-01-01", "toekomst"),
        ("date_of_birth", "1899-12-31", "1900"),
        ("date_of_birth", "gisteren", "geldige datum"),
        ("name", "", "Vul de naam"),
    ],
)
def test_bad_resident_input_gets_a_dutch_message_and_keeps_the_input(
    signed_in, field, value, message
):
    response = signed_in("consulent").post("/intakes/nieuw/", new_resident_post(**{field: value}))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert re.search(
        rf'<[^>]*id="id_{field}"[^>]*aria-invalid="true"|<[^>]*aria-invalid="true"[^>]*id="id_{field}"',
        page,
    )
    if value:
        assert f'value="{value}"' in page
    assert not Resident.objects.matching(CANARY_NAME).exists()


def test_an_eight_digit_bsn_is_stored_with_a_leading_zero(signed_in):
    signed_in("consulent").post("/intakes/nieuw/", new_resident_post(bsn="12345672"))
    assert Resident.objects.matching(CANARY_NAME).get().bsn == "012345672"


def test_a_caseworker_finds_only_residents_they_may_see(signed_in, make_intake):
    own = make_intake(name="Eigen Inwoner", date_of_birth=dt.date(1970, 1, 2))
    make_intake("consulent2", name="Eigen Ander")
    client = signed_in("consulent")
    page = client.post("/intakes/nieuw/", {"q": "eigen", "zoek": "Zoeken"}).content.decode()
    assert "Eigen Inwoner" in page and "Eigen Ander" not in page
    by_birth_date = client.post(
        "/intakes/nieuw/", {"q": "02-01-1970", "zoek": "Zoeken"}
    ).content.decode()
    assert "Eigen Inwoner" in by_birth_date
    own.resident.bsn = "111222333"
    own.resident.save()
    by_bsn = client.post("/intakes/nieuw/", {"q": "111222333", "zoek": "Zoeken"})
    assert "Eigen Inwoner" in by_bsn.content.decode()
    assert Intake.objects.search("Eigen").count() == 2  # nothing new


def test_a_caseworker_starts_an_intake_for_a_found_resident(signed_in, make_intake):
    earlier = make_intake(name="Bekende Inwoner")
    client = signed_in("consulent")
    chosen = client.get("/intakes/nieuw/", {"inwoner": str(earlier.resident.ref)})
    assert "Bekende Inwoner" in chosen.content.decode()
    client.post(
        "/intakes/nieuw/",
        {
            "inwoner": str(earlier.resident.ref),
            "framework": "participatiewet",
            "instrument_version": "zrm2013",
            "token": "0b7f9a57-1d6e-4b0e-8f55-2d0a1f2c3b4d",
            "toch_nieuw": "ja",  # the resident's open draft is offered first
        },
    )
    latest = Intake.objects.filter(resident=earlier.resident).latest("pk")
    assert latest.framework == "participatiewet"
    assert latest.assessments.count() == 11


def test_a_foreign_resident_reference_is_a_404(signed_in, make_intake):
    other = make_intake("consulent2")
    client = signed_in("consulent")
    assert client.get("/intakes/nieuw/", {"inwoner": str(other.resident.ref)}).status_code == 404
    assert client.get("/intakes/nieuw/", {"inwoner": "geen-uuid"}).status_code == 404


def test_only_a_caseworker_may_start_an_intake(signed_in):
    assert signed_in("privacy").get("/intakes/nieuw/").status_code == 403


# --- Detail and reassessment --------------------------------------------------------


def test_the_detail_page_shows_the_profile_as_svg_and_table_and_is_audited(signed_in, make_intake):
    intake = make_intake()
    save_assessment(
        intake,
        1,
        {"financien": DomainValues(2, "confirmed", ""), "justitie": DomainValues(5, "none", "")},
        context=TEST_CONTEXT,
    )
    page = signed_in("consulent").get(f"/intakes/{intake.pk}/").content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page
    assert 'class="zrm-bar zrm-score-2"' in page
    assert "2 – niet zelfredzaam" in page
    assert page.count("niet besproken") >= 11
    event = AuditEvent.objects.filter(action=Action.READ).latest("id")
    assert event.resident_ref == str(intake.resident.ref)
    assert event.object_id == str(intake.pk)


def test_html_in_notes_is_shown_escaped(signed_in, make_intake):
    intake = make_intake()
    save_assessment(
        intake,
        1,
        {"financien": DomainValues(3, "none", "<script>alert(1)</script>")},
        context=TEST_CONTEXT,
    )
    client = signed_in("consulent")
    for url in (f"/intakes/{intake.pk}/", f"/intakes/{intake.pk}/bewerken/"):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_nieuwe_meting_creates_a_linked_draft_once_and_shows_the_change(signed_in, make_intake):
    first = make_intake()
    save_assessment(first, 1, {"financien": DomainValues(2, "confirmed", "")}, context=TEST_CONTEXT)
    Intake.objects.filter(pk=first.pk).update(status=IntakeStatus.FINALISED)
    client = signed_in("consulent")
    response = client.post(f"/intakes/{first.pk}/nieuwe-meting/")
    again = client.post(f"/intakes/{first.pk}/nieuwe-meting/")
    second = Intake.objects.get(previous=first)
    assert response["Location"] == again["Location"] == f"/intakes/{second.pk}/bewerken/"
    assert second.resident == first.resident and second.is_draft
    save_assessment(second, 1, {"financien": DomainValues(4, "none", "")}, context=TEST_CONTEXT)
    page = client.get(f"/intakes/{second.pk}/").content.decode()
    assert "Vorige meting" in page
    assert "+2" in page


def test_a_finalised_intake_is_read_only(signed_in, make_intake):
    intake = make_intake()
    Intake.objects.filter(pk=intake.pk).update(status=IntakeStatus.FINALISED)
    client = signed_in("consulent")
    response = client.get(f"/intakes/{intake.pk}/bewerken/")
    assert response.status_code == 302 and response["Location"] == f"/intakes/{intake.pk}/"
    detail = client.get(f"/intakes/{intake.pk}/").content.decode()
    assert "kan niet meer worden gewijzigd" in detail
    assert f"/intakes/{intake.pk}/bewerken/" not in detail


def test_a_save_after_the_intake_was_finalised_says_so_and_keeps_the_typed_input(
    signed_in, make_intake
):
    intake = make_intake()
    client = signed_in("consulent")
    opened = form_data(intake, financien=(3, "none", "GETYPT-NA-AFRONDEN"))
    Intake.objects.filter(pk=intake.pk).update(status=IntakeStatus.FINALISED, version=2)

    response = client.post(f"/intakes/{intake.pk}/bewerken/", opened)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze intake is intussen afgerond; uw wijzigingen zijn niet opgeslagen." in page
    assert "heeft deze intake intussen opgeslagen" not in page  # not a plain conflict
    assert "GETYPT-NA-AFRONDEN" in page
    assert DomainAssessment.objects.get(intake=intake, domain="financien").score is None
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()


@pytest.mark.parametrize("suffix", ["", "bewerken/"])
@pytest.mark.parametrize("pk", ["999999", "abc", "-1"])
def test_an_unknown_intake_id_is_a_404(signed_in, pk, suffix):
    assert signed_in("consulent").get(f"/intakes/{pk}/{suffix}").status_code == 404


def test_another_caseworkers_intake_is_a_404_everywhere(signed_in, make_intake):
    foreign = make_intake("consulent2")
    client = signed_in("consulent")
    assert client.get(f"/intakes/{foreign.pk}/").status_code == 404
    assert client.get(f"/intakes/{foreign.pk}/bewerken/").status_code == 404
    assert client.post(f"/intakes/{foreign.pk}/bewerken/", form_data(foreign)).status_code == 404
    assert client.post(f"/intakes/{foreign.pk}/nieuwe-meting/").status_code == 404


def test_signed_out_users_are_sent_to_the_sign_in_page(client, db):
    assert client.get("/intakes/")["Location"].startswith("/aanmelden/")


def test_the_navigation_links_to_the_intake_pages_for_a_caseworker(signed_in):
    page = signed_in("consulent2").get("/").content.decode()
    assert 'href="/intakes/"' in page and 'href="/intakes/nieuw/"' in page
    assert 'href="/intakes/nieuw/"' not in signed_in("teamleider").get("/").content.decode()


def test_an_unknown_intake_gets_a_dutch_not_found_page(signed_in):
    response = signed_in("consulent").get("/intakes/424242/")
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()


def test_a_page_for_another_role_gets_a_dutch_forbidden_page(signed_in):
    response = signed_in("teamleider").get("/intakes/nieuw/")
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
