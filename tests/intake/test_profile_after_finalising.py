"""After finalising, the profile says what was destroyed and when, not "niet besproken"."""

from django.utils import timezone
from django.utils.formats import date_format

from intake.models import Resident
from tests.factories import finalise_now


def detail(client, intake) -> str:
    return client.get(f"/intakes/{intake.pk}/").content.decode()


def test_a_discussed_domain_destroyed_at_finalising_shows_the_day_and_the_rule(
    signed_in, make_intake
):
    intake = make_intake(
        domains={"financien": (2, "confirmed", "blijft"), "justitie": (3, "none", "weg")}
    )
    finalise_now(intake)
    page = detail(signed_in("consulent"), intake)
    row = page[page.index('data-domain="justitie"') :]
    row = row[: row.index("</tr>")]
    day = date_format(timezone.localdate(), "j F Y")
    assert f"vernietigd op {day} (regel WMO-JUSTITIE)" in row
    assert "niet besproken" not in row
    # A domain never discussed still says so (positive control of the distinction).
    housing = page[page.index('data-domain="huisvesting"') :]
    assert "niet besproken" in housing[: housing.index("</tr>")]


def test_a_resident_whose_name_was_destroyed_gives_no_empty_heading_or_link(signed_in, make_intake):
    intake = make_intake(domains={"financien": (4, "none", "")})
    finalise_now(intake)  # no help need: the name is destroyed
    assert Resident.objects.get(pk=intake.resident_id).name == ""
    client = signed_in("consulent")
    page = detail(client, intake)
    assert "Inwoner zonder bewaarde naam" in page
    assert "Intake: </h1>" not in page
    listing = client.get("/intakes/").content.decode()
    assert f'href="/intakes/{intake.pk}/"></a>' not in listing
    assert "Inwoner zonder bewaarde naam" in listing
