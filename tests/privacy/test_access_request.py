import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from minimisation.labels import field_label
from minimisation.models import KeptField


def access_url(resident) -> str:
    return reverse("privacy:access", kwargs={"ref": resident.ref})


@pytest.mark.django_db
def test_the_access_report_shows_every_kept_field_and_no_discarded_one(canary_intake, signed_in):
    response = signed_in("privacy").get(access_url(canary_intake["resident"]))
    assert response.status_code == 200
    html = response.content.decode()
    for value in canary_intake["kept"]:
        assert value in html
    for value in canary_intake["discarded"]:
        assert value not in html
    # Every KeptField row appears with its rule.
    kept = KeptField.objects.filter(decision=canary_intake["record"])
    assert kept.count() > 10
    for row in kept:
        key = f"{row.domain}:{row.field}" if row.domain else row.field
        assert f'data-field="{key}"' in html
        assert str(field_label(row.field)) in html
        assert row.rule_id in html
    assert "Financiën: toelichting" in html
    assert "Justitie" not in html.split("Wie uw gegevens")[0].split("Intakes")[1]


@pytest.mark.django_db
def test_the_json_report_holds_the_same_kept_fields_and_no_discarded_value(
    canary_intake, signed_in
):
    response = signed_in("privacy").get(access_url(canary_intake["resident"]) + "?format=json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    for value in canary_intake["kept"]:
        assert value in text
    for value in canary_intake["discarded"]:
        assert value not in text
    data = json.loads(text)
    reported = {(f["domain"], f["field"], f["rule"]) for f in data["intakes"][0]["fields"]}
    stored = set(
        KeptField.objects.filter(decision=canary_intake["record"]).values_list(
            "domain", "field", "rule_id"
        )
    )
    assert reported == stored
    for f in data["intakes"][0]["fields"]:
        assert f["legal_basis"]
        assert f["retention_until"]


@pytest.mark.django_db
def test_the_access_history_matches_the_audit_log_for_this_resident_only(
    canary_intake, make_intake, signed_in
):
    other = make_intake(name="Ander", domains={"financien": (2, "confirmed", "")})
    client = signed_in("privacy")
    client.get(access_url(other.resident))  # another resident's events must not show
    response = client.get(access_url(canary_intake["resident"]) + "?format=json")
    history = json.loads(response.content)["access_history"]
    ref = str(canary_intake["resident"].ref)
    expected = [
        {"ts": e.ts.isoformat(), "role": e.actor_role, "action": e.action, "outcome": e.outcome}
        for e in AuditEvent.objects.filter(resident_ref=ref).order_by("id")
    ]
    assert history == expected
    actions = [h["action"] for h in history]
    assert Action.FINALISE in actions and Action.DISCARD in actions
    assert actions[-1] == Action.EXPORT  # producing the report is itself in the history
    assert len(history) < AuditEvent.objects.exclude(resident_ref="").count()


@pytest.mark.django_db
def test_producing_the_report_is_audited_without_personal_data(canary_intake, signed_in):
    signed_in("privacy").get(access_url(canary_intake["resident"]))
    event = AuditEvent.objects.filter(action=Action.READ, actor="privacy").latest("id")
    assert event.resident_ref == str(canary_intake["resident"].ref)
    assert event.detail == {"gdpr": "art15", "format": "html"}
    dumped = json.dumps(list(AuditEvent.objects.values()), default=str)
    for value in canary_intake["kept"] + canary_intake["discarded"]:
        assert value not in dumped


@pytest.mark.django_db
def test_the_resident_is_found_by_a_posted_name_and_the_term_is_not_logged(
    canary_intake, signed_in
):
    client = signed_in("privacy")
    response = client.post(reverse("privacy:lookup"), {"q": "KANARIE-NAAM"})
    assert response.status_code == 200
    assert access_url(canary_intake["resident"]) in response.content.decode()
    event = AuditEvent.objects.filter(action=Action.SEARCH).latest("id")
    assert event.detail["results"] == 1
    assert "KANARIE" not in json.dumps(event.detail)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("term", "matches"),
    [("123456782", True), ("29-02-1980", True), ("nobody-at-all", False)],
)
def test_the_resident_is_found_by_bsn_and_birth_date(canary_intake, signed_in, term, matches):
    response = signed_in("privacy").post(reverse("privacy:lookup"), {"q": term})
    assert (access_url(canary_intake["resident"]) in response.content.decode()) is matches


@pytest.mark.django_db
def test_the_resident_is_found_by_reference(canary_intake, signed_in):
    ref = str(canary_intake["resident"].ref)
    response = signed_in("privacy").post(reverse("privacy:lookup"), {"q": ref})
    assert access_url(canary_intake["resident"]) in response.content.decode()


@pytest.mark.django_db
def test_an_empty_search_gets_a_dutch_message(signed_in):
    response = signed_in("privacy").post(reverse("privacy:lookup"), {"q": ""})
    assert response.status_code == 400
    assert "Vul een naam, geboortedatum, BSN of referentie in." in response.content.decode()


@pytest.mark.django_db
def test_a_draft_is_reported_with_everything_captured_under_the_draft_term(make_intake, signed_in):
    intake = make_intake(name="KANARIE-CONCEPT", domains={"justitie": (3, "unknown", "KANARIE-J")})
    response = signed_in("privacy").get(access_url(intake.resident) + "?format=json")
    data = json.loads(response.content)
    fields = data["intakes"][0]["fields"]
    assert {f["rule"] for f in fields} == {"CONCEPT"}
    assert {"KANARIE-CONCEPT", "KANARIE-J"} <= {f["value"] for f in fields}
    # Kept through day 41 after creation; the sweep of day 42 destroys it.
    until = timezone.localdate(intake.created_at) + dt.timedelta(days=41)
    assert {f["retention_until"] for f in fields} == {until.isoformat()}
