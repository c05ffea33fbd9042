"""The assessment form: saving, bad input, a stale form, a double submit."""

import json
import re

import pytest

from audit.models import Action, AuditEvent
from intake.field_help import help_text_for
from intake.models import DomainAssessment
from tests.intake.conftest import CANARY_NOTE, form_data


def url(intake) -> str:
    return f"/intakes/{intake.pk}/bewerken/"


def stored(intake, domain: str) -> DomainAssessment:
    return DomainAssessment.objects.get(intake=intake, domain=domain)


def test_the_form_has_one_fieldset_per_domain_with_the_dutch_name_as_heading_in_its_legend(
    signed_in, make_intake
):
    intake = make_intake()
    page = signed_in("consulent").get(url(intake)).content.decode()
    assert page.count('<fieldset id="domein-') == 13
    # A heading per domain: screen reader users jump from domain to domain.
    assert re.search(
        r"<legend[^>]*><h2 class='zrm-domain__heading'>Werk &amp; opleiding</h2></legend>", page
    )
    assert "1 – acute problematiek" in page and "5 – volledig zelfredzaam" in page
    # "niet besproken" is the default choice of every domain.
    assert len(re.findall(r'value=""[^>]*\sid="id_[a-z_]+-score_0"[^>]*\schecked', page)) == 13
    assert help_text_for("wmo", "financien", "score") in page


def test_saving_a_draft_stores_scores_and_audits_which_domains_changed(signed_in, make_intake):
    intake = make_intake()
    data = form_data(
        intake,
        financien=(2, "confirmed", CANARY_NOTE),
        huisvesting=(4, "none", ""),
    )
    response = signed_in("consulent").post(url(intake), data)
    assert response.status_code == 302 and response["Location"] == url(intake)
    assert (stored(intake, "financien").score, stored(intake, "financien").help_need) == (
        2,
        "confirmed",
    )
    assert stored(intake, "financien").notes == CANARY_NOTE
    intake.refresh_from_db()
    assert intake.version == 2
    event = AuditEvent.objects.filter(action=Action.UPDATE).latest("id")
    assert sorted(event.detail["domains_changed"]) == ["financien", "huisvesting"]
    assert CANARY_NOTE not in json.dumps(list(AuditEvent.objects.values()), default=str)


@pytest.mark.parametrize("score", ["0", "6", "abc", "2.5", "-1"])
def test_a_score_outside_1_to_5_or_not_a_number_is_refused_next_to_the_field(
    signed_in, make_intake, score
):
    intake = make_intake()
    data = form_data(
        intake, financien=(score, "none", "mijn tekst"), justitie=(3, "none", "blijft")
    )
    response = signed_in("consulent").post(url(intake), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kies een score van 1 tot en met 5" in page
    assert "mijn tekst" in page and "blijft" in page  # the input is kept
    assert stored(intake, "financien").score is None
    assert stored(intake, "justitie").score is None  # nothing saved at all


def test_confirmed_help_need_on_a_domain_not_discussed_is_refused(signed_in, make_intake):
    intake = make_intake()
    data = form_data(intake, financien=("", "confirmed", ""), huisvesting=(2, "confirmed", ""))
    page = signed_in("consulent").post(url(intake), data).content.decode()
    assert "alleen bevestigd worden in een besproken domein" in page
    assert 'id="id_financien-help_need"' in page
    assert stored(intake, "huisvesting").score is None


def test_an_unknown_help_need_value_is_refused(signed_in, make_intake):
    intake = make_intake()
    page = signed_in("consulent").post(url(intake), form_data(intake, financien=(2, "jazeker", "")))
    assert (
        "Kies ‘ja, bevestigd’, ‘nee, geen hulpvraag’ of ‘nog niet bepaald’" in page.content.decode()
    )


def test_notes_over_2000_characters_are_refused_and_kept(signed_in, make_intake):
    intake = make_intake()
    long_note = "x" * 2001
    page = (
        signed_in("consulent")
        .post(url(intake), form_data(intake, financien=(3, "none", long_note)))
        .content.decode()
    )
    assert "maximaal 2000 tekens (nu 2001)" in page
    assert long_note in page
    assert stored(intake, "financien").notes == ""


def test_notes_of_exactly_2000_characters_are_accepted(signed_in, make_intake):
    intake = make_intake()
    signed_in("consulent").post(url(intake), form_data(intake, financien=(3, "none", "y" * 2000)))
    assert len(stored(intake, "financien").notes) == 2000


def test_notes_on_a_domain_not_discussed_are_refused_because_nothing_is_stored_for_it(
    signed_in, make_intake
):
    intake = make_intake()
    page = (
        signed_in("consulent")
        .post(url(intake), form_data(intake, justitie=("", "unknown", CANARY_NOTE)))
        .content.decode()
    )
    assert "Bij &#x27;niet besproken&#x27; wordt niets vastgelegd" in page
    assert CANARY_NOTE in page
    assert stored(intake, "justitie").notes == ""


def test_a_stale_form_shows_a_conflict_message_keeps_the_input_and_overwrites_nothing(
    signed_in, make_intake
):
    intake = make_intake()
    stale = form_data(intake, financien=(1, "confirmed", "uit het oude tabblad"))
    first_tab = form_data(intake, financien=(4, "none", "eerst opgeslagen"))
    client = signed_in("consulent")
    client.post(url(intake), first_tab)
    response = client.post(url(intake), stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert "heeft deze intake intussen opgeslagen" in page
    assert "Verschillen met de opgeslagen versie in:" in page and "Financiën" in page
    assert "uit het oude tabblad" in page
    assert stored(intake, "financien").notes == "eerst opgeslagen"
    assert stored(intake, "financien").score == 4
    # The re-rendered form carries the current version: saving again is a deliberate choice.
    assert 'name="version" value="2"' in page


def test_a_double_submit_saves_once_and_shows_no_conflict(signed_in, make_intake):
    intake = make_intake()
    data = form_data(intake, financien=(3, "unknown", "één keer"))
    client = signed_in("consulent")
    first = client.post(url(intake), data)
    second = client.post(url(intake), data)
    assert first.status_code == second.status_code == 302
    intake.refresh_from_db()
    assert intake.version == 2
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 1
    assert "Er was niets gewijzigd" in client.get(url(intake)).content.decode()


def test_a_missing_or_broken_version_is_a_form_error_not_a_500(signed_in, make_intake):
    intake = make_intake()
    data = form_data(intake)
    data["version"] = "abc"
    response = signed_in("consulent").post(url(intake), data)
    assert response.status_code == 200
    assert stored(intake, "financien").score is None


def test_each_domain_shows_our_own_description_under_its_legend(signed_in, make_intake):
    intake = make_intake()
    page = signed_in("consulent").get(url(intake)).content.decode()
    assert "Inkomen, uitgaven, schulden en het beheer daarvan." in page
