"""The team lead with the caseworker's pages: sight through the leads group, and reassignment
that moves access from one caseworker's pages to the other's."""

from intake.access import team_intakes_for

CANARY_NAME = "Canary Teamleider Zwaluw"


def test_an_intake_made_by_a_caseworker_is_visible_to_the_team_lead_only(
    signed_in, make_intake, demo_users
) -> None:
    intake = make_intake("consulent2", name=CANARY_NAME)

    lead = signed_in("teamleider")
    assert list(team_intakes_for(demo_users["teamleider"])) == [intake]
    overview = lead.get("/team/intakes/").content.decode()
    assert f"/intakes/{intake.pk}/toewijzen/" in overview
    assert CANARY_NAME in overview  # identified by name and date (need to know: no content)
    assert lead.get(f"/intakes/{intake.pk}/").status_code == 200
    assert lead.get(f"/intakes/{intake.pk}/bewerken/").status_code == 404

    colleague = signed_in("consulent")
    assert colleague.get(f"/intakes/{intake.pk}/").status_code == 404
    assert CANARY_NAME not in colleague.get("/intakes/").content.decode()


def test_after_reassignment_the_pages_follow_the_new_caseworker(
    signed_in, make_intake, demo_users
) -> None:
    intake = make_intake("consulent2", name=CANARY_NAME)
    old, new = signed_in("consulent2"), signed_in("consulent")
    assert old.get(f"/intakes/{intake.pk}/bewerken/").status_code == 200
    assert new.get(f"/intakes/{intake.pk}/bewerken/").status_code == 404

    response = signed_in("teamleider").post(
        f"/intakes/{intake.pk}/toewijzen/", {"caseworker": demo_users["consulent"].pk}
    )

    assert response.status_code == 302
    assert new.get(f"/intakes/{intake.pk}/bewerken/").status_code == 200
    assert CANARY_NAME in new.get("/intakes/").content.decode()
    assert old.get(f"/intakes/{intake.pk}/").status_code == 404
    assert CANARY_NAME not in old.get("/intakes/").content.decode()
