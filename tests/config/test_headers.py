"""Security headers, CSRF on every form, and Dutch error pages that echo nothing back."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory
from django.views import defaults

from tests.config.test_settings import PRODUCTION, run_manage

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def csp_directives(response: object) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parts = (p.strip() for p in header.split(";") if p.strip())
    return {p.split(" ", 1)[0]: p.split(" ", 1)[1] if " " in p else "" for p in parts}


@pytest.mark.parametrize("url", ["/aanmelden/", "/"])
def test_every_page_has_a_strict_content_security_policy(client: Client, url: str) -> None:
    response = client.get(url)
    directives = csp_directives(response)
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_the_other_security_headers_are_set(client: Client) -> None:
    response = client.get("/aanmelden/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_sends_hsts_for_a_year() -> None:
    result = run_manage(
        PRODUCTION,
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "31536000 True"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style() -> None:
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        found += [f"{path.name}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert not found
    assert len(list(TEMPLATES.rglob("*.html"))) > 10


# CSRF


def test_signing_in_without_a_csrf_token_is_refused_with_a_dutch_page(demo_users: dict) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/aanmelden/", {"username": "consulent", "password": "zrm-demo"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Het formulier kon niet worden verwerkt" in page
    assert "CSRF" not in page
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "url", ["/afmelden/", "/tweestapsverificatie/", "/tweestapsverificatie/reservecodes/"]
)
def test_forms_of_a_signed_in_user_need_the_csrf_token(demo_users: dict, url: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_users["consulent"])
    assert client.post(url, {"token": "123456"}).status_code == 403


def test_reassigning_without_a_csrf_token_is_refused(demo_users: dict) -> None:
    from django.contrib.auth.models import Group

    from tests.intake.access_helpers import make_intake

    intake = make_intake(demo_users["consulent"], Group.objects.get(name="Team Noord"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_users["teamleider"])
    response = client.post(
        f"/intakes/{intake.pk}/toewijzen/", {"caseworker": demo_users["consulent2"].pk}
    )
    assert response.status_code == 403
    intake.refresh_from_db()
    assert intake.caseworker == demo_users["consulent"]


def test_a_form_with_its_token_gets_through(demo_users: dict) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/aanmelden/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/aanmelden/",
        {"username": "consulent", "password": "zrm-demo", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


# Error pages

CANARY = "canary-9999-path-Jansen"


def test_the_404_page_is_dutch_and_does_not_echo_the_address(client: Client) -> None:
    response = client.get(f"/{CANARY}/?bsn={CANARY}")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Niet gevonden" in page
    assert CANARY not in page


def test_the_403_page_is_dutch_and_does_not_echo_the_reason() -> None:
    request = RequestFactory().get(f"/{CANARY}/")
    response = defaults.permission_denied(request, PermissionDenied(CANARY))
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
    assert CANARY not in response.content.decode()


def test_the_500_page_is_dutch_and_shows_no_request_data() -> None:
    request = RequestFactory().get(f"/{CANARY}/")
    response = defaults.server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Er ging iets mis" in page
    assert CANARY not in page


def test_a_404_raised_with_a_message_does_not_show_it() -> None:
    request = RequestFactory().get("/x/")
    response = defaults.page_not_found(request, Http404(CANARY))
    assert CANARY not in response.content.decode()


# --- Error responses made before the header middleware ran (issue 17 item 8) ----------

SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options")


def assert_secured(response: object) -> None:
    for name in SECURITY_HEADERS:
        assert name in response, name
    assert csp_directives(response)["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_400_for_an_unknown_host_is_dutch_and_carries_the_headers(client: Client) -> None:
    response = client.get("/aanmelden/", HTTP_HOST="aanvaller.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert "Ongeldig verzoek" in page
    assert "aanvaller.example" not in page
    assert_secured(response)


@pytest.mark.parametrize("position", [1, 6])
def test_a_500_raised_inside_a_middleware_is_dutch_and_carries_the_headers(
    settings: object, position: int
) -> None:
    """Position 1: before SecurityMiddleware; 6: after the session middleware."""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(position, "tests.config.failing_middleware.FailingMiddleware")
    settings.MIDDLEWARE = middleware
    response = Client(raise_request_exception=False).get("/aanmelden/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
    assert_secured(response)


def test_control_without_the_header_middleware_the_unknown_host_400_lacks_them(
    settings: object,
) -> None:
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "config.headers.SecurityHeadersOnEveryResponse"
    ]
    response = Client().get("/aanmelden/", HTTP_HOST="aanvaller.example")
    assert response.status_code == 400
    assert "Content-Security-Policy" not in response


def test_the_session_and_csrf_cookies_have_the_host_prefix_in_production() -> None:
    result = run_manage(
        PRODUCTION,
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["__Host-sessionid", "__Host-csrftoken"]
