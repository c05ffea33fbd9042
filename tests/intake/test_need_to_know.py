"""A team lead sees who has which case, its state, framework and deadlines, but no scores,
notes or contact data unless the intake is assigned to them (intake/access.py)."""

from intake.access import count_intakes_with_content, intakes_with_content_for

NOTE = "CANARY-LEAD-NOTE-4d2e"
PHONE = "0612398765"


def test_a_team_lead_sees_the_case_but_not_its_content(signed_in, make_intake, demo_users):
    intake = make_intake(
        "consulent2",
        name="Inwoner Teamzicht",
        phone=PHONE,
        domains={"financien": (2, "confirmed", NOTE)},
    )
    lead = signed_in("teamleider")
    overview = lead.get("/team/intakes/").content.decode()
    assert "Inwoner Teamzicht" in overview
    assert "Ahmed El Amrani" in overview and ">consulent2<" not in overview  # full names
    assert "concept tot en met" in overview
    detail = lead.get(f"/intakes/{intake.pk}/").content.decode()
    assert "Inwoner Teamzicht" in detail and "Ahmed El Amrani" in detail
    assert NOTE not in detail and PHONE not in detail and "2 – niet zelfredzaam" not in detail
    # "Mijn intakes" holds only what the lead may see the content of: none here.
    listing = lead.get("/intakes/").content.decode()
    assert "Inwoner Teamzicht" not in listing and "Bewerken" not in listing
    assert count_intakes_with_content(demo_users["teamleider"]) == 0
    # Positive control: the assigned caseworker sees the content.
    own = signed_in("consulent2").get(f"/intakes/{intake.pk}/").content.decode()
    assert NOTE in own


def test_a_team_lead_who_is_assigned_the_intake_sees_its_content(
    signed_in, make_intake, demo_users
):
    from intake.access import grant_caseworker

    intake = make_intake("consulent2", domains={"financien": (2, "confirmed", NOTE)})
    intake.caseworker = demo_users["teamleider"]
    intake.save()
    grant_caseworker(intake)
    assert list(intakes_with_content_for(demo_users["teamleider"])) == [intake]
    assert NOTE in signed_in("teamleider").get(f"/intakes/{intake.pk}/").content.decode()


def test_the_reassign_choices_name_staff_by_first_and_last_name(signed_in, make_intake):
    intake = make_intake("consulent2")
    page = signed_in("teamleider").get(f"/intakes/{intake.pk}/toewijzen/").content.decode()
    assert "Sanne Bakker" in page
