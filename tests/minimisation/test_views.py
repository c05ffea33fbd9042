import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from intake.models import DomainAssessment, IntakeStatus, Resident
from minimisation.models import DecisionRecord
from tests.factories import finalise_now
from tests.minimisation.pages import confirm_url, preview_form, preview_url


@pytest.mark.django_db
def test_the_preview_shows_per_domain_keep_or_discard_with_the_reason(make_intake, signed_in):
    intake = make_intake(
        domains={"financien": (2, "confirmed", "x"), "justitie": (2, "confirmed", "y")}
    )
    response = signed_in("consulent").get(preview_url(intake))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="domain-financien"' in html
    assert "Strafrechtelijke gegevens worden onder de Wmo 2015 nooit bewaard" in html
    assert "bewaren" in html and "vernietigen" in html
    assert AuditEvent.objects.filter(action=Action.PREVIEW, object_id=str(intake.pk)).exists()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.DRAFT  # the preview changes nothing


@pytest.mark.django_db
def test_confirming_finalises_and_shows_the_decision(make_intake, signed_in):
    intake = make_intake(domains={"financien": (2, "confirmed", "x")})
    client = signed_in("consulent")
    response = client.post(preview_url(intake), preview_form(client, intake), follow=True)
    assert response.redirect_chain[-1][0] == reverse("minimisation:decision", args=[intake.pk])
    assert "De intake is afgerond" in response.content.decode()
    assert DecisionRecord.objects.filter(intake=intake).count() == 1


@pytest.mark.django_db
def test_finalising_twice_shows_a_message_and_keeps_one_decision(make_intake, signed_in):
    intake = make_intake(domains={"financien": (2, "confirmed", "x")})
    client = signed_in("consulent")
    form = preview_form(client, intake)
    client.post(preview_url(intake), form)
    response = client.post(preview_url(intake), form, follow=True)
    assert "al afgerond" in response.content.decode()
    assert DecisionRecord.objects.filter(intake=intake).count() == 1


@pytest.mark.django_db
def test_someone_elses_intake_is_a_404_for_preview_and_finalise(make_intake, signed_in):
    intake = make_intake(domains={"financien": (2, "confirmed", "x")})
    client = signed_in("consulent2")
    assert client.get(preview_url(intake)).status_code == 404
    digest = preview_form(signed_in("consulent"), intake)["digest"]
    assert client.post(preview_url(intake), {"digest": digest}).status_code == 404
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.DRAFT


@pytest.mark.django_db
def test_a_confirmed_need_without_score_is_explained_and_nothing_is_done(make_intake, signed_in):
    intake = make_intake(
        domains={"financien": (2, "confirmed", "x"), "justitie": (None, "confirmed", "y")}
    )
    rows = DomainAssessment.objects.filter(intake=intake).count()
    client = signed_in("consulent")
    page = client.get(preview_url(intake)).content.decode()
    assert "zonder score" in page
    assert "Domein: Justitie" in page
    assert "Afronden en de rest vernietigen" not in page
    response = client.post(preview_url(intake), {"digest": ""}, follow=True)
    assert "zonder score" in response.content.decode()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.DRAFT
    assert DomainAssessment.objects.filter(intake=intake).count() == rows


@pytest.mark.django_db
@pytest.mark.parametrize("posted", [{}, {"digest": ""}, {"digest": "0" * 64}, {"digest": "é"}])
def test_a_missing_or_forged_digest_is_refused_with_a_message(make_intake, signed_in, posted):
    intake = make_intake(domains={"financien": (2, "confirmed", "x"), "werk": (3, "none", "y")})
    rows = DomainAssessment.objects.filter(intake=intake).count()
    client = signed_in("consulent")
    response = client.post(preview_url(intake), {**posted, "bevestigd": "ja"}, follow=True)
    assert response.status_code == 200
    assert "gewijzigd sinds het voorbeeld" in response.content.decode()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.DRAFT
    assert DomainAssessment.objects.filter(intake=intake).count() == rows


@pytest.mark.django_db
def test_a_change_to_the_intake_after_the_preview_is_refused(make_intake, signed_in):
    intake = make_intake(domains={"financien": (2, "confirmed", "x")})
    client = signed_in("consulent")
    form = preview_form(client, intake)
    DomainAssessment.objects.create(
        intake=intake, domain="werk", score=3, help_need="none", notes="later"
    )
    rows = DomainAssessment.objects.filter(intake=intake).count()
    response = client.post(preview_url(intake), form, follow=True)
    assert "gewijzigd sinds het voorbeeld" in response.content.decode()
    assert DomainAssessment.objects.filter(intake=intake).count() == rows


@pytest.mark.django_db
def test_a_bad_intake_id_is_a_404(signed_in):
    assert signed_in("consulent").get("/intakes/999999/afronden/").status_code == 404


@pytest.mark.django_db
def test_the_register_page_is_for_the_privacy_officer_only(signed_in):
    url = reverse("minimisation:register")
    response = signed_in("privacy").get(url)
    assert response.status_code == 200
    assert "WMO-JUSTITIE" in response.content.decode()
    for username in ("consulent", "teamleider", "beheer"):
        assert signed_in(username).get(url).status_code == 404


