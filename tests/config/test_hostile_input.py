"""Hostile input: every form and every URL parameter, driven by hypothesis.

No request may end in a 500 (Django's test client re-raises any exception a view
lets escape), and nothing that was typed may reach the log output.
"""

import logging
import uuid
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.models import Intake
from tests.factories import IntakeFactory

MARK = "QQHOSTILE"  # every generated value carries this, so the log check can find it

FRAGMENTS = [
    "' OR 1=1 --",
    "'; DROP TABLE intake_intake; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "../../etc/passwd",
    "\x00\x01\x02\x1b[31m",
    "\u202e\ufeff\ud7ff",
    "%00%0d%0a",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "31-12-1899",
    "true",
    "[]",
    "{}",
]

# Boundary values, sent as they are (no MARK: a prefix would make them no date or number):
# the last and first days a date field takes (a day added to them overflows), integers
# past every column's range for ids and versions, and user names that look like a demo
# user's but are not (Cyrillic letters, full-width forms, a zero-width space, a combining
# accent, the long s that upper-cases to S).
BOUNDARY = [
    "9999-12-31",
    "31-12-9999",
    "0001-01-01",
    "01-01-0001",
    "9999-12-30",
    str(2**31),
    str(2**63),
    str(2**64),
    f"-{2**63}",
    "9" * 40,
    "\u0441\u043ensulent",  # Cyrillic es and o
    "\uff43\uff4f\uff4e\uff53\uff55\uff4c\uff45\uff4e\uff54",  # full-width
    "consu\u200blent",  # zero-width space
    "consulent\u0301",  # combining acute accent
    "CONSULENT",
    "\u017fonsulent",  # long s
    "beheer\u00a0",  # no-break space
]

hostile_text = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.builds(lambda n: "x" * n, st.integers(min_value=2_000, max_value=120_000)),
).map(lambda value: f"{MARK}{value}")


class FormFields(HTMLParser):
    """Collects the field names (and select options) of the forms on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag in ("input", "textarea") and name and a.get("type") != "submit":
            self.fields.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self._select:
            self.fields[self._select].append(a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def field_names(client: Client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = FormFields()
    parser.feed(response.content.decode())
    parser.fields.pop("csrfmiddlewaretoken", None)
    assert parser.fields, f"no form fields found on {url}"
    return parser.fields


@pytest.fixture
def draft(demo_users: dict) -> Intake:
    return IntakeFactory(caseworker=demo_users["consulent"], resident__name="Hostile Test")


def assert_not_logged(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture) -> None:
    captured = capsys.readouterr()
    logged = caplog.text + captured.out + captured.err
    assert MARK not in logged, "a typed value reached the log output"


# (url name, args from the draft fixture, role that may use the form)
FORM_PAGES = [
    ("login", None, None),
    ("intake:list", None, "consulent"),
    ("intake:new", None, "consulent"),
    ("intake:edit", "draft", "consulent"),
    ("minimisation:preview", "draft", "consulent"),
    ("audit:export", None, "privacy"),
    ("privacy:overview", None, "privacy"),
    ("privacy:lookup", None, "privacy"),
    ("privacy:correct", "resident", "privacy"),
    ("privacy:erase", "resident", "privacy"),
    ("team:reassign", "draft", "teamleider"),
    ("two_factor:enrol", None, "consulent"),
]

EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Where a URL's form lives on another page: finalising posts from the confirmation step.
FORM_SOURCE = {"minimisation:preview": "minimisation:confirm"}


@pytest.mark.parametrize(("url_name", "arg", "role"), FORM_PAGES)
def test_hostile_form_input_never_causes_a_500_or_reaches_the_log(
    url_name: str,
    arg: str | None,
    role: str | None,
    signed_in: object,
    draft: Intake,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture,
) -> None:
    client = signed_in(role) if role else Client()
    args = {None: None, "draft": [draft.pk], "resident": [draft.resident.ref]}[arg]
    url = reverse(url_name, args=args)
    names = sorted(field_names(client, reverse(FORM_SOURCE.get(url_name, url_name), args=args)))

    @EXAMPLES
    @given(data=st.data())
    def post(data: st.DataObject) -> None:
        payload = {
            name: data.draw(
                st.one_of(
                    hostile_text,
                    st.sampled_from(["", "1", "bevestigd"]),
                    st.sampled_from(BOUNDARY),
                )
            )
            for name in names
        }
        response = client.post(url, payload)
        assert response.status_code < 500
        response = client.get(url, payload)
        assert response.status_code < 500

    with caplog.at_level(logging.INFO):
        post()
        # Each boundary value in every field at once, so none is left to chance (a period
        # from 0001-01-01, or one ending 31-12-9999, is then posted for certain).
        for value in BOUNDARY:
            assert client.post(url, dict.fromkeys(names, value)).status_code < 500, value
            assert client.get(url, dict.fromkeys(names, value)).status_code < 500, value
    assert_not_logged(caplog, capsys)


def all_object_url_names() -> list[str]:
    from tests.config.urls import walk_patterns

    return sorted(
        name
        for name, route in walk_patterns()
        if "<" in route and ":" in name and not name.startswith("admin:")
    )


@pytest.mark.parametrize("url_name", all_object_url_names())
def test_hostile_url_parameters_never_cause_a_500_or_reach_the_log(
    url_name: str,
    signed_in: object,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture,
) -> None:
    from tests.config.urls import route_of

    client = signed_in("consulent")
    route = route_of(url_name)

    @EXAMPLES
    @given(value=hostile_text, query=hostile_text)
    def visit(value: str, query: str) -> None:
        path = "/" + route.split("<")[0] + quote(value, safe="") + "/" + route.split(">/", 1)[1]
        response = client.get(path, {"q": query, "page": query})
        assert response.status_code < 500
        response = client.post(path, {"q": query})
        assert response.status_code < 500

    with caplog.at_level(logging.INFO):
        visit()
        for wrong in ("0", "-1", "9" * 30, str(2**31), str(2**63), str(uuid.uuid4()), "1.5"):
            path = "/" + route.split("<")[0] + wrong + "/" + route.split(">/", 1)[1]
            assert client.get(path).status_code in (302, 400, 403, 404, 405), path
    assert_not_logged(caplog, capsys)


@pytest.mark.parametrize("value", ["99999999999", str(2**63), "-1", "30x", "verlopen"])
def test_a_hand_typed_retention_filter_in_the_admin_never_causes_a_500(
    signed_in: object, value: str
) -> None:
    client = signed_in("privacy")
    for url in ("/beheer/intake/intake/", "/beheer/minimisation/decisionrecord/"):
        assert client.get(url, {"bewaren_binnen": value}).status_code < 500
