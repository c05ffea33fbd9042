"""The UI speaks Dutch: no code names, no English, singular and plural where they belong."""

import re

from tests.factories import finalise_now

CODE_NAMES = ("instrumentele_adl", "help_need", "date_of_birth", "intake(s)")


def test_the_register_names_fields_and_domains_in_dutch(signed_in):
    page = re.sub(
        r"<[^>]+>", " ", signed_in("privacy").get("/privacy/verwerkingsregister/").content.decode()
    )
    assert "geboortedatum" in page and "Instrumentele ADL" in page  # positive control
    for code in CODE_NAMES + ("name, date_of_birth, bsn",):
        assert code not in page


def test_the_help_need_reads_as_an_answer_to_the_question(signed_in, make_intake):
    intake = make_intake(
        domains={"financien": (2, "confirmed", ""), "huisvesting": (3, "none", "")}
    )
    page = signed_in("consulent").get(f"/intakes/{intake.pk}/").content.decode()
    assert "ja, bevestigd" in page and "nee, geen hulpvraag" in page
    form = signed_in("consulent").get(f"/intakes/{intake.pk}/bewerken/").content.decode()
    assert ">nog niet bepaald<" in form
    visible = re.sub(r"<[^>]+>", " ", page)  # the text, not the attributes
    for code in CODE_NAMES:
        assert code not in visible


def test_the_overview_says_one_intake_in_the_singular(signed_in, make_intake):
    finalise_now(make_intake(domains={"financien": (2, "confirmed", "")}))
    page = signed_in("privacy").get("/privacy/minimalisatie/").content.decode()
    assert "1 afgeronde intake," in page
    assert "1 afgeronde intakes" not in page