@pytest.mark.django_db
def test_the_register_downloads_as_csv_and_is_audited(signed_in):
    response = signed_in("privacy").get(reverse("minimisation:register") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert b"rule_id" in response.content
    assert AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.django_db
def test_a_need_the_framework_cannot_serve_is_explained_on_the_preview(make_intake, signed_in):
    intake = make_intake(domains={"justitie": (1, "confirmed", "y")})
    html = signed_in("consulent").get(preview_url(intake)).content.decode()
    assert 'data-testid="unserved"' in html
    assert 'data-testid="no-help-need"' in html


@pytest.mark.django_db
def test_the_admin_shows_decisions_read_only_with_their_ground(make_intake, signed_in):
    # The review admin is the privacy officer's (a superuser without the role sees nothing).
    intake = make_intake(domains={"financien": (2, "confirmed", "x")})
    client = signed_in("privacy")
    record = finalise_now(intake)
    page = client.get(f"/beheer/minimisation/decisionrecord/{record.pk}/change/")
    assert page.status_code == 200
    assert "WMO-DOMEIN" in page.content.decode()
    assert client.get("/beheer/minimisation/decisionrecord/add/").status_code == 403


@pytest.mark.django_db
def test_a_domain_the_instrument_does_not_know_is_shown_and_destroyed(make_intake, signed_in):
    intake = make_intake(
        domains={"financien": (2, "confirmed", "x"), "dagbesteding": (3, "none", "y")}
    )
    client = signed_in("consulent")
    assert 'data-testid="domain-dagbesteding"' in client.get(preview_url(intake)).content.decode()
    client.post(preview_url(intake), preview_form(client, intake))
    assert not DomainAssessment.objects.filter(intake=intake, domain="dagbesteding").exists()


@pytest.mark.django_db
def test_finalising_refuses_when_what_the_preview_showed_no_longer_holds(make_intake, signed_in):
    # The name stays only because another draft of the same resident still needs it.
    intake = make_intake(domains={"financien": (4, "none", "")})
    other = make_intake(resident=intake.resident, framework="schuldhulp")
    client = signed_in("consulent")
    assert "GEDEELD" in client.get(preview_url(intake)).content.decode()
    form = preview_form(client, intake)
    other.delete()  # the other intake disappears between preview and finalise
    response = client.post(preview_url(intake), form, follow=True)
    assert "gewijzigd sinds het voorbeeld" in response.content.decode()
    assert Resident.objects.get(pk=intake.resident_id).name == intake.resident.name
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.DRAFT
    # Positive control: a fresh preview (the name now discarded) finalises.
    response = client.post(preview_url(intake), preview_form(client, intake), follow=True)
    assert "De intake is afgerond" in response.content.decode()
    assert Resident.objects.get(pk=intake.resident_id).name == ""


# ---- the confirmation step ------------------------------------------------------------


@pytest.mark.django_db
def test_the_confirmation_lists_what_will_be_destroyed_with_the_typed_values(
    make_intake, signed_in
):
    intake = make_intake(
        domains={"financien": (2, "confirmed", "blijft"), "justitie": (3, "none", "TYPED-7c1")}
    )
    page = signed_in("consulent").get(confirm_url(intake)).content.decode()
    table = page[page.index('data-testid="destroyed-values"') :]
    table = table[: table.index("</table>")]
    assert "TYPED-7c1" in table and "Justitie" in table
    assert "blijft" not in table  # a kept value is not listed as destroyed
    assert "opgeslagen versie" in page


@pytest.mark.django_db
def test_finalising_without_the_deliberate_confirm_destroys_nothing(make_intake, signed_in):
    intake = make_intake(domains={"financien": (2, "confirmed", "x"), "justitie": (3, "none", "y")})
    client = signed_in("consulent")
    form = preview_form(client, intake)
    del form["bevestigd"]
    response = client.post(preview_url(intake), form, follow=True)
    assert "vink aan dat u hebt gecontroleerd" in response.content.decode()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.DRAFT
    client.post(preview_url(intake), {**form, "bevestigd": "ja"})  # positive control
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.FINALISED


@pytest.mark.django_db
def test_an_unknown_help_need_on_a_discussed_domain_must_be_decided_or_accepted(
    make_intake, signed_in
):
    intake = make_intake(
        domains={"financien": (2, "confirmed", "x"), "huisvesting": (3, "unknown", "y")}
    )
    client = signed_in("consulent")
    assert "Huisvesting" in client.get(preview_url(intake)).content.decode()
    form = preview_form(client, intake)
    assert form.pop("onbekend_geaccepteerd") == "ja"  # the page asks for it
    response = client.post(preview_url(intake), form, follow=True)
    assert "staat nog op &#x27;onbekend&#x27; in Huisvesting" in response.content.decode()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.DRAFT
    client.post(preview_url(intake), {**form, "onbekend_geaccepteerd": "ja"})
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.FINALISED


@pytest.mark.django_db
def test_the_no_help_need_alert_never_contradicts_a_shared_field_row(make_intake, signed_in):
    """With another draft of the same resident, the resident's name stays (GEDEELD): the
    alert must not say that all resident data are destroyed."""
    first = make_intake(domains={"financien": (4, "none", "")})
    make_intake(resident=first.resident)
    page = signed_in("consulent").get(preview_url(first)).content.decode()
    assert 'data-keep="ja"' in page and "GEDEELD" in page
    assert "alle gegevens over de inwoner en de domeinen worden vernietigd" not in page
    assert "die een andere lopende intake nog nodig heeft" in page
