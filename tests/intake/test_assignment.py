"""Reassignment by the team lead (intake.services.reassign): permissions move in one
transaction, audited in the same transaction."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from django.test import Client
from guardian.shortcuts import assign_perm

from audit.context import AuditContext
from audit.events import append
from audit.models import Action, AuditEvent
from intake.access import get_intake_for, get_resident_for
from intake.models import IntakeUserObjectPermission
from intake.services import ReassignmentError, eligible_caseworkers, reassign
from tests.intake.access_helpers import make_caseworker, make_intake, team

pytestmark = pytest.mark.django_db

CANARY = "Canary Reassign Pietersen"


def as_user(user) -> AuditContext:
    return AuditContext.for_user(user)


@pytest.fixture
def noord() -> Group:
    return Group.objects.get(name="Team Noord")


def test_reassigning_moves_the_permissions_to_the_new_caseworker(
    demo_users: dict, noord: Group
) -> None:
    old, new, lead = demo_users["consulent"], demo_users["consulent2"], demo_users["teamleider"]
    intake = make_intake(old, noord)

    reassign(intake, new, context=as_user(lead))

    intake.refresh_from_db()
    assert intake.caseworker == new
    assert get_intake_for(new, intake.pk, "change_intake") == intake
    assert get_resident_for(new, intake.resident.ref) == intake.resident
    with pytest.raises(Http404):
        get_intake_for(old, intake.pk)
    with pytest.raises(Http404):
        get_resident_for(old, intake.resident.ref)
    # The team lead still sees it: the leads group's permission is untouched.
    assert get_intake_for(lead, intake.pk) == intake


def test_the_old_caseworker_keeps_the_resident_when_they_have_another_intake_of_it(
    demo_users: dict, noord: Group
) -> None:
    old = demo_users["consulent"]
    first = make_intake(old, noord)
    second = make_intake(old, noord)
    second.resident = first.resident
    second.save()
    assign_perm("view_resident", old, first.resident)

    reassign(first, demo_users["consulent2"], context=as_user(demo_users["teamleider"]))

    assert get_resident_for(old, first.resident.ref) == first.resident


def test_reassigning_is_audited_without_personal_data(demo_users: dict, noord: Group) -> None:
    intake = make_intake(demo_users["consulent"], noord, name=CANARY)

    reassign(intake, demo_users["consulent2"], context=as_user(demo_users["teamleider"]))

    event = AuditEvent.objects.get(action=Action.REASSIGN)
    assert event.actor == "teamleider"
    assert event.object_id == str(intake.pk)
    assert event.resident_ref == str(intake.resident.ref)
    assert event.detail["from_user_id"] == demo_users["consulent"].pk
    assert event.detail["to_user_id"] == demo_users["consulent2"].pk
    assert CANARY not in str(event.detail)


def test_only_a_caseworker_of_the_same_team_can_take_over(demo_users: dict, noord: Group) -> None:
    intake = make_intake(demo_users["consulent"], noord)
    outsider = make_caseworker("consulent-zuid", team("Zuid"))

    with pytest.raises(ReassignmentError):
        reassign(intake, outsider, context=as_user(demo_users["teamleider"]))
    with pytest.raises(ReassignmentError):
        reassign(intake, demo_users["teamleider"], context=as_user(demo_users["teamleider"]))
    with pytest.raises(ReassignmentError):
        reassign(intake, demo_users["consulent"], context=as_user(demo_users["teamleider"]))
    assert list(eligible_caseworkers(intake)) == [demo_users["consulent2"]]


def test_an_inactive_caseworker_cannot_take_over(demo_users: dict, noord: Group) -> None:
    intake = make_intake(demo_users["consulent"], noord)
    demo_users["consulent2"].is_active = False
    demo_users["consulent2"].save()
    with pytest.raises(ReassignmentError):
        reassign(intake, demo_users["consulent2"], context=as_user(demo_users["teamleider"]))


@pytest.mark.parametrize("username", ["consulent", "consulent2", "privacy", "beheer"])
def test_only_the_team_lead_may_reassign(demo_users: dict, noord: Group, username: str) -> None:
    intake = make_intake(demo_users["consulent"], noord)
    with pytest.raises(ReassignmentError):
        reassign(intake, demo_users["consulent2"], context=as_user(demo_users[username]))
    assert not AuditEvent.objects.filter(action=Action.REASSIGN).exists()


def test_a_failure_after_the_audit_event_leaves_neither_the_move_nor_the_event(
    demo_users: dict, noord: Group
) -> None:
    intake = make_intake(demo_users["consulent"], noord)
    before = set(IntakeUserObjectPermission.objects.values_list("user_id", "permission_id"))

    def append_then_fail(events):
        append(events)
        assert AuditEvent.objects.filter(action=Action.REASSIGN).exists()  # it was written
        raise RuntimeError("disk full")

    with (
        mock.patch("intake.services.append", side_effect=append_then_fail),
        pytest.raises(RuntimeError),
    ):
        reassign(intake, demo_users["consulent2"], context=as_user(demo_users["teamleider"]))

    after = set(IntakeUserObjectPermission.objects.values_list("user_id", "permission_id"))
    assert after == before
    intake.refresh_from_db()
    assert intake.caseworker == demo_users["consulent"]
    assert not AuditEvent.objects.filter(action=Action.REASSIGN).exists()


# The pages


def test_the_team_overview_lists_the_teams_intakes_without_content(
    demo_users: dict, noord: Group, signed_in: object
) -> None:
    intake = make_intake(demo_users["consulent"], noord, name=CANARY)
    response = signed_in("teamleider").get("/team/intakes/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Intakes van mijn team" in page
    assert f"/intakes/{intake.pk}/toewijzen/" in page
    assert "Sanne Bakker" in page  # staff by first and last name
    assert CANARY in page  # the intake by its resident's name and date; no content


@pytest.mark.parametrize("username", ["consulent", "privacy", "beheer"])
def test_the_team_pages_are_forbidden_for_other_roles(
    demo_users: dict, noord: Group, signed_in: object, username: str
) -> None:
    intake = make_intake(demo_users["consulent"], noord)
    client: Client = signed_in(username)
    assert client.get("/team/intakes/").status_code == 403
    assert client.get(f"/intakes/{intake.pk}/toewijzen/").status_code == 403
    assert client.get("/intakes/999999/toewijzen/").status_code == 403


def test_a_team_lead_gets_404_for_another_teams_intake(demo_users: dict, signed_in: object) -> None:
    zuid = team("Zuid")
    intake = make_intake(make_caseworker("consulent-zuid", zuid), zuid)
    client = signed_in("teamleider")
    assert client.get(f"/intakes/{intake.pk}/toewijzen/").status_code == 404
    assert client.get("/intakes/999999/toewijzen/").status_code == 404


def test_the_team_lead_reassigns_through_the_page(
    demo_users: dict, noord: Group, signed_in: object
) -> None:
    intake = make_intake(demo_users["consulent"], noord)
    client = signed_in("teamleider")
    url = f"/intakes/{intake.pk}/toewijzen/"
    assert client.get(url).status_code == 200

    response = client.post(url, {"caseworker": demo_users["consulent2"].pk}, follow=True)

    assert response.redirect_chain[-1][0] == "/team/intakes/"
    assert "toegewezen aan Ahmed El Amrani" in response.content.decode()
    intake.refresh_from_db()
    assert intake.caseworker == demo_users["consulent2"]


def test_a_bad_choice_gets_a_dutch_message_and_changes_nothing(
    demo_users: dict, noord: Group, signed_in: object
) -> None:
    intake = make_intake(demo_users["consulent"], noord)
    outsider = make_caseworker("consulent-zuid", team("Zuid"))
    client = signed_in("teamleider")
    for value in (outsider.pk, "", "abc", "99999999999999999999"):
        response = client.post(f"/intakes/{intake.pk}/toewijzen/", {"caseworker": value})
        assert response.status_code == 200
        assert response.context["form"].errors["caseworker"]
    assert "Kies" in response.content.decode()
    intake.refresh_from_db()
    assert intake.caseworker == demo_users["consulent"]
