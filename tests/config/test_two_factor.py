"""The second factor: enrolment with a real TOTP code, verification, backup codes, the gate."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Action, AuditEvent
from tests.config.test_settings import PRODUCTION, run_manage

pytestmark = pytest.mark.django_db


@pytest.fixture
def otp_required(settings: object) -> None:
    settings.OTP_REQUIRED = True


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + drift)
    return f"{value:0{device.digits}d}"


def password_sign_in(client: Client, username: str = "consulent") -> None:
    response = client.post("/aanmelden/", {"username": username, "password": "zrm-demo"})
    assert response.status_code == 302


def enrolled_device(user: object) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator-app", confirmed=True)


def test_a_signed_in_user_without_second_factor_is_sent_to_enrolment(
    demo_users: dict, otp_required: None, client: Client
) -> None:
    password_sign_in(client)
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0] == "/tweestapsverificatie/?next=%2F"
    assert response.redirect_chain[-1][0].startswith("/tweestapsverificatie/instellen/")
    page = response.content.decode()
    assert "Tweestapsverificatie instellen" in page
    assert 'src="data:image/svg+xml;base64,' in page


@pytest.mark.parametrize("url", ["/", "/team/intakes/", "/beheer/", "/intakes/1/toewijzen/"])
def test_an_unverified_user_reaches_no_page_but_the_second_factor_pages(
    demo_users: dict, otp_required: None, client: Client, url: str
) -> None:
    password_sign_in(client, "teamleider")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/tweestapsverificatie/")


def test_an_unverified_user_can_sign_out(
    demo_users: dict, otp_required: None, client: Client
) -> None:
    password_sign_in(client)
    response = client.post("/afmelden/")
    assert response.status_code == 302
    assert response["Location"] == "/aanmelden/"
    assert "_auth_user_id" not in client.session


def test_enrolment_with_a_real_totp_code_shows_backup_codes_and_opens_the_app(
    demo_users: dict, otp_required: None, client: Client
) -> None:
    password_sign_in(client)
    page = client.get("/tweestapsverificatie/instellen/").content.decode()
    device = TOTPDevice.objects.get(user=demo_users["consulent"])
    assert not device.confirmed
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert secret.replace(" ", "") in device.config_url

    wrong = client.post("/tweestapsverificatie/instellen/", {"token": "000000", "next": "/"})
    assert "Deze code klopt niet" in wrong.content.decode()
    # django-otp makes the next try wait a second after a wrong code; the page says so.
    throttled = client.post("/tweestapsverificatie/instellen/", {"token": code_for(device)})
    assert "Te veel onjuiste codes achter elkaar" in throttled.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    response = client.post("/tweestapsverificatie/instellen/", {"token": code_for(device)})
    assert response.status_code == 200
    assert "Tweestapsverificatie is ingesteld" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert len(response.context["codes"]) == 10
    assert StaticToken.objects.filter(device__user=demo_users["consulent"]).count() == 10
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action=Action.LOGIN, detail__second_factor="enrolled").exists()


def test_a_user_with_a_device_verifies_with_a_code_and_lands_where_they_wanted(
    demo_users: dict, otp_required: None, client: Client
) -> None:
    device = enrolled_device(demo_users["consulent"])
    password_sign_in(client)
    assert client.get("/")["Location"] == "/tweestapsverificatie/?next=%2F"

    response = client.post("/tweestapsverificatie/", {"token": code_for(device), "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_code_gets_a_dutch_message_and_an_audit_event(
    demo_users: dict, otp_required: None, client: Client
) -> None:
    enrolled_device(demo_users["consulent"])
    password_sign_in(client)
    response = client.post("/tweestapsverificatie/", {"token": "12 34 56"})
    assert response.status_code == 200
    assert "Deze code klopt niet of is verlopen" in response.content.decode()
    assert response.context["form"].data["token"] == "12 34 56"
    assert client.get("/").status_code == 302
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.detail == {"second_factor": True}


def test_a_code_cannot_be_used_twice(demo_users: dict, otp_required: None) -> None:
    device = enrolled_device(demo_users["consulent"])
    token = code_for(device)
    first, second = Client(), Client()
    password_sign_in(first)
    password_sign_in(second)
    assert first.post("/tweestapsverificatie/", {"token": token})["Location"] == "/"
    assert second.post("/tweestapsverificatie/", {"token": token}).status_code == 200
    assert second.get("/").status_code == 302


def test_a_backup_code_works_once(demo_users: dict, otp_required: None) -> None:
    from accounts.two_factor import new_backup_codes

    enrolled_device(demo_users["consulent"])
    code = new_backup_codes(demo_users["consulent"])[0]
    first, second = Client(), Client()
    password_sign_in(first)
    password_sign_in(second)

    response = first.post("/tweestapsverificatie/", {"token": code.upper()}, follow=True)
    assert "U heeft een reservecode gebruikt. U heeft er nog 9 over." in response.content.decode()
    assert second.post("/tweestapsverificatie/", {"token": code}).status_code == 200


def test_an_unverified_user_cannot_replace_the_device_on_the_enrolment_page(
    demo_users: dict, otp_required: None, client: Client
) -> None:
    enrolled_device(demo_users["consulent"])
    password_sign_in(client)
    response = client.get("/tweestapsverificatie/instellen/")
    assert response["Location"].startswith("/tweestapsverificatie/?")
    assert TOTPDevice.objects.filter(user=demo_users["consulent"]).count() == 1


def test_new_backup_codes_replace_the_old_ones(
    demo_users: dict, otp_required: None, client: Client
) -> None:
    from accounts.two_factor import new_backup_codes

    device = enrolled_device(demo_users["consulent"])
    old = new_backup_codes(demo_users["consulent"])
    password_sign_in(client)
    client.post("/tweestapsverificatie/", {"token": code_for(device)})
    assert (
        "nog 10 ongebruikte" in client.get("/tweestapsverificatie/reservecodes/").content.decode()
    )

    response = client.post("/tweestapsverificatie/reservecodes/")

    new = response.context["codes"]
    assert len(new) == 10
    assert not set(old) & set(new)
    tokens = set(StaticToken.objects.values_list("token", flat=True))
    assert tokens == set(new)


def test_the_next_parameter_cannot_send_the_user_elsewhere(
    demo_users: dict, otp_required: None, client: Client
) -> None:
    device = enrolled_device(demo_users["consulent"])
    password_sign_in(client)
    response = client.post(
        "/tweestapsverificatie/", {"token": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_in_development_the_second_factor_is_optional_and_the_page_says_so(
    demo_users: dict, client: Client, settings: object
) -> None:
    settings.OTP_REQUIRED = False
    assert (
        "tweestapsverificatie is hier niet verplicht" in client.get("/aanmelden/").content.decode()
    )
    password_sign_in(client)
    assert client.get("/").status_code == 200
    enrol_page = client.get("/tweestapsverificatie/instellen/").content.decode()
    assert "Overslaan en naar de startpagina" in enrol_page


def test_production_refuses_to_turn_the_second_factor_off() -> None:
    result = run_manage({**PRODUCTION, "OTP_REQUIRED": "false"}, "check")
    assert result.returncode != 0
    assert "OTP_REQUIRED cannot be turned off in production" in result.stderr


def test_production_requires_the_second_factor_by_default() -> None:
    result = run_manage(
        PRODUCTION, "shell", "-c", "from django.conf import settings; print(settings.OTP_REQUIRED)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"
