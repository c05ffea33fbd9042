"""Need to know: who sees which intake, through guardian's direct-FK permission tables."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from accounts.roles import APP_ADMIN, CONSULENT, PRIVACY_OFFICER, TEAMLEIDER
from intake.access import (
    count_visible_intakes,
    get_intake_for,
    team_intakes_for,
    visible_intakes,
    visible_residents,
    with_intake_permission,
)
from intake.models import (
    Intake,
    IntakeGroupObjectPermission,
    IntakeUserObjectPermission,
    Resident,
    ResidentUserObjectPermission,
)
from tests.intake.access_helpers import make_caseworker, make_intake, team

pytestmark = pytest.mark.django_db


def _team_noord() -> Group:
    return Group.objects.get(name="Team Noord")


def test_the_caseworker_sees_their_own_intake(demo_users: dict) -> None:
    intake = make_intake(demo_users["consulent"], _team_noord())
    assert get_intake_for(demo_users["consulent"], intake.pk) == intake


def test_another_caseworker_of_the_same_team_does_not_see_the_intake(demo_users: dict) -> None:
    intake = make_intake(demo_users["consulent"], _team_noord())
    assert not visible_intakes(demo_users["consulent2"]).exists()
    with pytest.raises(Http404):
        get_intake_for(demo_users["consulent2"], intake.pk)
    assert not visible_residents(demo_users["consulent2"]).exists()


def test_the_team_lead_sees_the_teams_intakes_but_not_the_resident_record(
    demo_users: dict,
) -> None:
    intake = make_intake(demo_users["consulent"], _team_noord())
    lead = demo_users["teamleider"]
    assert get_intake_for(lead, intake.pk) == intake
    assert list(team_intakes_for(lead)) == [intake]
    assert not visible_residents(lead).exists()


def test_the_team_lead_may_see_but_not_change_a_team_intake(demo_users: dict) -> None:
    intake = make_intake(demo_users["consulent"], _team_noord())
    with pytest.raises(Http404):
        get_intake_for(demo_users["teamleider"], intake.pk, "change_intake")


def test_a_team_lead_does_not_see_another_teams_intakes(demo_users: dict) -> None:
    zuid = team("Zuid")
    other = make_caseworker("consulent-zuid", zuid)
    intake = make_intake(other, zuid)
    assert not team_intakes_for(demo_users["teamleider"]).exists()
    with pytest.raises(Http404):
        get_intake_for(demo_users["teamleider"], intake.pk)


@pytest.mark.parametrize("username", ["privacy", "beheer"])
def test_privacy_officer_and_admin_see_no_intake_content(demo_users: dict, username: str) -> None:
    intake = make_intake(demo_users["consulent"], _team_noord())
    assert not visible_intakes(demo_users[username]).exists()
    with pytest.raises(Http404):
        get_intake_for(demo_users[username], intake.pk)


def test_the_intake_list_is_one_query_whatever_the_number_of_intakes(demo_users: dict) -> None:
    for _ in range(5):
        make_intake(demo_users["consulent"], _team_noord())
    for user in (demo_users["consulent"], demo_users["teamleider"]):
        with CaptureQueriesContext(connection) as queries:
            assert len(list(visible_intakes(user))) == 5
        assert len(queries) == 1
        # Through the permission tables, not an IN-list of ids.
        assert "objectpermission" in queries[0]["sql"].lower()
    with CaptureQueriesContext(connection) as queries:
        assert len(list(team_intakes_for(demo_users["teamleider"]))) == 5
    assert len(queries) == 1


def test_the_visible_count_equals_the_visible_list_for_every_role(demo_users: dict) -> None:
    noord = _team_noord()
    for _ in range(3):
        make_intake(demo_users["consulent"], noord)
    shared = make_intake(demo_users["consulent2"], noord)
    # One intake seen through the user's own row and a group row counts once.
    IntakeGroupObjectPermission.objects.create(
        group=Group.objects.get(name=CONSULENT),
        permission=Permission.objects.get(codename="view_intake"),
        content_object=shared,
    )
    make_intake(make_caseworker("consulent-zuid", team("Zuid")), team("Zuid"))
    for user in demo_users.values():
        assert count_visible_intakes(user) == visible_intakes(user).count(), user.username
    assert count_visible_intakes(demo_users["consulent"]) == 4
    assert count_visible_intakes(demo_users["teamleider"]) == 4
    assert count_visible_intakes(demo_users["privacy"]) == 0


def test_the_visible_count_of_a_signed_out_or_inactive_user_is_zero(demo_users: dict) -> None:
    from django.contrib.auth.models import AnonymousUser

    make_intake(demo_users["consulent"], _team_noord())
    assert count_visible_intakes(AnonymousUser()) == 0
    demo_users["consulent"].is_active = False
    assert count_visible_intakes(demo_users["consulent"]) == 0


def test_the_change_column_says_who_may_change_the_fetched_intake(demo_users: dict) -> None:
    from django.contrib.auth.models import AnonymousUser

    intake = make_intake(demo_users["consulent"], _team_noord())

    def may_change(user: object) -> bool:
        rows = with_intake_permission(Intake.objects.all(), user, "change_intake", "may")
        return rows.get(pk=intake.pk).may

    assert may_change(demo_users["consulent"]) is True
    assert may_change(demo_users["teamleider"]) is False  # sees it, may not change it
    assert may_change(demo_users["consulent2"]) is False
    assert may_change(AnonymousUser()) is False


def test_deleting_an_intake_removes_its_permission_rows(demo_users: dict) -> None:
    intake = make_intake(demo_users["consulent"], _team_noord())
    assert IntakeUserObjectPermission.objects.filter(content_object=intake).count() == 2
    assert IntakeGroupObjectPermission.objects.filter(content_object=intake).count() == 1
    intake_pk = intake.pk
    intake.delete()
    assert not IntakeUserObjectPermission.objects.filter(content_object_id=intake_pk).exists()
    assert not IntakeGroupObjectPermission.objects.filter(content_object_id=intake_pk).exists()


def test_deleting_a_resident_removes_every_permission_row_of_it_and_its_intakes(
    demo_users: dict,
) -> None:
    intake = make_intake(demo_users["consulent"], _team_noord())
    resident_pk = intake.resident_id
    Resident.objects.filter(pk=resident_pk).delete()
    assert not Intake.objects.exists()
    assert not ResidentUserObjectPermission.objects.filter(content_object_id=resident_pk).exists()
    assert not IntakeUserObjectPermission.objects.exists()
    assert not IntakeGroupObjectPermission.objects.exists()


ROLE_PERMISSIONS = {
    CONSULENT: {"intake.add_resident", "intake.add_intake"},
    TEAMLEIDER: {"intake.reassign_intake"},
    PRIVACY_OFFICER: {"audit.view_auditevent", "intake.view_intake"},
    APP_ADMIN: {
        "auth.change_user",
        "auth.change_group",
        "intake.change_zrmdefinition",
        "otp_totp.delete_totpdevice",
        "axes.delete_accessattempt",
    },
}


@pytest.mark.parametrize("role", list(ROLE_PERMISSIONS))
def test_each_role_has_its_model_permissions(role: str) -> None:
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(group__name=role).select_related("content_type")
    }
    assert ROLE_PERMISSIONS[role] <= granted


def test_the_application_admin_holds_no_permission_on_intake_content() -> None:
    codenames = set(
        Permission.objects.filter(group__name=APP_ADMIN).values_list("codename", flat=True)
    )
    content = {
        f"{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("intake", "resident", "domainassessment")
    }
    assert not codenames & content


def test_the_privacy_officer_cannot_change_intake_content() -> None:
    codenames = set(
        Permission.objects.filter(group__name=PRIVACY_OFFICER).values_list("codename", flat=True)
    )
    assert not {c for c in codenames if not c.startswith("view_")}
