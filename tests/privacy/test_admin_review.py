import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from accounts.role_setup import ROLE_PERMISSIONS, ensure_roles
from accounts.roles import APP_ADMIN, PRIVACY_OFFICER
from audit.models import Action, AuditEvent
from intake.models import Intake, Resident

INTAKE_CHANGELIST = reverse("admin:intake_intake_changelist")


def change_url(intake: Intake) -> str:
    return reverse("admin:intake_intake_change", args=[intake.pk])


@pytest.mark.django_db
def test_the_privacy_officer_sees_every_stored_field_with_rule_basis_and_date(
    canary_intake, signed_in
):
    response = signed_in("privacy").get(change_url(canary_intake["intake"]))
    assert response.status_code == 200
    html = response.content.decode()
    for value in canary_intake["kept"]:
        assert value in html
    for value in canary_intake["discarded"]:
        assert value not in html
    assert "WMO-DOMEIN" in html and "WMO-IDENTITEIT" in html
    assert "onderbouwen de hulp die op grond van de Wmo 2015" in html  # basis in words
    assert canary_intake["record"].retention_until.strftime("%d-%m-%Y") in html
    assert "beleidsversie" in html and canary_intake["record"].policy_version in html
    assert "justitie: 3" in html  # counts destroyed per domain


@pytest.mark.django_db
def test_the_admin_review_is_read_only_for_the_privacy_officer(canary_intake, signed_in):
    client = signed_in("privacy")
    intake = canary_intake["intake"]
    html = client.get(change_url(intake)).content.decode()
    assert 'type="submit"' not in html.split('id="content-main"')[1].split("</form>")[0]
    assert client.post(change_url(intake), {"framework": "jeugdwet"}).status_code == 403
    assert client.get(reverse("admin:intake_intake_add")).status_code == 403
    delete = reverse("admin:intake_intake_delete", args=[intake.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    decision_change = reverse(
        "admin:minimisation_decisionrecord_change", args=[canary_intake["record"].pk]
    )
    assert client.get(decision_change).status_code == 200
    assert client.post(decision_change, {}).status_code == 403
    intake.refresh_from_db()
    assert intake.framework == "wmo"


@pytest.mark.django_db
def test_admin_filters_and_exact_reference_search(canary_intake, make_intake, signed_in):
    draft = make_intake()
    client = signed_in("privacy")
    changelist = lambda **q: client.get(INTAKE_CHANGELIST, q).context["cl"].result_list  # noqa: E731
    assert list(changelist(status="draft")) == [draft]
    assert list(changelist(outcome="help_needed")) == [canary_intake["intake"]]
    assert list(changelist(framework="jeugdwet")) == []
    assert list(changelist(bewaren_binnen="30")) == []
    assert list(changelist(bewaren_binnen="verlopen")) == []
    record = canary_intake["record"]
    record.retention_until = timezone.localdate() + dt.timedelta(days=10)
    record.save(update_fields=["retention_until"])
    assert list(changelist(bewaren_binnen="30")) == [canary_intake["intake"]]
    record.retention_until = timezone.localdate() - dt.timedelta(days=1)
    record.save(update_fields=["retention_until"])
    assert list(changelist(bewaren_binnen="verlopen")) == [canary_intake["intake"]]
    assert list(changelist(bewaren_binnen="30")) == []
    ref = str(canary_intake["resident"].ref)
    assert list(changelist(q=ref)) == [canary_intake["intake"]]
    assert list(changelist(q="KANARIE-NAAM-BEWAARD")) == []  # no search by name
    assert list(changelist(q=ref[:8])) == []  # exact only


@pytest.mark.django_db
def test_every_admin_page_view_and_export_is_audited(canary_intake, signed_in):
    client = signed_in("privacy")
    client.get(INTAKE_CHANGELIST)
    client.get(change_url(canary_intake["intake"]))
    views = AuditEvent.objects.filter(action=Action.ADMIN_VIEW, actor="privacy")
    assert {e.detail["page"] for e in views} >= {"changelist", "change"}
    response = client.post(
        INTAKE_CHANGELIST,
        {"action": "export_stored_fields", "_selected_action": [canary_intake["intake"].pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "WMO-DOMEIN" in body
    assert "KANARIE" not in body  # the export names fields, never values
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor="privacy").exists()


@pytest.mark.django_db
def test_the_application_admin_sees_no_intake_content_in_the_admin(canary_intake, signed_in):
    # Even holding every model permission on intake content, the role keeps it closed.
    group = Group.objects.get(name=APP_ADMIN)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["intake", "minimisation"])
    )
    client = signed_in("beheer")
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    listed = {m["object_name"] for app in index.context["app_list"] for m in app["models"]}
    assert listed.isdisjoint({"Intake", "Resident", "DomainAssessment", "DecisionRecord"})
    assert "ZrmDefinition" in listed
    intake = canary_intake["intake"]
    for url in (
        INTAKE_CHANGELIST,
        change_url(intake),
        reverse("admin:minimisation_decisionrecord_changelist"),
        reverse("admin:minimisation_decisionrecord_change", args=[canary_intake["record"].pk]),
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert "KANARIE" not in response.content.decode()
    # Nothing was blanked by the visits: the kept name is still there.
    assert Resident.objects.get(pk=intake.resident_id).name == "KANARIE-NAAM-BEWAARD"


@pytest.mark.django_db
def test_a_caseworker_has_no_admin_at_all(canary_intake, signed_in):
    response = signed_in("consulent").get(change_url(canary_intake["intake"]))
    assert response.status_code == 302  # not staff: Django's admin sign-in page
    assert "KANARIE" not in response.content.decode()


@pytest.mark.django_db
def test_the_review_permissions_grant_is_idempotent(demo_users):
    ensure_roles()
    ensure_roles()
    group = Group.objects.get(name=PRIVACY_OFFICER)
    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert set(ROLE_PERMISSIONS[PRIVACY_OFFICER]) <= held
    assert Group.objects.filter(name=PRIVACY_OFFICER).count() == 1
    assert not {c for _a, c in held if not c.startswith("view_")}
