"""The admin speaks Dutch and carries the product's name: also the third-party parts."""

import pytest


@pytest.mark.parametrize(
    ("url", "dutch", "english"),
    [
        ("/beheer/", "Gekoppelde authenticator-apps", "TOTP devices"),
        ("/beheer/", "Mislukte aanmeldpogingen", "Access attempts"),
        ("/beheer/", "Naam van het model", "Model name"),
        ("/beheer/", "ZRM-intake: beheer", "Django administration"),
        ("/beheer/otp_totp/totpdevice/", "authenticator-app", "TOTP device"),
    ],
)
def test_the_admin_shows_dutch_names_for_every_part(signed_in, url, dutch, english):
    page = signed_in("beheer").get(url).content.decode()
    assert dutch in page
    assert english not in page


def test_the_admin_title_names_the_product(signed_in):
    page = signed_in("beheer").get("/beheer/").content.decode()
    assert "<title>Beheer | ZRM-intake beheer</title>" in page


def test_the_selection_boxes_of_the_admin_speak_dutch(signed_in):
    catalog = signed_in("beheer").get("/beheer/jsi18n/").content.decode()
    assert "Alle %s kiezen" in catalog
    assert "Geselecteerde %s verwijderen" in catalog
